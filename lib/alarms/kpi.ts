// Alarm management KPIs after EEMUA 191 / ISA-18.2, computed from the journal over a window:
// rate per 10 minutes (average, peak), time in flood, bad actors, priority mix, standing alarms.

import { LEVEL_PRIORITY, type AlarmEvent, type AlarmKpi } from '../model/index.js';
import type { AlarmOptions } from './options.js';
import { isAnnunciated, type AlarmRecord } from './record.js';

const TEN_MINUTES = 600_000;

/** A new annunciation: the alarm became unacknowledged from a quiet state (not a level raise). */
export function isActivation(event: AlarmEvent): boolean {
  return event.state === 'unacknowledged' && event.previous !== 'unacknowledged' && event.previous !== 'acknowledged';
}

/** What the operator is presented: new annunciations that are not consequential of an incident. */
export function isPresented(event: AlarmEvent): boolean {
  return isActivation(event) && !event.consequential;
}

/** Largest count in any 10-minute window, over sorted times. */
export function peakPer10Min(times: readonly number[]): number {
  let peak = 0;
  let start = 0;
  for (let end = 0; end < times.length; end++) {
    while (times[end] - times[start] >= TEN_MINUTES) start++;
    peak = Math.max(peak, end - start + 1);
  }
  return peak;
}

/** Percent of the window in flood, judged each minute on the trailing 10 minutes, with hysteresis. */
export function floodPercent(times: readonly number[], from: number, to: number, options: Pick<AlarmOptions, 'floodStart' | 'floodEnd'>): number {
  const minutes = Math.max(1, Math.round((to - from) / 60_000));
  let inFlood = false;
  let floodMinutes = 0;
  let lo = 0;
  let hi = 0;
  for (let m = 1; m <= minutes; m++) {
    const t = from + m * 60_000;
    while (hi < times.length && times[hi] <= t) hi++;
    while (lo < hi && times[lo] <= t - TEN_MINUTES) lo++;
    const count = hi - lo;
    if (!inFlood && count > options.floodStart) inFlood = true;
    else if (inFlood && count < options.floodEnd) inFlood = false;
    if (inFlood) floodMinutes++;
  }
  return (100 * floodMinutes) / minutes;
}

export function computeKpi(
  journal: readonly AlarmEvent[],
  alarms: Iterable<AlarmRecord>,
  now: number,
  windowMinutes: number,
  options: Pick<AlarmOptions, 'floodStart' | 'floodEnd' | 'staleAfter'>,
): AlarmKpi {
  const from = now - windowMinutes * 60_000;
  const inWindow = journal.filter((e) => e.ts > from && e.ts <= now);
  const activations = inWindow.filter(isActivation);
  const presented = activations.filter((e) => !e.consequential);
  const times = presented.map((e) => e.ts).sort((a, b) => a - b);

  const counts = new Map<string, number>();
  for (const e of activations) counts.set(e.alarm, (counts.get(e.alarm) ?? 0) + 1);
  const badActors = [...counts.entries()]
    .map(([alarm, count]) => ({ alarm, count }))
    .sort((a, b) => b.count - a.count || a.alarm.localeCompare(b.alarm))
    .slice(0, 10);
  const top = badActors.reduce((sum, b) => sum + b.count, 0);

  const mix = { low: 0, medium: 0, high: 0 };
  for (const e of presented) {
    const priority = LEVEL_PRIORITY[e.level];
    if (priority === 'low') mix.low++;
    else if (priority === 'medium') mix.medium++;
    else if (priority === 'high' || priority === 'urgent') mix.high++;
  }
  const share = (n: number) => (presented.length ? (100 * n) / presented.length : 0);

  let chattering = 0;
  let stale = 0;
  let standing = 0;
  for (const alarm of alarms) {
    if (alarm.chattering) chattering++;
    if (alarm.active && alarm.activatedAt !== undefined && now - alarm.activatedAt > options.staleAfter * 1000) stale++;
    if (alarm.active && isAnnunciated(alarm)) standing++;
  }

  return {
    ts: now,
    windowMinutes,
    alarmsPer10MinAverage: presented.length / Math.max(windowMinutes / 10, 1),
    alarmsPer10MinPeak: peakPer10Min(times),
    floodPercent: floodPercent(times, from, now, options),
    chattering,
    stale,
    standing,
    badActors,
    top10SharePercent: activations.length ? (100 * top) / activations.length : 0,
    priorityMix: { low: share(mix.low), medium: share(mix.medium), high: share(mix.high) },
  };
}
