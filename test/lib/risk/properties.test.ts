import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { Dependency, DependencyKind, OperatingState, RiskState, Site } from '../../../lib/model/index.js';
import { DEFAULTS, RiskEngine } from '../../../lib/risk/index.js';
import { equipment, pressureTag, reading, site, T0 } from './fixtures.js';

const KINDS: DependencyKind[] = ['flow', 'power', 'control', 'proximity', 'utility'];
const STATES: OperatingState[] = ['running', 'running', 'running', 'maintenance', 'shutdown'];
const VALUES = [1, 3, 20, 45, 55, null];

interface Plant {
  site: Site;
}

const plantArb = fc.integer({ min: 2, max: 9 }).chain((n) =>
  fc.record({
    n: fc.constant(n),
    states: fc.array(fc.constantFrom(...STATES), { minLength: n, maxLength: n }),
    criticality: fc.array(fc.integer({ min: 1, max: 5 }), { minLength: n, maxLength: n }),
    edges: fc.uniqueArray(
      fc.record({ from: fc.nat(n - 1), to: fc.nat(n - 1), kind: fc.constantFrom(...KINDS), weight: fc.integer({ min: 0, max: 20 }).map((w) => w / 20) }),
      { maxLength: n * 3, selector: (e) => `${e.from}-${e.to}-${e.kind}` },
    ),
    delays: fc.array(fc.record({ onDelay: fc.constantFrom(0, 0, 5), offDelay: fc.constantFrom(0, 0, 10) }), { minLength: n, maxLength: n }),
  }).map(({ n, states, criticality, edges, delays }): Plant => {
    const eq = Array.from({ length: n }, (_, i) => equipment(`E${i}`, criticality[i], states[i]));
    const deps: Dependency[] = edges.filter((e) => e.from !== e.to).map((e) => ({ from: `E${e.from}`, to: `E${e.to}`, kind: e.kind, transmissionWeight: e.weight }));
    return { site: site(eq, deps, eq.map((e, i) => pressureTag(e.id, delays[i]))) };
  }),
);

type Step = { kind: 'reading'; eq: number; value: number | null; dt: number } | { kind: 'tick'; dt: number };

const stepsArb = fc.array(
  fc.oneof(
    { weight: 5, arbitrary: fc.record({ kind: fc.constant('reading' as const), eq: fc.nat(20), value: fc.constantFrom(...VALUES), dt: fc.integer({ min: 0, max: 8000 }) }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('tick' as const), dt: fc.integer({ min: 0, max: 20000 }) }) },
  ),
  { maxLength: 40 },
);

/** Runs the steps; calls `check` after each. Readings on equipment beyond the plant wrap around. */
function run(engine: RiskEngine, plant: Plant, steps: Step[], check: () => void): number {
  let now = T0;
  for (const step of steps) {
    now += step.dt;
    if (step.kind === 'tick') engine.tick(now);
    else {
      const { errors } = engine.ingest(reading(`E${step.eq % plant.site.equipment.length}.PT`, step.value, now));
      assert.deepEqual(errors, []);
    }
    check();
  }
  return now;
}

/**
 * The model written down independently: strongest path by Floyd-Warshall on max-product
 * (weights <= 1, so the best walk is a simple path), then noisy-OR over the sources.
 */
function reference(s: Site, primary: number[]): number[] {
  const n = s.equipment.length;
  const idx = new Map(s.equipment.map((e, i) => [e.id, i]));
  const best: number[][] = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)));
  const stateOf = (i: number) => s.equipment[i].state;
  const link = (a: number, b: number, kind: DependencyKind, w: number) => {
    if (kind === 'flow' && (stateOf(a) === 'shutdown' || stateOf(b) === 'shutdown')) return;
    best[a][b] = Math.max(best[a][b], w);
  };
  for (const d of s.dependencies) {
    const a = idx.get(d.from)!, b = idx.get(d.to)!;
    link(a, b, d.kind, d.transmissionWeight);
    if (d.kind === 'proximity') link(b, a, d.kind, d.transmissionWeight);
  }
  for (let k = 0; k < n; k++) for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) best[i][j] = Math.max(best[i][j], best[i][k] * best[k][j]);
  return s.equipment.map((_e, v) => {
    let none = 1;
    for (let u = 0; u < n; u++) {
      const c = primary[u] * best[u][v];
      // A contribution equal to the tolerance is kept, however its product was rounded.
      if (u !== v && primary[u] > 0 && c >= DEFAULTS.tolerance - 1e-12) none *= 1 - c;
    }
    return 1 - (1 - primary[v]) * none;
  });
}

const near = (a: number, b: number, what: string) => assert.ok(Math.abs(a - b) < 1e-9, `${what}: ${a} vs ${b}`);

function sameStates(a: RiskState[], b: RiskState[]): void {
  assert.equal(a.length, b.length);
  a.forEach((x, i) => {
    const y = b[i];
    for (const k of ['primary', 'secondary', 'total', 'consequence', 'score'] as const) near(x[k], y[k], `${x.equipment}.${k}`);
    assert.equal(x.level, y.level, `${x.equipment}.level`);
    assert.deepEqual(x.rootCause, y.rootCause, `${x.equipment}.rootCause`);
  });
}

describe('lib/risk engine properties', () => {
  it('incremental updates equal a full recompute, on random graphs with cycles and random readings', () => {
    fc.assert(fc.property(plantArb, stepsArb, (plant, steps) => {
      const engine = new RiskEngine(plant.site);
      run(engine, plant, steps, () => {
        const incremental = engine.snapshot();
        engine.fullRecompute();
        sameStates(incremental, engine.snapshot());
      });
    }), { numRuns: 200 });
  });

  it('matches the model written as strongest paths and noisy-OR', () => {
    fc.assert(fc.property(plantArb, stepsArb, (plant, steps) => {
      const engine = new RiskEngine(plant.site);
      run(engine, plant, steps, () => {
        const snap = engine.snapshot();
        const expected = reference(plant.site, snap.map((x) => x.primary));
        snap.forEach((x, i) => near(x.total, expected[i], `${x.equipment}.total`));
      });
    }), { numRuns: 200 });
  });

  it('keeps likelihoods in 0..1, scores in 0..5 and levels on the bands', () => {
    fc.assert(fc.property(plantArb, stepsArb, (plant, steps) => {
      const engine = new RiskEngine(plant.site);
      run(engine, plant, steps, () => {
        for (const x of engine.snapshot()) {
          for (const p of [x.primary, x.secondary, x.total]) assert.ok(p >= 0 && p <= 1, `${x.equipment}: ${p}`);
          assert.ok(x.score >= 0 && x.score <= 5 + 1e-12, `${x.equipment}.score ${x.score}`);
          assert.ok(x.consequence === 0 || (x.consequence >= 1 && x.consequence <= 5));
          const b = plant.site.scoreBands;
          const expected = x.score >= b.I ? 'I' : x.score >= b.II ? 'II' : x.score >= b.III ? 'III' : x.score >= b.IV ? 'IV' : 'normal';
          assert.equal(x.level, expected);
        }
      });
    }), { numRuns: 150 });
  });

  it('never lowers any risk when a factor is raised', () => {
    fc.assert(fc.property(plantArb, stepsArb, fc.nat(20), (plant, steps, target) => {
      // Two plants with the same history; one of them then sees a factor go to highhigh.
      const plain = new RiskEngine(plant.site), raised = new RiskEngine(plant.site);
      const now = run(plain, plant, steps, () => undefined);
      run(raised, plant, steps, () => undefined);
      raised.ingest(reading(`E${target % plant.site.equipment.length}.PT`, 60, now + 1));
      for (const engine of [plain, raised]) engine.tick(now + 60000);
      const after = raised.snapshot();
      plain.snapshot().forEach((x, i) => {
        assert.ok(after[i].total >= x.total - 1e-12, `${x.equipment}.total fell ${x.total} -> ${after[i].total}`);
        assert.ok(after[i].score >= x.score - 1e-12, `${x.equipment}.score fell ${x.score} -> ${after[i].score}`);
      });
    }), { numRuns: 200 });
  });

  it('ignores the own factors of equipment in maintenance or shutdown', () => {
    fc.assert(fc.property(plantArb, stepsArb, fc.array(fc.constantFrom(...VALUES), { minLength: 1, maxLength: 5 }), (plant, steps, values) => {
      const engine = new RiskEngine(plant.site);
      const now = run(engine, plant, steps, () => undefined);
      const before = engine.snapshot();
      const idle = plant.site.equipment.filter((e) => e.state !== 'running');
      idle.forEach((e) => assert.equal(before.find((x) => x.equipment === e.id)!.primary, 0));
      values.forEach((v, k) => idle.forEach((e) => engine.ingest(reading(`${e.id}.PT`, v, now + k + 1))));
      sameStates(before, engine.snapshot());
    }), { numRuns: 150 });
  });

  it('sends no flow risk into or out of shut-down equipment', () => {
    fc.assert(fc.property(plantArb, stepsArb, (plant, steps) => {
      const s = plant.site;
      const shut = new Set(s.equipment.filter((e) => e.state === 'shutdown').map((e) => e.id));
      // Dropping every flow edge at a shut-down unit must not change anything.
      const pruned = { ...s, dependencies: s.dependencies.filter((d) => d.kind !== 'flow' || (!shut.has(d.from) && !shut.has(d.to))) };
      const a = new RiskEngine(s), b = new RiskEngine(pruned);
      run(a, plant, steps, () => undefined);
      run(b, { site: pruned }, steps, () => undefined);
      sameStates(a.snapshot(), b.snapshot());
    }), { numRuns: 150 });
  });

  it('after a site edit that keeps the tags, equals an engine that ran on the edited site from the start', () => {
    fc.assert(fc.property(plantArb, plantArb, stepsArb, (plant, other, steps) => {
      // The edit: the other plant's dependencies and operating states on this plant's equipment.
      const n = plant.site.equipment.length;
      const ids = new Set(plant.site.equipment.map((e) => e.id));
      const edited: Site = {
        ...plant.site,
        equipment: plant.site.equipment.map((e, i) => ({ ...e, state: other.site.equipment[i % other.site.equipment.length].state })),
        dependencies: other.site.dependencies.filter((d) => ids.has(d.from) && ids.has(d.to)),
      };
      const reloaded = new RiskEngine(plant.site);
      const fresh = new RiskEngine(edited);
      run(reloaded, plant, steps, () => undefined);
      run(fresh, { site: edited }, steps, () => undefined);
      reloaded.updateSite(edited);
      sameStates(reloaded.snapshot(), fresh.snapshot());
      assert.equal(reloaded.snapshot().length, n);
    }), { numRuns: 150 });
  });
});
