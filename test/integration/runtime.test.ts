// Starts the runtime the way `npm start` does and checks what a user sees first: the palette,
// a deploy through the admin API, login when a password is set, and a clean stop.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { PACKAGE_ROOT, startRuntime, type RuntimeHandle } from '../support/runtime.js';

interface NodeSet { module: string; types: string[] }

function alive(pid: number): boolean {
  try { process.kill(pid, 0); return true; } catch { return false; }
}

async function json<T>(res: Response): Promise<T> {
  const text = await res.text();
  try { return JSON.parse(text) as T; } catch { throw new Error(`expected JSON, got ${res.status}: ${text.slice(0, 200)}`); }
}

describe('runtime (as npm start runs it)', function () {
  this.timeout(60_000);
  let runtime: RuntimeHandle | undefined;

  afterEach(async () => {
    if (runtime) await runtime.stop();
    runtime = undefined;
  });

  it('lists the oilrisk, Modbus and OPC UA nodes, deploys a flow and stops cleanly', async () => {
    runtime = await startRuntime();
    assert.match(runtime.output(), new RegExp(`editor ready at http://127\\.0\\.0\\.1:${runtime.port}/`));
    assert.match(runtime.output(), /no login \(OILRISK_ADMIN_PASSWORD is not set\)/);

    const sets = await json<NodeSet[]>(await fetch(`${runtime.url}/nodes`, { headers: { Accept: 'application/json' } }));
    const types = new Set(sets.flatMap((s) => s.types ?? []));
    for (const type of ['oilrisk-site', 'modbus-read', 'OpcUa-Client']) assert.ok(types.has(type), `palette lacks ${type}`);
    assert.ok(sets.some((s) => s.module === 'node-red-contrib-oilrisk'), 'the package is loaded as a module');

    const flow = [
      { id: 't1', type: 'tab', label: 'deployed by test' },
      { id: 's1', type: 'oilrisk-site', name: 'inline', path: '', inline: 'site: {id: t}\nequipment:\n  - {id: P-1, type: pump, area: a}\n' },
      { id: 'h1', type: 'http in', z: 't1', url: '/probe', method: 'get', wires: [['r1']] },
      { id: 'r1', type: 'http response', z: 't1', statusCode: '200', wires: [] },
    ];
    const deploy = await fetch(`${runtime.url}/flows`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Node-RED-Deployment-Type': 'full', 'Node-RED-API-Version': 'v2' },
      body: JSON.stringify({ flows: flow }),
    });
    assert.equal(deploy.status, 200, await deploy.text());
    // The deploy answers once the flows are saved; they start right after.
    await runtime.waitForOutput(/Started flows/g, 2);
    const probe = await fetch(`${runtime.url}/probe`);
    assert.equal(probe.status, 200);
    const deployed = await json<{ flows: Array<{ id: string }> }>(await fetch(`${runtime.url}/flows`, { headers: { 'Node-RED-API-Version': 'v2' } }));
    assert.deepEqual(deployed.flows.map((n) => n.id).sort(), ['h1', 'r1', 's1', 't1']);

    const check = await json<{ ok: boolean; equipment: number }>(await fetch(`${runtime.url}/oilrisk/site/check`, {
      method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ inline: flow[1].inline }),
    }));
    assert.deepEqual([check.ok, check.equipment], [true, 1]);

    const pid = runtime.child.pid!;
    const code = await runtime.stop();
    runtime = undefined;
    assert.equal(code, 0);
    assert.ok(!alive(pid), 'the runtime process is gone');
  });

  it('requires a login for the editor and admin API when a password is set', async () => {
    runtime = await startRuntime({ env: { OILRISK_ADMIN_PASSWORD: 'correct horse' } });
    assert.doesNotMatch(runtime.output(), /no login/);
    assert.equal((await fetch(`${runtime.url}/flows`)).status, 401);
    const token = await fetch(`${runtime.url}/auth/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ client_id: 'node-red-admin', grant_type: 'password', scope: '*', username: 'admin', password: 'correct horse' }),
    });
    assert.equal(token.status, 200);
    const { access_token } = await json<{ access_token: string }>(token);
    assert.equal((await fetch(`${runtime.url}/flows`, { headers: { Authorization: `Bearer ${access_token}` } })).status, 200);
    const wrong = await fetch(`${runtime.url}/auth/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ client_id: 'node-red-admin', grant_type: 'password', scope: '*', username: 'admin', password: 'wrong' }),
    });
    assert.equal(wrong.status, 403);
  });

  it('refuses to listen beyond loopback without a login, saying what to set', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'oilrisk-refuse-'));
    const result = spawnSync(process.execPath, [join(PACKAGE_ROOT, 'dist', 'bin', 'oilrisk.js')], {
      env: { ...process.env, HOST: '0.0.0.0', PORT: '0', OILRISK_DATA: dataDir, OILRISK_ADMIN_PASSWORD: '' },
      encoding: 'utf8',
      timeout: 30_000,
    });
    rmSync(dataDir, { recursive: true, force: true });
    assert.equal(result.status, 1);
    assert.match(result.stderr, /refusing to listen on 0\.0\.0\.0 without a login: set OILRISK_ADMIN_PASSWORD/);
  });

  it('says which port is busy instead of crashing when PORT is taken', async () => {
    const holder = createServer();
    await new Promise<void>((ok) => holder.listen(0, '127.0.0.1', () => ok()));
    const port = (holder.address() as AddressInfo).port;
    const dataDir = mkdtempSync(join(tmpdir(), 'oilrisk-busy-'));
    try {
      const result = spawnSync(process.execPath, [join(PACKAGE_ROOT, 'dist', 'bin', 'oilrisk.js')], {
        env: { ...process.env, PORT: String(port), OILRISK_DATA: dataDir, OILRISK_SIM: 'off' },
        encoding: 'utf8',
        timeout: 30_000,
      });
      assert.equal(result.status, 1);
      assert.match(result.stderr, new RegExp(`cannot listen: port ${port} is in use on 127\\.0\\.0\\.1: stop what uses it, or set PORT`));
      assert.doesNotMatch(result.stderr, /\n\s+at /, 'no stack trace');
    } finally {
      await new Promise<void>((ok) => holder.close(() => ok()));
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
