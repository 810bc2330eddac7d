// The DDL the historian runs at start when QuestDB answers: one CREATE TABLE IF NOT EXISTS per
// table, WAL with DEDUP UPSERT KEYS so that a replayed batch cannot duplicate rows.

import { TABLES, type TableDefinition } from './schema.js';

export interface DdlOptions {
  prefix: string;
  /** Partitions older than this are dropped by QuestDB; 0 keeps everything. */
  ttlDays: number;
}

/** Clause order matters: QuestDB accepts PARTITION BY, TTL, WAL, DEDUP in this order only. */
export function createTableSql(table: TableDefinition, options: DdlOptions): string {
  const columns = table.columns.map((c) => `${c.name} ${c.type}`).join(', ');
  const ttl = options.ttlDays > 0 ? ` TTL ${Math.floor(options.ttlDays)} DAYS` : '';
  return `CREATE TABLE IF NOT EXISTS ${options.prefix}${table.name} (${columns}) TIMESTAMP(ts) PARTITION BY DAY${ttl} WAL DEDUP UPSERT KEYS(${table.dedupKeys.join(', ')})`;
}

export function schemaSql(options: DdlOptions, tables: readonly TableDefinition[] = TABLES): string[] {
  return tables.map((t) => createTableSql(t, options));
}
