import assert from 'node:assert/strict';
import { computeKpi, floodPercent, peakPer10Min } from '../../../lib/alarms/index.js';
import type { AlarmEvent, WarningLevel } from '../../../lib/model/index.js';
import { T0 } from './fixture.js';

const MIN = 60_000;
const options = { floodStart: 10, floodEnd: 5, staleAfter: 86_400 };

function activation(alarm: string, ts: number, level: WarningLevel = 'IV', consequential = false): AlarmEvent {
  return { alarm, equipment: alarm, state: 'unacknowledged', previous: 'normal', level, ts, ...(consequential ? { consequential } : {}) };
}

describe('alarms/kpi', () => {
  it('finds the peak in any 10-minute window, not only aligned ones', () => {
    const times = [0, 9, 10, 11, 19].map((m) => T0 + m * MIN);
    assert.equal(peakPer10Min(times), 3); // 10, 11, 19
    assert.equal(peakPer10Min([]), 0);
  });

  it('enters a flood above 10 per 10 minutes and leaves it only below 5', () => {
    // 11 alarms in the first minute, then one every 3 minutes.
    const times = [...Array.from({ length: 11 }, (_, i) => T0 + i * 1000), ...Array.from({ length: 10 }, (_, i) => T0 + (3 + 3 * i) * MIN)];
    const pct = floodPercent(times, T0 - 0, T0 + 100 * MIN, options);
    // In flood from minute 1 until the first-minute burst leaves the 10-minute window (minute 11).
    assert.equal(pct, 10);
  });

  it('computes rate, bad actors, priority mix and standing alarms over the window', () => {
    const journal: AlarmEvent[] = [
      activation('A', T0 + 1 * MIN, 'IV'), activation('A', T0 + 2 * MIN, 'IV'), activation('A', T0 + 3 * MIN, 'IV'),
      activation('B', T0 + 4 * MIN, 'III'), activation('C', T0 + 5 * MIN, 'I'),
      activation('D', T0 + 6 * MIN, 'II', true),
      { alarm: 'A', equipment: 'A', state: 'acknowledged', previous: 'unacknowledged', level: 'IV', ts: T0 + 7 * MIN },
      activation('OLD', T0 - 120 * MIN),
    ];
    const alarms = [
      { id: 'B', active: true, state: 'unacknowledged', chattering: false, activatedAt: T0 + 4 * MIN },
      { id: 'A', active: true, state: 'acknowledged', chattering: true, activatedAt: T0 - 25 * 3600_000 },
      { id: 'E', active: true, state: 'shelved', chattering: false, activatedAt: T0 },
    ] as never;
    const kpi = computeKpi(journal, alarms, T0 + 60 * MIN, 60, options);
    assert.equal(kpi.alarmsPer10MinPeak, 5);
    assert.ok(Math.abs(kpi.alarmsPer10MinAverage - 5 / 6) < 1e-9);
    assert.deepEqual(kpi.badActors[0], { alarm: 'A', count: 3 });
    assert.equal(kpi.badActors.length, 4);
    assert.equal(kpi.top10SharePercent, 100);
    assert.deepEqual(kpi.priorityMix, { low: 60, medium: 20, high: 20 });
    assert.equal(kpi.standing, 2);
    assert.equal(kpi.chattering, 1);
    assert.equal(kpi.stale, 1);
    assert.equal(kpi.floodPercent, 0);
  });
});
