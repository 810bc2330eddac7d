// Checks that a dashboard query names only the historian's tables and columns: Grafana macros
// and template variables are substituted, the SQL is parsed with @questdb/sql-parser, and
// every table reference and column reference of the AST is resolved against schema.ts.

import { DEFAULT_TABLE_PREFIX, TABLES } from '../../../lib/questdb/schema.js';

type Node = Record<string, unknown>;

/** Grafana's QuestDB macros and the dashboards' variables, replaced by SQL the parser accepts. */
export function substituteMacros(sql: string): string {
  return sql
    .replace(/\$__timeFilter\(([^)]+)\)/g, '$1 BETWEEN cast(1700000000000000 AS timestamp) AND cast(1700003600000000 AS timestamp)')
    .replace(/\$__fromTime/g, 'cast(1700000000000000 AS timestamp)')
    .replace(/\$__toTime/g, 'cast(1700003600000000 AS timestamp)')
    .replace(/\$__sampleByInterval/g, '1m')
    .replace(/\$\{(\w+)(:\w+)?\}|\$(\w+)/g, 'VAR_$1$3');
}

export const SCHEMA: ReadonlyMap<string, ReadonlySet<string>> = new Map(
  TABLES.map((t) => [DEFAULT_TABLE_PREFIX + t.name, new Set(t.columns.map((c) => c.name))]),
);

interface Source {
  names: string[];
  columns: ReadonlySet<string>;
}

const isNode = (v: unknown): v is Node => typeof v === 'object' && v !== null && !Array.isArray(v);
const parts = (q: unknown): string[] => (isNode(q) && Array.isArray(q.parts) ? (q.parts as string[]) : []);

export function checkNames(ast: unknown[], schema: ReadonlyMap<string, ReadonlySet<string>> = SCHEMA): string[] {
  const problems: string[] = [];
  for (const statement of ast) if (isNode(statement) && statement.type === 'select') checkSelect(statement, [], schema, problems);
  return problems;
}

/** Output column names of a select: aliases, plain column names, and everything for `*`. */
function outputs(select: Node, sources: Source[]): Set<string> {
  const names = new Set<string>();
  for (const item of (select.columns as Node[] | undefined) ?? []) {
    if (item.type === 'star') sources.forEach((s) => s.columns.forEach((c) => names.add(c)));
    else if (typeof item.alias === 'string') names.add(item.alias);
    else if (isNode(item.expression) && item.expression.type === 'column') names.add(parts(item.expression.name).at(-1)!);
  }
  return names;
}

function checkSelect(select: Node, outer: Source[], schema: ReadonlyMap<string, ReadonlySet<string>>, problems: string[]): Set<string> {
  const sources: Source[] = [];
  const joinConditions: unknown[] = [];
  const addRef = (ref: Node) => {
    const target = ref.table;
    const alias = typeof ref.alias === 'string' ? [ref.alias] : [];
    if (isNode(target) && target.type === 'qualifiedName') {
      const name = parts(target).join('.');
      const columns = schema.get(name);
      if (!columns) problems.push(`unknown table "${name}"`);
      sources.push({ names: [...alias, name], columns: columns ?? new Set() });
    } else if (isNode(target) && target.type === 'select') {
      sources.push({ names: alias, columns: checkSelect(target, outer, schema, problems) });
    }
  };
  for (const ref of (select.from as Node[] | undefined) ?? []) {
    addRef(ref);
    for (const join of (ref.joins as Node[] | undefined) ?? []) {
      if (isNode(join.table)) addRef(join.table);
      joinConditions.push(join.on);
    }
  }
  const scope = [...sources, ...outer];
  const out = outputs(select, sources);
  // ORDER BY and outer clauses may name an alias; a plain column must still resolve.
  const aliases = new Set(((select.columns as Node[] | undefined) ?? []).map((c) => c.alias).filter((a): a is string => typeof a === 'string'));
  const known = (column: string) => scope.some((s) => s.columns.has(column));

  const checkColumn = (name: string[]) => {
    if (name.length === 1) {
      if (!known(name[0]) && !aliases.has(name[0])) problems.push(`unknown column "${name[0]}"`);
    } else {
      const [qualifier, column] = name.slice(-2);
      const source = scope.find((s) => s.names.includes(qualifier));
      if (!source) problems.push(`unknown table or alias "${qualifier}" in "${name.join('.')}"`);
      else if (!source.columns.has(column)) problems.push(`unknown column "${name.join('.')}"`);
    }
  };

  const walk = (value: unknown): void => {
    if (Array.isArray(value)) { value.forEach(walk); return; }
    if (!isNode(value)) return;
    if (value.type === 'select') { checkSelect(value, scope, schema, problems); return; }
    if (value.type === 'column') { checkColumn(parts(value.name)); return; }
    for (const [key, child] of Object.entries(value)) if (key !== 'alias') walk(child);
  };

  walk(select.columns);
  walk(select.where);
  walk(joinConditions);
  walk(select.groupBy);
  walk(select.having);
  walk(select.orderBy);
  walk(select.sampleBy);
  if (isNode(select.latestOn)) {
    checkColumn(parts(select.latestOn.timestamp));
    for (const p of (select.latestOn.partitionBy as unknown[] | undefined) ?? []) checkColumn(parts(p));
  }
  const handled = new Set(['type', 'columns', 'from', 'where', 'groupBy', 'having', 'orderBy', 'sampleBy', 'latestOn', 'limit', 'distinct']);
  for (const key of Object.keys(select)) if (!handled.has(key)) problems.push(`checker does not know the "${key}" clause: extend test/lib/grafana/sql-names.ts`);
  return out;
}
