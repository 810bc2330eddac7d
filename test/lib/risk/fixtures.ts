// Small hand-built sites for the risk engine tests.

import type { Dependency, DependencyKind, Equipment, OperatingState, RiskFactor, Site, Tag } from '../../../lib/model/index.js';

export const T0 = Date.UTC(2026, 0, 1);

export function equipment(id: string, criticality = 3, state: OperatingState = 'running'): Equipment {
  return { id, type: 'separator', name: id, area: 'north', criticality, state };
}

export function dep(from: string, to: string, transmissionWeight = 0.5, kind: DependencyKind = 'flow'): Dependency {
  return { from, to, kind, transmissionWeight };
}

export const pressureFactor: RiskFactor = {
  id: 'pressure',
  limits: { LL: 2, L: 5, H: 40, HH: 50 },
  deadband: 1,
  consequence: { category: 'asset', severity: 4 },
};

export function pressureTag(equipmentId: string, factor: Partial<RiskFactor> = {}): Tag {
  return { id: `${equipmentId}.PT`, equipment: equipmentId, profile: 'pressure', unit: 'bar', factors: [{ ...pressureFactor, ...factor }] };
}

export function tripTag(equipmentId: string): Tag {
  return { id: `${equipmentId}.ESD`, equipment: equipmentId, profile: 'switch', unit: '', factors: [{ id: 'esd', tripWhen: true, consequence: { category: 'people', severity: 5 } }] };
}

export function site(eq: Equipment[], deps: Dependency[] = [], tags: Tag[] = eq.map((e) => pressureTag(e.id))): Site {
  return { id: 'test', name: 'Test', equipment: eq, dependencies: deps, tags, scoreBands: { IV: 0.5, III: 1, II: 2, I: 3 } };
}

export function reading(tag: string, value: number | boolean | null, ts: number, quality: 'good' | 'uncertain' | 'bad' = 'good') {
  return { tag, value, quality, ts };
}
