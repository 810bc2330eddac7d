import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { Tag } from '../../../lib/model/index.js';
import { ANCHORS, scaleFor, toEngineering, toPerUnit } from '../../../sim/index.js';

/** Any ordered subset of LL < L < H < HH on a pressure tag. */
const hundredths = (min: number, max: number) => fc.integer({ min: min * 100, max: max * 100 }).map((v) => v / 100);
const limits = fc.tuple(
  hundredths(-50, 500),
  fc.array(hundredths(0.01, 100), { minLength: 3, maxLength: 3 }),
  fc.subarray(['LL', 'L', 'H', 'HH'] as const, { minLength: 1 }),
).map(([base, gaps, keep]) => {
  const values = { LL: base, L: base + gaps[0], H: base + gaps[0] + gaps[1], HH: base + gaps[0] + gaps[1] + gaps[2] };
  return Object.fromEntries(keep.map((k) => [k, values[k]])) as Partial<typeof values>;
});

const tagWith = (l: Partial<Record<'LL' | 'L' | 'H' | 'HH', number>>, profile = 'pressure'): Tag => ({
  id: 'X.PT', equipment: 'X', profile, unit: 'bar', factors: [{ id: 'f', limits: l, consequence: { category: 'asset', severity: 3 } }],
});

describe('sim: per-unit scale', () => {
  it('is increasing, invertible and puts every site limit at its anchor', () => {
    fc.assert(fc.property(limits, fc.double({ min: -1, max: 3, noNaN: true }), fc.double({ min: 0.001, max: 1, noNaN: true }), (l, x, dx) => {
      const scale = scaleFor(tagWith(l));
      const a = toEngineering(scale, x);
      const b = toEngineering(scale, x + dx);
      assert.ok(b > a, `increasing at ${x}`);
      assert.ok(Math.abs(toPerUnit(scale, a) - x) < 1e-6 * Math.max(1, Math.abs(x)), 'invertible');
      for (const key of ['LL', 'L', 'H', 'HH'] as const) {
        const limit = l[key];
        if (limit !== undefined) assert.ok(Math.abs(toEngineering(scale, ANCHORS[key]) - limit) < 1e-6 * Math.max(1, Math.abs(limit)), `${key} at ${ANCHORS[key]} pu`);
      }
    }), { numRuns: 500 });
  });

  it('keeps normal operation between the limits: no alarm at 1 pu', () => {
    fc.assert(fc.property(limits, (l) => {
      const normal = toEngineering(scaleFor(tagWith(l)), 1);
      if (l.H !== undefined) assert.ok(normal < l.H);
      if (l.HH !== undefined) assert.ok(normal < l.HH);
      if (l.L !== undefined) assert.ok(normal > l.L);
      if (l.LL !== undefined) assert.ok(normal > l.LL);
    }), { numRuns: 500 });
  });

  it('starts gas at zero and puts H at 1.25 pu of it', () => {
    const scale = scaleFor(tagWith({ H: 10, HH: 15 }, 'h2s-ppm'));
    assert.equal(toEngineering(scale, 0), 0);
    assert.equal(toEngineering(scale, 1.25), 10);
    assert.equal(toEngineering(scale, 1.5), 15);
  });
});
