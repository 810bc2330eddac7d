// A Node-RED runtime (the built dist/, as `npm start` runs it) killed with SIGKILL while it
// streams readings to a spooling historian, restarted on the same data folder, replaying.

import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startRuntime, type RuntimeHandle } from '../support/runtime.js';
import { QuestDbTestServer, startQuestDb } from '../support/questdb-server.js';
import { eventually } from '../support/poll.js';

const T0 = Date.UTC(2026, 11, 4, 12, 0, 0);
const BATCH = 25;

/** Test-only nodes: POST /historian-test {topic, payload} answers once the historian has made it durable (Complete node). */
const TEST_NODES = [
  { id: 'test.store.in', type: 'http in', z: 'oilrisk.historian.tab', url: '/historian-test', method: 'post', upload: false, x: 100, y: 300, wires: [['test.store.topic']] },
  {
    id: 'test.store.topic', type: 'change', z: 'oilrisk.historian.tab', x: 300, y: 300, wires: [['oilrisk.historian.node']],
    rules: [
      { t: 'set', p: 'topic', pt: 'msg', to: 'payload.topic', tot: 'msg' },
      { t: 'set', p: 'payload', pt: 'msg', to: 'payload.payload', tot: 'msg' },
    ],
  },
  { id: 'test.store.done', type: 'complete', z: 'oilrisk.historian.tab', scope: ['oilrisk.historian.node'], uncaught: false, x: 100, y: 360, wires: [['test.store.ok']] },
  { id: 'test.store.ok', type: 'http response', z: 'oilrisk.historian.tab', statusCode: '204', x: 300, y: 360, wires: [] },
];

async function deployTestNodes(runtime: RuntimeHandle): Promise<void> {
  const started = () => runtime.output().split('Started flows').length;
  const before = started();
  const current = await fetch(`${runtime.url}/flows`, { headers: { 'Node-RED-API-Version': 'v1' } });
  const flows = (await current.json()) as Array<{ id: string }>;
  const answer = await fetch(`${runtime.url}/flows`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'Node-RED-API-Version': 'v1', 'Node-RED-Deployment-Type': 'full' },
    body: JSON.stringify([...flows.filter((n) => !n.id.startsWith('test.')), ...TEST_NODES]),
  });
  assert.equal(answer.status, 204, await answer.text());
  // The deploy is answered before the new flows have started.
  await until('the test flow started', () => started() > before, runtime);
}

function batch(n: number) {
  return { topic: 'readings', payload: Array.from({ length: BATCH }, (_, i) => ({ tag: 'SEP-1.PT-101', value: n * BATCH + i, quality: 'good', ts: T0 + n * BATCH + i })) };
}

async function store(runtime: RuntimeHandle, n: number): Promise<void> {
  const answer = await fetch(`${runtime.url}/historian-test`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(batch(n)) });
  assert.equal(answer.status, 204, `batch ${n}: ${await answer.text()}\n${runtime.output().slice(-2000)}`);
}

/** Polls the contract server (the child runtime is another process: no event to wait on). */
async function until(what: string, check: () => boolean, runtime: RuntimeHandle | undefined, limitMs = 30_000): Promise<void> {
  await eventually(check, (done) => done, what, { limitMs, everyMs: 50, context: () => `runtime output:\n${runtime?.output().slice(-3000) ?? ''}` });
}

describe('historian in a runtime killed mid-stream (integration; needs npm run build)', function () {
  this.timeout(120_000);
  let dataDir: string;
  let server: QuestDbTestServer;
  let runtime: RuntimeHandle | undefined;

  beforeEach(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'oilrisk-historian-crash-'));
    server = await startQuestDb();
  });

  afterEach(async () => {
    await runtime?.stop();
    runtime = undefined;
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('replays after SIGKILL and restart: every acknowledged row exactly once, in order', async () => {
    const env = { QUESTDB_ADDR: server.address };
    runtime = await startRuntime({ env, dataDir });
    await deployTestNodes(runtime);
    for (let n = 0; n < 10; n++) await store(runtime, n);
    await until('first batches written', () => server.rows('oilrisk_readings').length === 10 * BATCH, runtime);

    // QuestDB goes away; the runtime keeps accepting into its spool.
    await server.down();
    for (let n = 10; n < 30; n++) await store(runtime, n);
    assert.equal(server.rows('oilrisk_readings').length, 10 * BATCH, 'nothing reaches QuestDB while it is down');
    // Ten more batches arrive together; the process dies as soon as the first is acknowledged.
    const acknowledged = new Set<number>();
    const refused: string[] = [];
    const inFlight = Array.from({ length: 10 }, (_, k) => 30 + k).map((n) =>
      fetch(`${runtime!.url}/historian-test`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(batch(n)) })
        .then((r) => { if (r.status === 204) acknowledged.add(n); else refused.push(`batch ${n}: HTTP ${r.status}`); }, () => undefined));
    // Killed only once a batch has been acknowledged (or all were answered): the property below needs some.
    await new Promise<void>((ok) => {
      for (const request of inFlight) void request.then(() => { if (acknowledged.size) ok(); });
      void Promise.all(inFlight).then(() => ok());
    });
    await runtime.kill();
    await Promise.all(inFlight);
    runtime = undefined;
    assert.ok(acknowledged.size > 0, `none of the last ten batches was acknowledged before the kill: ${refused.join(', ') || 'no answers'}`);

    await server.up();
    runtime = await startRuntime({ env, dataDir });
    const values = () => server.rows('oilrisk_readings').map((r) => r.value as number);
    const present = () => new Set(values().filter((v) => v % BATCH === 0).map((v) => v / BATCH));
    await until('the spool replayed', () => present().size >= 30 && [...acknowledged].every((n) => present().has(n)), runtime);
    assert.match(runtime.output(), /replaying \d+ rows left in the spool/);
    await runtime.stop();
    runtime = undefined;
    const got = values();
    // The first 30 batches exactly, in order; then every acknowledged batch, each whole, none twice.
    assert.deepEqual(got.slice(0, 30 * BATCH), Array.from({ length: 30 * BATCH }, (_, i) => i));
    const rest = got.slice(30 * BATCH);
    assert.equal(rest.length % BATCH, 0, 'no batch is cut in half');
    const batches = Array.from({ length: rest.length / BATCH }, (_, b) => rest.slice(b * BATCH, (b + 1) * BATCH));
    for (const rows of batches) assert.deepEqual(rows, Array.from({ length: BATCH }, (_, i) => rows[0] + i), 'a batch stays whole and in order');
    const numbers = batches.map((rows) => rows[0] / BATCH);
    assert.equal(new Set(numbers).size, numbers.length, 'no batch twice');
    for (const n of acknowledged) assert.ok(numbers.includes(n), `acknowledged batch ${n} is in QuestDB`);
  });

  it('spools only when QUESTDB_ADDR is not set, and says so', async () => {
    runtime = await startRuntime({ env: { QUESTDB_ADDR: '' }, dataDir });
    await deployTestNodes(runtime);
    await store(runtime, 0);
    const spool = join(dataDir, 'historian', 'oilrisk.historian.node', 'spool');
    assert.ok(readdirSync(spool).some((f) => f.endsWith('.seg')), 'the batch is in the spool');
    assert.match(runtime.output(), /no QuestDB address is set/);
    assert.equal(server.writes.length, 0);
  });
});
