import assert from 'node:assert/strict';
import { appendFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AlarmManager, appendJournal, compactJournal, loadAlarmState, loadJournal, moveAside, saveAlarmState } from '../../../lib/alarms/index.js';
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

  it('appends the journal as lines, skips a line torn by a crash, and compacts', () => {
    const m = new AlarmManager({ clock: new FakeClock().now, site: smallSite() });
    const path = join(dir, 'j', 'alarms.journal.jsonl');
    appendJournal(path, m.applyRisk([risk('COMP-1', 'II')]).events);
    appendJournal(path, m.acknowledge('COMP-1', 'op').events);
    appendFileSync(path, '{"alarm":"TK-1","sta');
    const loaded = loadJournal(path, 10);
    assert.deepEqual(loaded.events.map((e) => e.state), ['unacknowledged', 'acknowledged']);
    assert.equal(loaded.skipped, 1);
    assert.deepEqual(loadJournal(path, 1).events.map((e) => e.state), ['acknowledged']);
    compactJournal(path, loaded.events.slice(1));
    assert.equal(readFileSync(path, 'utf8').trim().split('\n').length, 1);
    assert.deepEqual(loadJournal(join(dir, 'none.jsonl'), 5), { events: [], skipped: 0 });
  });

  it('compacts through a temporary file that does not stay behind', () => {
    const m = new AlarmManager({ clock: new FakeClock().now, site: smallSite() });
    const path = join(dir, 'alarms.journal.jsonl');
    const events = m.applyRisk([risk('COMP-1', 'II'), risk('TK-1', 'IV')]).events;
    appendJournal(path, events);
    compactJournal(path, events.slice(1));
    assert.deepEqual(readdirSync(dir), ['alarms.journal.jsonl']);
    assert.deepEqual(loadJournal(path, 10).events, events.slice(1));
  });

  it('moves a journal that cannot be read aside, so that compacting does not overwrite it', () => {
    const m = new AlarmManager({ clock: new FakeClock().now, site: smallSite() });
    const path = join(dir, 'alarms.journal.jsonl');
    // A folder where the journal should be: reading it fails (EISDIR) whoever runs the test.
    mkdirSync(path);
    writeFileSync(join(path, 'evidence'), 'unread events');
    assert.throws(() => loadJournal(path, 10), { code: 'EISDIR' });
    const kept = moveAside(path, Date.UTC(2026, 0, 1));
    assert.equal(kept, `${path}.damaged-${Date.UTC(2026, 0, 1)}`);
    assert.equal(readFileSync(join(kept, 'evidence'), 'utf8'), 'unread events');
    compactJournal(path, m.applyRisk([risk('COMP-1', 'II')]).events);
    assert.deepEqual(loadJournal(path, 10).events.map((e) => e.alarm), ['COMP-1']);
    assert.equal(readFileSync(join(kept, 'evidence'), 'utf8'), 'unread events');
    assert.equal(moveAside(join(dir, 'none.jsonl')), undefined);
  });
});
