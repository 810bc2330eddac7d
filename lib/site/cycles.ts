// Strongly connected components of the dependency graph (Tarjan, iterative), reported as
// cycles so that an admin sees the recycle loops the risk engine will iterate over.

import type { Dependency } from '../model/index.js';

export function findCycles(ids: readonly string[], dependencies: readonly Dependency[]): string[][] {
  const out = new Map<string, string[]>();
  for (const id of ids) out.set(id, []);
  for (const d of dependencies) out.get(d.from)?.push(d.to);

  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const components: string[][] = [];

  for (const root of ids) {
    if (index.has(root)) continue;
    const work: Array<{ node: string; next: number }> = [{ node: root, next: 0 }];
    index.set(root, counter); low.set(root, counter); counter++;
    stack.push(root); onStack.add(root);
    while (work.length) {
      const frame = work[work.length - 1];
      const successors = out.get(frame.node)!;
      if (frame.next < successors.length) {
        const w = successors[frame.next++];
        if (!index.has(w)) {
          index.set(w, counter); low.set(w, counter); counter++;
          stack.push(w); onStack.add(w);
          work.push({ node: w, next: 0 });
        } else if (onStack.has(w)) {
          low.set(frame.node, Math.min(low.get(frame.node)!, index.get(w)!));
        }
        continue;
      }
      work.pop();
      if (work.length) {
        const parent = work[work.length - 1].node;
        low.set(parent, Math.min(low.get(parent)!, low.get(frame.node)!));
      }
      if (low.get(frame.node) === index.get(frame.node)) {
        const component: string[] = [];
        let w: string;
        do { w = stack.pop()!; onStack.delete(w); component.push(w); } while (w !== frame.node);
        if (component.length > 1) components.push(component.reverse());
      }
    }
  }
  return components;
}

/** Successors of each equipment, built once for all the loops of a site. */
export function successorsOf(dependencies: readonly Dependency[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const d of dependencies) {
    const list = out.get(d.from);
    if (list) list.push(d.to); else out.set(d.from, [d.to]);
  }
  return out;
}

/** One shortest loop through the first member of a cycle component, start repeated at the end. */
export function cyclePath(component: readonly string[], successors: ReadonlyMap<string, readonly string[]>): string[] {
  const members = new Set(component);
  const start = component[0];
  const previous = new Map<string, string>();
  const queue = [start];
  for (let head = 0; head < queue.length; head++) {
    const at = queue[head];
    for (const next of successors.get(at) ?? []) {
      if (!members.has(next)) continue;
      if (next === start) {
        const path = [start];
        for (let step: string | undefined = at; step !== start && step !== undefined; step = previous.get(step)) path.splice(1, 0, step);
        return [...path, start];
      }
      if (!previous.has(next)) { previous.set(next, at); queue.push(next); }
    }
  }
  return [...component, start];
}
