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

/** Milliseconds since the epoch from a Date, a number (ms, or s when below 1e11) or an ISO string; undefined otherwise. */
export function toMillis(value: unknown): number | undefined {
  if (value instanceof Date) return Number.isFinite(value.getTime()) ? value.getTime() : undefined;
  if (typeof value === 'number' && Number.isFinite(value) && value > 0) return value < 1e11 ? value * 1000 : value;
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
