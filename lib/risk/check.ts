// Checks one incoming Reading against the site before the engine uses it, and says precisely
// what is wrong (naming the tag) so that a bad reading drops alone and the batch goes on.

import { QUALITIES, type Quality, type Tag } from '../model/index.js';
import type { FactorInput } from './factor.js';

export interface ReadingError {
  tag: string;
  message: string;
}

export type ValueKind = 'number' | 'boolean' | 'any';

/** Trip factors expect booleans, limit factors numbers; a tag mixing both takes either. */
export function valueKindOf(tag: Tag): ValueKind {
  if (tag.factors.length === 0) return 'any';
  const trips = tag.factors.filter((f) => f.tripWhen !== undefined).length;
  if (trips === tag.factors.length) return 'boolean';
  return trips === 0 ? 'number' : 'any';
}

export interface CheckedReading {
  tag: string;
  value: FactorInput;
  bad: boolean;
  ts: number;
}

/** Milliseconds beyond the year 5138: a reading this far out is in micro- or nanoseconds. */
export const LATEST_PLAUSIBLE_TS = 1e14;

const iso = (ts: number) => {
  const date = new Date(ts);
  return Number.isFinite(date.getTime()) ? date.toISOString() : String(ts);
};

/**
 * `kindOf` returns undefined for an unknown tag; `lastTs` the time of the tag's last reading.
 * Returns the usable reading or the error.
 */
export function checkReading(
  input: unknown,
  kindOf: (tag: string) => ValueKind | undefined,
  lastTs: (tag: string) => number,
  siteId: string,
): CheckedReading | ReadingError {
  if (typeof input !== 'object' || input === null) return { tag: '(none)', message: `a reading must be an object {tag, value, quality, ts}, got ${input === null ? 'null' : typeof input}` };
  const r = input as Record<string, unknown>;
  if (typeof r.tag !== 'string' || r.tag === '') return { tag: String(r.tag ?? '(none)'), message: 'reading has no tag: set reading.tag to a tag id of the site' };
  const tag = r.tag;
  const kind = kindOf(tag);
  if (kind === undefined) return { tag, message: `unknown tag "${tag}": it is not in site "${siteId}"; add it to the site file or fix the binding` };
  if (typeof r.ts !== 'number' || !Number.isFinite(r.ts)) return { tag, message: `tag "${tag}": ts must be milliseconds since the epoch, got ${JSON.stringify(r.ts)}` };
  // A timestamp in the wrong unit would pass once and then refuse every later reading as out of order.
  if (r.ts < 0 || r.ts > LATEST_PLAUSIBLE_TS) return { tag, message: `tag "${tag}": ts ${r.ts} is not milliseconds since the epoch (micro- or nanoseconds?); convert it to milliseconds` };
  const quality = r.quality === undefined ? 'good' : r.quality;
  if (!QUALITIES.includes(quality as Quality)) return { tag, message: `tag "${tag}": quality must be good, uncertain or bad, got ${JSON.stringify(r.quality)}` };
  let value = r.value;
  if (typeof value === 'number' && !Number.isFinite(value)) return { tag, message: `tag "${tag}": value is ${value}; send null with quality "bad" when there is no value` };
  if (kind === 'boolean' && (value === 0 || value === 1)) value = value === 1;
  if (value !== null && typeof value !== 'number' && typeof value !== 'boolean') return { tag, message: `tag "${tag}": value must be a number, a boolean or null, got ${typeof value}` };
  if (kind === 'number' && typeof value === 'boolean') return { tag, message: `tag "${tag}": expected a number (its factors have limits), got boolean ${value}` };
  if (kind === 'boolean' && typeof value === 'number') return { tag, message: `tag "${tag}": expected a boolean (its factors are trips), got number ${value}` };
  const last = lastTs(tag);
  if (r.ts < last) return { tag, message: `tag "${tag}": reading at ${iso(r.ts)} is older than the last one at ${iso(last)}; out-of-order readings are dropped` };
  return { tag, value: value as FactorInput, bad: quality === 'bad', ts: r.ts };
}

export function isReadingError(x: CheckedReading | ReadingError): x is ReadingError {
  return 'message' in x;
}
