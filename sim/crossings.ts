// Counting limit crossings in a stream of readings against the site's limits, the way an
// alarm system would annunciate them: entering a limit band (re-armed by the deadband), or a
// boolean tag turning to its trip value.

import type { Reading, Site } from '../lib/model/index.js';
import type { Limit } from './scenarios.js';

export interface Crossing {
  tag: string;
  factor: string;
  limit: Limit | 'trip';
  ts: number;
  value: number | boolean;
}

interface Armed {
  tag: string;
  factor: string;
  limit: Limit;
  threshold: number;
  deadband: number;
  active: boolean;
}

export function limitCrossings(site: Site, batches: Iterable<readonly Reading[]>): Crossing[] {
  const byTag = new Map<string, Armed[]>();
  for (const tag of site.tags) {
    for (const factor of tag.factors) {
      for (const limit of ['LL', 'L', 'H', 'HH'] as const) {
        const threshold = factor.limits?.[limit];
        if (threshold === undefined) continue;
        if (!byTag.has(tag.id)) byTag.set(tag.id, []);
        byTag.get(tag.id)!.push({ tag: tag.id, factor: factor.id, limit, threshold, deadband: factor.deadband ?? 0, active: false });
      }
    }
  }
  const trips = new Map<string, { factor: string; tripWhen: boolean; tripped: boolean }[]>();
  for (const tag of site.tags) {
    for (const factor of tag.factors) {
      if (factor.tripWhen === undefined) continue;
      if (!trips.has(tag.id)) trips.set(tag.id, []);
      trips.get(tag.id)!.push({ factor: factor.id, tripWhen: factor.tripWhen, tripped: false });
    }
  }
  const out: Crossing[] = [];
  for (const batch of batches) {
    for (const r of batch) {
      if (r.quality === 'bad') continue;
      if (typeof r.value === 'boolean') {
        for (const trip of trips.get(r.tag) ?? []) {
          const tripped = r.value === trip.tripWhen;
          if (tripped && !trip.tripped) out.push({ tag: r.tag, factor: trip.factor, limit: 'trip', ts: r.ts, value: r.value });
          trip.tripped = tripped;
        }
        continue;
      }
      if (typeof r.value !== 'number') continue;
      for (const a of byTag.get(r.tag) ?? []) {
        const high = a.limit === 'H' || a.limit === 'HH';
        const beyond = high ? r.value >= a.threshold : r.value <= a.threshold;
        const back = high ? r.value < a.threshold - a.deadband : r.value > a.threshold + a.deadband;
        if (!a.active && beyond) {
          a.active = true;
          out.push({ tag: a.tag, factor: a.factor, limit: a.limit, ts: r.ts, value: r.value });
        } else if (a.active && back) {
          a.active = false;
        }
      }
    }
  }
  return out;
}
