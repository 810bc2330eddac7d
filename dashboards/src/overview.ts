// Plant overview: risk per area and equipment, active warnings by level, open incidents with
// their root cause, and the alarm management KPIs, for the control room's main screen.

import * as common from '@grafana/grafana-foundation-sdk/common';
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import * as bargauge from '@grafana/grafana-foundation-sdk/bargauge';
import * as stat from '@grafana/grafana-foundation-sdk/stat';
import * as table from '@grafana/grafana-foundation-sdk/table';
import { fixedColour, LEVEL_COLOUR_NAMES, levelMappings, oilriskDashboard, QUESTDB, sql, table as t, thresholds } from './common.js';

export const OVERVIEW_UID = 'oilrisk-overview';

const LATEST_RISK = `SELECT equipment, area, level, score, total_likelihood, primary_likelihood, secondary_likelihood, root_equipment, root_tag, root_factor
  FROM ${t('risk')} LATEST ON ts PARTITION BY equipment`;

const LEVELS = ['I', 'II', 'III', 'IV'] as const;

export function overview(): dashboard.Dashboard {
  const levelCounts = LEVELS.map((level) => `sum(CASE WHEN level = '${level}' THEN 1 ELSE 0 END) AS level_${level}`).join(', ');
  const warnings = new stat.PanelBuilder()
    .id(1)
    .title('Active warnings by level')
    .description('Equipment at each warning level now: I red (most severe), II orange, III yellow, IV blue.')
    .datasource(QUESTDB)
    .withTarget(sql('A', `SELECT ${levelCounts} FROM (${LATEST_RISK})`))
    .reduceOptions(new common.ReduceDataOptionsBuilder().values(false).calcs(['lastNotNull']))
    .colorMode(common.BigValueColorMode.Background)
    .graphMode(common.BigValueGraphMode.None)
    .textMode(common.BigValueTextMode.ValueAndName)
    .noValue('0')
    .overrideByName('level_I', [fixedColour(LEVEL_COLOUR_NAMES.I), { id: 'displayName', value: 'Level I' }])
    .overrideByName('level_II', [fixedColour(LEVEL_COLOUR_NAMES.II), { id: 'displayName', value: 'Level II' }])
    .overrideByName('level_III', [fixedColour(LEVEL_COLOUR_NAMES.III), { id: 'displayName', value: 'Level III' }])
    .overrideByName('level_IV', [fixedColour(LEVEL_COLOUR_NAMES.IV), { id: 'displayName', value: 'Level IV' }])
    .span(12).height(5);

  const kpis = new stat.PanelBuilder()
    .id(2)
    .title('Alarm KPIs (EEMUA 191)')
    .description('Latest alarm management KPIs: average and peak alarms per 10 minutes (target about 1, flood above 10), time in flood, standing, chattering and stale alarms.')
    .datasource(QUESTDB)
    .withTarget(sql('A', `SELECT alarms_per_10min_avg, alarms_per_10min_peak, flood_pct, standing, chattering, stale
      FROM ${t('kpi')} WHERE $__timeFilter(ts) ORDER BY ts DESC LIMIT 1`))
    .reduceOptions(new common.ReduceDataOptionsBuilder().values(false).calcs(['lastNotNull']))
    .graphMode(common.BigValueGraphMode.None)
    .colorMode(common.BigValueColorMode.Value)
    .thresholds(thresholds([[null, 'green'], [1, 'yellow'], [10, 'red']]))
    .overrideByName('flood_pct', [{ id: 'unit', value: 'percent' }, { id: 'thresholds', value: { mode: 'absolute', steps: [{ value: null, color: 'green' }, { value: 1, color: 'orange' }, { value: 5, color: 'red' }] } }])
    .span(12).height(5);

  const perArea = new bargauge.PanelBuilder()
    .id(3)
    .title('Risk per area')
    .description('Highest risk score of the equipment in each area, now.')
    .datasource(QUESTDB)
    .withTarget(sql('A', `SELECT area, max(score) AS score FROM (${LATEST_RISK}) GROUP BY area ORDER BY score DESC`))
    .reduceOptions(new common.ReduceDataOptionsBuilder().values(true).calcs(['lastNotNull']).fields('/^score$/'))
    .displayMode(common.BarGaugeDisplayMode.Gradient)
    .orientation(common.VizOrientation.Horizontal)
    .min(0)
    .thresholds(thresholds([[null, 'green'], [0.2, 'blue'], [0.4, 'yellow'], [0.6, 'orange'], [0.8, 'red']]))
    .span(8).height(9);

  const perEquipment = new table.PanelBuilder()
    .id(4)
    .title('Risk per equipment')
    .description('Latest risk state of every equipment, most at risk first, with the root cause it traces back to.')
    .datasource(QUESTDB)
    .withTarget(sql('A', `SELECT equipment, area, level, score, total_likelihood, primary_likelihood, secondary_likelihood, root_equipment, root_tag, root_factor
      FROM (${LATEST_RISK}) ORDER BY score DESC`))
    .overrideByName('level', [{ id: 'mappings', value: levelMappings() }, { id: 'custom.cellOptions', value: { type: 'color-background' } }])
    .overrideByRegexp('.*likelihood', [{ id: 'unit', value: 'percentunit' }, { id: 'decimals', value: 1 }])
    .overrideByName('equipment', [{ id: 'links', value: [{ title: 'Equipment detail', url: '/d/oilrisk-equipment?var-equipment=${__value.raw}&${__url_time_range}' }] }])
    .span(16).height(9);

  const incidents = new table.PanelBuilder()
    .id(5)
    .title('Open incidents')
    .description('Incidents still open: the root cause, the first-out alarm and how many alarms it explains.')
    .datasource(QUESTDB)
    .withTarget(sql('A', `SELECT opened_at, incident, level, root_equipment, root_tag, first_alarm, alarm_count, summary
      FROM (SELECT opened_at, incident, status, level, root_equipment, root_tag, first_alarm, alarm_count, summary FROM ${t('incidents')} LATEST ON ts PARTITION BY incident)
      WHERE status = 'open' ORDER BY opened_at DESC`))
    .overrideByName('level', [{ id: 'mappings', value: levelMappings() }, { id: 'custom.cellOptions', value: { type: 'color-background' } }])
    .span(24).height(8);

  return oilriskDashboard('oilrisk - Plant overview', OVERVIEW_UID, 'Risk per area and equipment, active warnings by level, open incidents and alarm KPIs.')
    .withPanel(warnings)
    .withPanel(kpis)
    .withPanel(perArea)
    .withPanel(perEquipment)
    .withPanel(incidents)
    .build();
}
