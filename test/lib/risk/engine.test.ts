import assert from 'node:assert/strict';
import { DEFAULTS, RiskEngine } from '../../../lib/risk/index.js';
import { dep, equipment, pressureTag, reading, site, T0, tripTag } from './fixtures.js';

const close = (a: number, b: number) => assert.ok(Math.abs(a - b) < 1e-9, `${a} != ${b}`);
const stateOf = (engine: RiskEngine, id: string) => engine.snapshot().find((s) => s.equipment === id)!;

describe('lib/risk engine', () => {
  it('turns a high reading into a primary likelihood, a score and a level', () => {
    const engine = new RiskEngine(site([equipment('SEP-1', 4)]));
    const { changes, errors } = engine.ingest(reading('SEP-1.PT', 45, T0));
    assert.deepEqual(errors, []);
    assert.equal(changes.length, 1);
    const c = changes[0];
    close(c.primary, DEFAULTS.likelihood.high);
    close(c.consequence, Math.sqrt(4 * 4));
    close(c.score, 0.3 * 4);
    assert.equal(c.level, 'III');
    assert.deepEqual(c.rootCause, { equipment: 'SEP-1', tag: 'SEP-1.PT', factor: 'pressure' });
    assert.deepEqual(c.factors.map((f) => f.state), ['high']);
    assert.deepEqual(c.paths, [{ path: ['SEP-1'], weight: c.primary }]);
  });

  it('propagates downstream along a flow dependency with the strongest path explained', () => {
    const engine = new RiskEngine(site([equipment('WELL-1'), equipment('MAN-1', 4), equipment('SEP-1', 5)], [dep('WELL-1', 'MAN-1', 0.5), dep('MAN-1', 'SEP-1', 0.8)]));
    engine.ingest(reading('WELL-1.PT', 55, T0));
    const sep = engine.explain('SEP-1')!;
    close(sep.primary, 0);
    close(sep.secondary, 0.7 * 0.5 * 0.8);
    close(sep.total, sep.secondary);
    close(sep.consequence, Math.sqrt(4 * 5));
    assert.deepEqual(sep.rootCause, { equipment: 'WELL-1', tag: 'WELL-1.PT', factor: 'pressure' });
    assert.deepEqual(sep.paths.map((p) => p.path), [['WELL-1', 'MAN-1', 'SEP-1']]);
    close(stateOf(engine, 'WELL-1').secondary, 0);
  });

  it('combines independent sources by noisy-OR and takes the strongest as root cause', () => {
    const engine = new RiskEngine(site([equipment('A'), equipment('B'), equipment('C')], [dep('A', 'C', 0.5), dep('B', 'C', 0.9)]));
    engine.ingest([reading('A.PT', 55, T0), reading('B.PT', 45, T0)]);
    const c = engine.explain('C')!;
    close(c.secondary, 1 - (1 - 0.35) * (1 - 0.27));
    assert.equal(c.rootCause!.equipment, 'A');
    assert.deepEqual(c.paths.map((p) => p.path[0]), ['A', 'B']);
  });

  it('keeps a contribution equal to the tolerance, whatever the rounding of its product', () => {
    // Bad quality (0.1) over two hops of 0.1 is exactly the default tolerance of 1e-3; the
    // floating-point product lands just under it.
    const engine = new RiskEngine(site([equipment('A'), equipment('B'), equipment('C')], [dep('B', 'A', 0.1), dep('B', 'C', 0.1, 'proximity')]));
    engine.ingest(reading('C.PT', null, T0));
    assert.equal(DEFAULTS.tolerance, 0.001);
    close(stateOf(engine, 'A').total, 0.1 * 0.1 * 0.1);
    assert.deepEqual(engine.explain('A')!.paths.map((p) => p.path), [['C', 'B', 'A']]);
  });

  it('does not let a recycle loop amplify risk back to its source', () => {
    const engine = new RiskEngine(site([equipment('A'), equipment('B'), equipment('C')], [dep('A', 'B', 0.9), dep('B', 'C', 0.9), dep('C', 'A', 0.9)]));
    engine.ingest(reading('A.PT', 55, T0));
    close(stateOf(engine, 'A').total, 0.7);
    close(stateOf(engine, 'C').total, 0.7 * 0.81);
  });

  it('keeps a limit active inside its deadband and clears it below', () => {
    const engine = new RiskEngine(site([equipment('A')]));
    engine.ingest(reading('A.PT', 41, T0));
    engine.ingest(reading('A.PT', 39.5, T0 + 1000));
    assert.equal(engine.explain('A')!.factors[0].state, 'high');
    const { changes } = engine.ingest(reading('A.PT', 38.9, T0 + 2000));
    assert.equal(changes[0].level, 'normal');
    assert.deepEqual(changes[0].factors.map((f) => [f.state, f.since]), [['normal', T0 + 2000]]);
  });

  it('holds a condition for the on-delay and a clearance for the off-delay, in reading time', () => {
    const engine = new RiskEngine(site([equipment('A')], [], [pressureTag('A', { onDelay: 10, offDelay: 30 })]));
    assert.deepEqual(engine.ingest(reading('A.PT', 45, T0)).changes, []);
    assert.deepEqual(engine.tick(T0 + 9000), []);
    assert.equal(engine.tick(T0 + 10000)[0].level, 'III');
    engine.ingest(reading('A.PT', 20, T0 + 11000));
    assert.deepEqual(engine.tick(T0 + 40000), []);
    assert.equal(engine.tick(T0 + 41000)[0].level, 'normal');
  });

  it('marks a tag stale after its timeout without readings and clears on the next reading', () => {
    const engine = new RiskEngine(site([equipment('A')], [], [pressureTag('A', { staleTimeout: 60 })]));
    engine.ingest(reading('A.PT', 20, T0));
    assert.deepEqual(engine.tick(T0 + 60000), []);
    const [stale] = engine.tick(T0 + 61000);
    assert.equal(stale.factors[0].state, 'stale');
    close(stale.primary, DEFAULTS.likelihood.stale);
    engine.ingest(reading('A.PT', 20, T0 + 62000));
    close(stateOf(engine, 'A').primary, 0);
  });

  it('stays stale when a clearance was pending as the tag went quiet', () => {
    const engine = new RiskEngine(site([equipment('A')], [], [pressureTag('A', { staleTimeout: 60, offDelay: 120 })]));
    engine.ingest(reading('A.PT', 45, T0));
    engine.ingest(reading('A.PT', 20, T0 + 1000));
    engine.tick(T0 + 62000);
    engine.tick(T0 + 125000);
    assert.equal(engine.explain('A')!.factors[0].state, 'stale');
  });

  it('treats bad quality and null values as the bad-quality factor', () => {
    const engine = new RiskEngine(site([equipment('A')]));
    engine.ingest(reading('A.PT', 20, T0, 'bad'));
    assert.equal(engine.explain('A')!.factors[0].state, 'bad-quality');
    engine.ingest(reading('A.PT', null, T0 + 1));
    assert.equal(engine.explain('A')!.factors[0].state, 'bad-quality');
  });

  it('raises a trip from a boolean (or 0/1) reading', () => {
    const engine = new RiskEngine(site([equipment('A', 5)], [], [tripTag('A')]));
    engine.ingest(reading('A.ESD', 1, T0));
    const a = engine.explain('A')!;
    assert.equal(a.factors[0].state, 'trip');
    assert.equal(a.level, 'I');
  });

  it('detects a rate of change faster than the factor allows', () => {
    const engine = new RiskEngine(site([equipment('A')], [], [pressureTag('A', { rateOfChange: 6 })]));
    engine.ingest(reading('A.PT', 10, T0));
    // Sample noise between close readings does not count: the rate is measured over a minute.
    engine.ingest(reading('A.PT', 12, T0 + 10000));
    assert.deepEqual(engine.explain('A')!.factors, []);
    engine.ingest(reading('A.PT', 16.5, T0 + 60000));
    assert.equal(engine.explain('A')!.factors[0].state, 'rate');
    engine.ingest(reading('A.PT', 17, T0 + 120000));
    assert.equal(engine.explain('A')!.factors[0].state, 'normal');
  });

  it('reports bad readings as errors naming the tag and processes the rest of the batch', () => {
    const engine = new RiskEngine(site([equipment('A'), equipment('B')], [], [pressureTag('A'), tripTag('B')]));
    engine.ingest(reading('A.PT', 20, T0 + 5000));
    const { changes, errors } = engine.ingest([
      reading('NOPE.PT', 1, T0),
      reading('A.PT', Number.NaN, T0 + 6000),
      reading('A.PT', true, T0 + 6000),
      reading('B.ESD', 7, T0 + 6000),
      reading('A.PT', 45, T0 + 1000),
      { tag: 'A.PT', value: 45, quality: 'fine', ts: T0 + 6000 },
      { tag: 'A.PT', value: 45, quality: 'good', ts: 'now' },
      null,
      reading('B.ESD', true, T0 + 6000),
    ]);
    assert.deepEqual(errors.map((e) => e.tag), ['NOPE.PT', 'A.PT', 'A.PT', 'B.ESD', 'A.PT', 'A.PT', 'A.PT', '(none)']);
    assert.match(errors[0].message, /unknown tag "NOPE.PT"/);
    assert.match(errors[1].message, /NaN/);
    assert.match(errors[2].message, /expected a number/);
    assert.match(errors[3].message, /expected a boolean/);
    assert.match(errors[4].message, /older than the last one/);
    assert.deepEqual(changes.map((c) => c.equipment), ['B']);
  });

  it('refuses a timestamp in the wrong unit without poisoning the tag for later readings', () => {
    const engine = new RiskEngine(site([equipment('A')]));
    const nanoseconds = engine.ingest(reading('A.PT', 45, T0 * 1e6));
    assert.deepEqual(nanoseconds.errors.map((e) => e.tag), ['A.PT']);
    assert.match(nanoseconds.errors[0].message, /not milliseconds since the epoch .*convert it to milliseconds/);
    const microseconds = engine.ingest(reading('A.PT', 45, T0 * 1e3));
    assert.equal(microseconds.errors.length, 1);
    const next = engine.ingest(reading('A.PT', 45, T0 + 1000));
    assert.deepEqual(next.errors, []);
    assert.equal(engine.explain('A')?.level, next.changes[0].level);
    assert.notEqual(next.changes[0].level, 'normal');
  });

  it('reports only level, root cause or large score changes', () => {
    const engine = new RiskEngine(site([equipment('A')]));
    assert.equal(engine.ingest(reading('A.PT', 45, T0)).changes.length, 1);
    assert.equal(engine.ingest(reading('A.PT', 46, T0 + 1000)).changes.length, 0);
    assert.equal(engine.ingest(reading('A.PT', 20, T0 + 2000)).changes.length, 1);
  });

  it('suppresses the own factors of equipment in maintenance but still relays risk through it', () => {
    const engine = new RiskEngine(site([equipment('A'), equipment('B', 3, 'maintenance'), equipment('C')], [dep('A', 'B', 0.5), dep('B', 'C', 0.5)]));
    engine.ingest([reading('B.PT', 55, T0), reading('A.PT', 55, T0)]);
    const b = engine.explain('B')!;
    close(b.primary, 0);
    assert.equal(b.factors[0].suppressed, true);
    close(stateOf(engine, 'C').secondary, 0.7 * 0.25);
  });

  it('blocks flow risk into and out of shut-down equipment, but not proximity', () => {
    const eq = [equipment('A'), equipment('B', 3, 'shutdown'), equipment('C'), equipment('D')];
    const engine = new RiskEngine(site(eq, [dep('A', 'B', 0.5), dep('B', 'C', 0.5), dep('D', 'B', 0.5, 'proximity')]));
    engine.ingest([reading('A.PT', 55, T0), reading('B.PT', 55, T0)]);
    close(stateOf(engine, 'B').total, 0);
    close(stateOf(engine, 'C').total, 0);
    engine.ingest(reading('D.PT', 55, T0 + 1));
    close(stateOf(engine, 'B').total, 0.35);
  });

  it('carries proximity risk both ways', () => {
    const engine = new RiskEngine(site([equipment('A'), equipment('B')], [dep('A', 'B', 0.5, 'proximity')]));
    engine.ingest(reading('B.PT', 55, T0));
    close(stateOf(engine, 'A').secondary, 0.35);
  });

  it('keeps the state of unchanged tags when the site is edited', () => {
    const s = site([equipment('A'), equipment('B')], [dep('A', 'B', 0.5)]);
    const engine = new RiskEngine(s);
    engine.ingest([reading('A.PT', 45, T0), reading('B.PT', 45, T0)]);
    const edited = { ...s, tags: [s.tags[0], pressureTag('B', { limits: { H: 100 } })], dependencies: [dep('A', 'B', 1)] };
    const changes = engine.updateSite(edited);
    close(stateOf(engine, 'A').primary, 0.3);
    close(stateOf(engine, 'B').primary, 0);
    close(stateOf(engine, 'B').secondary, 0.3);
    assert.deepEqual(changes.map((c) => c.equipment), ['B']);
    assert.deepEqual(engine.ingest(reading('A.PT', 45, T0 - 1)).errors.map((e) => e.tag), ['A.PT']);
  });

  it('explains unknown equipment as undefined and counts levels', () => {
    const engine = new RiskEngine(site([equipment('A'), equipment('B')]));
    engine.ingest(reading('A.PT', 55, T0));
    assert.equal(engine.explain('NOPE'), undefined);
    assert.deepEqual(engine.levelCounts(), { normal: 1, IV: 0, III: 0, II: 1, I: 0 });
  });
});
