// Small site files for the site model tests: a valid one, and a way to break it one key at a time.

import { stringify } from 'yaml';

export function validSite(): Record<string, unknown> {
  return {
    site: { id: 'test-field', name: 'Test field' },
    equipment: [
      { id: 'WELL-01', type: 'well-rod-pump', area: 'north', criticality: 2, location: { lat: 31.87, lon: -102.31 } },
      { id: 'MAN-1', type: 'manifold', area: 'north' },
      { id: 'SEP-1', type: 'separator-2phase', area: 'cpf', criticality: 4 },
      { id: 'COMP-1', type: 'compressor', area: 'cpf', state: 'maintenance' },
    ],
    dependencies: [
      { from: 'WELL-01', to: 'MAN-1', kind: 'flow', weight: 0.3 },
      { from: 'MAN-1', to: 'SEP-1', kind: 'flow', weight: 0.7 },
      { from: 'SEP-1', to: 'COMP-1', kind: 'flow', weight: 0.5 },
    ],
    tags: [
      {
        id: 'SEP-1.PT-101', equipment: 'SEP-1', profile: 'pressure', unit: 'bar',
        binding: { protocol: 'opcua', address: 'ns=1;s=SEP-1.PT-101' },
        factors: [{ id: 'vessel-pressure', limits: { LL: 3, L: 4, H: 9.3, HH: 9.8 }, deadband: 0.2, predictHorizon: 1200, consequence: { category: 'people', severity: 4 } }],
      },
      {
        id: 'WELL-01.PT-1', equipment: 'WELL-01', profile: 'pressure', unit: 'bar',
        binding: { protocol: 'modbus', address: 'rtu-north:1:0' },
        factors: [{ id: 'tubing-pressure', limits: { L: 4, H: 30 }, staleTimeout: 120, consequence: { category: 'environment', severity: 3 } }],
      },
    ],
  };
}

export function yaml(site: unknown): string {
  return stringify(site);
}
