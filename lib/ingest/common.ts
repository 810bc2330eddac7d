// Small helpers shared by the protocol mappers: problem collection, reading construction and
// timestamp parsing, so every protocol reports bad input the same way.

import type { Reading } from '../model/reading.js';
import type { DecodedValue } from '../profiles/types.js';
import type { BoundTag, IngestResult } from './types.js';

export function emptyResult(): IngestResult {
  return { readings: [], problems: [] };
}

export function problem(result: IngestResult, source: string, message: string): IngestResult {
  result.problems.push({ source, message });
  return result;
}

export function reading(bound: BoundTag, decoded: DecodedValue, ts: number): Reading {
  return { tag: bound.tag, value: decoded.value, quality: decoded.quality, ts, source: bound.source };
}

/** A device's loss of communication for one of its tags: no value, quality bad. */
export function lostReading(bound: BoundTag, ts: number): Reading {
  return { tag: bound.tag, value: null, quality: 'bad', ts, source: bound.source };
}

/**
 * Milliseconds since the epoch from a Date, a number or an ISO string; undefined otherwise.
 * A number's unit is told by its size, as devices send all four: below 1e11 seconds, below 1e14
 * milliseconds, below 1e17 microseconds, above that nanoseconds (each up to the year 5138).
 */
export function toMillis(value: unknown): number | undefined {
  if (value instanceof Date) return Number.isFinite(value.getTime()) ? value.getTime() : undefined;
  if (typeof value === 'number' && Number.isFinite(value) && value > 0) {
    if (value < 1e11) return value * 1000;
    if (value < 1e14) return value;
    if (value < 1e17) return Math.floor(value / 1e3);
    return value < 1e20 ? Math.floor(value / 1e6) : undefined;
  }
  if (typeof value === 'string' && value.trim() !== '') {
    const parsed = Number.isFinite(Number(value)) ? toMillis(Number(value)) : Date.parse(value);
    return parsed !== undefined && Number.isFinite(parsed) ? parsed : undefined;
  }
  if (isLong(value)) return toMillis(value.toNumber());
  return undefined;
}

export interface LongLike {
  low: number;
  high: number;
  unsigned?: boolean;
  toNumber(): number;
}

/** The 64-bit integers protobuf (Sparkplug) decodes to. */
export function isLong(value: unknown): value is LongLike {
  return typeof value === 'object' && value !== null && typeof (value as LongLike).toNumber === 'function'
    && typeof (value as LongLike).low === 'number' && typeof (value as LongLike).high === 'number';
}

export function describeValue(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  if (Buffer.isBuffer(value)) return `a ${value.length}-byte buffer`;
  try {
    const text = JSON.stringify(value);
    return text.length > 60 ? `${text.slice(0, 57)}...` : text;
  } catch {
    return typeof value;
  }
}
