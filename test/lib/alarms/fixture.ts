// A small hand-built site, a controllable clock and risk changes for the alarm tests.

import type { RiskExplanation, Site, WarningLevel } from '../../../lib/model/index.js';
import type { RiskChange } from '../../../lib/alarms/index.js';

export const T0 = Date.UTC(2026, 0, 1, 6, 0, 0);

export class FakeClock {
  t = T0;
  readonly now = () => this.t;
  advance(seconds: number): void {
    this.t += seconds * 1000;
  }
}

export function smallSite(): Site {
  const eq = (id: string, type: string, area: string, state: 'running' | 'maintenance' = 'running') => ({ id, type, name: id, area, criticality: 3, state });
  return {
    id: 'test', name: 'test', scoreBands: { IV: 0.5, III: 1, II: 2, I: 3 },
    equipment: [
      eq('COMP-1', 'compressor', 'cpf'), eq('SEP-2', 'separator-3phase', 'cpf'), eq('HT-1', 'heater-treater', 'cpf'),
      eq('TK-1', 'tank-oil', 'tank-battery'), eq('GD-H2S-1', 'h2s-detector', 'cpf'), eq('WELL-08', 'well-rod-pump', 'south', 'maintenance'),
    ],
    dependencies: [
      { from: 'COMP-1', to: 'SEP-2', kind: 'flow', transmissionWeight: 0.5 },
      { from: 'SEP-2', to: 'HT-1', kind: 'flow', transmissionWeight: 0.5 },
      { from: 'HT-1', to: 'TK-1', kind: 'flow', transmissionWeight: 0.5 },
    ],
    tags: [
      { id: 'COMP-1.PT-2', equipment: 'COMP-1', profile: 'pressure', unit: 'bar', factors: [{ id: 'discharge-pressure', limits: { H: 80, HH: 90 }, consequence: { category: 'asset', severity: 4 } }] },
      { id: 'GD-H2S-1.AT', equipment: 'GD-H2S-1', profile: 'h2s-ppm', unit: 'ppm', factors: [{ id: 'h2s', limits: { H: 10, HH: 20 }, consequence: { category: 'people', severity: 5 } }] },
      { id: 'TK-1.LT', equipment: 'TK-1', profile: 'tank-radar-level', unit: 'm', factors: [{ id: 'tank-level', limits: { H: 6, HH: 7 }, consequence: { category: 'environment', severity: 4 } }] },
    ],
  };
}

/** A risk change the way the risk engine sends it. */
export function risk(equipment: string, level: WarningLevel, rootCause = equipment, factor?: { tag: string; factor: string }): RiskChange {
  const change: Partial<RiskExplanation> & RiskChange = {
    equipment, level, ts: 0, primary: 0, secondary: 0, total: 0, consequence: 0, score: 0,
    rootCause: { equipment: rootCause, ...(factor ?? {}) },
    factors: factor && rootCause === equipment && level !== 'normal' ? [{ ...factor, state: 'high', likelihood: 0.8, since: 0 }] : [],
    paths: rootCause === equipment ? [] : [{ path: [rootCause, equipment], weight: 0.4 }],
  };
  return change;
}
