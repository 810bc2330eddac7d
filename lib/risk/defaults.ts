// The risk engine's tunable numbers in one place: factor likelihoods per state, tolerances,
// forecast settings. Options given to the engine are merged over these once.

import type { FactorStateName } from '../model/index.js';

/** Likelihood that a factor in this state leads to a loss event; see docs/risk-model.md for the sources. */
export type LikelihoodTable = Readonly<Record<FactorStateName, number>>;

export interface ForecastOptions {
  /** Buckets kept per factor for the trend (ring buffer of bucket means). */
  window: number;
  /** Seconds of reading time averaged into one bucket: noise falls, the window spans window x bucket. */
  bucket: number;
  /** Fewest buckets before a forecast is trusted. */
  minSamples: number;
  /** Kendall's tau of the window (trend agreement) needed to call a trend, 0..1. */
  minConfidence: number;
  /** The change over the window must exceed this many robust noise deviations. */
  minSignalToNoise: number;
  /** Consecutive forecasts inside the horizon before the factor enters `predicted`. */
  confirm: number;
}

export interface RiskOptions {
  likelihood: LikelihoodTable;
  /** Contributions and changes smaller than this are dropped: where propagation stops. */
  tolerance: number;
  /** Report an equipment whose score moved by more than this, even with level and root cause unchanged. */
  scoreChangeThreshold: number;
  /** Seconds between the two readings a rate of change is measured over (at least). */
  rateSpan: number;
  /** Number of strongest paths kept in an explanation. */
  explainPaths: number;
  forecast: ForecastOptions;
}

export const DEFAULTS: RiskOptions = {
  likelihood: {
    normal: 0,
    predicted: 0.15,
    'bad-quality': 0.1,
    stale: 0.1,
    rate: 0.25,
    low: 0.3,
    high: 0.3,
    lowlow: 0.7,
    highhigh: 0.7,
    trip: 0.9,
  },
  tolerance: 1e-3,
  scoreChangeThreshold: 0.1,
  rateSpan: 60,
  explainPaths: 3,
  forecast: { window: 24, bucket: 10, minSamples: 12, minConfidence: 0.6, minSignalToNoise: 3, confirm: 2 },
};

export type RiskOptionsInput = Partial<Omit<RiskOptions, 'likelihood' | 'forecast'>> & {
  likelihood?: Partial<Record<FactorStateName, number>>;
  forecast?: Partial<ForecastOptions>;
};

export function mergeOptions(input: RiskOptionsInput = {}): RiskOptions {
  return {
    ...DEFAULTS,
    ...input,
    likelihood: { ...DEFAULTS.likelihood, ...input.likelihood },
    forecast: { ...DEFAULTS.forecast, ...input.forecast },
  };
}

/** States ordered by how bad they are, least first; a factor shows the worst condition it is in. */
export const STATE_SEVERITY: Readonly<Record<FactorStateName, number>> = {
  normal: 0,
  predicted: 1,
  rate: 2,
  low: 3,
  high: 3,
  lowlow: 4,
  highhigh: 4,
  'bad-quality': 5,
  stale: 5,
  trip: 6,
};
