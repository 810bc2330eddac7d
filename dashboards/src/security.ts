// Network security: device communications health (bad-quality share, last reading, comms
// losses) and the security events the network monitoring reported.

import * as common from '@grafana/grafana-foundation-sdk/common';
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import * as stat from '@grafana/grafana-foundation-sdk/stat';
import * as table from '@grafana/grafana-foundation-sdk/table';
import * as timeseries from '@grafana/grafana-foundation-sdk/timeseries';
import { fixedColour, oilriskDashboard, QUESTDB, series, sql, table as t, thresholds } from './common.js';

export const SECURITY_UID = 'oilrisk-network-security';

const SEVERITIES: Array<[string, string]> = [['high', 'red'], ['medium', 'orange'], ['low', 'yellow'], ['info', 'blue']];

const severityMappings = (): dashboard.ValueMapping[] => [{
  type: dashboard.MappingType.ValueToText,
  options: Object.fromEntries(SEVERITIES.map(([severity, color], index) => [severity, { text: severity, color, index }])),
}];

export function networkSecurity(): dashboard.Dashboard {
  const counts = new stat.PanelBuilder()
    .id(1)
    .title('Security events by severity')
    .datasource(QUESTDB)
    .withTarget(sql('A', `SELECT ${SEVERITIES.map(([s]) => `sum(CASE WHEN severity = '${s}' THEN 1 ELSE 0 END) AS ${s}`).join(', ')}
      FROM ${t('security_events')} WHERE $__timeFilter(ts)`))
    .reduceOptions(new common.ReduceDataOptionsBuilder().values(false).calcs(['lastNotNull']))
    .colorMode(common.BigValueColorMode.Background)
    .graphMode(common.BigValueGraphMode.None)
    .noValue('0')
    .overrideByName('high', [fixedColour('red')])
    .overrideByName('medium', [fixedColour('orange')])
    .overrideByName('low', [fixedColour('yellow')])
    .overrideByName('info', [fixedColour('blue')])
    .span(12).height(5);

  const commsLoss = new timeseries.PanelBuilder()
    .id(2)
    .title('Communication losses')
    .datasource(QUESTDB)
    .withTarget(series('A', `SELECT ts, device, count() AS losses FROM ${t('security_events')}
      WHERE $__timeFilter(ts) AND kind = 'comms-loss' SAMPLE BY $__sampleByInterval FILL(0)`))
    .drawStyle(common.GraphDrawStyle.Bars)
    .min(0)
    .span(12).height(5);

  const health = new table.PanelBuilder()
    .id(3)
    .title('Device communications health')
    .description('Per device address: share of readings that were not good, and when it was last heard from.')
    .datasource(QUESTDB)
    .withTarget(sql('A', `SELECT source AS device, count() AS readings,
      sum(CASE WHEN quality = 'good' THEN 0 ELSE 1 END) * 100.0 / count() AS not_good_pct, max(ts) AS last_seen
      FROM ${t('readings')} WHERE $__timeFilter(ts) GROUP BY source ORDER BY not_good_pct DESC`))
    .overrideByName('not_good_pct', [
      { id: 'unit', value: 'percent' },
      { id: 'custom.cellOptions', value: { type: 'color-background' } },
      { id: 'thresholds', value: thresholds([[null, 'green'], [1, 'yellow'], [10, 'red']]).build() },
    ])
    .span(12).height(10);

  const lastEvent = new table.PanelBuilder()
    .id(4)
    .title('Last event per device')
    .datasource(QUESTDB)
    .withTarget(sql('A', `SELECT device, kind, severity, source, ts AS at FROM ${t('security_events')} LATEST ON ts PARTITION BY device`))
    .overrideByName('severity', [{ id: 'mappings', value: severityMappings() }, { id: 'custom.cellOptions', value: { type: 'color-background' } }])
    .span(12).height(10);

  const events = new table.PanelBuilder()
    .id(5)
    .title('Security events')
    .datasource(QUESTDB)
    .withTarget(sql('A', `SELECT ts, device, kind, severity, source, detail FROM ${t('security_events')}
      WHERE $__timeFilter(ts) ORDER BY ts DESC LIMIT 500`))
    .overrideByName('severity', [{ id: 'mappings', value: severityMappings() }, { id: 'custom.cellOptions', value: { type: 'color-background' } }])
    .span(24).height(10);

  return oilriskDashboard('oilrisk - Network security', SECURITY_UID, 'Device communications health and security events.')
    .withPanel(counts)
    .withPanel(commsLoss)
    .withPanel(health)
    .withPanel(lastEvent)
    .withPanel(events)
    .build();
}
