// Shared pieces of the oilrisk dashboards: the QuestDB query builder the SDK lacks, the data
// source variable, table names from the historian's schema and the warning level colours.

import * as cog from '@grafana/grafana-foundation-sdk/cog';
import * as common from '@grafana/grafana-foundation-sdk/common';
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { DEFAULT_DATASOURCE_UID, QUESTDB_PLUGIN } from '../../lib/grafana/datasource.js';
import { LEVEL_COLOURS, WARNING_LEVELS, type WarningLevel } from '../../lib/model/risk.js';
import { DEFAULT_TABLE_PREFIX, tableDefinition } from '../../lib/questdb/schema.js';

/** Name of the dashboard variable that selects the QuestDB data source. */
export const DATASOURCE_VARIABLE = 'datasource';

export const QUESTDB: common.DataSourceRef = { type: QUESTDB_PLUGIN, uid: `\${${DATASOURCE_VARIABLE}}` };

/** Query formats of the QuestDB plugin (its Format enum: 0 time series, 1 table, 2 auto). */
export const FORMAT = { timeSeries: 0, table: 1 } as const;

export interface QuestDbQuery extends cog.Dataquery {
  refId: string;
  datasource: common.DataSourceRef;
  queryType: 'sql';
  rawSql: string;
  format: number;
  /** What the plugin's editor shows as chosen; the same as `format`, or it would show "auto". */
  selectedFormat: number;
}

/** A target of the questdb-questdb-datasource plugin: {refId, datasource, queryType, rawSql, format}. */
export class QuestDbQueryBuilder implements cog.Builder<cog.Dataquery> {
  private readonly query: QuestDbQuery;

  constructor(refId: string, rawSql: string, format: number = FORMAT.table) {
    this.query = { refId, datasource: QUESTDB, queryType: 'sql', rawSql: squash(rawSql), format, selectedFormat: format, _implementsDataqueryVariant: () => undefined };
  }

  build(): cog.Dataquery {
    return this.query;
  }
}

export const sql = (refId: string, rawSql: string, format: number = FORMAT.table) => new QuestDbQueryBuilder(refId, rawSql, format);
export const series = (refId: string, rawSql: string) => new QuestDbQueryBuilder(refId, rawSql, FORMAT.timeSeries);

/** One line per query in the JSON: easier to read in Grafana's editor and in diffs. */
function squash(text: string): string {
  return text.trim().replace(/\s+/g, ' ');
}

/** The prefixed table name; throws at generation time for a table the historian does not define. */
export function table(name: string): string {
  return DEFAULT_TABLE_PREFIX + tableDefinition(name).name;
}

export function dataSourceVariable(): dashboard.DatasourceVariableBuilder {
  return new dashboard.DatasourceVariableBuilder(DATASOURCE_VARIABLE)
    .label('QuestDB')
    .type(QUESTDB_PLUGIN)
    .current({ selected: true, text: DEFAULT_DATASOURCE_UID, value: DEFAULT_DATASOURCE_UID });
}

/** A variable filled by a QuestDB query (one column of values). */
export function queryVariable(name: string, label: string, rawSql: string): dashboard.QueryVariableBuilder {
  return new dashboard.QueryVariableBuilder(name)
    .label(label)
    .datasource(QUESTDB)
    .query(squash(rawSql))
    .refresh(dashboard.VariableRefresh.OnTimeRangeChanged)
    .sort(dashboard.VariableSort.AlphabeticalAsc);
}

/** Grafana named colours for the graded early warning: I red, II orange, III yellow, IV blue. */
export const LEVEL_COLOUR_NAMES = LEVEL_COLOURS;

/** Value mappings that show a level as text on its colour. */
export function levelMappings(): dashboard.ValueMapping[] {
  const options: Record<string, dashboard.ValueMappingResult> = {};
  WARNING_LEVELS.forEach((level: WarningLevel, index) => {
    options[level] = { text: level === 'normal' ? 'normal' : `level ${level}`, color: LEVEL_COLOURS[level], index };
  });
  return [{ type: dashboard.MappingType.ValueToText, options }];
}

/** SQL CASE that turns the level column into the node graph's colour. */
export function levelColourSql(column: string): string {
  const whens = WARNING_LEVELS.map((level) => `WHEN '${level}' THEN '${LEVEL_COLOURS[level]}'`).join(' ');
  return `CASE ${column} ${whens} ELSE 'grey' END`;
}

export function fixedColour(colour: string): dashboard.DynamicConfigValue {
  return { id: 'color', value: { mode: 'fixed', fixedColor: colour } };
}

export function thresholds(steps: Array<[number | null, string]>): dashboard.ThresholdsConfigBuilder {
  return new dashboard.ThresholdsConfigBuilder()
    .mode(dashboard.ThresholdsMode.Absolute)
    .steps(steps.map(([value, color]) => ({ value, color })));
}

export const TIME = { from: 'now-6h', to: 'now' };
export const REFRESH = '30s';
export const TAGS = ['oilrisk'];

/** The annotations the oilrisk-grafana-annotate node writes (tag "oilrisk"), shown on every time panel. */
export function oilriskAnnotations(): dashboard.AnnotationQueryBuilder {
  const target: cog.Builder<cog.Dataquery> = {
    build: () => ({ type: 'tags', tags: ['oilrisk'], limit: 200, matchAny: false, _implementsDataqueryVariant: () => undefined }) as cog.Dataquery,
  };
  return new dashboard.AnnotationQueryBuilder()
    .name('oilrisk alarms and incidents')
    .datasource({ type: 'grafana', uid: '-- Grafana --' })
    .enable(true)
    .iconColor('red')
    .target(target);
}

/** What every oilrisk dashboard shares: tags, time, refresh, the data source variable and the alarm annotations. */
export function oilriskDashboard(title: string, uid: string, description: string, time: { from: string; to: string } = TIME): dashboard.DashboardBuilder {
  return new dashboard.DashboardBuilder(title)
    .uid(uid)
    .description(description)
    .tags(TAGS)
    .time(time)
    .refresh(REFRESH)
    .timezone('browser')
    .withVariable(dataSourceVariable())
    .annotation(oilriskAnnotations());
}
