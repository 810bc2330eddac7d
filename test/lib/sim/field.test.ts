import assert from 'node:assert';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseSite } from '../../../lib/site/index.js';
import type { Site } from '../../../lib/model/index.js';
import {
  ANCHORS, createField, DEFAULTS, limitCrossings, replay, replayScenario, resolveScenario, SCENARIO_NAMES, scaleFor,
  toEngineering, toPerUnit, unmetExpectations,
} from '../../../sim/index.js';

function load(path: string): Site {
  const parsed = parseSite(readFileSync(path, 'utf8'), path);
  if (!parsed.ok) throw new Error(parsed.issues.map((i) => `${i.path}: ${i.message}`).join('\n'));
  return parsed.site;
}

const small = load(join(__dirname, 'small-field.yaml'));
const demo = load(join(__dirname, '..', '..', '..', 'sites', 'demo-field.yaml'));
const tag = (site: Site, id: string) => site.tags.find((t) => t.id === id)!;

describe('sim: field model', () => {
  it('replays identically from the same seed and differently from another', () => {
    const a = replayScenario(small, 'h2s-leak', { seed: 7, durationS: 120, stepS: 2 });
    const b = replayScenario(small, 'h2s-leak', { seed: 7, durationS: 120, stepS: 2 });
    const c = replayScenario(small, 'h2s-leak', { seed: 8, durationS: 120, stepS: 2 });
    assert.strictEqual(a.length, 60);
    assert.deepStrictEqual(a, b);
    assert.notDeepStrictEqual(a, c);
  });

  it('gives the same field whether time is stepped at once or in whole-second pieces', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 1000 }), fc.array(fc.integer({ min: 1, max: 20 }), { minLength: 1, maxLength: 8 }), (seed, pieces) => {
      const once = createField(small, { seed, scenario: 'pump-failure' });
      const stepped = createField(small, { seed, scenario: 'pump-failure' });
      once.step(pieces.reduce((a, b) => a + b, 0));
      for (const p of pieces) stepped.step(p);
      assert.deepStrictEqual(stepped.readings(), once.readings());
    }), { numRuns: 30 });
  });

  it('gives readings of every bound tag, timestamped in simulated time', () => {
    const field = createField(small, { seed: 3 });
    field.step(5);
    const readings = field.readings();
    assert.deepStrictEqual(readings.map((r) => r.tag).sort(), small.tags.filter((t) => t.binding).map((t) => t.id).sort());
    assert.ok(readings.every((r) => r.ts === DEFAULTS.startTs + 5000 && r.quality === 'good'));
    assert.strictEqual(field.value('WELL-1.RUN'), true);
    assert.strictEqual(typeof field.value('SEP-1.PT'), 'number');
  });

  it('rejects a negative or non-finite step and unknown scenarios', () => {
    const field = createField(small);
    assert.throws(() => field.step(-1), /step must be/);
    assert.throws(() => field.step(Number.NaN), /step must be/);
    assert.throws(() => createField(small, { scenario: 'meteor' as never }), /unknown scenario "meteor"/);
    assert.throws(() => field.setScenario('meteor' as never), /unknown scenario "meteor"/);
  });

  it('puts the site limits at fixed per-unit anchors', () => {
    const scale = scaleFor(tag(small, 'SEP-1.PT'));
    assert.strictEqual(toEngineering(scale, 1), 9);
    assert.strictEqual(toEngineering(scale, ANCHORS.H), 12);
    assert.strictEqual(toEngineering(scale, ANCHORS.HH), 14);
    assert.strictEqual(toEngineering(scale, ANCHORS.L), 6);
    assert.strictEqual(toPerUnit(scale, 13), 1.375);
    const gas = scaleFor(tag(small, 'GD-1.H2S'));
    assert.strictEqual(toEngineering(gas, 0), 0);
    assert.strictEqual(toEngineering(gas, ANCHORS.HH), 15);
  });

  it('raises separator pressure when its outlet valve closes', () => {
    const field = createField(small, { scenario: 'separator-overpressure' });
    field.step(50);
    const before = field.perUnit('SEP-1.PT')!;
    field.step(900);
    assert.ok(field.perUnit('SEP-1.PT')! > before + 0.4, `${field.perUnit('SEP-1.PT')} vs ${before}`);
  });

  it('drops downstream flow and manifold pressure when a well pump fails', () => {
    const field = createField(small, { scenario: 'pump-failure' });
    field.step(50);
    const flow = field.perUnit('PL-1.FT-OUT')!;
    const manifold = field.perUnit('MAN-1.PT')!;
    field.step(200);
    assert.strictEqual(field.value('WELL-1.RUN'), false);
    assert.ok(field.perUnit('PL-1.FT-OUT')! < flow * 0.75);
    assert.ok(field.perUnit('MAN-1.PT')! < manifold * 0.6);
  });

  it('fills the tank at its inflow minus the LACT outflow', () => {
    const field = createField(small, { scenario: 'tank-overfill' });
    field.step(60);
    const level = field.perUnit('TK-1.LT')!;
    field.step(300);
    // With the LACT stopped the level rises at the full inflow: 1 pu per 1500 s.
    assert.ok(Math.abs(field.perUnit('TK-1.LT')! - level - 300 / 1500) < 0.02, `${field.perUnit('TK-1.LT')}`);
    const steady = createField(small);
    steady.step(3600);
    assert.ok(Math.abs(steady.perUnit('TK-1.LT')! - 1) < 0.05);
  });

  it('drives vehicles round the site, heading where they go', () => {
    const field = createField(small);
    field.step(100);
    const a = field.vehiclePosition('TRK-1')!;
    field.step(5);
    const b = field.vehiclePosition('TRK-1')!;
    assert.equal(field.vehiclePosition('WELL-1'), undefined);
    assert.deepEqual([field.value('TRK-1.LAT'), field.value('TRK-1.LON')], [b.lat, b.lon]);
    const bearing = ((Math.atan2((b.lon - a.lon) * Math.cos((a.lat * Math.PI) / 180), b.lat - a.lat) * 180) / Math.PI + 360) % 360;
    const off = Math.abs(((bearing - a.heading + 540) % 360) - 180);
    assert.ok(off < 15, `bearing ${bearing}, heading ${a.heading}`);
  });

  it('crosses no limit in an hour of normal production', () => {
    assert.deepStrictEqual(limitCrossings(small, replayScenario(small, 'normal', { durationS: 3600, stepS: 5 })), []);
  });

  it('crosses limits in normal production only on equipment out of service (sites/demo-field.yaml)', () => {
    const crossings = limitCrossings(demo, replayScenario(demo, 'normal', { durationS: 1800, stepS: 5 }));
    const running = new Set(demo.equipment.filter((e) => e.state === 'running').map((e) => e.id));
    assert.deepStrictEqual(crossings.filter((c) => running.has(tag(demo, c.tag).equipment)), []);
  });

  it('makes a compressor trip a flood: >= 50 limit crossings within 10 simulated minutes', () => {
    const batches = replayScenario(small, 'compressor-trip-flood', { durationS: 660 });
    const start = DEFAULTS.startTs + 60_000;
    const crossings = limitCrossings(small, batches).filter((c) => c.ts >= start && c.ts <= start + 600_000);
    assert.ok(crossings.length >= 50, `${crossings.length} crossings`);
    assert.strictEqual(resolveScenario(small, 'compressor-trip-flood').rootCause?.equipment, 'CMP-1');
  });

  it('records intrusions as security events, or leaves them to the wire', () => {
    const model = replay(small, 'cyber-intrusion', { durationS: 200 });
    assert.strictEqual(model.security.filter((s) => s.kind === 'modbus-write').length, 5);
    assert.strictEqual(model.security.filter((s) => s.kind === 'mqtt-login-failure').length, 30);
    const field = createField(small, { scenario: 'cyber-intrusion', attacks: 'wire' });
    field.step(200);
    assert.deepStrictEqual(field.takeSecurityEvents(), []);
    assert.deepStrictEqual(field.takePendingActions().map((a) => a.kind), ['modbus-write', 'modbus-write', 'modbus-write', 'modbus-write', 'modbus-write', 'mqtt-login-failure']);
  });

  it('switches scenario on a running field, restarting the scenario clock', () => {
    const field = createField(small);
    field.step(600);
    field.setScenario('vehicle-speeding');
    field.step(150);
    assert.strictEqual(field.scenario.name, 'vehicle-speeding');
    assert.ok((field.value('TRK-1.SPEED') as number) > 40);
  });

  for (const [label, site] of [['the test field', small], ['sites/demo-field.yaml', demo]] as const) {
    describe(`scenarios on ${label}`, () => {
      for (const name of SCENARIO_NAMES) {
        it(`${name}: its documented root cause shows within its timeline`, () => {
          const scenario = resolveScenario(site, name);
          assert.ok(scenario.timeline.length > 0);
          const result = replay(site, name, { seed: 11 });
          assert.deepStrictEqual(unmetExpectations(site, scenario, result, DEFAULTS.startTs), []);
          if (label === 'the test field' && name !== 'normal') assert.ok(scenario.expectations.length > 0, 'the test field has every equipment a scenario needs');
        });
      }
    });
  }
});
