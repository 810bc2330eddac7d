import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { Dependency } from '../../../lib/model/index.js';
import { cyclePath, findCycles, successorsOf } from '../../../lib/site/index.js';

const dep = (from: string, to: string): Dependency => ({ from, to, kind: 'flow', transmissionWeight: 0.5 });

describe('site/cycles', () => {
  it('finds no cycle in a chain', () => {
    assert.deepEqual(findCycles(['A', 'B', 'C'], [dep('A', 'B'), dep('B', 'C')]), []);
  });

  it('finds each strongly connected group once', () => {
    const deps = [dep('A', 'B'), dep('B', 'A'), dep('B', 'C'), dep('C', 'D'), dep('D', 'E'), dep('E', 'C')];
    const cycles = findCycles(['A', 'B', 'C', 'D', 'E'], deps).map((c) => [...c].sort());
    assert.deepEqual(cycles.sort(), [['A', 'B'], ['C', 'D', 'E']]);
  });

  it('gives a loop that follows real edges, even when the group is larger than the loop', () => {
    const deps = [dep('A', 'B'), dep('B', 'A'), dep('B', 'C'), dep('C', 'A')];
    const [group] = findCycles(['A', 'B', 'C'], deps);
    const loop = cyclePath(group, successorsOf(deps));
    assert.equal(loop[0], loop[loop.length - 1]);
    for (let i = 1; i < loop.length; i++) assert.ok(deps.some((d) => d.from === loop[i - 1] && d.to === loop[i]), `${loop[i - 1]} -> ${loop[i]}`);
    assert.equal(loop.length, 3);
  });

  it('returns loops made of real edges for random graphs', () => {
    const node = fc.integer({ min: 0, max: 9 }).map((n) => `N${n}`);
    fc.assert(fc.property(fc.array(fc.tuple(node, node), { maxLength: 30 }), (pairs) => {
      const deps = pairs.filter(([a, b]) => a !== b).map(([a, b]) => dep(a, b));
      const ids = Array.from({ length: 10 }, (_, n) => `N${n}`);
      for (const group of findCycles(ids, deps)) {
        const loop = cyclePath(group, successorsOf(deps));
        assert.equal(loop[0], loop[loop.length - 1]);
        for (let i = 1; i < loop.length; i++) assert.ok(deps.some((d) => d.from === loop[i - 1] && d.to === loop[i]));
      }
    }), { numRuns: 200 });
  });
});
