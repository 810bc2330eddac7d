// The Risk tab of the demo flow as `npm start` deploys it: the shipped inject node's H2S
// excursion goes through oilrisk-risk and shows on the risk API.

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { loadSiteFile } from '../../lib/site/index.js';
import { PACKAGE_ROOT, startRuntime, type RuntimeHandle } from '../support/runtime.js';
import { eventually } from '../support/poll.js';

async function json<T>(res: Response): Promise<T> {
  const text = await res.text();
  try { return JSON.parse(text) as T; } catch { throw new Error(`expected JSON, got ${res.status}: ${text.slice(0, 200)}`); }
}

interface Explanation { level: string; rootCause?: { equipment: string; tag?: string }; factors: Array<{ state: string }> }

describe('risk tab of the demo flow', function () {
  this.timeout(60_000);
  let runtime: RuntimeHandle | undefined;

  afterEach(async () => {
    if (runtime) await runtime.stop();
    runtime = undefined;
  });

  it('raises the H2S detector when the shipped inject node is pressed', async () => {
    runtime = await startRuntime();
    const url = runtime.url;
    // The site node loads its file after the flows start: ask until the engine knows the detector.
    const before = await eventually(() => fetch(`${url}/oilrisk/api/risk/GD-H2S-1`), (res) => res.status === 200, 'the risk API to know GD-H2S-1', { everyMs: 50 });
    assert.equal(before.status, 200, runtime.output());
    assert.equal((await json<Explanation>(before)).level, 'normal');

    const pressed = await fetch(`${url}/inject/oilrisk.risk.inject.h2s`, { method: 'POST' });
    assert.equal(pressed.status, 200, await pressed.text());
    const after = await eventually(async () => json<Explanation>(await fetch(`${url}/oilrisk/api/risk/GD-H2S-1`)), (e) => e.level !== 'normal', 'GD-H2S-1 to leave normal', { everyMs: 50 });
    assert.equal(after.level, 'I', JSON.stringify(after));
    assert.deepEqual(after.rootCause, { equipment: 'GD-H2S-1', tag: 'GD-H2S-1.AT-901', factor: 'h2s' });
    assert.deepEqual(after.factors.map((f) => f.state), ['highhigh']);

    const all = await json<{ counts: Record<string, number>; equipment: Array<{ equipment: string }> }>(await fetch(`${url}/oilrisk/api/risk`));
    assert.ok(all.counts.I >= 1);
    assert.ok(all.equipment.some((e) => e.equipment === 'SEP-1'));
  });

  it('serves the risk API only to logged-in users when a login is set, viewers included', async () => {
    runtime = await startRuntime({ env: { OILRISK_ADMIN_PASSWORD: 'correct horse', OILRISK_VIEWER_PASSWORD: 'battery staple' } });
    const url = runtime.url;
    assert.equal((await fetch(`${url}/oilrisk/api/risk`)).status, 401);
    const token = await fetch(`${url}/auth/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ client_id: 'node-red-admin', grant_type: 'password', scope: 'read', username: 'viewer', password: 'battery staple' }),
    });
    assert.equal(token.status, 200, await token.clone().text());
    const { access_token } = await json<{ access_token: string }>(token);
    const res = await fetch(`${url}/oilrisk/api/risk`, { headers: { Authorization: `Bearer ${access_token}` } });
    assert.equal(res.status, 200);
    const demo = await loadSiteFile(join(PACKAGE_ROOT, 'sites', 'demo-field.yaml'));
    assert.ok(demo.ok);
    const served = (await json<{ equipment: Array<{ equipment: string }> }>(res)).equipment.map((e) => e.equipment).sort();
    assert.deepEqual(served, demo.site.equipment.map((e) => e.id).sort());
  });
});
