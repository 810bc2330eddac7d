// Who reaches whom: for every primary source its field, and for every equipment the sources
// reaching it with their contribution and the previous hop, so paths can be walked back.

import type { Field } from './field.js';

/** Sources reaching one equipment, as parallel arrays. */
export interface Incoming {
  src: number[];
  val: number[];
  prev: number[];
}

export class Contributions {
  private fields: Array<Int32Array | undefined>;
  private incoming: Array<Incoming | undefined>;

  constructor(readonly size: number) {
    this.fields = new Array(size).fill(undefined);
    this.incoming = new Array(size).fill(undefined);
  }

  /** Equipment reached by `source` (itself first), or undefined when it is no source. */
  reach(source: number): Int32Array | undefined {
    return this.fields[source];
  }

  /** Sources reaching `v`, not counting `v` itself. */
  at(v: number): Incoming | undefined {
    return this.incoming[v];
  }

  /** Records the field of `source`; `touched` receives every equipment it reaches. */
  add(source: number, field: Field, touched?: Set<number>): void {
    this.fields[source] = field.nodes;
    for (let k = 1; k < field.nodes.length; k++) {
      const v = field.nodes[k];
      const inc = (this.incoming[v] ??= { src: [], val: [], prev: [] });
      inc.src.push(source);
      inc.val.push(field.values[k]);
      inc.prev.push(field.prev[k]);
      touched?.add(v);
    }
  }

  /** Forgets the field of `source`; `touched` receives every equipment it reached. */
  remove(source: number, touched: Set<number>): void {
    const field = this.fields[source];
    if (!field) return;
    this.fields[source] = undefined;
    for (let k = 1; k < field.length; k++) {
      const v = field[k];
      touched.add(v);
      const inc = this.incoming[v]!;
      const at = inc.src.indexOf(source);
      const last = inc.src.length - 1;
      inc.src[at] = inc.src[last];
      inc.val[at] = inc.val[last];
      inc.prev[at] = inc.prev[last];
      inc.src.pop();
      inc.val.pop();
      inc.prev.pop();
      if (last === 0) this.incoming[v] = undefined;
    }
  }

  /** The strongest path from `source` to `v` (both included), walked back hop by hop. */
  path(source: number, v: number): number[] {
    const path = [v];
    for (let u = v; u !== source;) {
      const inc = this.incoming[u]!;
      u = inc.prev[inc.src.indexOf(source)];
      path.unshift(u);
    }
    return path;
  }
}
