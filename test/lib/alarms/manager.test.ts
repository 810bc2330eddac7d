import assert from 'node:assert/strict';
import { AlarmManager, AlarmTransitionError, parsePlaybooks } from '../../../lib/alarms/index.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FakeClock, risk, smallSite } from './fixture.js';

const playbooks = (() => {
  const parsed = parsePlaybooks(readFileSync(join(__dirname, '../../../sites/demo-playbooks.yaml'), 'utf8'), 'demo-playbooks.yaml');
  if (!parsed.ok) throw new Error('demo playbooks invalid');
  return parsed.playbooks;
})();

function manager(clock = new FakeClock(), options = {}) {
  return new AlarmManager({ clock: clock.now, site: smallSite(), playbooks, options, acknowledgeUrl: (id) => `http://localhost:1880/oilrisk/api/alarms/${id}/ack` });
}

describe('alarms/manager', () => {
  describe('escalation', () => {
    it('notifies the operator, then the supervisor, then emergency command, then repeats', () => {
      const clock = new FakeClock();
      const m = manager(clock);
      const first = m.applyRisk([risk('COMP-1', 'I', 'COMP-1', { tag: 'COMP-1.PT-2', factor: 'discharge-pressure' })]);
      assert.deepEqual(first.notifications.map((n) => [n.tier, n.reason]), [['operator', 'new']]);
      clock.advance(119);
      assert.equal(m.tick().notifications.length, 0);
      clock.advance(1);
      assert.deepEqual(m.tick().notifications.map((n) => [n.tier, n.reason]), [['supervisor', 'escalated']]);
      clock.advance(120);
      assert.deepEqual(m.tick().notifications.map((n) => [n.tier, n.reason]), [['emergency-command', 'escalated']]);
      clock.advance(300);
      assert.deepEqual(m.tick().notifications.map((n) => [n.tier, n.reason]), [['emergency-command', 'repeat']]);
    });

    it('never skips a tier, even when a long time passed between ticks', () => {
      const clock = new FakeClock();
      const m = manager(clock);
      m.applyRisk([risk('SEP-2', 'II')]);
      clock.advance(3600);
      assert.deepEqual(m.tick().notifications.map((n) => n.tier), ['supervisor', 'emergency-command', 'emergency-command']);
    });

    it('stops escalating once acknowledged', () => {
      const clock = new FakeClock();
      const m = manager(clock);
      m.applyRisk([risk('SEP-2', 'I')]);
      m.acknowledge('SEP-2', 'op');
      clock.advance(3600);
      assert.equal(m.tick().notifications.length, 0);
    });

    it('carries who, level, equipment, root cause, playbook steps and an acknowledge link', () => {
      const m = manager();
      const [n] = m.applyRisk([risk('GD-H2S-1', 'II', 'GD-H2S-1', { tag: 'GD-H2S-1.AT', factor: 'h2s' })]).notifications;
      assert.equal(n.tier, 'operator');
      assert.equal(n.contacts[0].name, 'CPF control room (board operator)');
      assert.equal(n.level, 'II');
      assert.equal(n.priority, 'high');
      assert.equal(n.equipment, 'GD-H2S-1');
      assert.equal(n.area, 'cpf');
      assert.deepEqual(n.rootCause, { equipment: 'GD-H2S-1', tag: 'GD-H2S-1.AT', factor: 'h2s' });
      assert.equal(n.playbook?.playbook, 'h2s-release');
      assert.match(n.playbook!.steps[0], /evacuation alarm/);
      assert.deepEqual(n.playbook!.muster.map((p) => p.id), ['MP-CPF-W', 'MP-TB']);
      assert.equal(n.acknowledgeUrl, 'http://localhost:1880/oilrisk/api/alarms/GD-H2S-1/ack');
      assert.match(n.message, /Level II \(high\) warning on GD-H2S-1 \(cpf\): H2S release/);
    });

    it('notifies a raised level once per hold-off, at once for level I, and keeps the level until the cause clears', () => {
      const clock = new FakeClock();
      const m = manager(clock);
      m.applyRisk([risk('TK-1', 'IV')]);
      clock.advance(10);
      assert.equal(m.applyRisk([risk('TK-1', 'III')]).notifications.length, 0);
      clock.advance(10);
      assert.equal(m.applyRisk([risk('TK-1', 'II')]).notifications.length, 0);
      clock.advance(39);
      assert.equal(m.tick().notifications.length, 0);
      clock.advance(1);
      assert.deepEqual(m.tick().notifications.map((n) => [n.reason, n.level, n.tier]), [['level-raised', 'II', 'operator']]);
      clock.advance(5);
      assert.deepEqual(m.applyRisk([risk('TK-1', 'I')]).notifications.map((n) => [n.reason, n.level]), [['level-raised', 'I']]);
      m.applyRisk([risk('TK-1', 'III')]);
      assert.equal(m.get('TK-1')!.level, 'I');
      m.acknowledge('TK-1', 'op');
      m.applyRisk([risk('TK-1', 'normal')]);
      assert.equal(m.get('TK-1')!.level, 'normal');
    });
  });

  describe('incidents and flood control', () => {
    it('groups alarms explained by an active root cause: consequential, journaled, not notified', () => {
      const m = manager();
      const out = m.applyRisk([risk('SEP-2', 'III', 'COMP-1'), risk('COMP-1', 'II'), risk('HT-1', 'III', 'COMP-1')]);
      assert.deepEqual(out.notifications.map((n) => n.alarm), ['COMP-1']);
      assert.deepEqual(out.events.map((e) => [e.alarm, e.consequential ?? false]), [['COMP-1', false], ['SEP-2', true], ['HT-1', true]]);
      const [incident] = m.listIncidents('open');
      assert.equal(incident.firstAlarm, 'COMP-1');
      assert.deepEqual(incident.alarms, ['COMP-1', 'SEP-2', 'HT-1']);
      assert.equal(incident.rootCause.equipment, 'COMP-1');
      assert.deepEqual(m.list({ incident: incident.id }).map((a) => a.id).sort(), ['COMP-1', 'HT-1', 'SEP-2']);
    });

    it('never suppresses the root cause, and a consequence more severe than its cause raises the incident', () => {
      const m = manager();
      m.applyRisk([risk('COMP-1', 'III')]);
      const out = m.applyRisk([risk('TK-1', 'I', 'COMP-1')]);
      assert.deepEqual(out.notifications.map((n) => [n.alarm, n.level, n.reason]), [['COMP-1', 'I', 'level-raised']]);
      assert.equal(m.listIncidents('open')[0].level, 'I');
    });

    it('re-evaluates consequential alarms on their own when the root cause clears', () => {
      const m = manager();
      m.applyRisk([risk('COMP-1', 'II'), risk('SEP-2', 'III', 'COMP-1'), risk('HT-1', 'III', 'COMP-1')]);
      const out = m.applyRisk([risk('COMP-1', 'normal'), risk('HT-1', 'normal')]);
      assert.deepEqual(out.notifications.map((n) => [n.alarm, n.reason]), [['SEP-2', 're-evaluated']]);
      const sep = m.get('SEP-2')!;
      assert.equal(sep.consequential, false);
      const closed = m.listIncidents('closed');
      assert.equal(closed.length, 1);
      assert.equal(closed[0].rootCause.equipment, 'COMP-1');
      assert.equal(m.getIncident(sep.incident!)!.status, 'open');
    });

    it('makes the first-out the lead when the root cause has no alarm of its own', () => {
      const m = manager();
      const out = m.applyRisk([risk('SEP-2', 'III', 'COMP-1'), risk('HT-1', 'III', 'COMP-1')]);
      assert.deepEqual(out.notifications.map((n) => n.alarm), ['SEP-2']);
      assert.equal(m.listIncidents('open')[0].firstAlarm, 'SEP-2');
    });

    it('does not notify a consequential alarm when it comes back from shelving', () => {
      const m = manager();
      m.applyRisk([risk('COMP-1', 'II'), risk('SEP-2', 'III', 'COMP-1')]);
      m.shelve('SEP-2', 60, 'op', 'known consequence');
      const out = m.unshelve('SEP-2', 'op');
      assert.equal(m.get('SEP-2')!.state, 'unacknowledged');
      assert.equal(out.notifications.length, 0);
    });

    it('acknowledges an incident at once', () => {
      const m = manager();
      const out = m.applyRisk([risk('COMP-1', 'II'), risk('SEP-2', 'III', 'COMP-1')]);
      m.acknowledgeIncident(out.incidents[0].id, 'op');
      assert.deepEqual(m.list({ state: 'acknowledged' }).map((a) => a.id).sort(), ['COMP-1', 'SEP-2']);
    });
  });

  describe('operator actions and time', () => {
    it('auto-unshelves when the shelving expires and annunciates a still active alarm', () => {
      const clock = new FakeClock();
      const m = manager(clock);
      m.applyRisk([risk('TK-1', 'III')]);
      m.shelve('TK-1', 600, 'op', 'level transmitter under repair');
      clock.advance(599);
      assert.equal(m.tick().events.length, 0);
      clock.advance(1);
      const out = m.tick();
      assert.deepEqual(out.events.map((e) => [e.state, e.user, e.reason]), [['unacknowledged', 'system', 'shelving expired']]);
      assert.equal(out.notifications.length, 1);
    });

    it('suppresses alarms of equipment in maintenance by design, and releases them when it runs', () => {
      const m = manager();
      const out = m.applyRisk([risk('WELL-08', 'II')]);
      assert.equal(out.notifications.length, 0);
      assert.equal(m.get('WELL-08')!.state, 'suppressed-by-design');
      const site = smallSite();
      site.equipment.find((e) => e.id === 'WELL-08')!.state = 'running';
      const back = m.setSite(site);
      assert.equal(m.get('WELL-08')!.state, 'unacknowledged');
      assert.equal(back.notifications.length, 1);
    });

    it('flags chattering (3 activations in 60 s) and can shelve it automatically', () => {
      const clock = new FakeClock();
      const m = manager(clock, { chatterAutoShelve: 900 });
      for (let i = 0; i < 2; i++) {
        m.applyRisk([risk('TK-1', 'IV')]);
        clock.advance(10);
        m.applyRisk([risk('TK-1', 'normal')]);
        m.acknowledge('TK-1', 'op');
        clock.advance(10);
      }
      assert.equal(m.get('TK-1')!.chattering, false);
      m.applyRisk([risk('TK-1', 'IV')]);
      const alarm = m.get('TK-1')!;
      assert.equal(alarm.chattering, true);
      assert.equal(m.kpi(60).chattering, 1);
      assert.equal(alarm.state, 'shelved');
      assert.equal(alarm.removalReason, 'chattering');
    });

    it('marks an alarm active for more than 24 h as stale', () => {
      const clock = new FakeClock();
      const m = manager(clock);
      m.applyRisk([risk('TK-1', 'IV')]);
      clock.advance(24 * 3600 + 1);
      assert.equal(m.get('TK-1')!.stale, true);
      assert.equal(m.kpi(60).stale, 1);
    });

    it('refuses an unknown alarm with a not-found error and bad changes one by one', () => {
      const m = manager();
      assert.throws(() => m.acknowledge('NOPE', 'op'), (err: AlarmTransitionError) => err.code === 'not-found');
      const out = m.applyRisk([{ equipment: 'TK-1', level: 'X' as never }, { level: 'I' } as never, risk('SEP-2', 'IV')]);
      assert.deepEqual(out.rejected.map((r) => r.index), [0, 1]);
      assert.match(out.rejected[0].message, /risk change \[0\]: level "X" of equipment "TK-1"/);
      assert.equal(m.get('SEP-2')!.state, 'unacknowledged');
    });

    it('journals comments with the user', () => {
      const m = manager();
      m.applyRisk([risk('TK-1', 'IV')]);
      const out = m.comment('TK-1', 'op', 'truck ordered');
      assert.equal(out.events[0].reason, 'comment: truck ordered');
      assert.equal(m.get('TK-1')!.comments[0].user, 'op');
      assert.throws(() => m.comment('TK-1', 'op', '  '), /empty/);
    });

    it('restores alarms, acknowledgements, shelving and incidents from a snapshot', () => {
      const clock = new FakeClock();
      const m = manager(clock);
      m.applyRisk([risk('COMP-1', 'II'), risk('SEP-2', 'III', 'COMP-1'), risk('TK-1', 'IV')]);
      m.acknowledge('COMP-1', 'op');
      m.shelve('TK-1', 600, 'op', 'known issue');
      const copy = new AlarmManager({ clock: clock.now, site: smallSite(), state: JSON.parse(JSON.stringify(m.snapshot())) });
      const plain = (x: unknown) => JSON.parse(JSON.stringify(x)) as unknown;
      assert.deepEqual(plain(copy.list()), plain(m.list()));
      assert.deepEqual(plain(copy.listIncidents()), plain(m.listIncidents()));
      clock.advance(600);
      assert.equal(copy.tick().events[0].reason, 'shelving expired');
      const next = copy.applyRisk([risk('HT-1', 'II')]);
      assert.notEqual(next.incidents[0].id, m.listIncidents()[0].id);
    });

    it('clears restored alarms the risk engine has not reported again, and only those', () => {
      const clock = new FakeClock();
      const m = manager(clock);
      m.applyRisk([risk('COMP-1', 'II'), risk('TK-1', 'IV'), risk('SEP-2', 'III')]);
      const restored = new AlarmManager({ clock: clock.now, site: smallSite(), state: JSON.parse(JSON.stringify(m.snapshot())) });
      assert.equal(restored.awaitingConfirmation, 3);
      restored.applyRisk([risk('TK-1', 'IV'), risk('SEP-2', 'normal')]);
      const out = restored.clearUnconfirmed();
      assert.deepEqual(out.events.map((e) => [e.alarm, e.state]), [['COMP-1', 'returned-unacknowledged']]);
      assert.match(out.events[0].reason!, /not reported by the risk engine since the restart/);
      assert.equal(restored.get('TK-1')!.active, true);
      assert.equal(restored.awaitingConfirmation, 0);
    });
  });
});
