import assert from 'node:assert/strict';
import { AlarmManager, isPresented, peakPer10Min } from '../../../lib/alarms/index.js';
import type { Site } from '../../../lib/model/index.js';
import { FakeClock, risk } from './fixture.js';
import { measureFlood } from './flood-replay.js';

/** One compressor feeding 60 downstream units: a trip is one root cause and 60 consequences. */
function floodSite(): Site {
  const units = Array.from({ length: 60 }, (_, i) => `U-${String(i + 1).padStart(2, '0')}`);
  return {
    id: 'flood', name: 'flood', scoreBands: { IV: 0.5, III: 1, II: 2, I: 3 }, tags: [],
    equipment: [{ id: 'COMP-1', type: 'compressor', name: 'COMP-1', area: 'cpf', criticality: 4, state: 'running' },
      ...units.map((id) => ({ id, type: 'separator-2phase', name: id, area: 'cpf', criticality: 3, state: 'running' as const }))],
    dependencies: units.map((to) => ({ from: 'COMP-1', to, kind: 'flow' as const, transmissionWeight: 0.6 })),
  };
}

describe('alarms/flood control', () => {
  it('a hand-built flood: one root cause and 60 consequences give one notified alarm, all 61 journaled', () => {
    const clock = new FakeClock();
    const site = floodSite();
    const m = new AlarmManager({ clock: clock.now, site });
    const units = site.equipment.slice(1).map((e) => e.id);
    const notified: string[] = [];
    notified.push(...m.applyRisk([risk('COMP-1', 'II')]).notifications.filter((n) => n.reason === 'new').map((n) => n.alarm));
    // The consequences arrive over two minutes, each crossing its limits twice (rises and clears).
    for (let round = 0; round < 2; round++) {
      for (const unit of units) {
        clock.advance(1);
        notified.push(...m.applyRisk([risk(unit, 'III', 'COMP-1')]).notifications.filter((n) => n.reason === 'new').map((n) => n.alarm));
      }
      for (const unit of units) m.applyRisk([risk(unit, 'normal', 'COMP-1')]);
    }
    assert.deepEqual(notified, ['COMP-1']);
    const journal = m.journalEvents();
    const presented = journal.filter(isPresented);
    assert.ok(peakPer10Min(presented.map((e) => e.ts)) <= 10);
    for (const unit of units) assert.equal(journal.filter((e) => e.alarm === unit && e.consequential && e.state === 'unacknowledged').length, 2, unit);
    assert.equal(m.listIncidents('open')[0].alarms.length, 61);
  });

  it('groups alarms reached along the risk engine\'s paths from an open incident', () => {
    const m = new AlarmManager({ clock: new FakeClock().now, site: floodSite() });
    m.applyRisk([risk('COMP-1', 'II'), risk('U-01', 'III', 'COMP-1')]);
    // U-02 has its own active factor (root cause itself) but the engine shows the path from COMP-1 through U-01.
    const out = m.applyRisk([{ ...risk('U-02', 'III'), paths: [{ path: ['COMP-1', 'U-01', 'U-02'], weight: 0.3 }] }]);
    assert.equal(out.notifications.length, 0);
    assert.equal(m.get('U-02')!.consequential, true);
    assert.equal(m.get('U-02')!.groupedVia, 'path COMP-1 > U-01 > U-02');
    // A weak path explains nothing.
    const weak = m.applyRisk([{ ...risk('U-03', 'III'), paths: [{ path: ['COMP-1', 'U-03'], weight: 0.01 }] }]);
    assert.deepEqual(weak.notifications.map((n) => n.alarm), ['U-03']);
  });

  it('replays the simulator\'s compressor-trip-flood through the risk engine: at most 10 per 10 minutes, root cause notified, nothing true lost', async function () {
    this.timeout(60_000);
    const m = await measureFlood();
    assert.ok(m.perTagPeakPer10Min >= 50, `the scenario floods a per-tag system (${m.perTagPeakPer10Min})`);
    assert.ok(m.presentedPeakPer10Min <= 10, `peak ${m.presentedPeakPer10Min} per 10 minutes`);
    const notifiedNew = new Set(m.notifications.filter((n) => n.reason === 'new').map((n) => n.alarm));
    assert.ok(notifiedNew.has(m.rootCause), `root cause ${m.rootCause} notified`);
    for (const equipment of m.raised) assert.ok(m.journal.some((e) => e.alarm === equipment), `${equipment} is in the journal`);
  });

  it('needs the process shutdown\'s cause-and-effect in the graph to group the shut-in wells', async function () {
    this.timeout(60_000);
    const m = await measureFlood({ withoutShutdownDependencies: true });
    const notifiedNew = new Set(m.notifications.filter((n) => n.reason === 'new').map((n) => n.alarm));
    assert.ok(notifiedNew.has(m.rootCause), `root cause ${m.rootCause} notified`);
    assert.ok([...notifiedNew].some((a) => a.startsWith('WELL-')), 'without the control dependencies the wells are notified on their own');
    for (const equipment of m.raised) assert.ok(m.journal.some((e) => e.alarm === equipment), `${equipment} is in the journal`);
  });
});
