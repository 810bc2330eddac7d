// Per-unit scaling: the field model works in per-unit of each tag's normal operating point
// (1.0 = normal), and the site's own limits fix where the alarm bands sit on that scale.
//
// Anchors: L at 0.75 pu, LL at 0.5, H at 1.25, HH at 1.5, so a model excursion crosses the
// same limit on every site. Near-zero quantities (gas, packet loss) put H at 1.25 pu of a
// zero baseline. Between anchors the scale is linear (piecewise), beyond them extrapolated.

import type { Limits, Tag } from '../lib/model/index.js';
import { measurement, type Measurement } from './kinds.js';

export const ANCHORS = { LL: 0.5, L: 0.75, H: 1.25, HH: 1.5 } as const;

const DEFAULT_NOMINAL: Partial<Record<Measurement, number>> = {
  pressure: 10, 'inlet-pressure': 10, 'outlet-pressure': 8, 'suction-pressure': 3, 'discharge-pressure': 25,
  flow: 100, 'inlet-flow': 100, 'outlet-flow': 100, level: 50, temperature: 60, vibration: 3, current: 40,
  speed: 8, load: 50, position: 50, latency: 20,
};

const ZERO_BASELINE = new Set<Measurement>(['h2s', 'lel', 'packet-loss']);
const DEFAULT_ALARM: Partial<Record<Measurement, number>> = { h2s: 10, lel: 20, 'packet-loss': 5 };

export interface Scale {
  /** [per-unit, engineering] points, increasing in both. */
  points: Array<[number, number]>;
  nominal: number;
}

function mergedLimits(tag: Tag): Limits {
  const limits: Limits = {};
  for (const factor of tag.factors) {
    for (const key of ['LL', 'L', 'H', 'HH'] as const) {
      const v = factor.limits?.[key];
      if (v === undefined) continue;
      // Several factors on one tag: the tightest limit is the first one crossed.
      const current = limits[key];
      limits[key] = current === undefined ? v : key.startsWith('H') ? Math.min(current, v) : Math.max(current, v);
    }
  }
  return limits;
}

function increasing(points: Array<[number, number]>): Array<[number, number]> {
  const sorted = [...points].sort((a, b) => a[0] - b[0]);
  const kept: Array<[number, number]> = [];
  for (const p of sorted) {
    const last = kept[kept.length - 1];
    if (!last || (p[0] > last[0] && p[1] > last[1])) kept.push(p);
  }
  return kept;
}

export function scaleFor(tag: Tag): Scale {
  const kind = measurement(tag);
  const { LL, L, H, HH } = mergedLimits(tag);
  if (ZERO_BASELINE.has(kind)) {
    const high = H ?? (HH !== undefined ? HH / 1.2 : DEFAULT_ALARM[kind] ?? 10);
    const points: Array<[number, number]> = [[0, 0], [ANCHORS.H, high]];
    if (HH !== undefined) points.push([ANCHORS.HH, HH]);
    return { points: increasing(points), nominal: 0 };
  }
  const low = L ?? LL;
  const high = H ?? HH;
  let nominal: number;
  if (low !== undefined && high !== undefined) nominal = (low + high) / 2;
  else if (high !== undefined) nominal = high > 0 ? high * 0.6 : high - 10;
  else if (low !== undefined) nominal = low > 0 ? low * 1.5 : low + 10;
  else nominal = DEFAULT_NOMINAL[kind] ?? 10;
  const points: Array<[number, number]> = [[1, nominal]];
  if (LL !== undefined) points.push([ANCHORS.LL, LL]);
  if (L !== undefined) points.push([ANCHORS.L, L]);
  if (H !== undefined) points.push([ANCHORS.H, H]);
  if (HH !== undefined) points.push([ANCHORS.HH, HH]);
  const lowest = Math.min(...points.map((p) => p[1]));
  if (kind !== 'temperature' && lowest > 0) points.push([0, 0]);
  return { points: increasing(points), nominal };
}

function interpolate(points: Array<[number, number]>, x: number, from: 0 | 1): number {
  const to = from === 0 ? 1 : 0;
  if (points.length === 1) return points[0][from] === 0 ? x : (x * points[0][to]) / points[0][from];
  let i = 1;
  while (i < points.length - 1 && x > points[i][from]) i++;
  const a = points[i - 1];
  const b = points[i];
  return a[to] + ((x - a[from]) * (b[to] - a[to])) / (b[from] - a[from]);
}

export function toEngineering(scale: Scale, perUnit: number): number {
  return interpolate(scale.points, perUnit, 0);
}

export function toPerUnit(scale: Scale, value: number): number {
  return interpolate(scale.points, value, 1);
}
