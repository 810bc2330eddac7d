// Alarm events and incidents as Grafana annotations: a region opens when an alarm becomes
// active (or an incident opens) and closes, by updating its timeEnd, when it clears.

import type { AlarmEvent, AlarmState, Incident } from '../model/index.js';
import type { AnnotationPatch, AnnotationRequest } from './types.js';

export interface AnnotationTarget {
  /** Annotate one dashboard (and panel); organisation-wide annotations when omitted. */
  dashboardUID?: string;
  panelId?: number;
}

/** What to ask Grafana for one record. */
export type AnnotationStep =
  | { kind: 'create'; key: string; request: AnnotationRequest }
  | { kind: 'update'; key: string; id: number; patch: AnnotationPatch; closes: boolean }
  | { kind: 'skip'; key: string; reason: string };

/** The alarm condition is present (annunciated or acknowledged). */
const ACTIVE: ReadonlySet<AlarmState> = new Set(['unacknowledged', 'acknowledged']);
/** The condition is gone: the region ends. Shelving and suppression do not end it. */
const CLEARED: ReadonlySet<AlarmState> = new Set(['normal', 'returned-unacknowledged']);

export const REGION_DEFAULTS = {
  /** Open regions remembered at most; the oldest is forgotten beyond (it then stays a point). */
  maxOpenRegions: 10000,
} as const;

export function alarmTags(event: AlarmEvent): string[] {
  const tags = ['oilrisk', 'alarm', `level:${event.level}`, `equipment:${event.equipment}`];
  if (event.area) tags.push(`area:${event.area}`);
  if (event.incident) tags.push(`incident:${event.incident}`);
  if (event.consequential) tags.push('consequential');
  return tags;
}

export function alarmText(event: AlarmEvent): string {
  const parts = [`Alarm ${event.alarm} level ${event.level} on ${event.equipment}: ${event.state}`];
  if (event.rootCause) {
    const cause = [event.rootCause.equipment, event.rootCause.tag, event.rootCause.factor].filter(Boolean).join(' / ');
    parts.push(`root cause ${cause}`);
  }
  if (event.incident) parts.push(`incident ${event.incident}`);
  if (event.user) parts.push(`by ${event.user}${event.reason ? ` (${event.reason})` : ''}`);
  return parts.join('; ');
}

export function incidentTags(incident: Incident): string[] {
  return ['oilrisk', 'incident', `level:${incident.level}`, `equipment:${incident.rootCause.equipment}`, `incident:${incident.id}`];
}

export function incidentText(incident: Incident): string {
  const cause = [incident.rootCause.equipment, incident.rootCause.tag, incident.rootCause.factor].filter(Boolean).join(' / ');
  const summary = incident.summary ? `: ${incident.summary}` : '';
  return `Incident ${incident.id} level ${incident.level} (${incident.status}), root cause ${cause}, first out ${incident.firstAlarm}, ${incident.alarms.length} alarm(s)${summary}`;
}

interface OpenRegion {
  start: number;
  /** Grafana's id once it answered the create. */
  id?: number;
  level: string;
}

/**
 * Remembers the open region of each alarm and incident, and turns each record into the one
 * Grafana call it needs. When the create was lost (Grafana down), the close creates the
 * whole region instead, so the timeline still shows it.
 */
export class AnnotationRegions {
  private readonly open = new Map<string, OpenRegion>();

  constructor(private readonly target: AnnotationTarget = {}, private readonly maxOpen: number = REGION_DEFAULTS.maxOpenRegions) {}

  get size(): number {
    return this.open.size;
  }

  planAlarm(event: AlarmEvent): AnnotationStep {
    const key = `alarm:${event.alarm}`;
    const region = this.open.get(key);
    const tags = alarmTags(event);
    const text = alarmText(event);
    if (ACTIVE.has(event.state)) {
      if (!region) {
        this.remember(key, { start: event.ts, level: event.level });
        return { kind: 'create', key, request: { ...this.target, time: event.ts, timeEnd: event.ts, tags, text } };
      }
      if (region.level === event.level) return { kind: 'skip', key, reason: 'still active at the same level' };
      region.level = event.level;
      if (region.id === undefined) return { kind: 'skip', key, reason: 'region not created in Grafana' };
      return { kind: 'update', key, id: region.id, patch: { tags, text }, closes: false };
    }
    if (CLEARED.has(event.state)) {
      if (!region) return { kind: 'skip', key, reason: 'no open region' };
      this.open.delete(key);
      if (region.id === undefined) {
        return { kind: 'create', key, request: { ...this.target, time: region.start, timeEnd: event.ts, tags, text } };
      }
      return { kind: 'update', key, id: region.id, patch: { timeEnd: event.ts, tags, text }, closes: true };
    }
    return { kind: 'skip', key, reason: `state ${event.state} does not change the region` };
  }

  planIncident(incident: Incident): AnnotationStep {
    const key = `incident:${incident.id}`;
    const region = this.open.get(key);
    const tags = incidentTags(incident);
    const text = incidentText(incident);
    if (incident.status === 'open') {
      if (!region) {
        this.remember(key, { start: incident.openedAt, level: incident.level });
        return { kind: 'create', key, request: { ...this.target, time: incident.openedAt, timeEnd: incident.openedAt, tags, text } };
      }
      if (region.level === incident.level || region.id === undefined) {
        region.level = incident.level;
        return { kind: 'skip', key, reason: 'incident still open at the same level' };
      }
      region.level = incident.level;
      return { kind: 'update', key, id: region.id, patch: { tags, text }, closes: false };
    }
    const end = incident.closedAt ?? incident.ts;
    if (!region) {
      // Never seen open (started after it opened): still worth a closed region.
      return { kind: 'create', key, request: { ...this.target, time: incident.openedAt, timeEnd: end, tags, text } };
    }
    this.open.delete(key);
    if (region.id === undefined) {
      return { kind: 'create', key, request: { ...this.target, time: region.start, timeEnd: end, tags, text } };
    }
    return { kind: 'update', key, id: region.id, patch: { timeEnd: end, tags, text }, closes: true };
  }

  /** Grafana created the region: later closes update it. */
  created(key: string, id: number): void {
    const region = this.open.get(key);
    if (region) region.id = id;
  }

  private remember(key: string, region: OpenRegion): void {
    if (this.open.size >= this.maxOpen) {
      const oldest = this.open.keys().next().value;
      if (oldest !== undefined) this.open.delete(oldest);
    }
    this.open.set(key, region);
  }
}
