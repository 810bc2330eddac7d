// Rows to InfluxDB line protocol, built with @questdb/nodejs-client's buffer (protocol v1: text,
// one row per line, designated timestamp in ns) after checking every value against the schema.

import { createBuffer, SenderOptions, type SenderBuffer } from '@questdb/nodejs-client';
import type { TableRow } from './rows.js';
import { tableDefinition, type ColumnDefinition, type TableDefinition } from './schema.js';

export interface EncodedBatch {
  /** One Buffer per row, each ending in "\n"; a line may hold an escaped newline inside a value. */
  lines: Buffer[];
  /** One message per row that could not be encoded; the other rows are encoded. */
  errors: string[];
}

/** The write precision that matches the lines: protocol v1 writes the designated timestamp in nanoseconds. */
export const LINE_PRECISION = 'n';

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function checkTablePrefix(prefix: string): string {
  if (prefix !== '' && !NAME.test(prefix)) {
    throw new Error(`oilrisk/questdb: table prefix "${prefix}" may only hold letters, digits and "_", and not start with a digit`);
  }
  return prefix;
}

function checkCell(table: string, column: ColumnDefinition, value: unknown): string | undefined {
  const where = `table "${table}" column "${column.name}"`;
  switch (column.type) {
    case 'SYMBOL':
    case 'STRING':
      return typeof value === 'string' ? undefined : `${where}: expected text, got ${typeof value}`;
    case 'DOUBLE':
      if (typeof value !== 'number') return `${where}: expected a number, got ${typeof value}`;
      return Number.isFinite(value) ? undefined : `${where}: ${value} cannot be stored (NaN and infinities are rejected; send null for no value)`;
    case 'LONG':
      return typeof value === 'number' && Number.isSafeInteger(value) ? undefined : `${where}: expected an integer, got ${String(value)}`;
    case 'BOOLEAN':
      return typeof value === 'boolean' ? undefined : `${where}: expected true or false, got ${typeof value}`;
    case 'TIMESTAMP':
      return typeof value === 'number' && Number.isFinite(value) ? undefined : `${where}: expected a time in ms since the epoch, got ${String(value)}`;
  }
}

function writeRow(buffer: SenderBuffer, name: string, def: TableDefinition, row: TableRow): void {
  buffer.table(name);
  // Line protocol wants the tag set (symbols) before the fields.
  for (const column of def.columns) {
    const value = row.values[column.name];
    // An empty symbol is no value: line protocol cannot carry it.
    if (column.type === 'SYMBOL' && value !== undefined && value !== null && value !== '') buffer.symbol(column.name, value as string);
  }
  for (const column of def.columns) {
    const value = row.values[column.name];
    if (column.name === 'ts' || column.type === 'SYMBOL' || value === undefined || value === null) continue;
    if (column.type === 'STRING') buffer.stringColumn(column.name, value as string);
    else if (column.type === 'DOUBLE') buffer.floatColumn(column.name, value as number);
    else if (column.type === 'LONG') buffer.intColumn(column.name, value as number);
    else if (column.type === 'BOOLEAN') buffer.booleanColumn(column.name, value as boolean);
    else buffer.timestampColumn(column.name, Math.round(value as number), 'ms');
  }
  buffer.at(Math.round(row.ts), 'ms');
}

const columnsOf = new Map<TableDefinition, Map<string, ColumnDefinition>>();

function columnMap(def: TableDefinition): Map<string, ColumnDefinition> {
  let map = columnsOf.get(def);
  if (!map) {
    map = new Map(def.columns.map((c) => [c.name, c]));
    columnsOf.set(def, map);
  }
  return map;
}

function problemsOf(row: TableRow, name: string, def: TableDefinition): string[] {
  const problems: string[] = [];
  if (typeof row.ts !== 'number' || !Number.isFinite(row.ts)) problems.push(`table "${name}" column "ts": expected a time in ms since the epoch, got ${String(row.ts)}`);
  const columns = columnMap(def);
  for (const key in row.values) {
    const column = columns.get(key);
    const value = row.values[key];
    if (!column) problems.push(`table "${name}" has no column "${key}"`);
    else if (key !== 'ts' && value !== undefined && value !== null) {
      const problem = checkCell(name, column, value);
      if (problem) problems.push(problem);
    }
  }
  return problems;
}

function newBuffer(): SenderBuffer {
  return createBuffer(new SenderOptions('http::addr=localhost:9000;protocol_version=1'));
}

interface CheckedRow {
  name: string;
  def: TableDefinition;
  row: TableRow;
}

/** Rows whose every value can be written; the others are reported with their table and column. */
function checkRows(rows: readonly TableRow[], prefix: string, errors: string[]): CheckedRow[] {
  const checked: CheckedRow[] = [];
  for (const row of rows) {
    const def = tableDefinition(row.table);
    const name = prefix + def.name;
    const problems = problemsOf(row, name, def);
    if (problems.length) errors.push(`oilrisk/questdb: ${problems.join('; ')}`);
    else checked.push({ name, def, row });
  }
  return checked;
}

/** Encodes rows for tables named `prefix + table`; a row with a bad value is reported with its table and column, and left out. */
export function encodeRows(rows: readonly TableRow[], prefix: string): EncodedBatch {
  const errors: string[] = [];
  const checked = checkRows(rows, prefix, errors);
  const buffer = newBuffer();
  const ends: number[] = [];
  for (const { name, def, row } of checked) {
    try {
      writeRow(buffer, name, def, row);
    } catch {
      // The client refused something half-way through a row: the buffer holds a partial line,
      // so encode again row by row, each in its own buffer.
      return encodeOneByOne(checked, errors);
    }
    ends.push(buffer.currentPosition());
  }
  const all = buffer.toBufferNew() ?? Buffer.alloc(0);
  const lines: Buffer[] = [];
  let start = 0;
  for (const end of ends) {
    lines.push(all.subarray(start, end));
    start = end;
  }
  return { lines, errors };
}

function encodeOneByOne(checked: readonly CheckedRow[], errors: string[]): EncodedBatch {
  const buffer = newBuffer();
  const lines: Buffer[] = [];
  for (const { name, def, row } of checked) {
    buffer.reset();
    try {
      writeRow(buffer, name, def, row);
      lines.push(Buffer.from(buffer.toBufferView()));
    } catch (err) {
      errors.push(`oilrisk/questdb: table "${name}": ${(err as Error).message}`);
    }
  }
  return { lines, errors };
}
