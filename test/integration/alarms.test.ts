// The alarm node in the runtime as `npm start` runs it: state survives a crash (SIGKILL) and a
// restart, and the operator API honours the roles (operator acknowledges, viewer only reads).

import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startRuntime, type RuntimeHandle } from '../support/runtime.js';
import { eventually } from '../support/poll.js';

const INJECT_URL = '/test/alarms/risk';

/** A tab that feeds POSTed risk changes to the shipped Alarms tab through its link in. */
const injector = {
  id: 'test.alarms.tab', label: 'alarm test input',
  nodes: [
    { id: 'test.alarms.http', type: 'http in', z: 'test.alarms.tab', url: INJECT_URL, method: 'post', wires: [['test.alarms.link', 'test.alarms.ok']] },
    { id: 'test.alarms.link', type: 'link out', z: 'test.alarms.tab', mode: 'link', links: ['oilrisk.link.in.alarms'], wires: [] },
    { id: 'test.alarms.ok', type: 'http response', z: 'test.alarms.tab', statusCode: '202', wires: [] },
  ],
};

const change = (equipment: string, level: string, rootCause = equipment) => ({ equipment, level, rootCause: { equipment: rootCause }, factors: [], paths: [] });

interface AlarmView { id: string; state: string; level: string; acknowledgedBy?: string; shelvedUntil?: number; comments: Array<{ text: string }>; incident?: string; consequential: boolean }

async function call(rt: RuntimeHandle, path: string, init: RequestInit & { token?: string } = {}): Promise<Response> {
  const headers: Record<string, string> = { 'Content-Type': 'application/json', ...(init.headers as Record<string, string> | undefined) };
  if (init.token) headers.Authorization = `Bearer ${init.token}`;
  return fetch(`${rt.url}${path}`, { ...init, headers });
}

async function post(rt: RuntimeHandle, path: string, body: unknown, token?: string): Promise<Response> {
  return call(rt, path, { method: 'POST', body: JSON.stringify(body), token });
}

async function alarms(rt: RuntimeHandle, token?: string): Promise<Map<string, AlarmView>> {
  const res = await call(rt, '/oilrisk/api/alarms', { token });
  assert.equal(res.status, 200, await res.clone().text());
  return new Map(((await res.json()) as AlarmView[]).map((a) => [a.id, a]));
}

/** A token for the user; the scope asked for must be within the user's permissions ("*" is the admin's only). */
/** Posts risk changes to the injector; its route exists once the added flow has started. */
async function inject(rt: RuntimeHandle, changes: unknown[]): Promise<void> {
  const res = await eventually(() => post(rt, INJECT_URL, changes), (r) => r.status !== 404, 'the injector route');
  assert.equal(res.status, 202, await res.text());
}

async function token(rt: RuntimeHandle, username: string, password: string, scope: string): Promise<string> {
  const res = await fetch(`${rt.url}/auth/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ client_id: 'node-red-admin', grant_type: 'password', scope, username, password }),
  });
  assert.equal(res.status, 200, `login of ${username}`);
  return ((await res.json()) as { access_token: string }).access_token;
}

async function addInjector(rt: RuntimeHandle, adminToken?: string): Promise<void> {
  const res = await call(rt, '/flow', { method: 'POST', body: JSON.stringify(injector), token: adminToken, headers: { 'Node-RED-Deployment-Type': 'flows' } });
  assert.equal(res.status, 200, await res.text());
}

describe('alarms in the runtime', function () {
  this.timeout(120_000);
  let runtime: RuntimeHandle | undefined;
  let dataDir: string | undefined;

  afterEach(async () => {
    if (runtime) await runtime.stop();
    runtime = undefined;
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    dataDir = undefined;
  });

  it('loses nothing when the runtime is killed mid-run: alarms, acknowledgements, shelving, comments, incidents', async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'oilrisk-alarms-it-'));
    runtime = await startRuntime({ dataDir });
    await addInjector(runtime);

    await inject(runtime, [change('SEP-1', 'III', 'COMP-1'), change('COMP-1', 'II')]);
    await eventually(() => alarms(runtime!), (a) => a.has('COMP-1') && a.has('SEP-1'), 'the first alarms');
    assert.equal((await post(runtime, '/oilrisk/api/alarms/COMP-1/ack', { user: 'alice', reason: 'compressor crew called' })).status, 200);
    assert.equal((await post(runtime, '/oilrisk/api/alarms/COMP-1/comment', { user: 'alice', text: 'restart after inspection' })).status, 200);
    assert.equal((await post(runtime, '/oilrisk/api/alarms/SEP-1/shelve', { user: 'alice', duration: '15m', reason: 'consequence of the trip' })).status, 200);
    await inject(runtime, [change('TK-1', 'III')]);
    const before = await eventually(() => alarms(runtime!), (a) => a.has('TK-1'), 'the last alarm');
    const incidentsBefore = await (await call(runtime, '/oilrisk/api/incidents')).json() as Array<{ id: string; alarms: string[] }>;

    await runtime.kill();
    runtime = await startRuntime({ dataDir });
    const after = await alarms(runtime);

    assert.deepEqual([...after.keys()].sort(), [...before.keys()].sort());
    const comp = after.get('COMP-1')!;
    assert.deepEqual([comp.state, comp.level, comp.acknowledgedBy, comp.comments.map((c) => c.text)], ['acknowledged', 'II', 'alice', ['restart after inspection']]);
    const sep = after.get('SEP-1')!;
    assert.deepEqual([sep.state, sep.consequential, sep.shelvedUntil], ['shelved', true, before.get('SEP-1')!.shelvedUntil]);
    assert.equal(after.get('TK-1')!.state, 'unacknowledged');
    const incidentsAfter = await (await call(runtime, '/oilrisk/api/incidents')).json() as Array<{ id: string; alarms: string[] }>;
    assert.deepEqual(incidentsAfter.map((i) => [i.id, i.alarms]).sort(), incidentsBefore.map((i) => [i.id, i.alarms]).sort());
    const kpi = (await (await call(runtime, '/oilrisk/api/kpi?window=60')).json()) as Array<{ badActors: Array<{ alarm: string }> }>;
    assert.deepEqual(kpi[0].badActors.map((b) => b.alarm).sort(), ['COMP-1', 'SEP-1', 'TK-1'], 'the journal survived too');
    assert.ok(existsSync(join(dataDir, 'alarms', 'oilrisk.alarms.node.json')));
  });

  it('lets the operator acknowledge and shelve, the viewer only read, and nobody in without a login', async () => {
    runtime = await startRuntime({ env: { OILRISK_ADMIN_PASSWORD: 'admin-secret-1', OILRISK_OPERATOR_PASSWORD: 'operator-secret-1', OILRISK_VIEWER_PASSWORD: 'viewer-secret-1' } });
    const admin = await token(runtime, 'admin', 'admin-secret-1', '*');
    const operator = await token(runtime, 'operator', 'operator-secret-1', 'read oilrisk.operate');
    const viewer = await token(runtime, 'viewer', 'viewer-secret-1', 'read');
    await addInjector(runtime, admin);
    await inject(runtime, [change('TK-1', 'III'), change('TK-2', 'IV')]);
    await eventually(() => alarms(runtime!, viewer), (a) => a.has('TK-1') && a.has('TK-2'), 'the alarms');

    assert.equal((await call(runtime, '/oilrisk/api/alarms')).status, 401);
    // Node-RED answers a valid login without the permission with 401, as it does without a login.
    const refused = await post(runtime, '/oilrisk/api/alarms/TK-1/ack', {}, viewer);
    assert.equal(refused.status, 401);
    assert.equal((await post(runtime, '/oilrisk/api/alarms/TK-2/shelve', { duration: 600, reason: 'x' }, viewer)).status, 401);
    assert.equal((await alarms(runtime, viewer)).get('TK-1')!.state, 'unacknowledged');

    const ack = await post(runtime, '/oilrisk/api/alarms/TK-1/ack', { reason: 'truck ordered' }, operator);
    assert.equal(ack.status, 200);
    assert.equal(((await ack.json()) as { alarm: AlarmView }).alarm.acknowledgedBy, 'operator');
    assert.equal((await post(runtime, '/oilrisk/api/alarms/TK-1/ack', {}, operator)).status, 200, 'twice is harmless');
    assert.equal((await post(runtime, '/oilrisk/api/alarms/TK-2/shelve', { duration: 600, reason: 'radar serviced' }, operator)).status, 200);
    assert.equal((await call(runtime, '/oilrisk/api/kpi', { token: viewer })).status, 200);
    assert.equal((await call(runtime, '/oilrisk/api/incidents', { token: viewer })).status, 200);
  });
});
