import assert from 'node:assert/strict';
import fc from 'fast-check';
import { AlarmManager, TIERS } from '../../../lib/alarms/index.js';
import { WARNING_LEVELS, type WarningLevel } from '../../../lib/model/index.js';
import { FakeClock, risk, smallSite } from './fixture.js';

type Step = { kind: 'risk'; level: WarningLevel } | { kind: 'wait'; seconds: number } | { kind: 'ack' };

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant('risk' as const), level: fc.constantFrom(...WARNING_LEVELS) }),
  fc.record({ kind: fc.constant('wait' as const), seconds: fc.integer({ min: 1, max: 4000 }) }),
  fc.record({ kind: fc.constant('ack' as const) }),
);

const rank = (level: WarningLevel) => WARNING_LEVELS.indexOf(level);

describe('alarms/escalation (properties)', () => {
  it('never skips a tier and never lowers the level while the cause is active', () => {
    fc.assert(fc.property(fc.array(step, { maxLength: 60 }), (steps) => {
      const clock = new FakeClock();
      const m = new AlarmManager({ clock: clock.now, site: smallSite() });
      let reached = -1; // highest tier told in the current episode
      let highest: WarningLevel = 'normal'; // highest level asked for while active
      for (const s of steps) {
        let out;
        if (s.kind === 'risk') {
          out = m.applyRisk([risk('SEP-2', s.level)]);
          highest = s.level === 'normal' ? 'normal' : rank(s.level) > rank(highest) ? s.level : highest;
        } else if (s.kind === 'wait') {
          clock.advance(s.seconds);
          out = m.tick();
        } else {
          out = m.get('SEP-2') ? m.acknowledge('SEP-2', 'op') : undefined;
        }
        for (const n of out?.notifications ?? []) {
          const tier = TIERS.indexOf(n.tier);
          if (n.reason === 'new') reached = -1;
          assert.ok(tier <= reached + 1, `tier ${n.tier} notified after tier ${TIERS[reached] ?? 'none'}: skipped one`);
          reached = Math.max(reached, tier);
        }
        const alarm = m.get('SEP-2');
        if (alarm?.active) assert.equal(alarm.level, highest, 'the alarm level is the highest level reached while active');
      }
    }), { numRuns: 300 });
  });

  it('notifies nothing separately for consequential alarms, whatever their levels', () => {
    fc.assert(fc.property(fc.array(fc.constantFrom<WarningLevel>('IV', 'III', 'II', 'I'), { minLength: 1, maxLength: 20 }), (levels) => {
      const m = new AlarmManager({ clock: new FakeClock().now, site: smallSite() });
      m.applyRisk([risk('COMP-1', 'III')]);
      for (const level of levels) {
        const out = m.applyRisk([risk('SEP-2', level, 'COMP-1')]);
        assert.ok(out.notifications.every((n) => n.alarm === 'COMP-1'));
      }
      assert.ok(m.journalEvents().some((e) => e.alarm === 'SEP-2' && e.consequential));
    }), { numRuns: 100 });
  });
});
