// An in-process QuestDB for tests, faithful to /work/shared/CONTRACTS.md: ILP over HTTP on
// /write (strict parsing, precision, per-table transactions, DEDUP UPSERT KEYS), /exec (DDL
// parsed with @questdb/sql-parser, simple selects), /ping and /settings, with injectable faults.

import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { Socket } from 'node:net';

type SqlParser = { parseToAst(sql: string): { ast: unknown[]; errors: Array<{ message: string; column?: number }> } };
let sqlParser: SqlParser | undefined;

/** The parser and its chevrotain dependency are ES modules only: load them with import(). */
async function loadSqlParser(): Promise<SqlParser> {
  sqlParser ??= (await import('@questdb/sql-parser')) as unknown as SqlParser;
  return sqlParser;
}

export type QdbType = 'SYMBOL' | 'STRING' | 'VARCHAR' | 'DOUBLE' | 'FLOAT' | 'LONG' | 'INT' | 'BOOLEAN' | 'TIMESTAMP';
export type QdbValue = string | number | boolean | null;

export interface QdbTable {
  name: string;
  columns: Map<string, QdbType>;
  /** Designated timestamp column: `ts` from our DDL, `timestamp` when auto-created by ILP. */
  timestamp: string;
  dedupKeys?: string[];
  wal: boolean;
  ttl?: string;
  /** Rows in commit order; timestamps in microseconds, as QuestDB stores them. */
  rows: Array<Record<string, QdbValue>>;
}

export interface Faults {
  /** The next N /write requests answer 500 "internal error" without committing anything. */
  failNextWrites: number;
  /** Lines for which this returns true are refused with a 400 naming their line number. */
  rejectLine?: (line: string) => boolean;
  /** Bodies larger than this answer 413. */
  maxRequestBytes: number;
  /** /write answers 403, as QuestDB Enterprise does for a user without the permission to insert. */
  forbidWrites: boolean;
}

/** A /write the server holds until the test lets it through, like a QuestDB that answers late. */
export interface HeldWrite {
  /** Resolves once the write has arrived whole: the client is waiting for its answer. */
  arrived: Promise<void>;
  /** Lets the write through (it commits even if the client gave up); resolves once it has been processed. */
  release(): Promise<void>;
}

export interface WriteLog {
  status: number;
  lines: number;
}

type FieldValue =
  | { kind: 'symbol'; value: string }
  | { kind: 'string'; value: string }
  | { kind: 'float'; value: number }
  | { kind: 'long'; value: number }
  | { kind: 'boolean'; value: boolean }
  | { kind: 'timestamp'; value: number };

interface ParsedLine {
  table: string;
  columns: Array<[string, FieldValue]>;
  /** Designated timestamp in microseconds, or undefined for the server's clock. */
  ts?: number;
}

class LineError extends Error {
  constructor(message: string, readonly column?: string) {
    super(message);
  }
}

const PRECISION_TO_MICROS: Record<string, (v: bigint) => number> = {
  n: (v) => Number(v / 1000n),
  u: (v) => Number(v),
  ms: (v) => Number(v * 1000n),
  s: (v) => Number(v * 1_000_000n),
};

const FLOAT = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;
const BOOLEANS: Record<string, boolean> = { t: true, T: true, true: true, True: true, TRUE: true, f: false, F: false, false: false, False: false, FALSE: false };

/** Splits a /write body into lines: a newline ends a line unless it is escaped by a backslash or inside a quoted string. */
export function splitIlpLines(body: string): string[] {
  const lines: string[] = [];
  let start = 0;
  let inString = false;
  let fieldsStarted = false;
  for (let i = 0; i < body.length; i++) {
    const ch = body[i];
    if (ch === '\\') {
      i++;
      continue;
    }
    if (ch === ' ' && !inString) fieldsStarted = true;
    if (ch === '"' && fieldsStarted) inString = !inString;
    if (ch === '\n' && !inString) {
      lines.push(body.slice(start, i));
      start = i + 1;
      fieldsStarted = false;
    }
  }
  if (start < body.length) lines.push(body.slice(start));
  return lines;
}

/** Parses one line strictly: table[,symbol=value...] field=value[,field=value...] [timestamp]. */
export function parseIlpLine(line: string, precision: string): ParsedLine {
  let i = 0;
  const readName = (stops: string): string => {
    let out = '';
    while (i < line.length && !stops.includes(line[i])) {
      if (line[i] === '\\') {
        i++;
        if (i >= line.length) throw new LineError('dangling escape');
      } else if (line[i] === '\n') {
        throw new LineError('unescaped newline');
      }
      out += line[i++];
    }
    return out;
  };
  const table = readName(', ');
  if (!table) throw new LineError('table name is missing');
  const columns: Array<[string, FieldValue]> = [];
  while (line[i] === ',') {
    i++;
    const name = readName('=, ');
    if (line[i] !== '=' || !name) throw new LineError(`symbol "${name}" has no value`);
    i++;
    const value = readName(', ');
    if (!value) throw new LineError(`symbol value is missing for "${name}"`);
    columns.push([name, { kind: 'symbol', value }]);
  }
  if (line[i] !== ' ') throw new LineError('expected a space before the fields');
  i++;
  // QuestDB's format is `table[,symbolset][ columnset] timestamp`: a line may carry symbols only.
  const symbolsOnly = columns.length > 0 && /^\d+$/.test(line.slice(i));
  let fields = 0;
  for (; !symbolsOnly;) {
    const name = readName('=, ');
    if (line[i] !== '=' || !name) throw new LineError(`field "${name}" has no value`);
    i++;
    if (line[i] === '"') {
      i++;
      let value = '';
      for (;;) {
        if (i >= line.length) throw new LineError(`string of field "${name}" is not closed`);
        const ch = line[i++];
        if (ch === '"') break;
        if (ch === '\\') {
          if (i >= line.length) throw new LineError('dangling escape');
          value += line[i++];
        } else {
          value += ch;
        }
      }
      columns.push([name, { kind: 'string', value }]);
    } else {
      const start = i;
      while (i < line.length && line[i] !== ',' && line[i] !== ' ') i++;
      const token = line.slice(start, i);
      let value: FieldValue;
      if (/^[-+]?\d+i$/.test(token)) value = { kind: 'long', value: Number(token.slice(0, -1)) };
      else if (/^[-+]?\d+t$/.test(token)) value = { kind: 'timestamp', value: Number(token.slice(0, -1)) };
      else if (token in BOOLEANS) value = { kind: 'boolean', value: BOOLEANS[token] };
      else if (FLOAT.test(token)) value = { kind: 'float', value: Number(token) };
      else if (token === 'NaN' || token === 'Infinity' || token === '-Infinity') value = { kind: 'float', value: Number(token) };
      else throw new LineError(`invalid field value "${token}" for "${name}"`);
      columns.push([name, value]);
    }
    fields++;
    if (line[i] === ',') {
      i++;
      continue;
    }
    break;
  }
  if (!fields && !symbolsOnly) throw new LineError('a line needs at least one symbol or field');
  let ts: number | undefined;
  if (line[i] === ' ' || symbolsOnly) {
    const token = line.slice(symbolsOnly ? i : i + 1);
    if (!/^\d+$/.test(token)) throw new LineError(`invalid timestamp "${token}"`);
    ts = PRECISION_TO_MICROS[precision](BigInt(token));
    i = line.length;
  }
  if (i !== line.length) throw new LineError(`unexpected "${line.slice(i, i + 20)}"`);
  const names = new Set<string>();
  for (const [n] of columns) {
    if (names.has(n)) throw new LineError(`duplicate column "${n}"`);
    names.add(n);
  }
  return { table, columns, ts };
}

const ACCEPTS: Record<FieldValue['kind'], QdbType[]> = {
  symbol: ['SYMBOL'],
  string: ['STRING', 'VARCHAR', 'SYMBOL'],
  float: ['DOUBLE', 'FLOAT'],
  long: ['LONG', 'INT', 'DOUBLE', 'FLOAT'],
  boolean: ['BOOLEAN'],
  timestamp: ['TIMESTAMP'],
};

const NEW_COLUMN: Record<FieldValue['kind'], QdbType> = {
  symbol: 'SYMBOL', string: 'VARCHAR', float: 'DOUBLE', long: 'LONG', boolean: 'BOOLEAN', timestamp: 'TIMESTAMP',
};

export class QuestDbTestServer {
  readonly tables = new Map<string, QdbTable>();
  readonly faults: Faults = { failNextWrites: 0, maxRequestBytes: 16 * 1024 * 1024, forbidWrites: false };
  readonly writes: WriteLog[] = [];
  readonly statements: string[] = [];
  /** Serve https with this key and certificate (PEM) instead of http. */
  tls?: { key: string; cert: string };
  /** Optional credentials: requests without them answer 401. */
  auth?: { username: string; password: string } | { token: string };
  port = 0;
  private server: Server | undefined;
  private sockets = new Set<Socket>();
  private holds: Array<{ arrive(): void; gate: Promise<void>; processed(): void }> = [];
  /** Counts `down()`s: a write held across one is lost with its connection, never committed. */
  private generation = 0;
  private dedupIndex = new WeakMap<QdbTable, Map<string, number>>();

  /** Listens on 127.0.0.1 (a free port the first time, the same port after `down()`). */
  async start(port = this.port): Promise<this> {
    await loadSqlParser();
    const handler = (req: IncomingMessage, res: ServerResponse) => this.handle(req, res);
    const server: Server = this.tls ? createTlsServer(this.tls, handler) : createServer(handler);
    server.on(this.tls ? 'secureConnection' : 'connection', (socket: Socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    await new Promise<void>((ok, fail) => {
      server.once('error', fail);
      server.listen(port, '127.0.0.1', () => ok());
    });
    this.server = server;
    const address = server.address();
    this.port = typeof address === 'object' && address ? address.port : port;
    return this;
  }

  get address(): string {
    return `127.0.0.1:${this.port}`;
  }

  /** QuestDB goes away: connections are cut and the port refuses new ones. */
  async down(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    this.generation++;
    for (const socket of this.sockets) socket.destroy();
    if (server) await new Promise<void>((ok) => server.close(() => ok()));
  }

  async up(): Promise<void> {
    await this.start(this.port);
  }

  async stop(): Promise<void> {
    await this.down();
  }

  /** Holds the next /write (the ones after it go through) until the test releases it. */
  holdNextWrite(): HeldWrite {
    let arrive!: () => void;
    let open!: () => void;
    let processed!: () => void;
    const arrived = new Promise<void>((ok) => { arrive = ok; });
    const gate = new Promise<void>((ok) => { open = ok; });
    const done = new Promise<void>((ok) => { processed = ok; });
    this.holds.push({ arrive, gate, processed });
    return {
      arrived,
      release: () => {
        open();
        return done;
      },
    };
  }

  /** Rows of a table in commit order (or by `ts` when asked), as QuestDB would return them. */
  rows(table: string): Array<Record<string, QdbValue>> {
    return this.tables.get(table)?.rows ?? [];
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://questdb');
      const body = Buffer.concat(chunks);
      if (!this.authorised(req)) {
        this.json(res, 401, { code: 'unauthorised', message: 'unauthorised', errorId: randomUUID() });
        return;
      }
      if (url.pathname === '/ping') {
        res.writeHead(204, { 'X-Influxdb-Version': 'v2.7.4' }).end();
      } else if (url.pathname === '/settings' && req.method === 'GET') {
        this.json(res, 200, { config: { 'release.type': 'OSS', 'release.version': '9.0.0', 'line.proto.support.versions': [1, 2], 'ilp.proto.transports': ['tcp', 'http'], 'cairo.max.file.name.length': 127 }, 'preferences.version': 0, preferences: {} });
      } else if (url.pathname === '/exec' && req.method === 'GET') {
        this.exec(url.searchParams.get('query') ?? '', res);
      } else if (url.pathname === '/write' || url.pathname === '/api/v2/write') {
        if (req.method !== 'POST') {
          this.json(res, 404, { code: 'not supported', message: 'method not supported', errorId: randomUUID() });
          return;
        }
        const run = () => this.write(url.searchParams.get('precision') ?? 'n', body, res);
        const hold = this.holds.shift();
        if (hold) {
          const generation = this.generation;
          hold.arrive();
          void hold.gate.then(() => {
            if (generation === this.generation) run();
            hold.processed();
          });
        } else {
          run();
        }
      } else {
        res.writeHead(404).end();
      }
    });
  }

  private authorised(req: IncomingMessage): boolean {
    if (!this.auth) return true;
    const header = req.headers.authorization ?? '';
    if ('token' in this.auth) return header === `Bearer ${this.auth.token}`;
    return header === `Basic ${Buffer.from(`${this.auth.username}:${this.auth.password}`).toString('base64')}`;
  }

  private json(res: ServerResponse, status: number, body: unknown): void {
    if (res.destroyed) return;
    res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
  }

  private write(precision: string, body: Buffer, res: ServerResponse): void {
    const answer = (status: number, json?: Record<string, unknown>, lines = 0) => {
      this.writes.push({ status, lines });
      if (json) this.json(res, status, json);
      else if (!res.destroyed) res.writeHead(status).end();
    };
    if (this.faults.forbidWrites) {
      answer(403, { code: 'unauthorised', message: 'permission denied', errorId: randomUUID() });
      return;
    }
    if (body.length > this.faults.maxRequestBytes) {
      answer(413, { code: 'request too large', message: `transaction is too large, either flush more frequently or increase buffer size "line.http.max.recv.buffer.size" [maxBufferSize=${this.faults.maxRequestBytes}]`, line: 0, errorId: randomUUID() });
      return;
    }
    if (this.faults.failNextWrites > 0) {
      this.faults.failNextWrites--;
      answer(500, { code: 'internal error', message: 'failed to commit', line: 0, errorId: randomUUID() });
      return;
    }
    if (!(precision in PRECISION_TO_MICROS)) {
      answer(400, { code: 'invalid', message: `invalid precision "${precision}"`, line: 0, errorId: randomUUID() });
      return;
    }
    const lines = splitIlpLines(body.toString('utf8'));
    // Rows wait per table for the end of the request: one request is one transaction per table.
    const pending = new Map<string, Array<Record<string, QdbValue>>>();
    let count = 0;
    for (let n = 0; n < lines.length; n++) {
      const text = lines[n];
      if (text.trim() === '') continue;
      count++;
      let tableName = '';
      try {
        const parsed = parseIlpLine(text, precision);
        tableName = parsed.table;
        // Refused like a cast error: the rows of its own table in this request go with it.
        if (this.faults.rejectLine?.(text)) throw new LineError('rejected by the test fault');
        const row = this.toRow(parsed);
        const rows = pending.get(parsed.table) ?? [];
        rows.push(row);
        pending.set(parsed.table, rows);
      } catch (err) {
        if (!(err instanceof LineError)) throw err;
        // A later failure does not roll back the other tables of the request; the failing table's rows are dropped.
        for (const [table, rows] of pending) if (table !== tableName) this.commit(table, rows);
        answer(400, {
          code: 'invalid',
          // As QuestDB words it, lines numbered from 1: "error in line 1: table: t, column: b; cast error ...", "line": 1.
          message: `failed to parse line protocol:errors encountered on line(s):\nerror in line ${n + 1}: table: ${tableName}${err.column ? `, column: ${err.column}` : ''}; ${err.message}`,
          line: n + 1,
          errorId: randomUUID(),
        }, count);
        return;
      }
    }
    for (const [table, rows] of pending) this.commit(table, rows);
    answer(204, undefined, count);
  }

  private toRow(line: ParsedLine): Record<string, QdbValue> {
    let table = this.tables.get(line.table);
    if (!table) {
      table = { name: line.table, columns: new Map([['timestamp', 'TIMESTAMP']]), timestamp: 'timestamp', wal: true, rows: [] };
      this.tables.set(line.table, table);
    }
    const row: Record<string, QdbValue> = {};
    for (const [name, field] of line.columns) {
      const type = table.columns.get(name);
      if (type === undefined) {
        // Auto-created columns stay even if the request fails later.
        table.columns.set(name, NEW_COLUMN[field.kind]);
      } else if (!ACCEPTS[field.kind].includes(type)) {
        throw new LineError(`cast error from protocol type: ${field.kind.toUpperCase()} to column type: ${type}`, name);
      }
      row[name] = field.kind === 'float' && !Number.isFinite(field.value) ? null : field.value;
    }
    row[table.timestamp] = line.ts ?? Date.now() * 1000;
    return row;
  }

  private commit(tableName: string, rows: Array<Record<string, QdbValue>>): void {
    const table = this.tables.get(tableName)!;
    const keys = table.dedupKeys;
    let index = this.dedupIndex.get(table);
    if (keys && !index) {
      index = new Map();
      this.dedupIndex.set(table, index);
    }
    for (const row of rows) {
      // DEDUP UPSERT KEYS: a row with the same key values replaces the stored one.
      const key = keys ? JSON.stringify(keys.map((k) => row[k] ?? null)) : undefined;
      const same = key === undefined ? undefined : index!.get(key);
      if (same !== undefined) {
        table.rows[same] = row;
      } else {
        table.rows.push(row);
        if (key !== undefined) index!.set(key, table.rows.length - 1);
      }
    }
  }

  private exec(query: string, res: ServerResponse): void {
    const fail = (error: string, position = 0) => this.json(res, 400, { query, error, position });
    this.statements.push(query);
    const { ast, errors } = sqlParser!.parseToAst(query) as { ast: Array<Record<string, any>>; errors: Array<{ message: string; column?: number }> };
    if (errors.length || ast.length !== 1) {
      fail(errors[0]?.message ?? 'one statement expected', Math.max(0, (errors[0]?.column ?? 1) - 1));
      return;
    }
    const statement = ast[0];
    if (statement.type === 'createTable') {
      const name = (statement.table.parts as string[]).join('.');
      if (this.tables.has(name)) {
        if (statement.ifNotExists) this.json(res, 200, { ddl: 'OK' });
        else fail(`table already exists [table=${name}]`);
        return;
      }
      const columns = new Map<string, QdbType>((statement.columns as Array<{ name: string; dataType: string }>).map((c) => [c.name, c.dataType.toUpperCase() as QdbType]));
      const timestamp = statement.timestamp as string | undefined;
      const dedupKeys = statement.dedupKeys as string[] | undefined;
      if (!timestamp || columns.get(timestamp) !== 'TIMESTAMP') return fail('designated timestamp column must be a TIMESTAMP column');
      if (dedupKeys) {
        if (!statement.wal) return fail('deduplication is possible only on WAL tables');
        if (!dedupKeys.includes(timestamp)) return fail('deduplicate key column list must include dedicated timestamp column');
        const unknown = dedupKeys.find((k) => !columns.has(k));
        if (unknown) return fail(`deduplicate key column not found [column=${unknown}]`);
      }
      this.tables.set(name, { name, columns, timestamp, dedupKeys, wal: Boolean(statement.wal), ttl: statement.ttl ? `${statement.ttl.value} ${statement.ttl.unit}` : undefined, rows: [] });
      this.json(res, 200, { ddl: 'OK' });
      return;
    }
    if (statement.type === 'select' && statement.from?.length === 1) {
      const name = (statement.from[0].table.parts as string[]).join('.');
      const table = this.tables.get(name);
      if (!table) return fail(`table does not exist [table=${name}]`, query.indexOf(name));
      const items = statement.columns as Array<Record<string, any>>;
      if (items.length === 1 && items[0].expression?.type === 'function' && items[0].expression.name === 'count') {
        this.json(res, 200, { query, columns: [{ name: 'count', type: 'LONG' }], timestamp: -1, dataset: [[table.rows.length]], count: 1 });
        return;
      }
      let rows = [...table.rows];
      const order = statement.orderBy as Array<{ expression: { name: { parts: string[] } }; direction?: string }> | undefined;
      if (order?.length) {
        const column = order[0].expression.name.parts.join('.');
        const sign = String(order[0].direction ?? 'asc').toLowerCase() === 'desc' ? -1 : 1;
        rows = rows.map((r, i) => ({ r, i })).sort((a, b) => sign * compare(a.r[column], b.r[column]) || a.i - b.i).map((x) => x.r);
      }
      const names = [...table.columns.keys()];
      const micros = (v: QdbValue) => (typeof v === 'number' ? new Date(Math.floor(v / 1000)).toISOString().replace('Z', `${String(v % 1000).padStart(3, '0')}Z`) : v);
      this.json(res, 200, {
        query,
        columns: names.map((n) => ({ name: n, type: table.columns.get(n) })),
        timestamp: names.indexOf(table.timestamp),
        dataset: rows.map((r) => names.map((n) => (table.columns.get(n) === 'TIMESTAMP' ? micros(r[n] ?? null) : r[n] ?? null))),
        count: rows.length,
      });
      return;
    }
    fail('not supported by the test server');
  }
}

function compare(a: QdbValue, b: QdbValue): number {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  return a < b ? -1 : 1;
}

export async function startQuestDb(): Promise<QuestDbTestServer> {
  return new QuestDbTestServer().start();
}
