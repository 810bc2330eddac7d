// Predicted breach: a robust trend (Theil-Sen slope over a short window) extrapolated to the
// next limit in the direction of travel, with Kendall's tau of the window as the confidence.

import type { Limits } from '../model/index.js';
import type { ForecastOptions } from './defaults.js';

/** Ring buffer of bucket means (time in seconds, value): averaging buckets damps sample noise. */
export class TrendWindow {
  private readonly t: Float64Array;
  private readonly x: Float64Array;
  private next = 0;
  private bucketStart = NaN;
  private bucketT = 0;
  private bucketX = 0;
  private bucketN = 0;
  size = 0;

  constructor(readonly capacity: number, readonly bucketSeconds: number) {
    this.t = new Float64Array(capacity);
    this.x = new Float64Array(capacity);
  }

  /** Adds a sample; true when it closed the previous bucket (a new point for the trend). */
  add(seconds: number, value: number): boolean {
    let closed = false;
    if (this.bucketN > 0 && seconds - this.bucketStart >= this.bucketSeconds) {
      this.push(this.bucketT / this.bucketN, this.bucketX / this.bucketN);
      this.bucketT = this.bucketX = this.bucketN = 0;
      closed = true;
    }
    if (this.bucketN === 0) this.bucketStart = seconds;
    this.bucketT += seconds;
    this.bucketX += value;
    this.bucketN++;
    return closed;
  }

  push(seconds: number, value: number): void {
    this.t[this.next] = seconds;
    this.x[this.next] = value;
    this.next = (this.next + 1) % this.capacity;
    if (this.size < this.capacity) this.size++;
  }

  /** Samples oldest first. */
  samples(): { t: number[]; x: number[] } {
    const t: number[] = [], x: number[] = [];
    const start = this.size < this.capacity ? 0 : this.next;
    for (let k = 0; k < this.size; k++) {
      const i = (start + k) % this.capacity;
      t.push(this.t[i]);
      x.push(this.x[i]);
    }
    return { t, x };
  }
}

export interface Trend {
  /** Units per second. */
  slope: number;
  /** Robust level at the newest sample's time. */
  level: number;
  /** Kendall's tau between time and value, -1..1. */
  tau: number;
  /** Median absolute deviation of the residuals, scaled to a standard deviation. */
  noise: number;
  /** Seconds from the oldest to the newest sample. */
  span: number;
}

function median(values: number[]): number {
  values.sort((a, b) => a - b);
  const mid = values.length >> 1;
  return values.length % 2 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
}

/** Theil-Sen estimator (Sen 1968): the median of all pairwise slopes; robust to ~29% outliers. */
export function theilSen(t: number[], x: number[]): Trend | undefined {
  const n = t.length;
  if (n < 2) return undefined;
  const slopes: number[] = [];
  let concordant = 0, discordant = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const dt = t[j] - t[i];
      const dx = x[j] - x[i];
      if (dx > 0) concordant++;
      else if (dx < 0) discordant++;
      if (dt > 0) slopes.push(dx / dt);
    }
  }
  if (slopes.length === 0) return undefined;
  const slope = median(slopes);
  const tLast = t[n - 1];
  const level = median(x.map((xi, i) => xi + slope * (tLast - t[i])));
  const residuals = x.map((xi, i) => Math.abs(xi - (level - slope * (tLast - t[i]))));
  const pairs = (n * (n - 1)) / 2;
  return { slope, level, tau: (concordant - discordant) / pairs, noise: 1.4826 * median(residuals), span: tLast - t[0] };
}

export interface Breach {
  /** The limit the trend heads for. */
  limit: keyof Limits;
  /** Seconds until the trend reaches it. */
  inSeconds: number;
  /** 0..1: how consistently the window moves that way. */
  confidence: number;
}

/** The next limit in the trend's direction: H before HH going up, L before LL going down. */
function nextLimit(limits: Limits, level: number, slope: number): keyof Limits | undefined {
  const order: Array<keyof Limits> = slope > 0 ? ['H', 'HH'] : ['L', 'LL'];
  for (const name of order) {
    const value = limits[name];
    if (value === undefined) continue;
    if (slope > 0 ? value > level : value < level) return name;
  }
  return undefined;
}

/**
 * A breach forecast when the trend is clear enough and reaches a limit; undefined otherwise.
 * `holding` relaxes the gates for a factor already predicting, so that it does not flicker.
 */
export function forecastBreach(trend: Trend, limits: Limits, options: ForecastOptions, holding = false): Breach | undefined {
  if (trend.slope === 0) return undefined;
  const confidence = Math.abs(trend.tau);
  const minConfidence = holding ? options.minConfidence / 2 : options.minConfidence;
  const minSignalToNoise = holding ? options.minSignalToNoise / 3 : options.minSignalToNoise;
  if (confidence < minConfidence || Math.sign(trend.tau) !== Math.sign(trend.slope)) return undefined;
  // The rise over the window must stand out of the noise, or a flat noisy signal would "trend".
  if (Math.abs(trend.slope) * trend.span < minSignalToNoise * trend.noise) return undefined;
  const limit = nextLimit(limits, trend.level, trend.slope);
  if (!limit) return undefined;
  return { limit, inSeconds: (limits[limit]! - trend.level) / trend.slope, confidence };
}
