import assert from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkDashboard } from '../../../lib/grafana/index.js';
import { DASHBOARDS, renderDashboards } from '../../../dashboards/src/index.js';
import { checkNames, substituteMacros } from './sql-names.js';

type ParseToAst = (sql: string) => { ast: unknown[]; errors: Array<{ message: string }> };

const GENERATED = join(__dirname, '..', '..', '..', 'dashboards', 'generated');

interface Panel {
  id?: number;
  type: string;
  title: string;
  datasource?: { type: string; uid: string };
  targets?: Array<{ refId: string; rawSql?: string; queryType?: string; format?: number; datasource?: { type: string; uid: string } }>;
  options?: Record<string, unknown>;
  fieldConfig?: { defaults?: { mappings?: unknown[] }; overrides?: Array<{ matcher: { options: string }; properties: Array<{ id: string; value: unknown }> }> };
}

interface Dashboard {
  uid: string;
  title: string;
  schemaVersion: number;
  time: { from: string; to: string };
  refresh: string;
  panels: Panel[];
  templating: { list: Array<{ name: string; type: string; query?: unknown }> };
}

const built = DASHBOARDS.map(({ file, build }) => ({ file, dashboard: build() as unknown as Dashboard }));

function queries(): Array<{ where: string; sql: string }> {
  const found: Array<{ where: string; sql: string }> = [];
  for (const { file, dashboard } of built) {
    for (const panel of dashboard.panels) {
      for (const target of panel.targets ?? []) if (target.rawSql) found.push({ where: `${file} panel ${panel.id} "${panel.title}" ${target.refId}`, sql: target.rawSql });
    }
    for (const variable of dashboard.templating.list) {
      if (variable.type === 'query' && typeof variable.query === 'string') found.push({ where: `${file} variable ${variable.name}`, sql: variable.query });
    }
  }
  return found;
}

describe('dashboards', () => {
  let parseToAst: ParseToAst;
  before(async () => {
    // The parser is an ES module (chevrotain): load it the ESM way from this CommonJS test.
    ({ parseToAst } = await import('@questdb/sql-parser') as { parseToAst: ParseToAst });
  });

  it('committed JSON in dashboards/generated is what the sources generate (run npm run dashboards)', () => {
    const rendered = renderDashboards();
    const committed = readdirSync(GENERATED).filter((f) => f.endsWith('.json')).sort();
    assert.deepStrictEqual(committed, [...rendered.keys()].sort(), 'generated files differ from the catalogue: run npm run dashboards');
    for (const [file, text] of rendered) {
      assert.ok(readFileSync(join(GENERATED, file), 'utf8') === text, `dashboards/generated/${file} is stale: run npm run dashboards`);
    }
  });

  it('has stable unique uids of at most 40 characters, schema 42, a time range and a refresh', () => {
    const uids = built.map(({ dashboard }) => dashboard.uid);
    assert.strictEqual(new Set(uids).size, uids.length);
    for (const { file, dashboard } of built) {
      checkDashboard(dashboard, file);
      assert.ok(dashboard.uid.length <= 40 && dashboard.uid.startsWith('oilrisk-'), file);
      assert.strictEqual(dashboard.schemaVersion, 42, file);
      assert.ok(dashboard.time.from && dashboard.time.to && dashboard.refresh, file);
    }
  });

  it('gives every panel an explicit unique id and the QuestDB data source variable', () => {
    for (const { file, dashboard } of built) {
      const ids = dashboard.panels.map((p) => p.id);
      assert.ok(ids.every((id) => Number.isInteger(id) && id! > 0), `${file}: a panel has no id`);
      assert.strictEqual(new Set(ids).size, ids.length, `${file}: duplicate panel id`);
      const variable = dashboard.templating.list.find((v) => v.name === 'datasource');
      assert.deepStrictEqual([variable?.type, variable?.query], ['datasource', 'questdb-questdb-datasource'], file);
      for (const panel of dashboard.panels) {
        assert.deepStrictEqual(panel.datasource, { type: 'questdb-questdb-datasource', uid: '${datasource}' }, `${file} panel ${panel.id}`);
        for (const target of panel.targets ?? []) {
          assert.strictEqual(target.queryType, 'sql');
          assert.ok(target.format === 0 || target.format === 1);
          assert.deepStrictEqual(target.datasource, panel.datasource);
        }
      }
    }
  });

  it('parses every query with the QuestDB parser after substituting Grafana macros', () => {
    const all = queries();
    assert.ok(all.length >= 30, `only ${all.length} queries found`);
    for (const { where, sql } of all) {
      const { errors } = parseToAst(substituteMacros(sql));
      assert.deepStrictEqual(errors.map((e) => e.message), [], `${where}: ${sql}`);
    }
  });

  it('names only tables and columns that the historian schema defines', () => {
    for (const { where, sql } of queries()) {
      const { ast } = parseToAst(substituteMacros(sql));
      assert.deepStrictEqual(checkNames(ast), [], `${where}: ${sql}`);
    }
  });

  it('catches a query naming an unknown table, column or alias', () => {
    const problems = (sql: string) => checkNames(parseToAst(substituteMacros(sql)).ast);
    assert.deepStrictEqual(problems('SELECT ts FROM oilrisk_nope WHERE $__timeFilter(ts)'), ['unknown table "oilrisk_nope"', 'unknown column "ts"', 'unknown column "ts"']);
    assert.deepStrictEqual(problems('SELECT equipment, temperature FROM oilrisk_risk'), ['unknown column "temperature"']);
    assert.deepStrictEqual(problems('SELECT r.level, x.score FROM oilrisk_risk r'), ['unknown table or alias "x" in "x.score"']);
    assert.deepStrictEqual(problems('SELECT a FROM (SELECT level AS a FROM oilrisk_risk) WHERE b = 1'), ['unknown column "b"']);
    assert.deepStrictEqual(problems('SELECT level FROM oilrisk_risk LATEST ON ts PARTITION BY equipments'), ['unknown column "equipments"']);
  });

  it('draws the risk graph with the Node Graph fields in lower case, coloured by level', () => {
    const graph = built.find((b) => b.dashboard.uid === 'oilrisk-risk-graph')!.dashboard.panels.find((p) => p.type === 'nodeGraph')!;
    assert.deepStrictEqual(graph.targets!.map((t) => [t.refId, t.format]), [['nodes', 1], ['edges', 1]]);
    const aliases = (refId: string) => [...graph.targets!.find((t) => t.refId === refId)!.rawSql!.matchAll(/ AS (\w+)/g)].map((m) => m[1]);
    const nodeFields = aliases('nodes');
    for (const f of ['id', 'title', 'subtitle', 'mainstat', 'secondarystat', 'color']) assert.ok(nodeFields.includes(f), `nodes lack ${f}`);
    assert.ok(nodeFields.every((f) => f === f.toLowerCase()));
    const nodesSql = graph.targets!.find((t) => t.refId === 'nodes')!.rawSql!;
    for (const [level, colour] of [['I', 'red'], ['II', 'orange'], ['III', 'yellow'], ['IV', 'blue']]) assert.ok(nodesSql.includes(`WHEN '${level}' THEN '${colour}'`), level);
    const edgeFields = aliases('edges');
    for (const f of ['id', 'mainstat', 'thickness']) assert.ok(edgeFields.includes(f), `edges lack ${f}`);
    assert.match(graph.targets!.find((t) => t.refId === 'edges')!.rawSql!, /SELECT .* source, target,/);
  });

  it('shows the alarm rate against the 1 and 10 per 10 minutes lines', () => {
    const alarms = built.find((b) => b.dashboard.uid === 'oilrisk-alarms')!.dashboard;
    const rate = alarms.panels.find((p) => p.title === 'Alarms per 10 minutes') as Panel & { fieldConfig: { defaults: { thresholds: { steps: Array<{ value: number | null }> }; custom: { thresholdsStyle: { mode: string } } } } };
    assert.match(rate.targets![0].rawSql!, /SAMPLE BY 10m/);
    assert.deepStrictEqual(rate.fieldConfig.defaults.thresholds.steps.map((s) => s.value), [null, 1, 10]);
    assert.notStrictEqual(rate.fieldConfig.defaults.custom.thresholdsStyle.mode, 'off');
  });
});
