import assert from 'node:assert/strict';
import { AlarmTransitionError, ALARM_DEFAULTS, newAlarm, transition, type AlarmAction, type AlarmRecord } from '../../../lib/alarms/index.js';

const options = { latching: false, maxShelve: ALARM_DEFAULTS.maxShelve };
const T0 = Date.UTC(2026, 0, 1);

function run(actions: AlarmAction[], opts = options): { alarm: AlarmRecord; states: string[] } {
  let alarm = newAlarm('SEP-1', 'SEP-1', 'cpf', T0);
  const states: string[] = [];
  actions.forEach((action, i) => {
    const t = transition(alarm, action, T0 + i * 1000, opts);
    alarm = t.alarm;
    if (t.event) states.push(t.event.state);
  });
  return { alarm, states };
}

describe('alarms/lifecycle', () => {
  it('runs the ISA-18.2 cycle: active, acknowledged, cleared', () => {
    const { alarm, states } = run([{ kind: 'activate', level: 'III' }, { kind: 'acknowledge', user: 'op' }, { kind: 'clear' }]);
    assert.deepEqual(states, ['unacknowledged', 'acknowledged', 'normal']);
    assert.equal(alarm.level, 'normal');
    assert.equal(alarm.acknowledgedBy, 'op');
  });

  it('goes through returned-unacknowledged when the condition clears before the acknowledgement', () => {
    const { states } = run([{ kind: 'activate', level: 'IV' }, { kind: 'clear' }, { kind: 'acknowledge', user: 'op' }]);
    assert.deepEqual(states, ['unacknowledged', 'returned-unacknowledged', 'normal']);
  });

  it('re-annunciates a returned alarm that comes back', () => {
    const { states } = run([{ kind: 'activate', level: 'IV' }, { kind: 'clear' }, { kind: 'activate', level: 'IV' }]);
    assert.deepEqual(states, ['unacknowledged', 'returned-unacknowledged', 'unacknowledged']);
  });

  it('journals every transition with time, user and reason', () => {
    let alarm = newAlarm('SEP-1', 'SEP-1', 'cpf', T0);
    alarm = transition(alarm, { kind: 'activate', level: 'II' }, T0, options).alarm;
    const { event } = transition(alarm, { kind: 'acknowledge', user: 'alice', reason: 'checked locally' }, T0 + 5000, options);
    assert.deepEqual(
      { ts: event!.ts, user: event!.user, reason: event!.reason, previous: event!.previous, state: event!.state, level: event!.level, area: event!.area },
      { ts: T0 + 5000, user: 'alice', reason: 'checked locally', previous: 'unacknowledged', state: 'acknowledged', level: 'II', area: 'cpf' },
    );
  });

  it('raises the level while active and never lowers it until the condition clears', () => {
    const { alarm, states } = run([
      { kind: 'activate', level: 'IV' }, { kind: 'acknowledge', user: 'op' }, { kind: 'activate', level: 'II' }, { kind: 'activate', level: 'III' },
    ]);
    assert.equal(alarm.level, 'II');
    // The raise re-annunciates an acknowledged alarm: the operator must see that it got worse.
    assert.deepEqual(states, ['unacknowledged', 'acknowledged', 'unacknowledged']);
  });

  it('treats a second acknowledgement as harmless: no error, no event', () => {
    let alarm = transition(newAlarm('A', 'A', undefined, T0), { kind: 'activate', level: 'III' }, T0, options).alarm;
    alarm = transition(alarm, { kind: 'acknowledge', user: 'op' }, T0 + 1, options).alarm;
    const again = transition(alarm, { kind: 'acknowledge', user: 'op2' }, T0 + 2, options);
    assert.equal(again.event, undefined);
    assert.equal(again.alarm.acknowledgedBy, 'op');
  });

  it('shelves for at most the maximum duration and refuses a shelving without a reason', () => {
    const active = transition(newAlarm('A', 'A', undefined, T0), { kind: 'activate', level: 'III' }, T0, options).alarm;
    assert.throws(() => transition(active, { kind: 'shelve', until: T0 + (options.maxShelve + 1) * 1000, user: 'op', reason: 'x' }, T0, options),
      (err: AlarmTransitionError) => err.code === 'bad-request' && /longest shelving allowed/.test(err.message));
    assert.throws(() => transition(active, { kind: 'shelve', until: T0 + 60_000, user: 'op', reason: ' ' }, T0, options), /without a reason/);
    assert.throws(() => transition(active, { kind: 'shelve', until: T0, user: 'op', reason: 'x' }, T0, options), /in the future/);
    const shelved = transition(active, { kind: 'shelve', until: T0 + 60_000, user: 'op', reason: 'instrument fault, work order 1234' }, T0, options);
    assert.equal(shelved.alarm.state, 'shelved');
    assert.equal(shelved.event?.reason, 'instrument fault, work order 1234');
  });

  it('tracks the condition while shelved and annunciates it on unshelve', () => {
    const { alarm, states } = run([
      { kind: 'shelve', until: T0 + 3_600_000, user: 'op', reason: 'nuisance' },
      { kind: 'activate', level: 'III' },
      { kind: 'unshelve', user: 'op' },
    ]);
    assert.deepEqual(states, ['shelved', 'unacknowledged']);
    assert.equal(alarm.active, true);
  });

  it('refuses illegal transitions with an error naming the alarm and the state', () => {
    const shelved = run([{ kind: 'shelve', until: T0 + 60_000, user: 'op', reason: 'x' }]).alarm;
    assert.throws(() => transition(shelved, { kind: 'acknowledge', user: 'op' }, T0, options),
      (err: AlarmTransitionError) => err instanceof AlarmTransitionError && err.code === 'illegal-state' && /alarm "SEP-1": it is shelved/.test(err.message));
    const normal = newAlarm('B', 'B', undefined, T0);
    assert.throws(() => transition(normal, { kind: 'unshelve', user: 'op' }, T0, options), /not shelved/);
    assert.throws(() => transition(normal, { kind: 'return-to-service', user: 'op' }, T0, options), /not out of service/);
    assert.throws(() => transition(normal, { kind: 'reset', user: 'op' }, T0, options), /not latched/);
    const oos = run([{ kind: 'remove-from-service', user: 'tech', reason: 'transmitter replaced' }]).alarm;
    assert.throws(() => transition(oos, { kind: 'shelve', until: T0 + 1000, user: 'op', reason: 'x' }, T0, options), /out-of-service/);
  });

  it('suppresses by design and comes back annunciated when the equipment runs again', () => {
    const { alarm, states } = run([{ kind: 'suppress', reason: 'equipment in maintenance' }, { kind: 'activate', level: 'II' }, { kind: 'unsuppress', reason: 'running' }]);
    assert.deepEqual(states, ['suppressed-by-design', 'unacknowledged']);
    assert.equal(alarm.level, 'II');
  });

  it('takes an alarm out of service and back, only with a reason', () => {
    assert.throws(() => run([{ kind: 'remove-from-service', user: 'tech', reason: '' }]), /without a reason/);
    const { states } = run([{ kind: 'remove-from-service', user: 'tech', reason: 'calibration' }, { kind: 'return-to-service', user: 'tech' }]);
    assert.deepEqual(states, ['out-of-service', 'normal']);
  });

  it('latches: a cleared alarm stays annunciated until acknowledged and reset', () => {
    const latching = { ...options, latching: true };
    const { alarm, states } = run([{ kind: 'activate', level: 'I' }, { kind: 'clear' }, { kind: 'acknowledge', user: 'op' }], latching);
    assert.deepEqual(states, ['unacknowledged', 'unacknowledged', 'acknowledged']);
    assert.equal(alarm.latched, true);
    const reset = transition(alarm, { kind: 'reset', user: 'op' }, T0 + 10_000, latching);
    assert.equal(reset.alarm.state, 'normal');
  });

  it('refuses to activate at level normal', () => {
    assert.throws(() => run([{ kind: 'activate', level: 'normal' }]), (err: AlarmTransitionError) => err.code === 'bad-request');
  });
});
