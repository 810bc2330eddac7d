// The historian's spool: an append-only log of batches in segment files, fsynced per append,
// read in order from a cursor and removed only once acknowledged. Survives kill -9 mid-write.

import { open, mkdir, readdir, readFile, rename, rm, writeFile, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';

export type SpoolFullPolicy = 'drop-oldest' | 'reject-new';

export interface SegmentLogOptions {
  dir: string;
  /** fdatasync after every append (group commit: appends waiting together share one). */
  fsync: boolean;
  /** Bound on the bytes kept; what happens beyond it is `whenFull`. */
  maxBytes: number;
  /** A segment is closed and a new one started past this size. */
  segmentBytes: number;
  whenFull: SpoolFullPolicy;
}

export const SEGMENT_LOG_DEFAULTS: Omit<SegmentLogOptions, 'dir'> = {
  fsync: true,
  maxBytes: 256 * 1024 * 1024,
  segmentBytes: 8 * 1024 * 1024,
  whenFull: 'drop-oldest',
};

export interface SpoolPosition {
  segment: number;
  offset: number;
}

/** Batches read from the cursor, in order, to be sent as one request. */
export interface SpoolChunk {
  lines: Buffer[];
  rows: number;
  bytes: number;
  start: SpoolPosition;
  end: SpoolPosition;
}

export interface SpoolAppendResult {
  /** Rows of older batches removed to make room (policy drop-oldest). */
  droppedRows: number;
}

export class SpoolFullError extends Error {
  constructor(readonly rows: number, maxBytes: number) {
    super(`oilrisk/questdb: spool full (${maxBytes} bytes): ${rows} new rows rejected (policy reject-new)`);
    this.name = 'SpoolFullError';
  }
}

interface Segment {
  id: number;
  bytes: number;
  rows: number;
}

interface PendingAppend {
  record: Buffer;
  rows: number;
  resolve(result: SpoolAppendResult): void;
  reject(err: Error): void;
}

// Record: u32 payload length, u32 crc32(payload), u32 rows, payload (the lines).
const HEADER = 12;
const CURSOR_FILE = 'cursor.json';
const SEGMENT = /^(\d{12})\.seg$/;

const segmentName = (id: number) => `${String(id).padStart(12, '0')}.seg`;

function splitLines(payload: Buffer): Buffer[] {
  // A line ends at "\n" not preceded by an odd run of backslashes (an escaped newline stays inside a value).
  const lines: Buffer[] = [];
  let start = 0;
  for (let i = 0; i < payload.length; i++) {
    if (payload[i] !== 0x0a) continue;
    let slashes = 0;
    for (let j = i - 1; j >= start && payload[j] === 0x5c; j--) slashes++;
    if (slashes % 2 === 1) continue;
    lines.push(payload.subarray(start, i + 1));
    start = i + 1;
  }
  if (start < payload.length) lines.push(payload.subarray(start));
  return lines;
}


function encodeRecord(lines: readonly Buffer[]): Buffer {
  const payload = Buffer.concat(lines);
  const header = Buffer.alloc(HEADER);
  header.writeUInt32LE(payload.length, 0);
  header.writeUInt32LE(crc32(payload), 4);
  header.writeUInt32LE(lines.length, 8);
  return Buffer.concat([header, payload]);
}

/** Valid records of a segment file's content, and where the valid part ends (a torn tail is cut there). */
function scan(content: Buffer): { bytes: number; rows: number; offsets: Array<{ offset: number; rows: number }> } {
  let offset = 0;
  let rows = 0;
  const offsets: Array<{ offset: number; rows: number }> = [];
  while (offset + HEADER <= content.length) {
    const length = content.readUInt32LE(offset);
    const end = offset + HEADER + length;
    if (end > content.length) break;
    if (crc32(content.subarray(offset + HEADER, end)) !== content.readUInt32LE(offset + 4)) break;
    offsets.push({ offset, rows: content.readUInt32LE(offset + 8) });
    rows += content.readUInt32LE(offset + 8);
    offset = end;
  }
  return { bytes: offset, rows, offsets };
}

export interface SpoolRecovery {
  segments: number;
  rows: number;
  /** Bytes of a half-written record cut from the end of a segment (a crash during append). */
  tornBytes: number;
}

export class SegmentLog {
  private segments: Segment[] = [];
  private cursor: SpoolPosition = { segment: 0, offset: 0 };
  /** Rows of the cursor's segment already acknowledged. */
  private cursorRows = 0;
  private active: { segment: Segment; handle: FileHandle } | undefined;
  private queue: PendingAppend[] = [];
  private writing: Promise<void> | undefined;
  private closed = false;
  private nextId = 1;

  private constructor(private readonly options: SegmentLogOptions) {}

  static async open(options: Partial<SegmentLogOptions> & { dir: string }): Promise<{ log: SegmentLog; recovered: SpoolRecovery }> {
    const merged = { ...SEGMENT_LOG_DEFAULTS, ...options };
    // Dropping works on whole closed segments: keep several segments within the bound.
    merged.segmentBytes = Math.max(1, Math.min(merged.segmentBytes, Math.floor(merged.maxBytes / 4)));
    const log = new SegmentLog(merged);
    const recovered = await log.recover();
    return { log, recovered };
  }

  private async recover(): Promise<SpoolRecovery> {
    const { dir } = this.options;
    await mkdir(dir, { recursive: true });
    const ids = (await readdir(dir)).map((f) => SEGMENT.exec(f)).filter((m): m is RegExpExecArray => m !== null).map((m) => Number(m[1])).sort((a, b) => a - b);
    let cursor: SpoolPosition | undefined;
    try {
      const parsed = JSON.parse(await readFile(join(dir, CURSOR_FILE), 'utf8')) as SpoolPosition;
      if (Number.isInteger(parsed.segment) && Number.isInteger(parsed.offset)) cursor = parsed;
    } catch {
      cursor = undefined;
    }
    let tornBytes = 0;
    for (const id of ids) {
      const path = join(dir, segmentName(id));
      if (cursor && id < cursor.segment) {
        await rm(path, { force: true });
        continue;
      }
      const content = await readFile(path);
      const found = scan(content);
      if (found.bytes < content.length) {
        tornBytes += content.length - found.bytes;
        const handle = await open(path, 'r+');
        try {
          await handle.truncate(found.bytes);
          await handle.datasync();
        } finally {
          await handle.close();
        }
      }
      const segment: Segment = { id, bytes: found.bytes, rows: found.rows };
      this.segments.push(segment);
      if (cursor && id === cursor.segment) {
        const offset = Math.min(cursor.offset, found.bytes);
        this.cursor = { segment: id, offset };
        this.cursorRows = found.offsets.filter((o) => o.offset < offset).reduce((sum, o) => sum + o.rows, 0);
      }
    }
    this.nextId = (ids.at(-1) ?? 0) + 1;
    if (!this.segments.some((s) => s.id === this.cursor.segment)) {
      this.cursor = { segment: this.segments[0]?.id ?? this.nextId, offset: 0 };
      this.cursorRows = 0;
    }
    return { segments: this.segments.length, rows: this.pendingRows, tornBytes };
  }

  /** Rows appended and not yet acknowledged. */
  get pendingRows(): number {
    return this.segments.filter((s) => s.id >= this.cursor.segment).reduce((sum, s) => sum + s.rows, 0) - this.cursorRows;
  }

  get bytes(): number {
    return this.segments.reduce((sum, s) => sum + s.bytes, 0);
  }

  /** Appends one batch durably; resolves once it is on disk (and fsynced when configured). */
  append(lines: readonly Buffer[]): Promise<SpoolAppendResult> {
    if (this.closed) return Promise.reject(new Error('oilrisk/questdb: the spool is closed'));
    if (lines.length === 0) return Promise.resolve({ droppedRows: 0 });
    const record = encodeRecord(lines);
    if (this.options.whenFull === 'reject-new' && this.bytes + record.length > this.options.maxBytes) {
      return Promise.reject(new SpoolFullError(lines.length, this.options.maxBytes));
    }
    return new Promise((resolve, reject) => {
      this.queue.push({ record, rows: lines.length, resolve, reject });
      if (!this.writing) this.writing = this.writeQueued();
    });
  }

  private async writeQueued(): Promise<void> {
    while (this.queue.length) {
      const group = this.queue.splice(0, this.queue.length);
      try {
        const active = await this.activeSegment();
        const data = Buffer.concat(group.map((g) => g.record));
        await active.handle.write(data, 0, data.length, active.segment.bytes);
        if (this.options.fsync) await active.handle.datasync();
        active.segment.bytes += data.length;
        active.segment.rows += group.reduce((sum, g) => sum + g.rows, 0);
        const droppedRows = await this.enforceBound();
        group.forEach((g, i) => g.resolve({ droppedRows: i === 0 ? droppedRows : 0 }));
        if (active.segment.bytes >= this.options.segmentBytes) await this.closeActive();
      } catch (err) {
        for (const g of group) g.reject(err as Error);
      }
    }
    // Cleared in the same turn as the last look at the queue, so that no append waits unseen.
    this.writing = undefined;
  }

  private async activeSegment(): Promise<{ segment: Segment; handle: FileHandle }> {
    if (this.active) return this.active;
    const segment: Segment = { id: this.nextId++, bytes: 0, rows: 0 };
    const handle = await open(join(this.options.dir, segmentName(segment.id)), 'wx');
    if (this.options.fsync) await syncDir(this.options.dir);
    this.segments.push(segment);
    this.active = { segment, handle };
    return this.active;
  }

  private async closeActive(): Promise<void> {
    const active = this.active;
    this.active = undefined;
    await active?.handle.close();
  }

  /** Policy drop-oldest: removes whole segments, oldest first, until the log fits; returns the unsent rows removed. */
  private async enforceBound(): Promise<number> {
    let dropped = 0;
    while (this.options.whenFull === 'drop-oldest' && this.bytes > this.options.maxBytes && this.segments.length > 1) {
      const oldest = this.segments[0];
      if (this.active?.segment === oldest) break;
      if (oldest.id >= this.cursor.segment) {
        dropped += oldest.id === this.cursor.segment ? oldest.rows - this.cursorRows : oldest.rows;
        this.cursor = { segment: this.segments[1].id, offset: 0 };
        this.cursorRows = 0;
        await this.saveCursor();
      }
      this.segments.shift();
      await rm(join(this.options.dir, segmentName(oldest.id)), { force: true });
    }
    return dropped;
  }

  /** Reads whole records from the cursor, up to about `maxBytes` (at least one record), without moving the cursor. */
  async read(maxBytes: number): Promise<SpoolChunk | undefined> {
    for (;;) {
      const segment = this.segments.find((s) => s.id === this.cursor.segment);
      if (!segment) return undefined;
      if (this.cursor.offset >= segment.bytes) {
        const next = this.segments.find((s) => s.id > segment.id);
        if (!next || this.active?.segment === segment) return undefined;
        await this.moveCursor({ segment: next.id, offset: 0 }, 0);
        continue;
      }
      const start = { ...this.cursor };
      const handle = await open(join(this.options.dir, segmentName(segment.id)), 'r');
      try {
        const length = Math.min(segment.bytes - start.offset, Math.max(maxBytes, HEADER));
        const content = Buffer.alloc(length);
        await handle.read(content, 0, length, start.offset);
        let offset = 0;
        const lines: Buffer[] = [];
        let rows = 0;
        while (offset + HEADER <= length) {
          const size = content.readUInt32LE(offset);
          const end = offset + HEADER + size;
          if (end > length) {
            if (offset > 0) break;
            // One record larger than maxBytes: read it whole.
            const whole = Buffer.alloc(HEADER + size);
            await handle.read(whole, 0, whole.length, start.offset);
            lines.push(...splitLines(whole.subarray(HEADER)));
            rows += whole.readUInt32LE(8);
            offset = whole.length;
            break;
          }
          lines.push(...splitLines(content.subarray(offset + HEADER, end)));
          rows += content.readUInt32LE(offset + 8);
          offset = end;
        }
        const bytes = lines.reduce((sum, l) => sum + l.length, 0);
        return { lines, rows, bytes, start, end: { segment: segment.id, offset: start.offset + offset } };
      } finally {
        await handle.close();
      }
    }
  }

  /** Marks everything up to `chunk.end` as written; a chunk that was dropped meanwhile changes nothing. */
  async ack(chunk: Pick<SpoolChunk, 'start' | 'end' | 'rows'>): Promise<void> {
    if (chunk.start.segment !== this.cursor.segment || chunk.start.offset !== this.cursor.offset) return;
    await this.moveCursor(chunk.end, this.cursorRows + chunk.rows);
    const segment = this.segments.find((s) => s.id === this.cursor.segment);
    const next = this.segments.find((s) => s.id > this.cursor.segment);
    if (segment && next && this.cursor.offset >= segment.bytes && this.active?.segment !== segment) {
      await this.moveCursor({ segment: next.id, offset: 0 }, 0);
    }
  }

  private async moveCursor(to: SpoolPosition, rowsInSegment: number): Promise<void> {
    this.cursor = { ...to };
    this.cursorRows = rowsInSegment;
    await this.saveCursor();
    // The cursor is saved first: a crash between the two steps replays, never skips.
    while (this.segments.length && this.segments[0].id < this.cursor.segment) {
      const gone = this.segments.shift()!;
      await rm(join(this.options.dir, segmentName(gone.id)), { force: true });
    }
  }

  private async saveCursor(): Promise<void> {
    const file = join(this.options.dir, CURSOR_FILE);
    await writeFile(`${file}.tmp`, JSON.stringify(this.cursor));
    await rename(`${file}.tmp`, file);
  }

  /** Waits for appends in progress, then closes the files. Unacknowledged batches stay for the next start. */
  async close(): Promise<void> {
    this.closed = true;
    while (this.writing) await this.writing;
    await this.closeActive();
  }
}

async function syncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } catch {
    // Some file systems cannot fsync a directory; the segment's own fsync still holds its data.
  } finally {
    await handle.close();
  }
}
