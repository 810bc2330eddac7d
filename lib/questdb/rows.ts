// Canonical records (readings, risk, alarms, incidents, KPIs, GPS fixes, security events) to
// rows of the historian's tables: one pure mapping per topic, with errors that name the record.

import { LEVEL_PRIORITY, MESSAGE_TOPICS, type MessageTopic } from '../model/index.js';
import type { AlarmEvent, AlarmKpi, GpsFix, Incident, Reading, RiskExplanation, SecurityEvent, Site } from '../model/index.js';

export type TableCell = string | number | boolean | null | undefined;

/** One row of a table in lib/questdb/schema.ts, by unprefixed table name; `ts` in ms since the epoch. */
export interface TableRow {
  table: string;
  ts: number;
  values: Record<string, TableCell>;
}

/** What the rows need to know about the site that the records do not carry. */
export interface RowSiteLookup {
  equipmentOfTag?(tag: string): string | undefined;
  areaOfEquipment?(equipment: string): string | undefined;
}

export interface RowsResult {
  rows: TableRow[];
  /** One message per record that could not be mapped; the other records still map. */
  errors: string[];
}

type Mapper<T> = (record: T, site: RowSiteLookup) => TableRow[];

const readingRows: Mapper<Reading> = (r, site) => [{
  table: 'readings',
  ts: r.ts,
  values: {
    tag: r.tag,
    equipment: site.equipmentOfTag?.(r.tag),
    quality: r.quality,
    value: typeof r.value === 'boolean' ? (r.value ? 1 : 0) : r.value,
    source: r.source,
  },
}];

const riskRows: Mapper<RiskExplanation> = (e, site) => [
  {
    table: 'risk',
    ts: e.ts,
    values: {
      equipment: e.equipment,
      area: site.areaOfEquipment?.(e.equipment),
      level: e.level,
      primary_likelihood: e.primary,
      secondary_likelihood: e.secondary,
      total_likelihood: e.total,
      consequence: e.consequence,
      score: e.score,
      root_equipment: e.rootCause?.equipment,
      root_tag: e.rootCause?.tag,
      root_factor: e.rootCause?.factor,
    },
  },
  ...(e.factors ?? []).map((f): TableRow => ({
    table: 'factors',
    ts: e.ts,
    values: {
      equipment: e.equipment, tag: f.tag, factor: f.factor, state: f.state, likelihood: f.likelihood,
      predicted_breach_s: f.predictedBreachIn, confidence: f.confidence,
    },
  })),
  ...(e.paths ?? []).map((p, i): TableRow => ({
    table: 'risk_paths',
    ts: e.ts,
    values: { equipment: e.equipment, rank: i + 1, source: p.path[0], path: p.path.join(' > '), weight: p.weight },
  })),
];

const alarmRows: Mapper<AlarmEvent> = (a) => [{
  table: 'alarm_events',
  ts: a.ts,
  values: {
    alarm: a.alarm, equipment: a.equipment, area: a.area, state: a.state, previous: a.previous, level: a.level,
    priority: LEVEL_PRIORITY[a.level], incident: a.incident, consequential: a.consequential,
    root_equipment: a.rootCause?.equipment, user: a.user, reason: a.reason,
  },
}];

const incidentRows: Mapper<Incident> = (i) => [{
  table: 'incidents',
  ts: i.ts,
  values: {
    incident: i.id, status: i.status, level: i.level, root_equipment: i.rootCause?.equipment, root_tag: i.rootCause?.tag,
    first_alarm: i.firstAlarm, alarm_count: i.alarms?.length, opened_at: i.openedAt, summary: i.summary,
  },
}];

const kpiRows: Mapper<AlarmKpi> = (k) => [{
  table: 'kpi',
  ts: k.ts,
  values: {
    window_min: k.windowMinutes, alarms_per_10min_avg: k.alarmsPer10MinAverage, alarms_per_10min_peak: k.alarmsPer10MinPeak,
    flood_pct: k.floodPercent, chattering: k.chattering, stale: k.stale, standing: k.standing,
    top10_share_pct: k.top10SharePercent, priority_low_pct: k.priorityMix?.low,
    priority_medium_pct: k.priorityMix?.medium, priority_high_pct: k.priorityMix?.high,
  },
}];

const gpsRows: Mapper<GpsFix> = (g) => [{
  table: 'gps',
  ts: g.ts,
  values: { vehicle: g.vehicle, lat: g.lat, lon: g.lon, speed_kmh: g.speedKmh, geofence: g.geofence, violation: g.violation },
}];

const securityRows: Mapper<SecurityEvent> = (s) => [{
  table: 'security_events',
  ts: s.ts,
  values: { device: s.device, kind: s.kind, severity: s.severity, source: s.source, detail: s.detail },
}];

const MAPPERS: { [K in MessageTopic]: { required: readonly string[]; map: Mapper<never> } } = {
  readings: { required: ['tag', 'quality', 'ts'], map: readingRows as Mapper<never> },
  risk: { required: ['equipment', 'level', 'ts'], map: riskRows as Mapper<never> },
  alarm: { required: ['alarm', 'equipment', 'state', 'level', 'ts'], map: alarmRows as Mapper<never> },
  incident: { required: ['id', 'status', 'ts'], map: incidentRows as Mapper<never> },
  kpi: { required: ['windowMinutes', 'ts'], map: kpiRows as Mapper<never> },
  gps: { required: ['vehicle', 'lat', 'lon', 'ts'], map: gpsRows as Mapper<never> },
  security: { required: ['device', 'kind', 'severity', 'ts'], map: securityRows as Mapper<never> },
};

export function isHistorianTopic(topic: unknown): topic is MessageTopic {
  return typeof topic === 'string' && (MESSAGE_TOPICS as readonly string[]).includes(topic);
}

/** Maps `payload` (one record or an array) of `topic` to rows; a bad record is reported and skipped. */
export function toRows(topic: unknown, payload: unknown, site: RowSiteLookup = {}): RowsResult {
  if (!isHistorianTopic(topic)) {
    return { rows: [], errors: [`oilrisk/questdb: msg.topic "${String(topic)}" is not one the historian stores (expected one of ${MESSAGE_TOPICS.join(', ')})`] };
  }
  const { required, map } = MAPPERS[topic];
  const records: unknown[] = Array.isArray(payload) ? payload : [payload];
  const rows: TableRow[] = [];
  const errors: string[] = [];
  records.forEach((record, index) => {
    const where = `${topic} payload[${index}]`;
    if (typeof record !== 'object' || record === null) {
      errors.push(`oilrisk/questdb: ${where} is not a record`);
      return;
    }
    const missing = required.filter((k) => (record as Record<string, unknown>)[k] === undefined || (record as Record<string, unknown>)[k] === null);
    if (missing.length) {
      errors.push(`oilrisk/questdb: ${where} lacks ${missing.map((m) => `"${m}"`).join(', ')}`);
      return;
    }
    try {
      rows.push(...map(record as never, site));
    } catch (err) {
      errors.push(`oilrisk/questdb: ${where}: ${(err as Error).message}`);
    }
  });
  return { rows, errors };
}

/**
 * The site model as rows of `tags` (with the limits of the tag's first limited factor),
 * `dependencies` and `geofences`, stamped `ts`: a snapshot per load, which dashboards read with
 * LATEST ON.
 */
export function siteRows(site: Site, ts: number): TableRow[] {
  const tags = site.tags.map((tag): TableRow => {
    const limits = tag.factors.find((f) => f.limits)?.limits ?? {};
    return {
      table: 'tags',
      ts,
      values: { tag: tag.id, equipment: tag.equipment, unit: tag.unit, limit_ll: limits.LL, limit_l: limits.L, limit_h: limits.H, limit_hh: limits.HH },
    };
  });
  const dependencies = site.dependencies.map((d): TableRow => ({
    table: 'dependencies',
    ts,
    values: { source: d.from, target: d.to, kind: d.kind, weight: d.transmissionWeight },
  }));
  const geofences = (site.geofences ?? []).map((g): TableRow => ({
    table: 'geofences',
    ts,
    values: { geofence: g.id, kind: g.kind, lat: g.location.lat, lon: g.location.lon, radius_m: g.radiusM, speed_limit_kmh: g.speedLimitKmh },
  }));
  return [...tags, ...dependencies, ...geofences];
}
