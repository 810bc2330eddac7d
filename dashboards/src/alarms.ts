// Alarm management after EEMUA 191 / ISA-18.2: alarm rate per 10 minutes against the 1 and 10
// lines, time in flood, top-10 bad actors, chattering and stale alarms, and the priority mix.

import * as common from '@grafana/grafana-foundation-sdk/common';
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import * as piechart from '@grafana/grafana-foundation-sdk/piechart';
import * as stat from '@grafana/grafana-foundation-sdk/stat';
import * as table from '@grafana/grafana-foundation-sdk/table';
import * as timeseries from '@grafana/grafana-foundation-sdk/timeseries';
import { fixedColour, levelMappings, oilriskDashboard, QUESTDB, series, sql, table as t, thresholds } from './common.js';

export const ALARMS_UID = 'oilrisk-alarms';

/** An alarm is annunciated when it enters the unacknowledged state. */
const ANNUNCIATED = `state = 'unacknowledged'`;

export function alarmManagement(): dashboard.Dashboard {
  const rate = new timeseries.PanelBuilder()
    .id(1)
    .title('Alarms per 10 minutes')
    .description('Annunciated alarms in each 10 minutes. EEMUA 191: about 1 is manageable; above 10 is a flood.')
    .datasource(QUESTDB)
    .withTarget(series('A', `SELECT ts, count() AS alarms FROM ${t('alarm_events')} WHERE $__timeFilter(ts) AND ${ANNUNCIATED} SAMPLE BY 10m FILL(0) ALIGN TO CALENDAR`))
    .drawStyle(common.GraphDrawStyle.Bars)
    .fillOpacity(60)
    .min(0)
    .thresholds(thresholds([[null, 'green'], [1, 'yellow'], [10, 'red']]))
    .thresholdsStyle(new common.GraphThresholdsStyleConfigBuilder().mode(common.GraphThresholdsStyleMode.DashedAndArea))
    .span(16).height(8);

  const flood = new stat.PanelBuilder()
    .id(2)
    .title('Time in flood')
    .description('Share of the window with more than 10 alarms per 10 minutes (target below 1 %).')
    .datasource(QUESTDB)
    .withTarget(series('A', `SELECT ts, flood_pct FROM ${t('kpi')} WHERE $__timeFilter(ts)`))
    .unit('percent')
    .reduceOptions(new common.ReduceDataOptionsBuilder().calcs(['lastNotNull']))
    .graphMode(common.BigValueGraphMode.Area)
    .colorMode(common.BigValueColorMode.Background)
    .thresholds(thresholds([[null, 'green'], [1, 'orange'], [5, 'red']]))
    .span(8).height(8);

  const badActors = new table.PanelBuilder()
    .id(3)
    .title('Top 10 bad actors')
    .description('The alarms annunciated most often in the time range.')
    .datasource(QUESTDB)
    .withTarget(sql('A', `SELECT alarm, equipment, count() AS annunciations FROM ${t('alarm_events')}
      WHERE $__timeFilter(ts) AND ${ANNUNCIATED} GROUP BY alarm, equipment ORDER BY annunciations DESC LIMIT 10`))
    .overrideByName('annunciations', [{ id: 'custom.cellOptions', value: { type: 'gauge', mode: 'basic' } }])
    .span(12).height(9);

  const priorities = new piechart.PanelBuilder()
    .id(4)
    .title('Priority mix')
    .description('Annunciated alarms by priority. EEMUA 191 guidance: about 80 % low, 15 % medium, 5 % high.')
    .datasource(QUESTDB)
    .withTarget(sql('A', `SELECT priority, count() AS alarms FROM ${t('alarm_events')} WHERE $__timeFilter(ts) AND ${ANNUNCIATED} GROUP BY priority`))
    .reduceOptions(new common.ReduceDataOptionsBuilder().values(true).calcs(['lastNotNull']).fields('/^alarms$/'))
    .pieType(piechart.PieChartType.Donut)
    .displayLabels([piechart.PieChartLabels.Name, piechart.PieChartLabels.Percent])
    .overrideByName('urgent', [fixedColour('red')])
    .overrideByName('high', [fixedColour('orange')])
    .overrideByName('medium', [fixedColour('yellow')])
    .overrideByName('low', [fixedColour('blue')])
    .span(12).height(9);

  const health = new timeseries.PanelBuilder()
    .id(5)
    .title('Standing, chattering and stale alarms')
    .datasource(QUESTDB)
    .withTarget(series('A', `SELECT ts, standing, chattering, stale FROM ${t('kpi')} WHERE $__timeFilter(ts)`))
    .lineInterpolation(common.LineInterpolation.StepAfter)
    .min(0)
    .span(24).height(7);

  const chattering = new table.PanelBuilder()
    .id(6)
    .title('Chattering alarms')
    .description('Alarms annunciated 3 times or more within one minute.')
    .datasource(QUESTDB)
    .withTarget(sql('A', `SELECT alarm, max(per_minute) AS peak_per_minute, sum(per_minute) AS annunciations
      FROM (SELECT ts, alarm, count() AS per_minute FROM ${t('alarm_events')} WHERE $__timeFilter(ts) AND ${ANNUNCIATED} SAMPLE BY 1m)
      WHERE per_minute >= 3 GROUP BY alarm ORDER BY peak_per_minute DESC`))
    .span(12).height(8);

  const stale = new table.PanelBuilder()
    .id(7)
    .title('Stale alarms')
    .description('Alarms active for more than 24 hours.')
    .datasource(QUESTDB)
    .withTarget(sql('A', `SELECT alarm, equipment, level, state, ts AS since
      FROM (SELECT alarm, equipment, level, state, ts FROM ${t('alarm_events')} LATEST ON ts PARTITION BY alarm)
      WHERE state IN ('unacknowledged', 'acknowledged') AND ts < dateadd('h', -24, now()) ORDER BY since`))
    .overrideByName('level', [{ id: 'mappings', value: levelMappings() }, { id: 'custom.cellOptions', value: { type: 'color-background' } }])
    .span(12).height(8);

  return oilriskDashboard('oilrisk - Alarm management', ALARMS_UID, 'Alarm rate against the EEMUA 191 lines, flood, bad actors, chattering and stale alarms, priority mix.', { from: 'now-24h', to: 'now' })
    .withPanel(rate)
    .withPanel(flood)
    .withPanel(badActors)
    .withPanel(priorities)
    .withPanel(health)
    .withPanel(chattering)
    .withPanel(stale)
    .build();
}

