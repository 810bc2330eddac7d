// Checks a replay against what its scenario documents: each expected limit crossing, trip,
// stale tag, security event or flood happened in time. Returns what did not, in words.

import type { Site } from '../lib/model/index.js';
import { limitCrossings } from './crossings.js';
import type { Replay } from './replay.js';
import type { Scenario } from './scenarios.js';

/** `startTs` is the simulated time of the scenario's start (the field's first timestamp minus one step). */
export function unmetExpectations(site: Site, scenario: Scenario, replay: Replay, startTs: number): string[] {
  const crossings = limitCrossings(site, replay.batches);
  const at = (ts: number) => (ts - startTs) / 1000;
  const unmet: string[] = [];
  for (const e of scenario.expectations) {
    switch (e.kind) {
      case 'limit':
      case 'trip': {
        const wanted = e.kind === 'limit' ? e.limit : 'trip';
        const hit = crossings.find((c) => c.tag === e.tag && c.limit === wanted);
        if (!hit || at(hit.ts) > e.byS) unmet.push(`${e.tag} ${wanted} by ${e.byS} s: ${hit ? `only at ${at(hit.ts)} s` : 'never'}`);
        break;
      }
      case 'stale': {
        const seen = replay.batches.flat().filter((r) => r.tag === e.tag).map((r) => at(r.ts));
        const during = seen.filter((s) => s > e.fromS && s < e.untilS);
        if (during.length) unmet.push(`${e.tag} stale from ${e.fromS} to ${e.untilS} s: read at ${during[0]} s`);
        if (!seen.some((s) => s >= e.untilS)) unmet.push(`${e.tag} should be read again after ${e.untilS} s`);
        break;
      }
      case 'security': {
        const count = replay.security.filter((s) => s.kind === e.event && at(s.ts) <= e.byS).length;
        if (count < e.atLeast) unmet.push(`${e.atLeast} ${e.event} events by ${e.byS} s: ${count}`);
        break;
      }
      case 'imbalance': {
        const series = (tag: string) => replay.batches.flat().filter((r) => r.tag === tag && typeof r.value === 'number').map((r) => ({ s: at(r.ts), v: r.value as number }));
        const baseline = (points: Array<{ s: number; v: number }>) => {
          const early = points.filter((p) => p.s <= 60);
          return early.reduce((sum, p) => sum + p.v, 0) / Math.max(1, early.length);
        };
        const inlet = series(e.inlet);
        const outlet = series(e.outlet);
        const [in0, out0] = [baseline(inlet), baseline(outlet)];
        const shown = outlet.some((o) => {
          const i = inlet.find((p) => p.s === o.s);
          return o.s <= e.byS && i !== undefined && in0 > 0 && out0 > 0 && i.v / in0 - o.v / out0 >= e.atLeast;
        });
        if (!shown) unmet.push(`${e.outlet} below ${e.inlet} by ${e.atLeast * 100} % of normal by ${e.byS} s: not seen`);
        break;
      }
      case 'flood': {
        const count = crossings.filter((c) => at(c.ts) >= e.fromS && at(c.ts) <= e.fromS + e.withinS).length;
        if (count < e.atLeast) unmet.push(`${e.atLeast} limit crossings within ${e.withinS} s of ${e.fromS} s: ${count}`);
        break;
      }
    }
  }
  return unmet;
}
