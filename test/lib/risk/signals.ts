// Synthetic process signals for the forecast tests and benchmarks: seeded noise, ramps and a
// single-tag engine that reports when the factor first predicts and first crosses a limit.

import type { FactorStateName, RiskFactor } from '../../../lib/model/index.js';
import { RiskEngine, type RiskOptionsInput } from '../../../lib/risk/index.js';
import { equipment, site, T0 } from './fixtures.js';
import { createRandom } from '../../../sim/random.js';

/** The simulator's seeded source (mulberry32), so every run sees the same noise. */
export const seeded = (seed: number): (() => number) => createRandom(seed).next;

/** Standard normal samples by Box-Muller. */
export function gaussian(random: () => number): () => number {
  return () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

export const rampFactor: RiskFactor = {
  id: 'pressure',
  limits: { L: 5, H: 40, HH: 50 },
  deadband: 1,
  predictHorizon: 600,
  consequence: { category: 'asset', severity: 4 },
};

export interface Transitions {
  /** Seconds from the start to the first entry into each state. */
  first: Partial<Record<FactorStateName, number>>;
  /** How many times the factor entered `predicted`. */
  predictions: number;
}

/** Feeds `signal(t)` every `period` seconds for `duration` seconds through one tag. */
export function replay(signal: (t: number) => number, duration: number, period = 1, factor: RiskFactor = rampFactor, options: RiskOptionsInput = {}): Transitions {
  const engine = new RiskEngine(site([equipment('SEP-1')], [], [{ id: 'SEP-1.PT', equipment: 'SEP-1', profile: 'pressure', unit: 'bar', factors: [factor] }]), options);
  const out: Transitions = { first: {}, predictions: 0 };
  let previous: FactorStateName = 'normal';
  for (let t = 0; t <= duration; t += period) {
    // Every factor transition here changes the level, so only changes need a look.
    if (engine.ingest({ tag: 'SEP-1.PT', value: signal(t), quality: 'good', ts: T0 + t * 1000 }).changes.length === 0) continue;
    const state = engine.explain('SEP-1')!.factors[0]?.state ?? 'normal';
    if (state !== previous) {
      out.first[state] ??= t;
      if (state === 'predicted') out.predictions++;
      previous = state;
    }
  }
  return out;
}

/** Steady at `start` for `flat` seconds, then rising by `slope` units per second, plus noise. */
export function ramp(start: number, flat: number, slope: number, noise: number, seed: number): (t: number) => number {
  const n = gaussian(seeded(seed));
  return (t) => start + (t > flat ? slope * (t - flat) : 0) + noise * n();
}
