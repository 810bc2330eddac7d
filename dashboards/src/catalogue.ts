// The dashboards the product ships and their generated file names: what `npm run dashboards`
// writes to dashboards/generated and what the staleness test compares against.

import type * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { alarmManagement } from './alarms.js';
import { equipmentDetail } from './equipment.js';
import { fieldOperations } from './field.js';
import { overview } from './overview.js';
import { riskGraph } from './risk-graph.js';
import { networkSecurity } from './security.js';

export const DASHBOARDS: ReadonlyArray<{ file: string; build: () => dashboard.Dashboard }> = [
  { file: 'plant-overview.json', build: overview },
  { file: 'equipment-detail.json', build: equipmentDetail },
  { file: 'alarm-management.json', build: alarmManagement },
  { file: 'risk-graph.json', build: riskGraph },
  { file: 'field-operations.json', build: fieldOperations },
  { file: 'network-security.json', build: networkSecurity },
];

/** File name -> JSON text, exactly as committed. */
export function renderDashboards(): Map<string, string> {
  return new Map(DASHBOARDS.map(({ file, build }) => [file, `${JSON.stringify(build(), null, 2)}\n`]));
}
