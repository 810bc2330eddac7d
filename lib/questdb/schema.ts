// The historian's tables: one definition that the writer, the DDL at start-up and the
// Grafana dashboards all read, so that a query can only name columns that exist.

export type ColumnType = 'SYMBOL' | 'STRING' | 'DOUBLE' | 'LONG' | 'BOOLEAN' | 'TIMESTAMP';

export interface ColumnDefinition {
  name: string;
  type: ColumnType;
  description: string;
}

export interface TableDefinition {
  /** Name without the configurable prefix (default "oilrisk_"). */
  name: string;
  description: string;
  /** The designated timestamp is always `ts`, first in `columns`. */
  columns: readonly ColumnDefinition[];
  /** DEDUP UPSERT KEYS: `ts` plus what makes a row unique, so a replayed batch cannot duplicate rows. */
  dedupKeys: readonly string[];
}

export const DEFAULT_TABLE_PREFIX = 'oilrisk_';

const ts: ColumnDefinition = { name: 'ts', type: 'TIMESTAMP', description: 'time of the event' };

export const TABLES: readonly TableDefinition[] = [
  {
    name: 'readings',
    description: 'every Reading from ingestion',
    columns: [
      ts,
      { name: 'tag', type: 'SYMBOL', description: 'tag id' },
      { name: 'equipment', type: 'SYMBOL', description: 'equipment the tag belongs to' },
      { name: 'quality', type: 'SYMBOL', description: 'good | uncertain | bad' },
      { name: 'value', type: 'DOUBLE', description: 'numeric value (booleans as 0/1); null when bad' },
      { name: 'source', type: 'STRING', description: 'device address it came from' },
    ],
    dedupKeys: ['ts', 'tag'],
  },
  {
    name: 'risk',
    description: 'risk state of an equipment when its level, root cause or score changed',
    columns: [
      ts,
      { name: 'equipment', type: 'SYMBOL', description: 'equipment id' },
      { name: 'area', type: 'SYMBOL', description: 'plant area' },
      { name: 'level', type: 'SYMBOL', description: 'normal | IV | III | II | I' },
      { name: 'primary_likelihood', type: 'DOUBLE', description: 'from its own factors, 0..1' },
      { name: 'secondary_likelihood', type: 'DOUBLE', description: 'propagated along dependencies, 0..1' },
      { name: 'total_likelihood', type: 'DOUBLE', description: '1-(1-primary)(1-secondary)' },
      { name: 'consequence', type: 'DOUBLE', description: 'consequence weight' },
      { name: 'score', type: 'DOUBLE', description: 'total likelihood x consequence' },
      { name: 'root_equipment', type: 'SYMBOL', description: 'root cause equipment' },
      { name: 'root_tag', type: 'SYMBOL', description: 'root cause tag' },
      { name: 'root_factor', type: 'SYMBOL', description: 'root cause factor' },
    ],
    dedupKeys: ['ts', 'equipment'],
  },
  {
    name: 'factors',
    description: 'risk factor state changes, with the forecast',
    columns: [
      ts,
      { name: 'equipment', type: 'SYMBOL', description: 'equipment id' },
      { name: 'tag', type: 'SYMBOL', description: 'tag id' },
      { name: 'factor', type: 'SYMBOL', description: 'factor id' },
      { name: 'state', type: 'SYMBOL', description: 'normal | low | lowlow | high | highhigh | rate | predicted | bad-quality | stale | trip' },
      { name: 'likelihood', type: 'DOUBLE', description: '0..1' },
      { name: 'predicted_breach_s', type: 'DOUBLE', description: 'seconds until the forecast crosses the next limit' },
      { name: 'confidence', type: 'DOUBLE', description: 'confidence of the forecast, 0..1' },
    ],
    dedupKeys: ['ts', 'tag', 'factor'],
  },
  {
    name: 'risk_paths',
    description: 'the strongest propagation paths explaining an equipment risk',
    columns: [
      ts,
      { name: 'equipment', type: 'SYMBOL', description: 'equipment explained' },
      { name: 'rank', type: 'LONG', description: '1 = strongest' },
      { name: 'source', type: 'SYMBOL', description: 'primary source equipment' },
      { name: 'path', type: 'STRING', description: 'equipment ids joined by " > "' },
      { name: 'weight', type: 'DOUBLE', description: 'transmitted likelihood along the path' },
    ],
    dedupKeys: ['ts', 'equipment', 'rank'],
  },
  {
    name: 'tags',
    description: 'the site model tags and their limits, written when the site is loaded',
    columns: [
      ts,
      { name: 'tag', type: 'SYMBOL', description: 'tag id' },
      { name: 'equipment', type: 'SYMBOL', description: 'equipment id' },
      { name: 'unit', type: 'SYMBOL', description: 'engineering unit' },
      { name: 'limit_ll', type: 'DOUBLE', description: 'low-low limit' },
      { name: 'limit_l', type: 'DOUBLE', description: 'low limit' },
      { name: 'limit_h', type: 'DOUBLE', description: 'high limit' },
      { name: 'limit_hh', type: 'DOUBLE', description: 'high-high limit' },
    ],
    dedupKeys: ['ts', 'tag'],
  },
  {
    name: 'dependencies',
    description: 'the equipment graph edges, written when the site is loaded',
    columns: [
      ts,
      { name: 'source', type: 'SYMBOL', description: 'upstream equipment' },
      { name: 'target', type: 'SYMBOL', description: 'downstream equipment' },
      { name: 'kind', type: 'SYMBOL', description: 'flow | power | control | proximity | utility' },
      { name: 'weight', type: 'DOUBLE', description: 'transmission weight 0..1' },
    ],
    dedupKeys: ['ts', 'source', 'target', 'kind'],
  },
  {
    name: 'alarm_events',
    description: 'the alarm journal: every ISA-18.2 state transition',
    columns: [
      ts,
      { name: 'alarm', type: 'SYMBOL', description: 'alarm id' },
      { name: 'equipment', type: 'SYMBOL', description: 'equipment id' },
      { name: 'area', type: 'SYMBOL', description: 'plant area' },
      { name: 'state', type: 'SYMBOL', description: 'new ISA-18.2 state' },
      { name: 'previous', type: 'SYMBOL', description: 'previous state' },
      { name: 'level', type: 'SYMBOL', description: 'warning level' },
      { name: 'priority', type: 'SYMBOL', description: 'low | medium | high | urgent' },
      { name: 'incident', type: 'SYMBOL', description: 'incident id' },
      { name: 'consequential', type: 'BOOLEAN', description: 'explained by an upstream root cause' },
      { name: 'root_equipment', type: 'SYMBOL', description: 'root cause equipment' },
      { name: 'user', type: 'SYMBOL', description: 'who acted' },
      { name: 'reason', type: 'STRING', description: 'why, free text' },
    ],
    dedupKeys: ['ts', 'alarm', 'state'],
  },
  {
    name: 'incidents',
    description: 'incidents: a root cause and the alarms it explains',
    columns: [
      ts,
      { name: 'incident', type: 'SYMBOL', description: 'incident id' },
      { name: 'status', type: 'SYMBOL', description: 'open | closed' },
      { name: 'level', type: 'SYMBOL', description: 'highest warning level' },
      { name: 'root_equipment', type: 'SYMBOL', description: 'root cause equipment' },
      { name: 'root_tag', type: 'SYMBOL', description: 'root cause tag' },
      { name: 'first_alarm', type: 'SYMBOL', description: 'first-out alarm' },
      { name: 'alarm_count', type: 'LONG', description: 'alarms joined' },
      { name: 'opened_at', type: 'TIMESTAMP', description: 'when it opened' },
      { name: 'summary', type: 'STRING', description: 'free text' },
    ],
    dedupKeys: ['ts', 'incident'],
  },
  {
    name: 'kpi',
    description: 'alarm management KPIs over a window (EEMUA 191)',
    columns: [
      ts,
      { name: 'window_min', type: 'LONG', description: 'window length in minutes' },
      { name: 'alarms_per_10min_avg', type: 'DOUBLE', description: 'average annunciated alarms per 10 minutes' },
      { name: 'alarms_per_10min_peak', type: 'LONG', description: 'peak annunciated alarms in any 10 minutes' },
      { name: 'flood_pct', type: 'DOUBLE', description: 'percent of time in flood' },
      { name: 'chattering', type: 'LONG', description: 'chattering alarms' },
      { name: 'stale', type: 'LONG', description: 'alarms active over 24 h' },
      { name: 'standing', type: 'LONG', description: 'active alarms' },
      { name: 'top10_share_pct', type: 'DOUBLE', description: 'share of the top-10 bad actors' },
      { name: 'priority_low_pct', type: 'DOUBLE', description: 'priority mix, low' },
      { name: 'priority_medium_pct', type: 'DOUBLE', description: 'priority mix, medium' },
      { name: 'priority_high_pct', type: 'DOUBLE', description: 'priority mix, high and urgent' },
    ],
    dedupKeys: ['ts', 'window_min'],
  },
  {
    name: 'gps',
    description: 'vehicle GPS fixes and traffic violations',
    columns: [
      ts,
      { name: 'vehicle', type: 'SYMBOL', description: 'vehicle id' },
      { name: 'lat', type: 'DOUBLE', description: 'latitude' },
      { name: 'lon', type: 'DOUBLE', description: 'longitude' },
      { name: 'speed_kmh', type: 'DOUBLE', description: 'speed' },
      { name: 'geofence', type: 'SYMBOL', description: 'geofence it is in' },
      { name: 'violation', type: 'SYMBOL', description: 'speeding | geofence | none' },
    ],
    dedupKeys: ['ts', 'vehicle'],
  },
  {
    name: 'geofences',
    description: 'geofences (circular zones) vehicles are checked against, written when they are loaded or change',
    columns: [
      ts,
      { name: 'geofence', type: 'SYMBOL', description: 'geofence id' },
      { name: 'kind', type: 'SYMBOL', description: 'restricted | speed-zone | muster | ...' },
      { name: 'lat', type: 'DOUBLE', description: 'centre latitude' },
      { name: 'lon', type: 'DOUBLE', description: 'centre longitude' },
      { name: 'radius_m', type: 'DOUBLE', description: 'radius in metres' },
      { name: 'speed_limit_kmh', type: 'DOUBLE', description: 'speed limit inside, when it has one' },
    ],
    dedupKeys: ['ts', 'geofence'],
  },
  {
    name: 'security_events',
    description: 'network security and device communications health events',
    columns: [
      ts,
      { name: 'device', type: 'SYMBOL', description: 'device id' },
      { name: 'kind', type: 'SYMBOL', description: 'comms-loss | unexpected-write | failed-login | ...' },
      { name: 'severity', type: 'SYMBOL', description: 'info | low | medium | high' },
      { name: 'source', type: 'STRING', description: 'peer address or client id' },
      { name: 'detail', type: 'STRING', description: 'free text' },
    ],
    dedupKeys: ['ts', 'device', 'kind'],
  },
];

export function tableDefinition(name: string): TableDefinition {
  const table = TABLES.find((t) => t.name === name);
  if (!table) throw new Error(`oilrisk/questdb: unknown table "${name}"`);
  return table;
}
