// Sends the spool to QuestDB in order, one request at a time: creates the tables first, backs
// off while QuestDB is away, sets refused rows aside, and acknowledges a batch only after 204.

import { DeadLetterFile, type DeadLetter } from './dead-letter.js';
import { parseQuestDbError, QuestDbUnreachable, type QuestDbHttp } from './http.js';
import { LINE_PRECISION } from './lines.js';
import type { SegmentLog, SpoolChunk } from './segment-log.js';

export interface ForwarderOptions {
  /** Largest request body; several spooled batches go in one request up to this size. */
  requestBytes: number;
  /** Wait this long after new data before sending, so that batches arriving together share a request. */
  flushIntervalMs: number;
  backoffMinMs: number;
  backoffMaxMs: number;
}

export const FORWARDER_DEFAULTS: ForwarderOptions = {
  requestBytes: 1024 * 1024,
  flushIntervalMs: 200,
  backoffMinMs: 500,
  backoffMaxMs: 30_000,
};

export interface ForwarderCounters {
  rowsWritten: number;
  rowsDeadLettered: number;
  requests: number;
  failedRequests: number;
  /** The last request was taken in by QuestDB (2xx, or 400/413 about the data itself). */
  connected: boolean;
  schemaReady: boolean;
  /** The latest problem, from sending or (set by the historian) from input or the spool bound. */
  lastError?: string;
  lastLatencyMs?: number;
}

/** Thrown for answers worth retrying: the batch stays in the spool. */
class RetryLater extends Error {}

/** What to do about an answer that refuses access, for whoever reads the node's status. */
const ACCESS_REFUSED: Partial<Record<number, string>> = {
  401: 'oilrisk/questdb: QuestDB refused the credentials (HTTP 401): check the username/password or token in the oilrisk-questdb node',
  403: 'oilrisk/questdb: QuestDB answered permission denied (HTTP 403): check that the user or token in the oilrisk-questdb node may create and write the oilrisk tables',
};

interface InFlight {
  chunk: SpoolChunk;
  /** Parts still to send; a 400 removes its line, a 413 splits a part in two. */
  parts: Buffer[][];
  deadLettered: number;
}

export class Forwarder {
  readonly counters: ForwarderCounters = { rowsWritten: 0, rowsDeadLettered: 0, requests: 0, failedRequests: 0, connected: false, schemaReady: false };
  private running: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private again = false;
  private inFlight: InFlight | undefined;
  private drainedWaiters: Array<() => void> = [];

  constructor(
    private readonly log: SegmentLog,
    private readonly client: QuestDbHttp | undefined,
    private readonly deadLetters: DeadLetterFile,
    private readonly ddl: readonly string[],
    private readonly options: ForwarderOptions = FORWARDER_DEFAULTS,
    private readonly onChange: () => void = () => undefined,
  ) {}

  /** New data is in the spool: send it after the flush interval (or now if already sending). */
  kick(): void {
    if (this.stopped || !this.client) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.run().finally(() => {
      this.running = undefined;
      if (this.again && !this.stopped) this.kick();
    });
  }

  /** Resolves once every spooled row has been written or set aside (never, while QuestDB is away). */
  whenDrained(): Promise<void> {
    if (this.log.pendingRows === 0 && !this.inFlight) return Promise.resolve();
    return new Promise((resolve) => this.drainedWaiters.push(resolve));
  }

  private async run(): Promise<void> {
    await this.pause(this.options.flushIntervalMs);
    let backoff = this.options.backoffMinMs;
    while (!this.stopped) {
      this.again = false;
      try {
        if (!this.counters.schemaReady) await this.createTables();
        const more = await this.sendNext();
        backoff = this.options.backoffMinMs;
        if (!more) {
          if (this.log.pendingRows === 0) this.drainedWaiters.splice(0).forEach((w) => w());
          if (!this.again) return;
        }
      } catch (err) {
        this.counters.failedRequests++;
        this.counters.lastError = (err as Error).message;
        this.onChange();
        await this.pause(backoff);
        backoff = Math.min(backoff * 2, this.options.backoffMaxMs);
      }
    }
  }

  private pause(ms: number): Promise<void> {
    if (ms <= 0 || this.stopped) return Promise.resolve();
    return new Promise((resolve) => {
      this.wake = resolve;
      this.timer = setTimeout(resolve, ms);
    });
  }

  private async request(send: () => Promise<{ status: number; body: string }>): Promise<{ status: number; body: string }> {
    const started = Date.now();
    this.counters.requests++;
    let answer: { status: number; body: string };
    try {
      answer = await send();
      // Connected means QuestDB took the request in: not refused for auth, path or its own trouble.
      this.counters.connected = (answer.status >= 200 && answer.status < 300) || answer.status === 400 || answer.status === 413;
      this.counters.lastLatencyMs = Date.now() - started;
    } catch (err) {
      this.counters.connected = false;
      // QuestDB may come back empty (a new volume, a restore): create the tables again first,
      // or the next write would auto-create them without DEDUP keys.
      this.counters.schemaReady = false;
      if (err instanceof QuestDbUnreachable) throw new RetryLater(err.message);
      throw err;
    }
    const refusal = ACCESS_REFUSED[answer.status];
    if (refusal) throw new RetryLater(refusal);
    return answer;
  }

  private async createTables(): Promise<void> {
    for (const sql of this.ddl) {
      const answer = await this.request(() => this.client!.exec(sql));
      if (answer.status === 400) {
        // QuestDB refuses the statement (an older version, a clash with an existing table): writes
        // still work on what exists or is auto-created, so say it loudly and go on.
        const error = parseQuestDbError(answer.body) as { error?: string };
        this.counters.lastError = `oilrisk/questdb: QuestDB refused "${sql}": ${error.error ?? answer.body}`;
      } else if (answer.status !== 200) {
        throw new RetryLater(`oilrisk/questdb: creating tables: HTTP ${answer.status} ${answer.body.slice(0, 200)}`);
      }
    }
    this.counters.schemaReady = true;
    this.onChange();
  }

  /** Sends the oldest unsent batches; resolves false when the spool is empty. */
  private async sendNext(): Promise<boolean> {
    if (!this.inFlight) {
      const chunk = await this.log.read(this.options.requestBytes);
      if (!chunk) return false;
      this.inFlight = { chunk, parts: [chunk.lines], deadLettered: 0 };
    }
    const flight = this.inFlight;
    while (flight.parts.length) {
      const part = flight.parts[0];
      const answer = await this.request(() => this.client!.write(Buffer.concat(part), LINE_PRECISION));
      if (answer.status === 204 || answer.status === 200) {
        flight.parts.shift();
        continue;
      }
      const error = parseQuestDbError(answer.body);
      const letter = (line: Buffer): DeadLetter => ({
        at: Date.now(), status: answer.status, code: error.code, message: error.message ?? answer.body, errorId: error.errorId, line: line.toString('utf8'),
      });
      if (answer.status === 400) {
        const index = typeof error.line === 'number' && error.line >= 1 && error.line <= part.length ? error.line - 1 : -1;
        // A 400 without a line we can point at: the whole part is refused as it is.
        const refused = index >= 0 ? part.slice(index, index + 1) : part.slice();
        // Set aside first, then taken out of the batch: if the write fails, the rows are sent again.
        await this.deadLetters.add(refused.map(letter));
        if (index >= 0) part.splice(index, 1);
        else part.splice(0);
        flight.deadLettered += refused.length;
        this.counters.rowsDeadLettered += refused.length;
        this.counters.lastError = `oilrisk/questdb: QuestDB refused ${refused.length} row(s): ${error.message ?? answer.body}`;
        if (!part.length) flight.parts.shift();
        this.onChange();
      } else if (answer.status === 413 && part.length > 1) {
        flight.parts.splice(0, 1, part.slice(0, part.length >> 1), part.slice(part.length >> 1));
      } else if (answer.status === 413) {
        await this.deadLetters.add(part.map(letter));
        flight.deadLettered += part.length;
        this.counters.rowsDeadLettered += part.length;
        flight.parts.shift();
      } else {
        throw new RetryLater(`oilrisk/questdb: HTTP ${answer.status} from QuestDB: ${error.message ?? answer.body}`);
      }
    }
    await this.log.ack(flight.chunk);
    this.counters.rowsWritten += flight.chunk.rows - flight.deadLettered;
    this.inFlight = undefined;
    this.onChange();
    return true;
  }

  /** Stops after the request in progress (bounded by its timeout); what is unsent stays spooled. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    this.wake?.();
    await this.running;
  }
}
