// Starts the runtime as npm start does and checks that the shipped demo site loads and that its
// load state is served to every logged-in role, while the file check stays with flow editors.

import assert from 'node:assert/strict';
import { SITE_ERROR_STATUS } from '../../nodes/oilrisk-site.js';
import { startRuntime, type RuntimeHandle } from '../support/runtime.js';

async function token(runtime: RuntimeHandle, username: string, password: string, scope: string): Promise<string> {
  const res = await fetch(`${runtime.url}/auth/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ client_id: 'node-red-admin', grant_type: 'password', scope, username, password }),
  });
  assert.equal(res.status, 200, `login of ${username}`);
  return ((await res.json()) as { access_token: string }).access_token;
}

describe('site model in the runtime', function () {
  this.timeout(60_000);
  let runtime: RuntimeHandle | undefined;

  afterEach(async () => {
    if (runtime) await runtime.stop();
    runtime = undefined;
  });

  it('loads the demo field and serves its state to a viewer, but not the file check', async () => {
    runtime = await startRuntime({ env: { OILRISK_ADMIN_PASSWORD: 'admin secret', OILRISK_VIEWER_PASSWORD: 'viewer secret' } });
    const viewer = { Authorization: `Bearer ${await token(runtime, 'viewer', 'viewer secret', 'read')}` };

    assert.equal((await fetch(`${runtime.url}/oilrisk/api/site`)).status, 401, 'no anonymous access');
    const all = (await (await fetch(`${runtime.url}/oilrisk/api/site`, { headers: viewer })).json()) as { sites: Array<Record<string, unknown>> };
    const demo = all.sites.find((s) => s.id === 'oilrisk.demo.site');
    assert.ok(demo, JSON.stringify(all));
    assert.equal(demo.ok, true, JSON.stringify(demo.issues));
    assert.equal(demo.running, true);
    assert.equal(demo.source, 'sites/demo-field.yaml');
    assert.ok((demo.equipment as number) >= 40);

    const one = (await (await fetch(`${runtime.url}/oilrisk/api/site/oilrisk.demo.site`, { headers: viewer })).json()) as { site: { tags: Array<{ id: string }> } };
    assert.ok(one.site.tags.some((t) => t.id === 'SEP-1.PT-101'));

    // SITE_ERROR_STATUS names its catalogue by namespace: the editor must find the key there.
    const [namespace, key] = SITE_ERROR_STATUS.text!.split(':');
    const catalogue = await (await fetch(`${runtime.url}/locales/${namespace}?lng=en-US`, { headers: viewer })).json() as Record<string, any>;
    assert.equal(key.split('.').reduce((at: any, part) => at?.[part], catalogue), 'site error');

    const check = await fetch(`${runtime.url}/oilrisk/site/check`, {
      method: 'POST', headers: { ...viewer, 'Content-Type': 'application/json' }, body: JSON.stringify({ path: 'sites/demo-field.yaml' }),
    });
    assert.equal(check.status, 401, 'a viewer may not read files through the check');
    const admin = { Authorization: `Bearer ${await token(runtime, 'admin', 'admin secret', '*')}` };
    const checked = await fetch(`${runtime.url}/oilrisk/site/check`, {
      method: 'POST', headers: { ...admin, 'Content-Type': 'application/json' }, body: JSON.stringify({ path: 'sites/demo-field.yaml' }),
    });
    assert.equal(checked.status, 200);
    assert.equal(((await checked.json()) as { ok: boolean }).ok, true);
  });
});
