// The ISA-18.2 alarm state machine as a pure function: an alarm and an action give the next
// alarm and the journal event, or an AlarmTransitionError saying why the action is refused.

import { WARNING_LEVELS, type AlarmEvent, type AlarmState, type WarningLevel } from '../model/index.js';
import type { AlarmOptions } from './options.js';
import { REMOVED_STATES, type AlarmRecord } from './record.js';

export type AlarmAction =
  | { kind: 'activate'; level: WarningLevel; reason?: string }
  | { kind: 'clear'; reason?: string }
  | { kind: 'acknowledge'; user: string; reason?: string }
  | { kind: 'reset'; user: string; reason?: string }
  | { kind: 'shelve'; until: number; user: string; reason: string }
  | { kind: 'unshelve'; user: string; reason?: string }
  | { kind: 'suppress'; reason: string }
  | { kind: 'unsuppress'; reason: string }
  | { kind: 'remove-from-service'; user: string; reason: string }
  | { kind: 'return-to-service'; user: string; reason?: string };

export type TransitionErrorCode = 'illegal-state' | 'bad-request' | 'not-found';

export class AlarmTransitionError extends Error {
  readonly code: TransitionErrorCode;
  constructor(message: string, code: TransitionErrorCode = 'illegal-state') {
    super(`oilrisk/alarms: ${message}`);
    this.name = 'AlarmTransitionError';
    this.code = code;
  }
}

export interface Transition {
  alarm: AlarmRecord;
  /** Absent when the action changed nothing an operator needs to see (a second acknowledge). */
  event?: AlarmEvent;
}

export const levelRank = (level: WarningLevel): number => WARNING_LEVELS.indexOf(level);

function refuse(alarm: AlarmRecord, action: string, why: string): never {
  throw new AlarmTransitionError(`cannot ${action} alarm "${alarm.id}": ${why}`);
}

/** Where an alarm goes when it comes back to the operator (unshelve, unsuppress, return to service). */
function annunciation(alarm: AlarmRecord): AlarmState {
  return alarm.active ? 'unacknowledged' : 'normal';
}

export function transition(alarm: AlarmRecord, action: AlarmAction, now: number, options: Pick<AlarmOptions, 'latching' | 'maxShelve'>): Transition {
  const next: AlarmRecord = { ...alarm, updatedAt: now };
  let user: string | undefined;
  let reason: string | undefined = action.reason;
  const removed = REMOVED_STATES.has(alarm.state);

  switch (action.kind) {
    case 'activate': {
      if (action.level === 'normal') throw new AlarmTransitionError(`cannot activate alarm "${alarm.id}" at level normal; clear it instead`, 'bad-request');
      // A new episode starts at its own level; an active one only ever rises.
      const rising = !alarm.active || levelRank(action.level) > levelRank(alarm.level);
      if (alarm.active && !rising) return { alarm }; // never lower a level while the cause is active
      const wasActive = alarm.active;
      next.active = true;
      next.latched = false;
      if (rising) next.level = action.level;
      if (!wasActive) {
        next.activatedAt = now;
        next.clearedAt = undefined;
      }
      if (removed) {
        // Shelved, suppressed or out of service: the condition is tracked, the operator is not disturbed.
        return { alarm: next };
      }
      next.state = 'unacknowledged';
      next.acknowledgedAt = undefined;
      next.acknowledgedBy = undefined;
      reason ??= wasActive ? `level raised from ${alarm.level} to ${action.level}` : 'risk active';
      break;
    }
    case 'clear': {
      if (!alarm.active) return { alarm };
      next.active = false;
      next.clearedAt = now;
      reason ??= 'risk returned to normal';
      if (removed) {
        next.level = 'normal';
        return { alarm: next };
      }
      if (options.latching && (alarm.state === 'unacknowledged' || alarm.state === 'acknowledged')) {
        next.latched = true;
      } else if (alarm.state === 'unacknowledged') {
        next.state = 'returned-unacknowledged';
      } else if (alarm.state === 'acknowledged') {
        next.state = 'normal';
        next.level = 'normal';
      }
      break;
    }
    case 'acknowledge': {
      user = action.user;
      if (alarm.state === 'acknowledged' || alarm.state === 'normal') return { alarm }; // acknowledging twice is harmless
      if (removed) refuse(alarm, 'acknowledge', `it is ${alarm.state}; only annunciated alarms are acknowledged`);
      next.acknowledgedAt = now;
      next.acknowledgedBy = action.user;
      if (alarm.state === 'returned-unacknowledged') {
        next.state = 'normal';
        next.level = 'normal';
      } else {
        next.state = 'acknowledged';
      }
      reason ??= 'acknowledged';
      break;
    }
    case 'reset': {
      user = action.user;
      if (!alarm.latched) refuse(alarm, 'reset', 'it is not latched');
      if (alarm.state !== 'acknowledged') refuse(alarm, 'reset', 'acknowledge it first');
      next.latched = false;
      next.state = 'normal';
      next.level = 'normal';
      reason ??= 'latch reset';
      break;
    }
    case 'shelve': {
      user = action.user;
      if (alarm.state === 'out-of-service' || alarm.state === 'suppressed-by-design') refuse(alarm, 'shelve', `it is ${alarm.state}`);
      const seconds = (action.until - now) / 1000;
      if (!(seconds > 0)) throw new AlarmTransitionError(`cannot shelve alarm "${alarm.id}": the shelving must end in the future`, 'bad-request');
      if (seconds > options.maxShelve) {
        throw new AlarmTransitionError(`cannot shelve alarm "${alarm.id}" for ${Math.round(seconds)} s: the longest shelving allowed is ${options.maxShelve} s`, 'bad-request');
      }
      if (!action.reason?.trim()) throw new AlarmTransitionError(`cannot shelve alarm "${alarm.id}" without a reason`, 'bad-request');
      next.state = 'shelved';
      next.shelvedUntil = action.until;
      next.shelvedBy = action.user;
      next.removalReason = action.reason;
      next.nextNotifyAt = undefined;
      break;
    }
    case 'unshelve': {
      user = action.user;
      if (alarm.state !== 'shelved') refuse(alarm, 'unshelve', `it is ${alarm.state}, not shelved`);
      next.state = annunciation(alarm);
      next.shelvedUntil = undefined;
      next.shelvedBy = undefined;
      next.removalReason = undefined;
      if (!alarm.active) next.level = 'normal';
      reason ??= 'unshelved';
      break;
    }
    case 'suppress': {
      if (alarm.state === 'suppressed-by-design' || alarm.state === 'out-of-service') return { alarm };
      next.state = 'suppressed-by-design';
      next.shelvedUntil = undefined;
      next.removalReason = action.reason;
      next.nextNotifyAt = undefined;
      break;
    }
    case 'unsuppress': {
      if (alarm.state !== 'suppressed-by-design') return { alarm };
      next.state = annunciation(alarm);
      next.removalReason = undefined;
      if (!alarm.active) next.level = 'normal';
      break;
    }
    case 'remove-from-service': {
      user = action.user;
      if (alarm.state === 'out-of-service') return { alarm };
      if (!action.reason?.trim()) throw new AlarmTransitionError(`cannot take alarm "${alarm.id}" out of service without a reason`, 'bad-request');
      next.state = 'out-of-service';
      next.shelvedUntil = undefined;
      next.removalReason = action.reason;
      next.nextNotifyAt = undefined;
      break;
    }
    case 'return-to-service': {
      user = action.user;
      if (alarm.state !== 'out-of-service') refuse(alarm, 'return to service', `it is ${alarm.state}, not out of service`);
      next.state = annunciation(alarm);
      next.removalReason = undefined;
      if (!alarm.active) next.level = 'normal';
      reason ??= 'returned to service';
      break;
    }
  }
  if (next.state === alarm.state && next.level === alarm.level && next.active === alarm.active && next.latched === alarm.latched) {
    return { alarm: next };
  }
  return { alarm: next, event: eventOf(next, alarm.state, now, user, reason) };
}

export function eventOf(alarm: AlarmRecord, previous: AlarmState, ts: number, user?: string, reason?: string): AlarmEvent {
  const event: AlarmEvent = { alarm: alarm.id, equipment: alarm.equipment, state: alarm.state, previous, level: alarm.level, ts };
  if (alarm.area !== undefined) event.area = alarm.area;
  if (alarm.incident !== undefined) event.incident = alarm.incident;
  if (alarm.consequential) event.consequential = true;
  if (alarm.rootCause) event.rootCause = alarm.rootCause;
  if (user !== undefined) event.user = user;
  if (reason !== undefined) event.reason = reason;
  if (alarm.playbook !== undefined) event.playbook = alarm.playbook;
  return event;
}
