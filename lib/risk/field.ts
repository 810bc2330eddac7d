// The reach of one primary source: the strongest (max-product) path to every equipment, by
// Dijkstra on -log weights; paths never revisit equipment, so a cycle cannot amplify risk.

import type { Topology } from './topology.js';

/** Equipment reached by one source above the tolerance, strongest first, with the previous hop. */
export interface Field {
  nodes: Int32Array;
  values: Float64Array;
  prev: Int32Array;
}

/** Far above the rounding error of a product of a few likelihoods and weights, far below any tolerance. */
const ROUNDING = 1e-12;

export class FieldSolver {
  private readonly best: Float64Array;
  private readonly prev: Int32Array;
  private readonly done: Uint8Array;
  private heapNode: number[] = [];
  private heapValue: number[] = [];

  constructor(private readonly topology: Topology) {
    const n = topology.ids.length;
    this.best = new Float64Array(n);
    this.prev = new Int32Array(n);
    this.done = new Uint8Array(n);
  }

  /**
   * Contributions of `source` with primary likelihood `p`: values below `tolerance` are cut.
   * A value equal to the tolerance is kept even when rounding puts the product a hair under it,
   * so the cut does not depend on the order the weights were multiplied in.
   */
  solve(source: number, p: number, tolerance: number): Field {
    const { outStart, outTo, outWeight } = this.topology;
    const cut = tolerance - ROUNDING;
    const best = this.best, prev = this.prev, done = this.done;
    const nodes: number[] = [], values: number[] = [], prevs: number[] = [];
    const touched: number[] = [source];
    best[source] = p;
    prev[source] = -1;
    this.push(source, p);
    while (this.heapNode.length) {
      const [u, value] = this.pop();
      if (done[u] || value < best[u]) continue;
      done[u] = 1;
      nodes.push(u);
      values.push(value);
      prevs.push(prev[u]);
      for (let k = outStart[u]; k < outStart[u + 1]; k++) {
        const v = outTo[k];
        const candidate = value * outWeight[k];
        if (candidate < cut || done[v] || candidate <= best[v]) continue;
        if (best[v] === 0) touched.push(v);
        best[v] = candidate;
        prev[v] = u;
        this.push(v, candidate);
      }
    }
    for (const t of touched) {
      best[t] = 0;
      done[t] = 0;
    }
    return { nodes: Int32Array.from(nodes), values: Float64Array.from(values), prev: Int32Array.from(prevs) };
  }

  // A binary max-heap on value, kept in two parallel arrays.
  private push(node: number, value: number): void {
    const hn = this.heapNode, hv = this.heapValue;
    let i = hn.length;
    hn.push(node);
    hv.push(value);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (hv[parent] >= value) break;
      hn[i] = hn[parent];
      hv[i] = hv[parent];
      i = parent;
    }
    hn[i] = node;
    hv[i] = value;
  }

  private pop(): [number, number] {
    const hn = this.heapNode, hv = this.heapValue;
    const top: [number, number] = [hn[0], hv[0]];
    const lastNode = hn.pop()!, lastValue = hv.pop()!;
    const n = hn.length;
    if (n > 0) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= n) break;
        const r = l + 1;
        const c = r < n && hv[r] > hv[l] ? r : l;
        if (hv[c] <= lastValue) break;
        hn[i] = hn[c];
        hv[i] = hv[c];
        i = c;
      }
      hn[i] = lastNode;
      hv[i] = lastValue;
    }
    return top;
  }
}
