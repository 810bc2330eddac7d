import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sinon from 'sinon';
import { Historian, TABLES, type HistorianOptions } from '../../../lib/questdb/index.js';
import type { Reading } from '../../../lib/model/index.js';
import { QuestDbTestServer, startQuestDb } from '../../support/questdb-server.js';

const T0 = Date.UTC(2026, 11, 4, 12, 0, 0);

function readings(from: number, count: number): Reading[] {
  return Array.from({ length: count }, (_, i) => ({ tag: `SEP-1.PT-${(from + i) % 7}`, value: from + i, quality: 'good' as const, ts: T0 + from + i }));
}

/** The values written to the readings table, in commit order. */
function written(server: QuestDbTestServer): number[] {
  return server.rows('oilrisk_readings').map((r) => r.value as number);
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

describe('lib/questdb Historian against the contract server', () => {
  let dir: string;
  let server: QuestDbTestServer;
  let historian: Historian | undefined;
  let clock: sinon.SinonFakeTimers | undefined;

  const open = (options: Partial<HistorianOptions> = {}) => Historian.open({
    dir,
    connection: { address: server.address, tls: false, tlsVerify: true, timeoutMs: 2000 },
    forwarder: { flushIntervalMs: 0, backoffMinMs: 10, backoffMaxMs: 40 },
    ...options,
  });

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'oilrisk-historian-'));
    server = await startQuestDb();
  });

  afterEach(async () => {
    await historian?.close();
    historian = undefined;
    clock?.restore();
    clock = undefined;
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('creates every table with DEDUP before writing, and writes the rows in order', async () => {
    historian = await open();
    for (let b = 0; b < 5; b++) await historian.store('readings', readings(b * 10, 10));
    await historian.whenDrained();
    assert.deepEqual(written(server), range(50));
    const table = server.tables.get('oilrisk_readings')!;
    assert.equal(table.timestamp, 'ts');
    assert.deepEqual(table.dedupKeys, ['ts', 'tag']);
    assert.equal(table.ttl, '90 DAYS');
    assert.ok(server.tables.has('oilrisk_alarm_events'));
    assert.equal(server.rows('oilrisk_readings')[0].ts, (T0 + 0) * 1000, 'ts is stored in microseconds from ms input');
    assert.equal(historian.metrics().rowsWritten, 50);
    assert.equal(historian.metrics().rowsSpooled, 0);
  });

  it('starts while QuestDB is down, spools, and writes everything once it is up', async () => {
    await server.down();
    historian = await open();
    for (let b = 0; b < 4; b++) await historian.store('readings', readings(b * 5, 5));
    assert.equal(historian.metrics().rowsSpooled, 20);
    assert.equal(historian.metrics().connected, false);
    await server.up();
    await historian.whenDrained();
    assert.deepEqual(written(server), range(20));
    assert.equal(historian.metrics().connected, true);
  });

  it('keeps order and loses nothing when QuestDB goes down mid-run for many batches', async () => {
    historian = await open();
    await historian.store('readings', readings(0, 10));
    await historian.whenDrained();
    await server.down();
    for (let b = 1; b < 60; b++) await historian.store('readings', readings(b * 10, 10));
    assert.ok(historian.metrics().rowsSpooled > 0);
    await server.up();
    await historian.whenDrained();
    assert.deepEqual(written(server), range(600));
  });

  it('retries through 500s and recovers without duplicates', async () => {
    server.faults.failNextWrites = 3;
    historian = await open();
    for (let b = 0; b < 3; b++) await historian.store('readings', readings(b * 4, 4));
    await historian.whenDrained();
    assert.deepEqual(written(server), range(12));
    assert.ok(server.writes.filter((w) => w.status === 500).length === 3);
    assert.ok(historian.metrics().failedRequests >= 3);
  });

  it('sets one refused line aside in the dead-letter file and writes the rest of the batch', async () => {
    server.faults.rejectLine = (line) => line.includes('value=13');
    historian = await open();
    await historian.store('readings', readings(10, 10));
    await historian.store('readings', readings(20, 5));
    await historian.whenDrained();
    assert.deepEqual(written(server), [...range(25).slice(10, 13), ...range(25).slice(14)]);
    const letters = readFileSync(historian.deadLetterPath, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { line: string; message: string; status: number });
    assert.equal(letters.length, 1);
    assert.match(letters[0].line, /value=13/);
    assert.match(letters[0].message, /error in line 4/);
    assert.equal(letters[0].status, 400);
    assert.equal(historian.metrics().rowsDeadLettered, 1);
    assert.equal(historian.metrics().rowsWritten, 14);
  });

  it('retries a slow server after its own timeout, and DEDUP keeps the late commit from duplicating rows', async () => {
    // Only the client's timeout is faked: the held write times out exactly when the clock says so.
    clock = sinon.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const held = server.holdNextWrite();
    historian = await open({
      connection: { address: server.address, tls: false, tlsVerify: true, timeoutMs: 50 },
      forwarder: { flushIntervalMs: 0, backoffMinMs: 0, backoffMaxMs: 0 },
    });
    await historian.store('readings', readings(0, 10));
    await held.arrived;
    clock.tick(50);
    // The retry goes through at once; the server still holds the first attempt.
    await historian.whenDrained();
    assert.equal(historian.metrics().failedRequests, 1);
    assert.match(historian.metrics().lastError ?? '', /within 50 ms/);
    assert.deepEqual(server.writes, [{ status: 204, lines: 10 }]);
    // Now the timed-out request commits on the server, late: the first batch is committed twice.
    await held.release();
    await historian.store('readings', readings(10, 10));
    await historian.whenDrained();
    assert.deepEqual(server.writes, [{ status: 204, lines: 10 }, { status: 204, lines: 10 }, { status: 204, lines: 10 }]);
    assert.equal(historian.metrics().failedRequests, 1);
    assert.equal(historian.metrics().rowsWritten, 20);
    // DEDUP made the late commit an upsert: every row once, in place.
    assert.deepEqual(written(server), range(20));
  });

  it('rejects NaN with an error naming the table and column, and stores the rest', async () => {
    historian = await open();
    const result = await historian.store('readings', [...readings(0, 2), { tag: 'X', value: Number.NaN, quality: 'good', ts: T0 }]);
    assert.equal(result.rows, 2);
    assert.equal(result.errors.length, 1);
    assert.match(result.errors[0], /table "oilrisk_readings" column "value"/);
    await historian.whenDrained();
    assert.deepEqual(written(server), [0, 1]);
  });

  it('spools only, with no address, and says so in its metrics', async () => {
    historian = await Historian.open({ dir });
    await historian.store('readings', readings(0, 3));
    const metrics = historian.metrics();
    assert.equal(metrics.configured, false);
    assert.equal(metrics.rowsSpooled, 3);
    assert.equal(server.writes.length, 0);
  });

  it('replays what a previous run left in the spool, first and in order', async () => {
    await server.down();
    historian = await open();
    await historian.store('readings', readings(0, 10));
    await historian.close();
    await server.up();
    historian = await open();
    await historian.store('readings', readings(10, 10));
    await historian.whenDrained();
    assert.deepEqual(written(server), range(20));
  });

  it('splits a request QuestDB finds too large (413) and writes all of it', async () => {
    server.faults.maxRequestBytes = 600;
    historian = await open();
    await historian.store('readings', readings(0, 40));
    await historian.whenDrained();
    assert.deepEqual(written(server), range(40));
    assert.ok(server.writes.some((w) => w.status === 413));
    assert.equal(historian.metrics().rowsDeadLettered, 0);
  });

  it('re-sends the other tables of a request after a refused line without duplicating them', async () => {
    server.faults.rejectLine = (line) => line.startsWith('oilrisk_readings') && line.includes('value=2 ');
    historian = await open({ forwarder: { flushIntervalMs: 20, backoffMinMs: 10, backoffMaxMs: 40 } });
    await Promise.all([
      historian.store('alarm', [{ alarm: 'A', equipment: 'SEP-1', state: 'unacknowledged', previous: 'normal', level: 'II', ts: T0 }]),
      historian.store('readings', readings(0, 4)),
    ]);
    await historian.whenDrained();
    assert.equal(server.rows('oilrisk_alarm_events').length, 1, 'the alarm (symbols only) is written once');
    assert.deepEqual(written(server), [0, 1, 3]);
    assert.equal(historian.metrics().rowsDeadLettered, 1);
  });

  it('authenticates with a bearer token', async () => {
    server.auth = { token: 'qdb-token' };
    historian = await open({ connection: { address: server.address, tls: false, tlsVerify: true, timeoutMs: 2000, token: 'qdb-token' } });
    await historian.store('readings', readings(0, 2));
    await historian.whenDrained();
    assert.deepEqual(written(server), [0, 1]);
  });

  it('keeps retrying while unauthorised, and writes once the credentials are accepted', async () => {
    server.auth = { username: 'admin', password: 'right' };
    historian = await open({ connection: { address: server.address, tls: false, tlsVerify: true, timeoutMs: 2000, username: 'admin', password: 'wrong' } });
    await historian.store('readings', readings(0, 2));
    while (historian.metrics().failedRequests < 2) await new Promise((ok) => setImmediate(ok));
    assert.equal(historian.metrics().lastError, 'oilrisk/questdb: QuestDB refused the credentials (HTTP 401): check the username/password or token in the oilrisk-questdb node');
    assert.equal(historian.metrics().connected, false, 'refused credentials are not a connection');
    assert.equal(historian.metrics().rowsSpooled, 2);
    server.auth = { username: 'admin', password: 'wrong' };
    await historian.whenDrained();
    assert.deepEqual(written(server), [0, 1]);
  });

  it('keeps retrying while QuestDB denies the permission to write, and says what to check', async () => {
    server.faults.forbidWrites = true;
    historian = await open();
    await historian.store('readings', readings(0, 2));
    while (historian.metrics().failedRequests < 2) await new Promise((ok) => setImmediate(ok));
    assert.equal(historian.metrics().lastError, 'oilrisk/questdb: QuestDB answered permission denied (HTTP 403): check that the user or token in the oilrisk-questdb node may create and write the oilrisk tables');
    assert.equal(historian.metrics().connected, false, 'a refused write is not a connection');
    assert.equal(historian.metrics().rowsSpooled, 2);
    server.faults.forbidWrites = false;
    await historian.whenDrained();
    assert.deepEqual(written(server), [0, 1]);
    assert.equal(historian.metrics().rowsDeadLettered, 0);
  });

  it('counts and reports rows dropped when the spool is full (drop-oldest)', async () => {
    await server.down();
    historian = await open({ spool: { maxBytes: 4000, segmentBytes: 1000 } });
    let dropped = 0;
    for (let b = 0; b < 20; b++) dropped += (await historian.store('readings', readings(b * 5, 5))).droppedRows;
    const metrics = historian.metrics();
    assert.ok(dropped > 0);
    assert.equal(metrics.rowsDropped, dropped);
    assert.equal(metrics.rowsSpooled + dropped, 100);
    assert.match(metrics.lastError ?? '', /unsent rows dropped/);
    await server.up();
    await historian.whenDrained();
    assert.deepEqual(written(server), range(100).slice(dropped), 'the newest rows, in order');
  });

  it('creates the tables again when QuestDB comes back empty, so replays keep their DEDUP keys', async () => {
    historian = await open();
    await historian.store('readings', readings(0, 2));
    await historian.whenDrained();
    await server.down();
    server.tables.clear();
    await historian.store('readings', readings(2, 2));
    while (historian.metrics().failedRequests === 0) await new Promise((ok) => setImmediate(ok));
    await server.up();
    await historian.whenDrained();
    assert.deepEqual(server.tables.get('oilrisk_readings')!.dedupKeys, ['ts', 'tag']);
    assert.deepEqual(written(server), [2, 3]);
  });

  it('creates the tables at start, before any row arrives', async () => {
    historian = await open();
    while (!historian.metrics().schemaReady) await new Promise((ok) => setImmediate(ok));
    assert.equal(server.tables.size, TABLES.length);
    assert.equal(server.writes.length, 0);
    assert.equal(historian.metrics().connected, true);
  });
});
