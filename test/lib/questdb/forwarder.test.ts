import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeadLetterFile, Forwarder, QuestDbHttp, SegmentLog, type DeadLetter } from '../../../lib/questdb/index.js';
import { QuestDbTestServer, startQuestDb } from '../../support/questdb-server.js';

/** A dead-letter file whose first writes fail, like a full disk that is cleared later. */
class FailingDeadLetters extends DeadLetterFile {
  constructor(path: string, private failures: number) {
    super(path);
  }

  override async add(letters: readonly DeadLetter[]): Promise<void> {
    if (this.failures > 0) {
      this.failures--;
      throw new Error('ENOSPC: no space left on device');
    }
    await super.add(letters);
  }
}

const lines = (values: number[]) => values.map((v) => Buffer.from(`t v=${v} ${1_000_000 + v}\n`));

describe('lib/questdb Forwarder', () => {
  let dir: string;
  let server: QuestDbTestServer;
  let log: SegmentLog;
  let client: QuestDbHttp;
  let forwarder: Forwarder | undefined;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'oilrisk-forwarder-'));
    server = await startQuestDb();
    ({ log } = await SegmentLog.open({ dir: join(dir, 'spool'), fsync: false }));
    client = new QuestDbHttp({ address: server.address, tls: false, tlsVerify: true, timeoutMs: 2000 });
  });

  afterEach(async () => {
    await forwarder?.stop();
    forwarder = undefined;
    client.close();
    await log.close();
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps a refused row in the batch until it is in the dead-letter file, even when that write fails', async () => {
    server.faults.rejectLine = (line) => line.includes('v=3 ');
    const deadLetters = new FailingDeadLetters(join(dir, 'dead-letter.ndjson'), 1);
    forwarder = new Forwarder(log, client, deadLetters, [], { requestBytes: 1 << 20, flushIntervalMs: 0, backoffMinMs: 0, backoffMaxMs: 0 });
    await log.append(lines([1, 2, 3, 4, 5]));
    forwarder.kick();
    await forwarder.whenDrained();

    assert.equal(forwarder.counters.failedRequests, 1, 'the failed dead-letter write is retried once');
    // Two refusals of the whole batch (before and after the failed dead-letter write), then the rest.
    assert.deepEqual(server.writes, [{ status: 400, lines: 3 }, { status: 400, lines: 3 }, { status: 204, lines: 4 }]);
    assert.deepEqual(server.rows('t').map((r) => r.v), [1, 2, 4, 5]);
    const letters = readFileSync(deadLetters.path, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as DeadLetter);
    assert.deepEqual(letters.map((l) => l.line), ['t v=3 1000003\n']);
    assert.equal(forwarder.counters.rowsDeadLettered, 1);
    assert.equal(forwarder.counters.rowsWritten, 4, 'the refused row is never counted as written');
    assert.equal(log.pendingRows, 0);
  });
});
