import assert from 'node:assert';
import { inspect } from 'node:util';
import { GrafanaClient, GrafanaError, questDbDataSource, type GrafanaErrorCode } from '../../../lib/grafana/index.js';
import { FakeGrafana } from '../../support/grafana-server.js';
import { freePort } from '../../support/runtime.js';

const ADMIN = 'glsa_test_admin_token';
const EDITOR = 'glsa_test_editor_token';

async function rejectsWith(promise: Promise<unknown>, code: GrafanaErrorCode): Promise<GrafanaError> {
  try {
    await promise;
  } catch (err) {
    assert.ok(err instanceof GrafanaError, `expected a GrafanaError, got ${String(err)}`);
    assert.strictEqual(err.code, code, err.message);
    return err;
  }
  assert.fail(`expected a ${code} error`);
}

describe('lib/grafana client', () => {
  let grafana: FakeGrafana;
  const sleeps: number[] = [];
  const client = (token = ADMIN, extra: Partial<ConstructorParameters<typeof GrafanaClient>[0]> = {}) =>
    new GrafanaClient({ url: grafana.url, token, retryDelayMs: 10, sleep: async (ms) => { sleeps.push(ms); }, ...extra });

  beforeEach(async () => {
    sleeps.length = 0;
    grafana = new FakeGrafana();
    await grafana.start();
  });
  afterEach(() => grafana.stop());

  it('reads the health and sends the bearer token and the organisation', async () => {
    const health = await client(ADMIN, { orgId: 3 }).health();
    assert.deepStrictEqual(health, { commit: 'abc1234', database: 'ok', version: '12.1.0' });
    assert.strictEqual(grafana.requests[0].authorization, `Bearer ${ADMIN}`);
    assert.strictEqual(grafana.requests[0].orgId, '3');
  });

  it('creates the data source by uid, then updates it in place', async () => {
    const c = client();
    const definition = questDbDataSource({ server: 'questdb', password: 'quest' });
    assert.strictEqual(await c.upsertDataSource(definition), 'created');
    assert.strictEqual(await c.upsertDataSource({ ...definition, jsonData: { ...definition.jsonData, port: 8813 } }), 'updated');
    assert.strictEqual(grafana.datasources.size, 1);
    const stored = grafana.datasources.get('oilrisk-questdb')!;
    assert.strictEqual(stored.type, 'questdb-questdb-datasource');
    assert.strictEqual((stored.jsonData as { port: number }).port, 8813);
    assert.deepStrictEqual(grafana.requests.map((r) => `${r.method} ${r.path}`), [
      'GET /api/datasources/uid/oilrisk-questdb', 'POST /api/datasources',
      'GET /api/datasources/uid/oilrisk-questdb', 'PUT /api/datasources/uid/oilrisk-questdb',
    ]);
  });

  it('explains a data source name taken by another uid (409)', async () => {
    const c = client();
    await c.upsertDataSource(questDbDataSource({ server: 'questdb' }));
    const err = await rejectsWith(c.upsertDataSource(questDbDataSource({ server: 'questdb', uid: 'other' })), 'conflict');
    assert.strictEqual(err.status, 409);
    assert.match(err.message, /POST \/api\/datasources failed with 409.*rename or delete it/);
  });

  it('says the token is wrong on 401, without showing it', async () => {
    const secret = 'glsa_wrong_secret_value_123';
    const err = await rejectsWith(client(secret).ensureFolder({ uid: 'oilrisk', title: 'oilrisk' }), 'unauthorized');
    assert.strictEqual(err.status, 401);
    assert.match(err.message, /service-account token/);
    assert.ok(!err.message.includes(secret));
    assert.ok(!inspect(err).includes(secret));
  });

  it('says which permission is missing on 403 (editor provisioning a data source)', async () => {
    const err = await rejectsWith(client(EDITOR).upsertDataSource(questDbDataSource({ server: 'q' })), 'forbidden');
    assert.strictEqual(err.status, 403);
    assert.match(err.message, /Admin to provision data sources/);
  });

  it('ensures a folder once, and treats a folder created meanwhile (412) as there', async () => {
    const c = client();
    assert.strictEqual(await c.ensureFolder({ uid: 'oilrisk', title: 'oilrisk' }), 'created');
    assert.strictEqual(await c.ensureFolder({ uid: 'oilrisk', title: 'oilrisk' }), 'unchanged');
    grafana.fail({ match: (m, p) => m === 'GET' && p === '/api/folders/oilrisk', times: 1, status: 404 });
    assert.strictEqual(await c.ensureFolder({ uid: 'oilrisk', title: 'oilrisk' }), 'unchanged');
    assert.strictEqual(grafana.folders.size, 1);
  });

  it('upserts a dashboard into a folder with a message, and reads it back', async () => {
    const c = client(EDITOR);
    await c.ensureFolder({ uid: 'oilrisk', title: 'oilrisk' });
    const first = await c.upsertDashboard({ uid: 'oilrisk-overview', title: 'Overview', panels: [] }, { folderUid: 'oilrisk', message: 'v1' });
    assert.deepStrictEqual([first.status, first.version, first.url], ['success', 1, '/d/oilrisk-overview/overview']);
    const second = await c.upsertDashboard({ uid: 'oilrisk-overview', title: 'Overview', id: 99, panels: [{ id: 1 }] }, { folderUid: 'oilrisk' });
    assert.strictEqual(second.version, 2);
    const sent = grafana.requests.filter((r) => r.path === '/api/dashboards/db').map((r) => r.body as { dashboard: { id: unknown }; overwrite: boolean; message: string; folderUid: string });
    assert.deepStrictEqual(sent.map((b) => [b.dashboard.id, b.overwrite, b.folderUid, b.message]), [[null, true, 'oilrisk', 'v1'], [null, true, 'oilrisk', '']]);
    const stored = await c.getDashboard('oilrisk-overview');
    assert.deepStrictEqual(stored?.dashboard.panels, [{ id: 1 }]);
    assert.strictEqual(stored?.meta.folderUid, 'oilrisk');
    assert.strictEqual(await c.getDashboard('missing'), undefined);
  });

  it('reports a version mismatch and a name clash (412) with what to do', async () => {
    const c = client();
    await c.upsertDashboard({ uid: 'a', title: 'Same' });
    const mismatch = await rejectsWith(c.upsertDashboard({ uid: 'a', title: 'Same', version: 7 }, { overwrite: false }), 'version-mismatch');
    assert.match(mismatch.message, /changed in Grafana since it was provisioned/);
    const clash = await rejectsWith(c.upsertDashboard({ uid: 'b', title: 'Same' }, { overwrite: false }), 'name-exists');
    assert.strictEqual(clash.status, 412);
  });

  it('rejects a bad body (400) and an unknown folder without retrying', async () => {
    const c = client();
    await rejectsWith(c.upsertDashboard({ uid: 'x'.repeat(41), title: 'Too long' }), 'bad-request');
    await rejectsWith(c.upsertDashboard({ uid: 'ok', title: 'T' }, { folderUid: 'nowhere' }), 'bad-request');
    await rejectsWith(c.createAnnotation({ time: Number.NaN, tags: [], text: 'x' }), 'bad-request');
    assert.strictEqual(grafana.requests.length, 3);
    assert.deepStrictEqual(sleeps, []);
  });

  it('creates an annotation and closes its region by updating timeEnd', async () => {
    const c = client(EDITOR);
    const id = await c.createAnnotation({ time: 1000, timeEnd: 1000, tags: ['level:I'], text: 'alarm' });
    await c.updateAnnotation(id, { timeEnd: 5000 });
    assert.deepStrictEqual(grafana.annotations.get(id), { id, dashboardUID: undefined, panelId: undefined, time: 1000, timeEnd: 5000, tags: ['level:I'], text: 'alarm' });
    const missing = await rejectsWith(c.updateAnnotation(424242, { timeEnd: 1 }), 'not-found');
    assert.strictEqual(missing.status, 404);
  });

  it('retries a 5xx with a doubling delay and then succeeds', async () => {
    grafana.fail({ times: 2, status: 503 });
    assert.strictEqual((await client().health()).database, 'ok');
    assert.deepStrictEqual(sleeps, [10, 20]);
    assert.strictEqual(grafana.requests.length, 3);
  });

  it('gives up after the configured retries with a server error', async () => {
    grafana.fail({ times: 10, status: 500 });
    const err = await rejectsWith(client(ADMIN, { retries: 1 }).health(), 'server-error');
    assert.ok(err.transient);
    assert.strictEqual(grafana.requests.length, 2);
    assert.match(err.message, /Grafana server log/);
  });

  it('does not retry 4xx answers', async () => {
    await rejectsWith(client('glsa_nope').upsertDashboard({ uid: 'a', title: 'A' }), 'unauthorized');
    assert.strictEqual(grafana.requests.length, 1);
    assert.deepStrictEqual(sleeps, []);
  });

  it('times out a call that gets no answer', async () => {
    grafana.fail({ times: 1, status: 'hang' });
    const err = await rejectsWith(client(ADMIN, { timeoutMs: 50 }).health(), 'timeout');
    assert.ok(err.transient);
    assert.match(err.message, /within 50 ms/);
  });

  it('says Grafana is unreachable when nothing listens, without retrying', async () => {
    const port = await freePort();
    const err = await rejectsWith(new GrafanaClient({ url: `http://127.0.0.1:${port}`, token: ADMIN, sleep: async (ms) => { sleeps.push(ms); } }).health(), 'unreachable');
    assert.match(err.message, /ECONNREFUSED/);
    assert.deepStrictEqual(sleeps, []);
  });

  it('keeps the token out of errors even when Grafana echoes it', async () => {
    const echo: typeof fetch = async (_url, init) => {
      const auth = (init?.headers as Record<string, string>).Authorization;
      return new Response(JSON.stringify({ message: `bad header ${auth}` }), { status: 400 });
    };
    const token = 'glsa_abcdefEchoed_1';
    const err = await rejectsWith(new GrafanaClient({ url: 'http://grafana.invalid', token, fetch: echo }).health(), 'bad-request');
    assert.ok(!err.message.includes(token), err.message);
    assert.match(err.message, /Bearer glsa_\*\*\*/);
  });

  it('rejects an answer that is not JSON (a proxy login page)', async () => {
    const html: typeof fetch = async () => new Response('<html>login</html>', { status: 200 });
    await rejectsWith(new GrafanaClient({ url: 'http://grafana.invalid', token: ADMIN, fetch: html }).health(), 'invalid-response');
  });

  it('refuses a bad URL or a missing token at construction, and never prints the token', () => {
    assert.throws(() => new GrafanaClient({ url: 'grafana:3000', token: ADMIN }), /must start with http/);
    assert.throws(() => new GrafanaClient({ url: 'not a url', token: ADMIN }), /is not a URL/);
    assert.throws(() => new GrafanaClient({ url: 'http://g', token: '' }), /no service-account token/);
    const c = new GrafanaClient({ url: 'http://g:3000/grafana/', token: ADMIN });
    assert.strictEqual(c.url, 'http://g:3000/grafana');
    assert.ok(!inspect(c).includes(ADMIN));
    assert.ok(!JSON.stringify(c).includes(ADMIN));
  });
});
