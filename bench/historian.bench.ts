// Historian benchmarks: rows per second from input through the fsynced spool to the QuestDB
// contract server, against one request per row; and spool appends with fsync per batch.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeRows, Historian, QuestDbHttp, SegmentLog, toRows, LINE_PRECISION } from '../lib/questdb/index.js';
import type { Reading } from '../lib/model/index.js';
import { startQuestDb } from '../test/support/questdb-server.js';
import type { BenchReporter } from './report.js';

const T0 = Date.UTC(2026, 0, 1);
const BATCH = 100;

function readings(from: number, count: number): Reading[] {
  return Array.from({ length: count }, (_, i) => ({ tag: `WELL-${(from + i) % 500}.PT`, value: 20 + ((from + i) % 97) / 10, quality: 'good', ts: T0 + from + i, source: 'modbus:rtu-north:1:0' }));
}

async function throughput(reporter: BenchReporter): Promise<void> {
  const server = await startQuestDb();
  const dir = mkdtempSync(join(tmpdir(), 'oilrisk-bench-historian-'));
  try {
    const rows = 50_000;
    const historian = await Historian.open({ dir, connection: { address: server.address, tls: false, tlsVerify: true, timeoutMs: 10_000 }, forwarder: { flushIntervalMs: 50 } });
    const started = performance.now();
    // Worst case: each message waits until the previous one is durable (one fsync per message).
    for (let from = 0; from < rows; from += BATCH) await historian.store('readings', readings(from, BATCH));
    await historian.whenDrained();
    const seconds = (performance.now() - started) / 1000;
    // As Node-RED delivers them: messages do not wait for the previous done(), appends share fsyncs.
    const concurrentStart = performance.now();
    const pending: Array<Promise<unknown>> = [];
    for (let from = rows; from < 2 * rows; from += BATCH) pending.push(historian.store('readings', readings(from, BATCH)));
    await Promise.all(pending);
    await historian.whenDrained();
    const concurrentSeconds = (performance.now() - concurrentStart) / 1000;
    const written = server.rows('oilrisk_readings').length;
    await historian.close();
    if (written !== 2 * rows) throw new Error(`historian.throughput: ${written} rows written, ${2 * rows} sent`);

    // Baseline: every row its own request, the way a naive writer would do it.
    const client = new QuestDbHttp({ address: server.address, tls: false, tlsVerify: true, timeoutMs: 10_000 });
    const baselineRows = 2_000;
    const lines = encodeRows(toRows('readings', readings(rows, baselineRows)).rows, 'oilrisk_').lines;
    const baseStart = performance.now();
    for (const line of lines) {
      const answer = await client.write(line, LINE_PRECISION);
      if (answer.status !== 204) throw new Error(`baseline write answered ${answer.status}`);
    }
    const baseSeconds = (performance.now() - baseStart) / 1000;
    client.close();
    reporter.report({ bench: 'historian.throughput', value: rows / seconds, unit: 'rows/s', baseline: baselineRows / baseSeconds, note: `${rows} rows in messages of ${BATCH}, each awaited: fsync per message` });
    reporter.report({ bench: 'historian.throughput.concurrent', value: rows / concurrentSeconds, unit: 'rows/s', baseline: baselineRows / baseSeconds, note: `${rows} rows in messages of ${BATCH} arriving together: shared fsyncs` });
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function spoolAppend(reporter: BenchReporter): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'oilrisk-bench-spool-'));
  try {
    const lines = encodeRows(toRows('readings', readings(0, BATCH)).rows, 'oilrisk_').lines;
    const { log } = await SegmentLog.open({ dir: join(dir, 'batches'), fsync: true });
    const batches = 500;
    const started = performance.now();
    for (let b = 0; b < batches; b++) await log.append(lines);
    const seconds = (performance.now() - started) / 1000;
    await log.close();

    // Baseline: the same rows with an fsync per row.
    const single = (await SegmentLog.open({ dir: join(dir, 'rows'), fsync: true })).log;
    const rows = 2_000;
    const baseStart = performance.now();
    for (let r = 0; r < rows; r++) await single.append([lines[r % lines.length]]);
    const baseSeconds = (performance.now() - baseStart) / 1000;
    await single.close();
    reporter.report({ bench: 'historian.spool.append', value: (batches * BATCH) / seconds, unit: 'rows/s', baseline: rows / baseSeconds, note: `batches of ${BATCH}, fsync per batch; baseline fsync per row` });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function run(reporter: BenchReporter): Promise<void> {
  await spoolAppend(reporter);
  await throughput(reporter);
}
