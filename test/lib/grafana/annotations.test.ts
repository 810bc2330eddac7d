import assert from 'node:assert';
import fc from 'fast-check';
import { AnnotationRegions } from '../../../lib/grafana/index.js';
import type { AlarmEvent, AlarmState, Incident } from '../../../lib/model/index.js';

const alarm = (state: AlarmState, ts: number, extra: Partial<AlarmEvent> = {}): AlarmEvent => ({
  alarm: 'SEP-1', equipment: 'SEP-1', area: 'cpf', state, previous: 'normal', level: 'II', ts, incident: 'INC-1', ...extra,
});

const incident = (status: 'open' | 'closed', ts: number, extra: Partial<Incident> = {}): Incident => ({
  id: 'INC-1', status, level: 'I', rootCause: { equipment: 'WELL-3', tag: 'WELL-3.PT', factor: 'high' }, firstAlarm: 'WELL-3',
  alarms: ['WELL-3', 'SEP-1'], openedAt: 1000, ts, ...extra,
});

describe('lib/grafana annotation regions', () => {
  it('opens a region tagged with level, equipment and incident when an alarm becomes active', () => {
    const regions = new AnnotationRegions({ dashboardUID: 'oilrisk-overview', panelId: 4 });
    const step = regions.planAlarm(alarm('unacknowledged', 1000, { rootCause: { equipment: 'WELL-3', tag: 'WELL-3.PT' } }));
    assert.strictEqual(step.kind, 'create');
    if (step.kind !== 'create') return;
    assert.deepStrictEqual(step.request.tags, ['oilrisk', 'alarm', 'level:II', 'equipment:SEP-1', 'area:cpf', 'incident:INC-1']);
    assert.deepStrictEqual([step.request.time, step.request.timeEnd, step.request.dashboardUID, step.request.panelId], [1000, 1000, 'oilrisk-overview', 4]);
    assert.match(step.request.text, /root cause WELL-3 \/ WELL-3.PT/);
  });

  it('closes the region by updating timeEnd when the alarm clears', () => {
    const regions = new AnnotationRegions();
    const open = regions.planAlarm(alarm('unacknowledged', 1000));
    regions.created(open.key, 17);
    assert.strictEqual(regions.planAlarm(alarm('acknowledged', 2000, { user: 'op' })).kind, 'skip');
    const close = regions.planAlarm(alarm('returned-unacknowledged', 5000));
    assert.deepStrictEqual(close.kind === 'update' && [close.id, close.patch.timeEnd, close.closes], [17, 5000, true]);
    assert.strictEqual(regions.size, 0);
    assert.strictEqual(regions.planAlarm(alarm('normal', 6000)).kind, 'skip');
  });

  it('updates the tags when an active alarm changes level', () => {
    const regions = new AnnotationRegions();
    regions.created(regions.planAlarm(alarm('unacknowledged', 1000)).key, 3);
    const step = regions.planAlarm(alarm('unacknowledged', 1500, { level: 'I' }));
    assert.deepStrictEqual(step.kind === 'update' && [step.id, step.closes, step.patch.tags?.includes('level:I'), step.patch.timeEnd], [3, false, true, undefined]);
  });

  it('creates the whole region at clear time when Grafana never answered the open', () => {
    const regions = new AnnotationRegions();
    regions.planAlarm(alarm('unacknowledged', 1000));
    const step = regions.planAlarm(alarm('normal', 4000));
    assert.deepStrictEqual(step.kind === 'create' && [step.request.time, step.request.timeEnd], [1000, 4000]);
  });

  it('leaves the region alone while an alarm is shelved', () => {
    const regions = new AnnotationRegions();
    regions.planAlarm(alarm('unacknowledged', 1000));
    assert.strictEqual(regions.planAlarm(alarm('shelved', 2000)).kind, 'skip');
    assert.strictEqual(regions.size, 1);
  });

  it('annotates an incident from open to closed with its root cause', () => {
    const regions = new AnnotationRegions();
    const open = regions.planIncident(incident('open', 1000));
    assert.ok(open.kind === 'create' && open.request.tags.includes('incident:INC-1') && open.request.tags.includes('equipment:WELL-3'));
    assert.match(open.kind === 'create' ? open.request.text : '', /root cause WELL-3 \/ WELL-3.PT \/ high, first out WELL-3, 2 alarm/);
    regions.created(open.key, 9);
    const close = regions.planIncident(incident('closed', 9000, { closedAt: 8000 }));
    assert.deepStrictEqual(close.kind === 'update' && [close.id, close.patch.timeEnd], [9, 8000]);
    const late = new AnnotationRegions().planIncident(incident('closed', 9000));
    assert.deepStrictEqual(late.kind === 'create' && [late.request.time, late.request.timeEnd], [1000, 9000]);
  });

  it('forgets the oldest open region beyond its bound', () => {
    const regions = new AnnotationRegions({}, 2);
    for (const id of ['A', 'B', 'C']) regions.planAlarm(alarm('unacknowledged', 1, { alarm: id }));
    assert.strictEqual(regions.size, 2);
    assert.strictEqual(regions.planAlarm(alarm('normal', 2, { alarm: 'A' })).kind, 'skip');
  });

  it('never leaves a region open after its alarm cleared, whatever the sequence of states', () => {
    const states: AlarmState[] = ['normal', 'unacknowledged', 'acknowledged', 'returned-unacknowledged', 'shelved', 'suppressed-by-design', 'out-of-service'];
    fc.assert(fc.property(fc.array(fc.constantFrom(...states), { maxLength: 30 }), (sequence) => {
      const regions = new AnnotationRegions();
      let id = 0;
      let opened = 0;
      let closed = 0;
      sequence.forEach((state, i) => {
        const step = regions.planAlarm(alarm(state, i));
        if (step.kind === 'create' && step.request.timeEnd === step.request.time) { opened++; regions.created(step.key, ++id); }
        if (step.kind === 'update' && step.closes) closed++;
      });
      const last = [...sequence].reverse().find((s) => s === 'normal' || s === 'returned-unacknowledged' || s === 'unacknowledged' || s === 'acknowledged');
      const active = last === 'unacknowledged' || last === 'acknowledged';
      assert.strictEqual(regions.size, active ? 1 : 0);
      assert.strictEqual(opened - closed, active ? 1 : 0);
    }));
  });
});
