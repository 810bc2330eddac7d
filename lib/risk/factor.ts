// One risk factor of one tag as a small state machine in reading time: limit bands with
// deadband, rate of change, bad quality, trips and predicted breach, held by on/off delays.

import type { FactorState, FactorStateName, Limits, RiskFactor } from '../model/index.js';
import { STATE_SEVERITY, type RiskOptions } from './defaults.js';
import { forecastBreach, theilSen, TrendWindow, type Breach } from './forecast.js';

/** The value a factor sees: a number, a boolean (trips) or null when the reading had none. */
export type FactorInput = number | boolean | null;

export class FactorTracker {
  state: FactorStateName = 'normal';
  since = 0;
  likelihood = 0;
  pending: FactorStateName | undefined = undefined;
  pendingSince = 0;
  /** Time of the last reading, NaN before the first. */
  lastTs = NaN;
  private rateAnchorValue = NaN;
  private rateAnchorTs = NaN;
  private rateExceeded = false;
  private trend: TrendWindow | undefined = undefined;
  private confirmations = 0;
  private predicting = false;
  breach: Breach | undefined = undefined;

  constructor(readonly tag: string, public def: RiskFactor) {}

  /** Feeds one reading; true when the committed state changed. */
  observe(value: FactorInput, bad: boolean, ts: number, options: RiskOptions): boolean {
    this.lastTs = ts;
    return this.settle(this.condition(value, bad, ts, options), ts, options);
  }

  /** Advances reading time without a reading: stale detection and delayed transitions. */
  tick(now: number, clockStart: number, options: RiskOptions): boolean {
    const timeout = this.def.staleTimeout;
    const last = Number.isNaN(this.lastTs) ? clockStart : this.lastTs;
    if (timeout !== undefined && this.state !== 'stale' && now - last > timeout * 1000) {
      this.commit('stale', now, options);
      return true;
    }
    if (this.pending !== undefined && now - this.pendingSince >= this.delayTo(this.pending) * 1000) {
      this.commit(this.pending, now, options);
      return true;
    }
    return false;
  }

  /** The factor as the model's FactorState. */
  describe(): FactorState {
    const out: FactorState = { tag: this.tag, factor: this.def.id, state: this.state, likelihood: this.likelihood, since: this.since };
    if (this.state === 'predicted' && this.breach) {
      out.predictedBreachIn = this.breach.inSeconds;
      out.confidence = this.breach.confidence;
    }
    return out;
  }

  private condition(value: FactorInput, bad: boolean, ts: number, options: RiskOptions): FactorStateName {
    if (bad || value === null) return 'bad-quality';
    if (typeof value === 'boolean') return this.def.tripWhen !== undefined && value === this.def.tripWhen ? 'trip' : 'normal';
    let worst: FactorStateName = this.def.limits ? this.band(value, this.def.limits) : 'normal';
    if (this.def.rateOfChange !== undefined && this.rateBreached(value, ts, options)) worst = worse(worst, 'rate');
    if (this.def.predictHorizon !== undefined && this.def.limits && this.predicts(value, ts, this.def.limits, this.def.predictHorizon, options)) worst = worse(worst, 'predicted');
    return worst;
  }

  /** Limit band with hysteresis: an active limit clears only once the value is back by the deadband. */
  private band(v: number, limits: Limits): FactorStateName {
    const db = this.def.deadband ?? 0;
    const s = this.state;
    if (limits.HH !== undefined && (v >= limits.HH || (s === 'highhigh' && v > limits.HH - db))) return 'highhigh';
    if (limits.LL !== undefined && (v <= limits.LL || (s === 'lowlow' && v < limits.LL + db))) return 'lowlow';
    if (limits.H !== undefined && (v >= limits.H || ((s === 'high' || s === 'highhigh') && v > limits.H - db))) return 'high';
    if (limits.L !== undefined && (v <= limits.L || ((s === 'low' || s === 'lowlow') && v < limits.L + db))) return 'low';
    return 'normal';
  }

  /** Rate per minute over at least `rateSpan` seconds, so that sample noise does not read as a rate. */
  private rateBreached(v: number, ts: number, options: RiskOptions): boolean {
    if (Number.isNaN(this.rateAnchorTs)) {
      this.rateAnchorValue = v;
      this.rateAnchorTs = ts;
    } else if (ts - this.rateAnchorTs >= options.rateSpan * 1000) {
      const perMinute = Math.abs(v - this.rateAnchorValue) / ((ts - this.rateAnchorTs) / 60000);
      this.rateExceeded = perMinute > this.def.rateOfChange!;
      this.rateAnchorValue = v;
      this.rateAnchorTs = ts;
    }
    return this.rateExceeded;
  }

  /** Enters after `confirm` forecasts inside the horizon; leaves when the trend no longer reaches twice the horizon. */
  private predicts(v: number, ts: number, limits: Limits, horizon: number, options: RiskOptions): boolean {
    const f = options.forecast;
    this.trend ??= new TrendWindow(f.window, f.bucket);
    if (!this.trend.add(ts / 1000, v) || this.trend.size < f.minSamples) return this.predicting;
    const { t, x } = this.trend.samples();
    const trend = theilSen(t, x);
    const breach = trend && forecastBreach(trend, limits, f, this.predicting);
    if (this.predicting) {
      this.predicting = breach !== undefined && breach.inSeconds <= 2 * horizon;
      if (!this.predicting) this.confirmations = 0;
    } else {
      this.confirmations = breach !== undefined && breach.inSeconds <= horizon ? this.confirmations + 1 : 0;
      this.predicting = this.confirmations >= f.confirm;
    }
    if (this.predicting) this.breach = breach;
    return this.predicting;
  }

  private delayTo(target: FactorStateName): number {
    const escalates = STATE_SEVERITY[target] > STATE_SEVERITY[this.state];
    return (escalates ? this.def.onDelay : this.def.offDelay) ?? 0;
  }

  private settle(raw: FactorStateName, ts: number, options: RiskOptions): boolean {
    if (raw === this.state) {
      this.pending = undefined;
      return false;
    }
    if (this.pending !== raw) {
      this.pending = raw;
      this.pendingSince = ts;
    }
    if (ts - this.pendingSince >= this.delayTo(raw) * 1000) {
      this.commit(raw, ts, options);
      return true;
    }
    return false;
  }

  private commit(state: FactorStateName, ts: number, options: RiskOptions): void {
    this.state = state;
    this.since = ts;
    this.likelihood = options.likelihood[state];
    this.pending = undefined;
  }
}

function worse(a: FactorStateName, b: FactorStateName): FactorStateName {
  return STATE_SEVERITY[b] > STATE_SEVERITY[a] ? b : a;
}

/** Same definition, so the tracker's state can be kept across a site reload. */
export function sameFactor(a: RiskFactor, b: RiskFactor): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
