// Alarm management settings in one place: escalation per warning level, chattering, stale
// alarms, shelving limits and the flood thresholds of EEMUA 191 / ISA-18.2.

import type { WarningLevel } from '../model/index.js';

/** Who is notified, in order; escalation moves one tier at a time. */
export const TIERS = ['operator', 'supervisor', 'emergency-command'] as const;
export type Tier = (typeof TIERS)[number];

export type AlarmLevel = Exclude<WarningLevel, 'normal'>;

export interface EscalationPolicy {
  /** Seconds an alarm may stay unacknowledged before the next tier is notified. */
  ackTimeout: number;
  /** Seconds between repeated notifications once the highest tier of the level is reached. */
  repeatInterval: number;
  /** Highest tier this level escalates to (index into TIERS). */
  maxTier: number;
}

export interface AlarmOptions {
  escalation: Record<AlarmLevel, EscalationPolicy>;
  /**
   * Seconds after a notification during which level raises of the same alarm are held and sent
   * as one (the highest); a raise to level I is never held.
   */
  raiseHoldoff: number;
  /** Activations within `chatterWindow` seconds that make an alarm chattering. */
  chatterActivations: number;
  chatterWindow: number;
  /** Shelve a chattering alarm automatically, for this many seconds (0: flag only). */
  chatterAutoShelve: number;
  /** Seconds an alarm may stay active before it counts as stale. */
  staleAfter: number;
  /** Longest shelving an operator may ask for, in seconds. */
  maxShelve: number;
  /** Latching alarms stay annunciated after they clear until the operator acknowledges them. */
  latching: boolean;
  /** A flood starts above `floodStart` and ends below `floodEnd` alarms per 10 minutes. */
  floodStart: number;
  floodEnd: number;
  /**
   * Weakest propagation path (product of transmission weights times the source's likelihood)
   * through which an open incident explains a new alarm.
   */
  minPathWeight: number;
  /** Journal events kept in memory and on disk (the KPI window must fit in them). */
  journalLimit: number;
}

export const ALARM_DEFAULTS: Readonly<AlarmOptions> = {
  escalation: {
    I: { ackTimeout: 120, repeatInterval: 300, maxTier: 2 },
    II: { ackTimeout: 300, repeatInterval: 600, maxTier: 2 },
    III: { ackTimeout: 900, repeatInterval: 1800, maxTier: 1 },
    IV: { ackTimeout: 1800, repeatInterval: 3600, maxTier: 0 },
  },
  raiseHoldoff: 60,
  chatterActivations: 3,
  chatterWindow: 60,
  chatterAutoShelve: 0,
  staleAfter: 24 * 3600,
  maxShelve: 8 * 3600,
  latching: false,
  floodStart: 10,
  floodEnd: 5,
  minPathWeight: 0.05,
  journalLimit: 50_000,
};

export type AlarmOptionsInput = Partial<Omit<AlarmOptions, 'escalation'>> & {
  escalation?: Partial<Record<AlarmLevel, Partial<EscalationPolicy>>>;
};

export function mergeAlarmOptions(input: AlarmOptionsInput = {}): AlarmOptions {
  const escalation = { ...ALARM_DEFAULTS.escalation };
  for (const level of ['I', 'II', 'III', 'IV'] as const) {
    escalation[level] = { ...ALARM_DEFAULTS.escalation[level], ...input.escalation?.[level] };
  }
  return { ...ALARM_DEFAULTS, ...input, escalation };
}
