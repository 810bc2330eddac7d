// Equipment detail, templated by equipment: tag trends against their limits, the forecast
// and predicted breach, factor states, and the propagation paths that explain its risk.

import * as common from '@grafana/grafana-foundation-sdk/common';
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import * as stat from '@grafana/grafana-foundation-sdk/stat';
import * as table from '@grafana/grafana-foundation-sdk/table';
import * as timeseries from '@grafana/grafana-foundation-sdk/timeseries';
import { levelMappings, oilriskDashboard, queryVariable, QUESTDB, series, sql, table as t } from './common.js';

export const EQUIPMENT_UID = 'oilrisk-equipment';

export function equipmentDetail(): dashboard.Dashboard {
  const state = new stat.PanelBuilder()
    .id(1)
    .title('Risk now: $equipment')
    .datasource(QUESTDB)
    .withTarget(sql('A', `SELECT level, score, total_likelihood, root_equipment FROM ${t('risk')} WHERE equipment = '$equipment' LATEST ON ts PARTITION BY equipment`))
    .reduceOptions(new common.ReduceDataOptionsBuilder().values(false).calcs(['lastNotNull']).fields('/.*/'))
    .textMode(common.BigValueTextMode.ValueAndName)
    .colorMode(common.BigValueColorMode.Background)
    .graphMode(common.BigValueGraphMode.None)
    .overrideByName('level', [{ id: 'mappings', value: levelMappings() }])
    .overrideByName('total_likelihood', [{ id: 'unit', value: 'percentunit' }])
    .span(24).height(4);

  const risk = new timeseries.PanelBuilder()
    .id(2)
    .title('Risk score and likelihoods')
    .datasource(QUESTDB)
    .withTarget(series('A', `SELECT ts, score, total_likelihood, primary_likelihood, secondary_likelihood FROM ${t('risk')}
      WHERE $__timeFilter(ts) AND equipment = '$equipment'`))
    .lineInterpolation(common.LineInterpolation.StepAfter)
    .min(0)
    .span(24).height(7);

  // One panel per tag (repeated by the tag variable); the limits come from the site model as flat lines.
  const trend = new timeseries.PanelBuilder()
    .id(3)
    .title('$tag')
    .description('The tag against its limits LL, L, H and HH from the site model.')
    .datasource(QUESTDB)
    .repeat('tag')
    .repeatDirection('h')
    .maxPerRow(3)
    .withTarget(series('A', `SELECT r.ts, r.value, l.limit_ll, l.limit_l, l.limit_h, l.limit_hh
      FROM (SELECT ts, avg(value) AS value FROM ${t('readings')} WHERE $__timeFilter(ts) AND tag = '$tag' SAMPLE BY $__sampleByInterval FILL(NULL)) r
      CROSS JOIN (SELECT limit_ll, limit_l, limit_h, limit_hh FROM ${t('tags')} WHERE tag = '$tag' LATEST ON ts PARTITION BY tag) l`))
    .overrideByRegexp('limit_h.*', [{ id: 'color', value: { mode: 'fixed', fixedColor: 'red' } }, { id: 'custom.lineStyle', value: { fill: 'dash', dash: [10, 10] } }])
    .overrideByRegexp('limit_l.*', [{ id: 'color', value: { mode: 'fixed', fixedColor: 'blue' } }, { id: 'custom.lineStyle', value: { fill: 'dash', dash: [10, 10] } }])
    .span(8).height(8);

  const forecast = new timeseries.PanelBuilder()
    .id(4)
    .title('Forecast: time to predicted breach')
    .description('Seconds until the forecast crosses the next limit, per factor, with its confidence.')
    .datasource(QUESTDB)
    .withTarget(series('A', `SELECT ts, factor, predicted_breach_s FROM ${t('factors')}
      WHERE $__timeFilter(ts) AND equipment = '$equipment' AND predicted_breach_s IS NOT NULL`))
    .unit('s')
    .min(0)
    .span(12).height(8);

  const factors = new table.PanelBuilder()
    .id(5)
    .title('Factor states and predicted breach')
    .datasource(QUESTDB)
    .withTarget(sql('A', `SELECT ts AS since, tag, factor, state, likelihood, predicted_breach_s,
      dateadd('s', cast(predicted_breach_s AS int), ts) AS predicted_breach_at, confidence
      FROM ${t('factors')} WHERE equipment = '$equipment' LATEST ON ts PARTITION BY tag, factor`))
    .overrideByName('likelihood', [{ id: 'unit', value: 'percentunit' }])
    .overrideByName('confidence', [{ id: 'unit', value: 'percentunit' }])
    .overrideByName('predicted_breach_s', [{ id: 'unit', value: 's' }])
    .span(12).height(8);

  const paths = new table.PanelBuilder()
    .id(6)
    .title('Explanation: strongest propagation paths')
    .description('Where the risk of $equipment comes from: each path from a primary source, with the likelihood it transmits.')
    .datasource(QUESTDB)
    .withTarget(sql('A', `SELECT rank, source, path, weight, ts FROM ${t('risk_paths')}
      WHERE equipment = '$equipment' LATEST ON ts PARTITION BY rank ORDER BY rank`))
    .overrideByName('weight', [{ id: 'unit', value: 'percentunit' }])
    .span(24).height(7);

  return oilriskDashboard('oilrisk - Equipment detail', EQUIPMENT_UID, 'One equipment: tag trends with limits, forecast and predicted breach, factor states, explanation paths.')
    .withVariable(queryVariable('equipment', 'Equipment', `SELECT DISTINCT equipment FROM ${t('tags')} ORDER BY equipment`))
    .withVariable(queryVariable('tag', 'Tag', `SELECT DISTINCT tag FROM ${t('tags')} WHERE equipment = '$equipment' ORDER BY tag`).multi(true).includeAll(true))
    .withPanel(state)
    .withPanel(risk)
    .withPanel(trend)
    .withPanel(forecast)
    .withPanel(factors)
    .withPanel(paths)
    .build();
}
