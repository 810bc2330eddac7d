import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import helper from 'node-red-node-test-helper';
import sinon from 'sinon';
import historianNode, { historianStatus, type HistorianNode } from '../../nodes/oilrisk-historian.js';
import questdbNode from '../../nodes/oilrisk-questdb.js';
import siteNode from '../../nodes/oilrisk-site.js';
import { QuestDbTestServer, startQuestDb } from '../support/questdb-server.js';

helper.init(require.resolve('node-red'));

const T0 = Date.UTC(2026, 11, 4, 12, 0, 0);
const SITE = `
site: { id: t }
equipment:
  - { id: SEP-1, type: separator-3phase, area: cpf }
tags:
  - { id: SEP-1.PT-101, equipment: SEP-1, profile: pressure, unit: bar, factors: [{ id: high, limits: { H: 10 }, consequence: { category: asset, severity: 3 } }] }
`;

function flow(address: string, extra: Record<string, unknown> = {}) {
  return [
    { id: 'site', type: 'oilrisk-site', path: '', inline: SITE },
    { id: 'qdb', type: 'oilrisk-questdb', address, protocol: 'http', tlsVerify: true, ca: '', tablePrefix: 'oilrisk_', ttlDays: 30, timeout: 2 },
    { id: 'hist', type: 'oilrisk-historian', server: 'qdb', site: 'site', fsync: true, spoolMb: 16, whenFull: 'drop-oldest', flushMs: 1, metricsInterval: 5, wires: [['metrics']], ...extra },
    { id: 'metrics', type: 'helper' },
  ];
}

const reading = (i: number) => ({ tag: 'SEP-1.PT-101', value: i, quality: 'good', ts: T0 + i });

describe('oilrisk-historian node', function () {
  let dataDir: string;
  let server: QuestDbTestServer;
  let clock: sinon.SinonFakeTimers | undefined;

  beforeEach(async function () {
    dataDir = mkdtempSync(join(tmpdir(), 'oilrisk-historian-node-'));
    server = await startQuestDb();
    helper.settings({ oilrisk: { dataDir } } as never);
    await new Promise<void>((ok) => helper.startServer(() => ok()));
  });

  afterEach(async function () {
    await helper.unload();
    clock?.restore();
    clock = undefined;
    await new Promise<void>((ok) => helper.stopServer(() => ok()));
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function load(address: string, extra: Record<string, unknown> = {}, credentials: Record<string, unknown> = {}) {
    await helper.load([siteNode, questdbNode, historianNode], flow(address, extra), credentials);
    return helper.getNode('hist') as HistorianNode;
  }

  it('stores the site tags and readings with their equipment from the site, in the data folder spool first', async function () {
    const node = await load(server.address);
    const historian = await node.ready;
    node.receive({ topic: 'readings', payload: [reading(1), reading(2)] } as never);
    node.receive({ topic: 'readings', payload: reading(3) } as never);
    // Three readings and the site's one tag.
    while (historian.metrics().rowsIn < 4) await new Promise((ok) => setImmediate(ok));
    await historian.whenDrained();
    assert.deepEqual(server.rows('oilrisk_tags').map((r) => [r.tag, r.equipment, r.unit, r.limit_h]), [['SEP-1.PT-101', 'SEP-1', 'bar', 10]]);
    const rows = server.rows('oilrisk_readings');
    assert.deepEqual(rows.map((r) => [r.value, r.equipment, r.tag]), [[1, 'SEP-1', 'SEP-1.PT-101'], [2, 'SEP-1', 'SEP-1.PT-101'], [3, 'SEP-1', 'SEP-1.PT-101']]);
    assert.equal(server.tables.get('oilrisk_readings')!.ttl, '30 DAYS');
    assert.deepEqual(readdirSync(join(dataDir, 'historian')), ['hist']);
    assert.equal(historianStatus(historian.metrics()).key, 'oilrisk-historian.status.connected');
    const statuses = (node.status as sinon.SinonSpy).getCalls().filter((c) => c.thisValue === node).map((c) => c.args[0] as { text: string; fill: string });
    assert.equal(statuses[0].text, 'oilrisk-historian.status.starting');
    assert.deepEqual(statuses.at(-1), { fill: 'green', shape: 'dot', text: 'oilrisk-historian.status.connected' });
  });

  it('shows QuestDB unreachable in red, with the rows kept in the spool', async function () {
    await server.down();
    const node = await load(server.address);
    const historian = await node.ready;
    node.receive({ topic: 'readings', payload: [reading(1)] } as never);
    while (historian.metrics().failedRequests < 1 || historian.metrics().rowsIn < 2) await new Promise((ok) => setImmediate(ok));
    const statuses = (node.status as sinon.SinonSpy).getCalls().filter((c) => c.thisValue === node).map((c) => c.args[0] as { text: string; fill: string });
    assert.deepEqual(statuses.at(-1), { fill: 'red', shape: 'ring', text: 'oilrisk-historian.status.disconnected' });
    assert.equal(historian.metrics().rowsSpooled, 2);
  });

  it('reports a bad record through done(err) naming topic, table and column, and stores the rest', function (done) {
    load(server.address).then(async (node) => {
      const historian = await node.ready;
      (node as any).on('call:error', (call: sinon.SinonSpyCall) => {
        historian.whenDrained().then(() => {
          try {
            assert.match(String(call.args[0]), /2 record\(s\) not stored/);
            assert.match(String(call.args[0]), /table "oilrisk_readings" column "value"/);
            assert.match(String(call.args[0]), /readings payload\[2\] lacks "tag"/);
            assert.deepEqual(server.rows('oilrisk_readings').map((r) => r.value), [1]);
            done();
          } catch (err) {
            done(err);
          }
        }, done);
      });
      node.receive({ topic: 'readings', payload: [reading(1), { ...reading(2), value: Number.POSITIVE_INFINITY }, { value: 1, quality: 'good', ts: T0 }] } as never);
    }).catch(done);
  });

  it('refuses an unknown topic with the list of topics it stores', function (done) {
    load(server.address).then((node) => {
      (node as any).on('call:error', (call: sinon.SinonSpyCall) => {
        try {
          assert.match(String(call.args[0]), /msg.topic "weather" is not one the historian stores/);
          done();
        } catch (err) {
          done(err);
        }
      });
      node.receive({ topic: 'weather', payload: [] } as never);
    }).catch(done);
  });

  it('spools only when the address is empty, and says so', async function () {
    const node = await load('');
    const historian = await node.ready;
    node.receive({ topic: 'alarm', payload: { alarm: 'A', equipment: 'SEP-1', state: 'unacknowledged', previous: 'normal', level: 'II', ts: T0 } } as never);
    while (historian.metrics().rowsIn < 2) await new Promise((ok) => setImmediate(ok));
    const metrics = historian.metrics();
    assert.equal(historianStatus(metrics).key, 'oilrisk-historian.status.spool-only');
    assert.equal(metrics.rowsSpooled, 2, 'the alarm and the site tag');
    assert.equal(server.writes.length, 0);
    assert.ok((node.warn as sinon.SinonSpy).getCalls().some((c) => /spool/.test(String(c.args[0]))));
  });

  it('treats an unset ${QUESTDB_ADDR} as no address', async function () {
    assert.equal(process.env.OILRISK_TEST_UNSET_ADDR, undefined);
    const node = await load('${OILRISK_TEST_UNSET_ADDR}');
    const historian = await node.ready;
    assert.equal(historian.metrics().configured, false);
    assert.equal(historianStatus(historian.metrics()).key, 'oilrisk-historian.status.spool-only');
  });

  it('sends the password as a credential, never from the flow', async function () {
    server.auth = { username: 'admin', password: 's3cret' };
    const node = await load(server.address, {}, { qdb: { username: 'admin', password: 's3cret' } });
    const historian = await node.ready;
    node.receive({ topic: 'readings', payload: [reading(1)] } as never);
    while (historian.metrics().rowsIn < 2) await new Promise((ok) => setImmediate(ok));
    await historian.whenDrained();
    assert.equal(server.rows('oilrisk_readings').length, 1);
  });

  it('emits write metrics on output 1 every interval', function (done) {
    clock = sinon.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    load(server.address).then(async (node) => {
      await node.ready;
      const metrics = helper.getNode('metrics');
      metrics.on('input', (msg: any) => {
        try {
          assert.equal(msg.topic, 'historian-metrics');
          assert.equal(msg.payload.configured, true);
          assert.equal(typeof msg.payload.rowsSpooled, 'number');
          assert.equal(typeof msg.payload.rowsDeadLettered, 'number');
          done();
        } catch (err) {
          done(err);
        }
      });
      clock!.tick(5000);
    }).catch(done);
  });

  it('answers GET /oilrisk/api/historian with each historian\'s metrics', async function () {
    const node = await load('');
    const historian = await node.ready;
    node.receive({ topic: 'readings', payload: [reading(1)] } as never);
    while (historian.metrics().rowsIn < 2) await new Promise((ok) => setImmediate(ok));
    const res = await helper.request().get('/oilrisk/api/historian').expect(200);
    assert.equal(res.body.length, 1);
    assert.equal(res.body[0].id, 'hist');
    assert.equal(res.body[0].configured, false);
    assert.equal(res.body[0].rowsSpooled, 2);
    assert.match(res.body[0].deadLetterFile, /historian[/\\]hist[/\\]dead-letter\.ndjson$/);
  });

  it('maps the metrics to the status keys an operator sees', function () {
    const base = { configured: true, connected: true, schemaReady: true, rowsIn: 0, rowsRejected: 0, rowsWritten: 0, rowsSpooled: 0, spoolBytes: 0, rowsDeadLettered: 0, rowsDropped: 0, requests: 0, failedRequests: 0 };
    assert.equal(historianStatus(base).key, 'oilrisk-historian.status.connected');
    assert.equal(historianStatus({ ...base, connected: false }).key, 'oilrisk-historian.status.connecting');
    assert.equal(historianStatus({ ...base, connected: false, requests: 3 }).key, 'oilrisk-historian.status.disconnected');
    assert.equal(historianStatus({ ...base, rowsDeadLettered: 1 }).key, 'oilrisk-historian.status.connected-with-losses');
    assert.equal(historianStatus({ ...base, configured: false }).key, 'oilrisk-historian.status.spool-only');
  });
});
