// Escalation of unacknowledged alarms: the operator first, then one tier at a time up to the
// level's highest tier, then repeats at an interval. Pure: the alarm in, the steps out.

import { TIERS, type AlarmLevel, type AlarmOptions, type EscalationPolicy, type Tier } from './options.js';
import type { AlarmRecord } from './record.js';

export type NotificationReason = 'new' | 'escalated' | 'repeat' | 'level-raised' | 're-evaluated';

export interface EscalationStep {
  tier: Tier;
  reason: NotificationReason;
  /** When the step fell due (may be before "now" after a restart). */
  ts: number;
}

export interface Escalated {
  alarm: AlarmRecord;
  steps: EscalationStep[];
}

export function policyFor(alarm: AlarmRecord, options: Pick<AlarmOptions, 'escalation'>): EscalationPolicy | undefined {
  return alarm.level === 'normal' ? undefined : options.escalation[alarm.level as AlarmLevel];
}

function nextDue(tier: number, from: number, policy: EscalationPolicy): number {
  return from + 1000 * (tier < policy.maxTier ? policy.ackTimeout : policy.repeatInterval);
}

/**
 * Notifies the tier the alarm has reached (the operator on a new alarm) and arms the timer.
 * A raised level re-notifies the current tier; the timer restarts with the new level's policy.
 */
export function notifyNow(alarm: AlarmRecord, reason: NotificationReason, now: number, options: Pick<AlarmOptions, 'escalation'>): Escalated {
  const policy = policyFor(alarm, options);
  if (!policy) return { alarm, steps: [] };
  const tier = reason === 'new' || reason === 're-evaluated' ? 0 : Math.max(0, alarm.tier);
  return {
    alarm: { ...alarm, tier, nextNotifyAt: nextDue(tier, now, policy) },
    steps: [{ tier: TIERS[tier], reason, ts: now }],
  };
}

/** Steps due by `now` for an alarm still unacknowledged: every tier in turn, never skipping one. */
export function escalate(alarm: AlarmRecord, now: number, options: Pick<AlarmOptions, 'escalation'>): Escalated {
  const policy = policyFor(alarm, options);
  if (!policy || alarm.state !== 'unacknowledged' || alarm.consequential || alarm.nextNotifyAt === undefined || alarm.nextNotifyAt > now) {
    return { alarm, steps: [] };
  }
  const steps: EscalationStep[] = [];
  let tier = Math.max(0, alarm.tier);
  let due = alarm.nextNotifyAt;
  while (due <= now && tier < policy.maxTier) {
    tier++;
    steps.push({ tier: TIERS[tier], reason: 'escalated', ts: due });
    due = nextDue(tier, due, policy);
  }
  if (due <= now) {
    // At the top tier: one repeat for all the intervals missed, then back on the interval.
    steps.push({ tier: TIERS[tier], reason: 'repeat', ts: now });
    due = nextDue(tier, now, policy);
  }
  return { alarm: { ...alarm, tier, nextNotifyAt: due }, steps };
}
