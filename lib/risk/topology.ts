// The site's dependency graph: built with graphology from the site model, then compiled to
// compact adjacency arrays (CSR) that propagation walks without allocating.

import { MultiDirectedGraph } from 'graphology';
import type { DependencyKind, Equipment, Site } from '../model/index.js';
import { bothWays, transmits } from './transmission.js';

export interface EquipmentAttributes {
  equipment: Equipment;
}

export interface DependencyAttributes {
  kind: DependencyKind;
  transmissionWeight: number;
}

export type SiteGraph = MultiDirectedGraph<EquipmentAttributes, DependencyAttributes>;

export function buildSiteGraph(site: Site): SiteGraph {
  const graph: SiteGraph = new MultiDirectedGraph();
  for (const equipment of site.equipment) graph.addNode(equipment.id, { equipment });
  for (const d of site.dependencies) {
    if (graph.hasNode(d.from) && graph.hasNode(d.to)) graph.addEdge(d.from, d.to, { kind: d.kind, transmissionWeight: d.transmissionWeight });
  }
  return graph;
}

/** Equipment by index, and for each index the equipment its risk reaches, with the weight. */
export interface Topology {
  ids: string[];
  index: Map<string, number>;
  outStart: Int32Array;
  outTo: Int32Array;
  outWeight: Float64Array;
}

/** Keeps only the edges that transmit in the current operating states (see transmission.ts). */
export function compileTopology(graph: SiteGraph): Topology {
  const ids = graph.nodes();
  const index = new Map<string, number>();
  ids.forEach((id, i) => index.set(id, i));
  const edges: Array<[number, number, number]> = [];
  graph.forEachEdge((_edge, attrs, source, target, sourceAttrs, targetAttrs) => {
    if (attrs.transmissionWeight <= 0) return;
    const from = index.get(source)!, to = index.get(target)!;
    const fromState = sourceAttrs.equipment.state, toState = targetAttrs.equipment.state;
    if (transmits(attrs.kind, fromState, toState)) edges.push([from, to, attrs.transmissionWeight]);
    if (bothWays(attrs.kind) && transmits(attrs.kind, toState, fromState)) edges.push([to, from, attrs.transmissionWeight]);
  });
  const outStart = new Int32Array(ids.length + 1);
  for (const [from] of edges) outStart[from + 1]++;
  for (let i = 0; i < ids.length; i++) outStart[i + 1] += outStart[i];
  const fill = outStart.slice(0, ids.length);
  const outTo = new Int32Array(edges.length);
  const outWeight = new Float64Array(edges.length);
  for (const [from, to, w] of edges) {
    const k = fill[from]++;
    outTo[k] = to;
    outWeight[k] = w;
  }
  return { ids, index, outStart, outTo, outWeight };
}
