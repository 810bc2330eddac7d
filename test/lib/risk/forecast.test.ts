import assert from 'node:assert/strict';
import { DEFAULTS, forecastBreach, theilSen, TrendWindow } from '../../../lib/risk/index.js';
import { gaussian, ramp, replay, seeded } from './signals.js';

const DAY = 86400;

describe('lib/risk forecast', () => {
  it('finds the slope and level of a line, and shrugs off an outlier', () => {
    const t = [0, 10, 20, 30, 40, 50, 60];
    const x = t.map((s) => 10 + 0.5 * s);
    x[3] = 500;
    const trend = theilSen(t, x)!;
    assert.equal(trend.slope, 0.5);
    assert.equal(trend.level, 40);
    assert.ok(trend.tau > 0.6);
  });

  it('averages samples into buckets of reading time', () => {
    const w = new TrendWindow(4, 10);
    const closed = [0, 5, 9, 10, 15, 20].map((s) => w.add(s, s));
    assert.deepEqual(closed, [false, false, false, true, false, true]);
    assert.deepEqual(w.samples(), { t: [14 / 3, 12.5], x: [14 / 3, 12.5] });
  });

  it('forecasts the next limit in the direction of travel only when the trend is clear', () => {
    const limits = { LL: 0, L: 5, H: 40, HH: 50 };
    const rising = { slope: 0.1, level: 30, tau: 0.9, noise: 0.1, span: 200 };
    assert.deepEqual(forecastBreach(rising, limits, DEFAULTS.forecast), { limit: 'H', inSeconds: 100, confidence: 0.9 });
    assert.deepEqual(forecastBreach({ ...rising, level: 45 }, limits, DEFAULTS.forecast)?.limit, 'HH');
    assert.deepEqual(forecastBreach({ ...rising, slope: -0.1, tau: -0.9 }, limits, DEFAULTS.forecast), { limit: 'L', inSeconds: 250, confidence: 0.9 });
    assert.equal(forecastBreach({ ...rising, tau: 0.3 }, limits, DEFAULTS.forecast), undefined);
    assert.equal(forecastBreach({ ...rising, noise: 10 }, limits, DEFAULTS.forecast), undefined);
    assert.equal(forecastBreach({ ...rising, level: 55 }, limits, DEFAULTS.forecast), undefined);
    assert.ok(forecastBreach({ ...rising, tau: 0.4 }, limits, DEFAULTS.forecast, true));
  });

  describe('on synthetic ramps (30 bar, H 40, horizon 600 s, 1 s samples, noise 0.5 bar)', () => {
    for (const [slope, minLead] of [[0.01, 400], [0.02, 200], [0.05, 60]] as const) {
      it(`warns at least ${minLead} s before a ${slope} bar/s ramp crosses H`, () => {
        const { first } = replay(ramp(30, 600, slope, 0.5, 7), 600 + 12 / slope);
        assert.ok(first.predicted !== undefined && first.high !== undefined, JSON.stringify(first));
        assert.ok(first.high - first.predicted >= minLead, `lead ${first.high - first.predicted} s`);
        assert.ok(first.predicted > 600, 'no prediction before the ramp starts');
      });
    }
  });

  describe('on noisy steady signals for a simulated day', () => {
    it('stays quiet at 30 +- 0.5 bar (1 s samples)', () => {
      assert.equal(replay(ramp(30, Infinity, 0, 0.5, 11), DAY).predictions, 0);
    });

    it('stays quiet at 37 +- 1 bar, three deviations under H, with a daily swing', () => {
      const noise = gaussian(seeded(12));
      const signal = (t: number) => 36 + Math.sin((2 * Math.PI * t) / DAY) + noise();
      assert.equal(replay(signal, DAY, 2).predictions, 0);
    });
  });
});
