// The shipped Grafana flow in a real runtime (npm start's dist/bin/oilrisk.js): with
// GRAFANA_URL and GRAFANA_TOKEN set it provisions the dashboards on deploy; without them it
// starts quietly, with no Grafana error in the log.

import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { FakeGrafana } from '../support/grafana-server.js';
import { PACKAGE_ROOT, startRuntime, type RuntimeHandle } from '../support/runtime.js';

const TOKEN = 'glsa_test_editor_token';

describe('Grafana flow in the runtime', function () {
  this.timeout(60_000);
  let grafana: FakeGrafana;
  let runtime: RuntimeHandle | undefined;

  beforeEach(async () => {
    grafana = new FakeGrafana();
    await grafana.start();
  });

  afterEach(async () => {
    await runtime?.stop();
    runtime = undefined;
    await grafana.stop();
  });

  it('provisions the generated dashboards on deploy when GRAFANA_URL and GRAFANA_TOKEN are set', async () => {
    const expected = readdirSync(join(PACKAGE_ROOT, 'dashboards', 'generated')).filter((f) => f.endsWith('.json')).length;
    runtime = await startRuntime({ env: { GRAFANA_URL: grafana.url, GRAFANA_TOKEN: TOKEN } });
    const deadline = Date.now() + 20_000;
    while (grafana.dashboards.size < expected && Date.now() < deadline) await new Promise((ok) => setTimeout(ok, 200));
    assert.equal(grafana.dashboards.size, expected, runtime.output());
    assert.ok([...grafana.dashboards.values()].every((d) => d.folderUid === 'oilrisk'));
    assert.ok(grafana.requests.every((r) => r.path === '/api/health' || r.authorization === `Bearer ${TOKEN}`));
    assert.ok(!runtime.output().includes(TOKEN), 'the token must never be logged');
  });

  it('starts without Grafana settings and logs no Grafana error', async () => {
    runtime = await startRuntime({ env: { GRAFANA_URL: '', GRAFANA_TOKEN: '' } });
    assert.equal(grafana.requests.length, 0);
    assert.doesNotMatch(runtime.output(), /oilrisk-grafana|oilrisk\/grafana/);
  });
});
