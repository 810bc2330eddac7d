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
