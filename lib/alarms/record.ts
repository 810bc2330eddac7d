// The alarm record the manager keeps per alarm source (one per equipment): its ISA-18.2
// state plus what the state alone does not say (process condition, shelving, escalation).

import type { AlarmState, RootCause, WarningLevel } from '../model/index.js';

export interface AlarmComment {
  ts: number;
  user: string;
  text: string;
}

export interface AlarmRecord {
  id: string;
  equipment: string;
  area?: string;
  state: AlarmState;
  /** Highest level reached since the condition became active; lowered only after it clears. */
  level: WarningLevel;
  /** The process condition (risk at level IV or above), whatever the alarm state says. */
  active: boolean;
  activatedAt?: number;
  clearedAt?: number;
  acknowledgedBy?: string;
  acknowledgedAt?: number;
  shelvedUntil?: number;
  shelvedBy?: string;
  /** Why the alarm is shelved, suppressed or out of service. */
  removalReason?: string;
  incident?: string;
  /** Explained by an active upstream root cause: journaled, not notified on its own. */
  consequential: boolean;
  /** How a consequential alarm was tied to its incident: "root cause" or "path A > B". */
  groupedVia?: string;
  rootCause?: RootCause;
  playbook?: string;
  /** Activation times inside the chatter window, oldest first. */
  activations: number[];
  chattering: boolean;
  /** Cleared but held annunciated by latching until acknowledged and reset. */
  latched: boolean;
  /** Highest escalation tier notified in this episode (index into TIERS), -1 before any. */
  tier: number;
  /** When the next escalation or repeat notification is due. */
  nextNotifyAt?: number;
  /** When the alarm was last notified, and at which level. */
  notifiedAt?: number;
  notifiedLevel?: WarningLevel;
  /** A level raise waits for the hold-off since the last notification, so that a fast rise is one message. */
  raisePending?: boolean;
  comments: AlarmComment[];
  updatedAt: number;
}

export function newAlarm(id: string, equipment: string, area: string | undefined, now: number): AlarmRecord {
  return {
    id, equipment, area, state: 'normal', level: 'normal', active: false, consequential: false,
    activations: [], chattering: false, latched: false, tier: -1, comments: [], updatedAt: now,
  };
}

/** States in which the alarm is taken away from the operator (not annunciated, not escalated). */
export const REMOVED_STATES: ReadonlySet<AlarmState> = new Set(['shelved', 'suppressed-by-design', 'out-of-service']);

export function isAnnunciated(alarm: AlarmRecord): boolean {
  return alarm.state === 'unacknowledged' || alarm.state === 'acknowledged' || alarm.state === 'returned-unacknowledged';
}
