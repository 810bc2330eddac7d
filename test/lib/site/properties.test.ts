import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseSite } from '../../../lib/site/index.js';

/** A random valid site: n equipment, dependencies between distinct pairs, one tag per equipment. */
const siteArbitrary = fc.integer({ min: 2, max: 12 }).chain((n) => {
  const ids = Array.from({ length: n }, (_, i) => `EQ-${i}`);
  const pair = fc.tuple(fc.integer({ min: 0, max: n - 1 }), fc.integer({ min: 0, max: n - 1 }), fc.constantFrom('flow', 'power', 'control', 'proximity', 'utility'))
    .filter(([a, b]) => a !== b);
  return fc.record({
    ids: fc.constant(ids),
    edges: fc.uniqueArray(pair, { maxLength: 3 * n, selector: ([a, b, k]) => `${a} ${b} ${k}` }),
    weights: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 3 * n, maxLength: 3 * n }),
    limits: fc.array(fc.uniqueArray(fc.integer({ min: -1000, max: 1000 }), { minLength: 4, maxLength: 4 }).map((v) => [...v].sort((a, b) => a - b)), { minLength: n, maxLength: n }),
  });
}).map(({ ids, edges, weights, limits }) => ({
  site: { id: 'prop' },
  equipment: ids.map((id) => ({ id, type: 'pump', area: 'a' })),
  dependencies: edges.map(([a, b, kind], i) => ({ from: ids[a], to: ids[b], kind, weight: weights[i] })),
  tags: ids.map((id, i) => ({
    id: `${id}.PT`, equipment: id, profile: 'pressure', unit: 'bar',
    factors: [{ id: 'p', limits: { LL: limits[i][0], L: limits[i][1], H: limits[i][2], HH: limits[i][3] }, consequence: { category: 'asset', severity: 3 } }],
  })),
}));

describe('site/properties', () => {
  it('accepts every well-formed site, reporting only cycles as information', () => {
    fc.assert(fc.property(siteArbitrary, (site) => {
      const result = parseSite(JSON.stringify(site), 'p.json');
      assert.ok(result.ok, JSON.stringify(result.issues));
      assert.ok(result.issues.every((i) => i.severity === 'info' && i.path === 'dependencies'));
      assert.equal(result.site.dependencies.length, site.dependencies.length);
    }), { numRuns: 200 });
  });

  it('reports every broken reference, weight and limit order of a site at once, each at its own path', () => {
    fc.assert(fc.property(siteArbitrary, fc.integer({ min: 0, max: 1000 }), (site, seed) => {
      const expected = new Set<string>();
      site.dependencies.forEach((d, i) => {
        if ((seed + i) % 5 === 0) { d.weight = 1 + ((seed % 7) + 1) / 10; expected.add(`dependencies[${i}].weight`); }
        // An entry the schema refuses is not checked further: its references wait for the fix.
        else if ((seed + i) % 3 === 0) { d.from = `GHOST-${i}`; expected.add(`dependencies[${i}].from`); }
      });
      site.tags.forEach((t, i) => {
        if ((seed + i) % 4 === 0) { const l = t.factors[0].limits; [l.L, l.H] = [l.H, l.L]; expected.add(`tags[${i}].factors[0].limits`); }
      });
      const result = parseSite(JSON.stringify(site), 'p.json');
      if (expected.size === 0) return assert.ok(result.ok);
      assert.equal(result.ok, false);
      assert.deepEqual(new Set(result.issues.filter((i) => i.severity === 'error').map((i) => i.path)), expected);
    }), { numRuns: 200 });
  });
});
