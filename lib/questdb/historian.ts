// The historian: canonical records in, rows spooled durably on disk, then forwarded to QuestDB.
// Start-up only opens the spool; QuestDB may be down, or not configured at all (spool only).

import { join } from 'node:path';
import { DeadLetterFile } from './dead-letter.js';
import { schemaSql } from './ddl.js';
import { Forwarder, FORWARDER_DEFAULTS, type ForwarderOptions } from './forwarder.js';
import { QuestDbHttp, type QuestDbConnection } from './http.js';
import { checkTablePrefix, encodeRows } from './lines.js';
import { siteRows, toRows, type RowsResult, type RowSiteLookup } from './rows.js';
import type { Site } from '../model/index.js';
import { DEFAULT_TABLE_PREFIX } from './schema.js';
import { SegmentLog, SpoolFullError, type SpoolRecovery, type SegmentLogOptions } from './segment-log.js';

export interface HistorianOptions {
  /** Folder of this historian's spool and dead-letter file. */
  dir: string;
  /** Where QuestDB is; absent means spool only. */
  connection?: QuestDbConnection;
  tablePrefix: string;
  ttlDays: number;
  spool: Partial<Omit<SegmentLogOptions, 'dir'>>;
  forwarder: Partial<ForwarderOptions>;
}

export const HISTORIAN_DEFAULTS: Omit<HistorianOptions, 'dir'> = {
  tablePrefix: DEFAULT_TABLE_PREFIX,
  ttlDays: 90,
  spool: {},
  forwarder: {},
};

export interface StoreResult {
  rows: number;
  /** One message per record or row left out, naming the topic, table and column. */
  errors: string[];
  /** Older unsent rows removed to make room (spool full, policy drop-oldest). */
  droppedRows: number;
}

export interface HistorianMetrics {
  configured: boolean;
  connected: boolean;
  schemaReady: boolean;
  rowsIn: number;
  rowsRejected: number;
  rowsWritten: number;
  rowsSpooled: number;
  spoolBytes: number;
  rowsDeadLettered: number;
  rowsDropped: number;
  requests: number;
  failedRequests: number;
  lastError?: string;
  lastLatencyMs?: number;
}

export class Historian {
  private rowsIn = 0;
  private rowsRejected = 0;
  private rowsDropped = 0;

  private constructor(
    private readonly options: HistorianOptions,
    private readonly log: SegmentLog,
    private readonly deadLetters: DeadLetterFile,
    private readonly forwarder: Forwarder,
    private readonly client: QuestDbHttp | undefined,
    readonly recovered: SpoolRecovery,
  ) {}

  static async open(options: Partial<HistorianOptions> & { dir: string }, onChange: () => void = () => undefined): Promise<Historian> {
    const merged: HistorianOptions = { ...HISTORIAN_DEFAULTS, ...options };
    const prefix = checkTablePrefix(merged.tablePrefix);
    const { log, recovered } = await SegmentLog.open({ ...merged.spool, dir: join(merged.dir, 'spool') });
    const deadLetters = new DeadLetterFile(join(merged.dir, 'dead-letter.ndjson'));
    const client = merged.connection ? new QuestDbHttp(merged.connection) : undefined;
    const forwarder = new Forwarder(log, client, deadLetters, schemaSql({ prefix, ttlDays: merged.ttlDays }), { ...FORWARDER_DEFAULTS, ...merged.forwarder }, onChange);
    const historian = new Historian(merged, log, deadLetters, forwarder, client, recovered);
    // Create the tables now if QuestDB answers (retried with backoff if not); what a previous
    // run left in the spool goes out first.
    forwarder.kick();
    return historian;
  }

  /** Maps, encodes and spools `payload` of `topic`; resolves once it is durable on disk. */
  store(topic: unknown, payload: unknown, site?: RowSiteLookup): Promise<StoreResult> {
    return this.spool(toRows(topic, payload, site));
  }

  /** Spools the site model's tags (with limits), dependencies and geofences, stamped `ts`, for the dashboards. */
  storeSite(site: Site, ts: number = Date.now()): Promise<StoreResult> {
    return this.spool({ rows: siteRows(site, ts), errors: [] });
  }

  private async spool(mapped: RowsResult): Promise<StoreResult> {
    const encoded = encodeRows(mapped.rows, this.options.tablePrefix);
    const errors = [...mapped.errors, ...encoded.errors];
    this.rowsRejected += errors.length;
    if (errors.length) this.forwarder.counters.lastError = errors[errors.length - 1];
    let droppedRows = 0;
    if (encoded.lines.length) {
      try {
        ({ droppedRows } = await this.log.append(encoded.lines));
      } catch (err) {
        if (err instanceof SpoolFullError) this.rowsDropped += err.rows;
        this.forwarder.counters.lastError = (err as Error).message;
        throw err;
      }
      this.rowsIn += encoded.lines.length;
      this.rowsDropped += droppedRows;
      if (droppedRows) this.forwarder.counters.lastError = `oilrisk/questdb: spool full: ${droppedRows} unsent rows dropped (policy drop-oldest)`;
      this.forwarder.kick();
    }
    return { rows: encoded.lines.length, errors, droppedRows };
  }

  metrics(): HistorianMetrics {
    const c = this.forwarder.counters;
    return {
      configured: Boolean(this.options.connection),
      connected: c.connected,
      schemaReady: c.schemaReady,
      rowsIn: this.rowsIn,
      rowsRejected: this.rowsRejected,
      rowsWritten: c.rowsWritten,
      rowsSpooled: this.log.pendingRows,
      spoolBytes: this.log.bytes,
      rowsDeadLettered: c.rowsDeadLettered,
      rowsDropped: this.rowsDropped,
      requests: c.requests,
      failedRequests: c.failedRequests,
      lastError: c.lastError,
      lastLatencyMs: c.lastLatencyMs,
    };
  }

  get deadLetterPath(): string {
    return this.deadLetters.path;
  }

  /** Resolves when everything spooled has been written or set aside. */
  whenDrained(): Promise<void> {
    return this.forwarder.whenDrained();
  }

  /** Stops forwarding (after the request in progress) and closes the spool; unsent rows stay for the next start. */
  async close(): Promise<void> {
    await this.forwarder.stop();
    this.client?.close();
    await this.log.close();
  }
}
