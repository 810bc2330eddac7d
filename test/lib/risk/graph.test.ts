import assert from 'node:assert/strict';
import { buildSiteGraph, compileTopology, consequenceOf, Contributions, FieldSolver, levelOf, noisyOr } from '../../../lib/risk/index.js';
import { dep, equipment, site } from './fixtures.js';

const edges = (s: ReturnType<typeof site>) => {
  const t = compileTopology(buildSiteGraph(s));
  const out: string[] = [];
  t.ids.forEach((id, i) => {
    for (let k = t.outStart[i]; k < t.outStart[i + 1]; k++) out.push(`${id}>${t.ids[t.outTo[k]]}:${t.outWeight[k]}`);
  });
  return out.sort();
};

describe('lib/risk graph', () => {
  it('compiles dependencies to the edges that transmit: proximity both ways, flow not at a shut-down unit, zero weights dropped', () => {
    const s = site(
      [equipment('A'), equipment('B', 3, 'shutdown'), equipment('C'), equipment('D', 3, 'maintenance')],
      [dep('A', 'B', 0.5), dep('B', 'C', 0.5), dep('A', 'C', 0.4, 'power'), dep('C', 'D', 0.3, 'proximity'), dep('D', 'A', 0, 'control'), dep('B', 'D', 0.2, 'utility')],
    );
    assert.deepEqual(edges(s), ['A>C:0.4', 'B>D:0.2', 'C>D:0.3', 'D>C:0.3']);
  });

  it('finds the strongest (max-product) path and cuts the field at the tolerance', () => {
    const s = site([equipment('A'), equipment('B'), equipment('C'), equipment('D')], [dep('A', 'B', 0.9), dep('B', 'C', 0.9), dep('A', 'C', 0.5), dep('C', 'A', 1), dep('C', 'D', 0.01)]);
    const topology = compileTopology(buildSiteGraph(s));
    const solver = new FieldSolver(topology);
    const field = solver.solve(0, 0.5, 1e-3);
    const byId = Object.fromEntries(Array.from(field.nodes, (n, k) => [topology.ids[n], [field.values[k], field.prev[k] < 0 ? null : topology.ids[field.prev[k]]]]));
    assert.deepEqual(byId, { A: [0.5, null], B: [0.45, 'A'], C: [0.5 * 0.81, 'B'], D: [0.5 * 0.81 * 0.01, 'C'] });
    const cut = solver.solve(0, 0.5, 0.01);
    assert.deepEqual(Array.from(cut.nodes, (n) => topology.ids[n]), ['A', 'B', 'C']);
    // The solver's scratch space is clean for the next source.
    assert.deepEqual(Array.from(solver.solve(2, 1, 1e-3).nodes, (n) => topology.ids[n]), ['C', 'A', 'B', 'D']);
  });

  it('keeps contributions per equipment and walks paths back', () => {
    const s = site([equipment('A'), equipment('B'), equipment('C')], [dep('A', 'B', 0.5), dep('B', 'C', 0.5)]);
    const solver = new FieldSolver(compileTopology(buildSiteGraph(s)));
    const c = new Contributions(3);
    c.add(0, solver.solve(0, 0.8, 1e-3));
    c.add(1, solver.solve(1, 0.2, 1e-3));
    assert.deepEqual(c.at(2), { src: [0, 1], val: [0.2, 0.1], prev: [1, 1] });
    assert.deepEqual(c.path(0, 2), [0, 1, 2]);
    const touched = new Set<number>();
    c.remove(0, touched);
    assert.deepEqual([...touched].sort(), [1, 2]);
    assert.deepEqual(c.at(2), { src: [1], val: [0.1], prev: [1] });
    assert.equal(c.at(1), undefined);
    assert.equal(c.reach(0), undefined);
  });

  it('scores with noisy-OR, the geometric-mean consequence and the bands', () => {
    assert.equal(noisyOr([]), 0);
    assert.ok(Math.abs(noisyOr([0.5, 0.5]) - 0.75) < 1e-12);
    assert.equal(consequenceOf(0, 5), 0);
    assert.equal(consequenceOf(5, 5), 5);
    assert.equal(consequenceOf(4, 1), 2);
    const bands = { IV: 0.5, III: 1, II: 2, I: 3 };
    assert.deepEqual([0, 0.49, 0.5, 1, 1.99, 2, 3, 5].map((x) => levelOf(x, bands)), ['normal', 'normal', 'IV', 'III', 'III', 'II', 'I', 'I']);
    assert.equal(levelOf(0, { IV: 0, III: 1, II: 2, I: 3 }), 'normal');
  });
});
