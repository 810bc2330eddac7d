import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AlarmManager, loadAlarmState, saveAlarmState } from '../../../lib/alarms/index.js';
import { FakeClock, risk, smallSite } from './fixture.js';

describe('alarms/state-file', () => {
  let dir: string;
  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'oilrisk-alarms-')); });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('saves atomically and loads what was saved', () => {
    const clock = new FakeClock();
    const m = new AlarmManager({ clock: clock.now, site: smallSite() });
    m.applyRisk([risk('COMP-1', 'II'), risk('SEP-2', 'III', 'COMP-1')]);
    m.acknowledge('COMP-1', 'op', 'seen');
    const path = join(dir, 'state', 'alarms.json');
    saveAlarmState(path, m.snapshot());
    assert.deepEqual(readdirSync(join(dir, 'state')), ['alarms.json']);
    const loaded = loadAlarmState(path);
    assert.ok(loaded.ok && loaded.snapshot);
    const restored = new AlarmManager({ clock: clock.now, state: loaded.snapshot });
    assert.equal(restored.get('COMP-1')!.acknowledgedBy, 'op');
    assert.equal(restored.journalEvents().length, m.journalEvents().length);
  });

  it('has no state before the first save, and says why a damaged file cannot be used', () => {
    assert.deepEqual(loadAlarmState(join(dir, 'none.json')), { ok: true, snapshot: undefined });
    writeFileSync(join(dir, 'bad.json'), '{"version":1,');
    const bad = loadAlarmState(join(dir, 'bad.json'));
    assert.ok(!bad.ok && /not valid JSON/.test(bad.message));
    writeFileSync(join(dir, 'old.json'), '{"version":0}');
    const old = loadAlarmState(join(dir, 'old.json'));
    assert.ok(!old.ok && /not a version 1 snapshot/.test(old.message));
  });
});
