// A small site for the ingest tests: one tag per protocol shape the demo field uses.

import type { Tag } from '../../../lib/model/index.js';
import { buildBindingIndex, type BindingIndex } from '../../../lib/ingest/index.js';
import { builtinRegistry } from '../../../lib/profiles/index.js';

const consequence = { category: 'asset', severity: 3 } as const;

export const TAGS: Tag[] = [
  { id: 'WELL-01.PT-1', equipment: 'WELL-01', profile: 'pressure', unit: 'bar', binding: { protocol: 'modbus', address: 'rtu-north:1:0' }, factors: [{ id: 'p', staleTimeout: 120, consequence }] },
  { id: 'WELL-01.WT-1', equipment: 'WELL-01', profile: 'rod-pump-controller', unit: 'kN', binding: { protocol: 'modbus', address: 'rtu-north:1:2' }, factors: [] },
  { id: 'WELL-01.ST-1', equipment: 'WELL-01', profile: 'rod-pump-controller.spm', unit: 'spm', binding: { protocol: 'modbus', address: 'rtu-north:1:4' }, factors: [] },
  { id: 'WELL-01.RUN', equipment: 'WELL-01', profile: 'rod-pump-controller.running', unit: '', binding: { protocol: 'modbus', address: 'rtu-north:1:5' }, factors: [] },
  { id: 'WELL-04.PIP', equipment: 'WELL-04', profile: 'esp-drive.intake-pressure', unit: 'psi', binding: { protocol: 'modbus', address: 'rtu-north:1:12' }, factors: [] },
  { id: 'WELL-07.PT-1', equipment: 'WELL-07', profile: 'pressure', unit: 'bar', binding: { protocol: 'modbus', address: 'rtu-south:2:0' }, factors: [] },
  { id: 'SEP-1.PT-101', equipment: 'SEP-1', profile: 'pressure', unit: 'bar', binding: { protocol: 'opcua', address: 'ns=1;s=SEP-1.PT-101' }, factors: [] },
  { id: 'SEP-1.LT-101', equipment: 'SEP-1', profile: 'level', unit: 'm', binding: { protocol: 'opcua', address: 'ns=1;s=SEP-1.LT-101' }, factors: [] },
  { id: 'GD-H2S-1.AT-901', equipment: 'GD-H2S-1', profile: 'h2s-ppm', unit: 'ppm', binding: { protocol: 'mqtt', address: 'oilrisk/field/gas/GD-H2S-1', field: 'ppm' }, factors: [] },
  { id: 'TRUCK-1.SPEED', equipment: 'TRUCK-1', profile: 'gps-tracker.speed', unit: 'km/h', binding: { protocol: 'mqtt', address: 'oilrisk/field/gps/TRUCK-1', field: 'speed' }, factors: [] },
  { id: 'TRUCK-1.LAT', equipment: 'TRUCK-1', profile: 'gps-tracker.latitude', unit: 'deg', binding: { protocol: 'mqtt', address: 'oilrisk/field/gps/TRUCK-1', field: 'lat' }, factors: [] },
  { id: 'WIP-1.PT-601', equipment: 'WIP-1', profile: 'pressure', unit: 'bar', binding: { protocol: 'sparkplug', address: 'spBv1.0/oilfield/DDATA/edge-1/wip-1', field: 'Pump/SuctionPressure' }, factors: [] },
  { id: 'WIP-1.IT-601', equipment: 'WIP-1', profile: 'esp-drive.current', unit: 'A', binding: { protocol: 'sparkplug', address: 'spBv1.0/oilfield/DDATA/edge-1/wip-1', field: 'Motor/Current' }, factors: [] },
];

export function demoIndex(tags: Tag[] = TAGS): BindingIndex {
  return buildBindingIndex({ tags }, builtinRegistry());
}
