// Risk graph: the equipment and their dependencies as a Node Graph panel, each node coloured
// by its warning level and sized by its score, each edge by its transmission weight.

import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import * as nodegraph from '@grafana/grafana-foundation-sdk/nodegraph';
import * as table from '@grafana/grafana-foundation-sdk/table';
import { levelColourSql, levelMappings, oilriskDashboard, QUESTDB, sql, table as t } from './common.js';

export const RISK_GRAPH_UID = 'oilrisk-risk-graph';

/** Node Graph fields, lower case as the panel expects: id, title, subtitle, mainstat, secondarystat, color, detail__*. */
export const NODES_SQL = `SELECT equipment AS id, equipment AS title, area AS subtitle, score AS mainstat, total_likelihood AS secondarystat,
  ${levelColourSql('level')} AS color, level AS detail__level, root_equipment AS detail__root_cause
  FROM ${t('risk')} LATEST ON ts PARTITION BY equipment`;

/** Edge fields: id, source, target, mainstat, secondarystat, thickness. */
export const EDGES_SQL = `SELECT concat(source, '>', target, ':', kind) AS id, source, target, kind AS mainstat, weight AS secondarystat, 1 + weight * 4 AS thickness
  FROM ${t('dependencies')} LATEST ON ts PARTITION BY source, target, kind`;

export function riskGraph(): dashboard.Dashboard {
  const graph = new nodegraph.PanelBuilder()
    .id(1)
    .title('Risk propagation graph')
    .description('Equipment coloured by warning level (I red, II orange, III yellow, IV blue, normal green); edges are dependencies, thicker when they transmit more.')
    .datasource(QUESTDB)
    .withTarget(sql('nodes', NODES_SQL))
    .withTarget(sql('edges', EDGES_SQL))
    .nodes(new nodegraph.NodeOptionsBuilder().mainStatUnit('none').secondaryStatUnit('percentunit'))
    .edges(new nodegraph.EdgeOptionsBuilder().mainStatUnit('none').secondaryStatUnit('percentunit'))
    .span(24).height(18);

  const roots = new table.PanelBuilder()
    .id(2)
    .title('Equipment at risk and their root cause')
    .datasource(QUESTDB)
    .withTarget(sql('A', `SELECT equipment, level, score, root_equipment, root_tag, root_factor
      FROM (SELECT equipment, level, score, root_equipment, root_tag, root_factor FROM ${t('risk')} LATEST ON ts PARTITION BY equipment)
      WHERE level != 'normal' ORDER BY score DESC`))
    .overrideByName('level', [{ id: 'mappings', value: levelMappings() }, { id: 'custom.cellOptions', value: { type: 'color-background' } }])
    .span(24).height(8);

  return oilriskDashboard('oilrisk - Risk graph', RISK_GRAPH_UID, 'Equipment and dependencies as a graph coloured by warning level.')
    .withPanel(graph)
    .withPanel(roots)
    .build();
}
