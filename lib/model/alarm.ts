// Alarm events after ISA-18.2 / IEC 62682: the lifecycle states and the event every
// transition produces, which is also the alarm journal's row.

import type { RootCause, WarningLevel } from './risk.js';

export type AlarmState =
  | 'normal'
  | 'unacknowledged'
  | 'acknowledged'
  | 'returned-unacknowledged'
  | 'shelved'
  | 'suppressed-by-design'
  | 'out-of-service';

export interface AlarmEvent {
  /** Alarm id: one per equipment (the alarm source). */
  alarm: string;
  equipment: string;
  area?: string;
  state: AlarmState;
  previous: AlarmState;
  level: WarningLevel;
  ts: number;
  incident?: string;
  consequential?: boolean;
  rootCause?: RootCause;
  user?: string;
  reason?: string;
  playbook?: string;
}

export type IncidentStatus = 'open' | 'closed';

/** A root cause and the alarms it explains; the first alarm is the first-out. */
export interface Incident {
  id: string;
  status: IncidentStatus;
  level: WarningLevel;
  rootCause: RootCause;
  firstAlarm: string;
  /** Alarm ids joined to the incident, the root cause's own first. */
  alarms: string[];
  openedAt: number;
  closedAt?: number;
  /** Time of the last change, the row's timestamp in the historian. */
  ts: number;
  summary?: string;
}

/** Alarm management KPIs over a window, after EEMUA 191 / ISA-18.2. */
export interface AlarmKpi {
  ts: number;
  windowMinutes: number;
  alarmsPer10MinAverage: number;
  alarmsPer10MinPeak: number;
  floodPercent: number;
  chattering: number;
  stale: number;
  standing: number;
  /** Top bad actors: alarm id and count, most frequent first, at most 10. */
  badActors: Array<{ alarm: string; count: number }>;
  top10SharePercent: number;
  priorityMix: { low: number; medium: number; high: number };
}
