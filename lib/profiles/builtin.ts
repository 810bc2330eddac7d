// The sensor profiles shipped with oilrisk: common oil-field transmitters, pump controllers,
// drives, gas detectors, trackers and network devices. Plugins add more the same way.

import type { RiskFactor } from '../model/site.js';
import type { SensorChannel, SensorProfile } from './types.js';

const BIG = { byteOrder: 'big', wordOrder: 'big' } as const;

function factor(id: string, category: RiskFactor['consequence']['category'], severity: number, rest: Omit<RiskFactor, 'id' | 'consequence'> = {}): RiskFactor {
  return { id, ...rest, consequence: { category, severity } };
}

function single(name: string, description: string, channel: Omit<SensorChannel, 'name'>): SensorProfile {
  return { name, description, vendor: 'builtin', channels: [{ name, ...channel }] };
}

export const BUILTIN_PROFILES: readonly SensorProfile[] = [
  single('pressure', 'Pressure transmitter (float32, bar)', {
    unit: 'bar', range: { min: -1, max: 700 }, expectedPeriod: 5,
    modbus: { type: 'float32', ...BIG }, opcua: { dataType: 'Double' }, mqtt: { field: 'pressure' },
    defaultFactors: [factor('pressure', 'asset', 3, { limits: { L: 2, H: 60, HH: 70 }, deadband: 0.5, rateOfChange: 10, predictHorizon: 600 })],
  }),
  single('temperature', 'Temperature transmitter (int16, 0.1 degC)', {
    unit: 'degC', range: { min: -50, max: 400 }, expectedPeriod: 10,
    modbus: { type: 'int16', ...BIG, scale: 0.1 }, opcua: { dataType: 'Double' }, mqtt: { field: 'temperature' },
    defaultFactors: [factor('temperature', 'asset', 2, { limits: { H: 90, HH: 110 }, deadband: 1, rateOfChange: 5 })],
  }),
  single('level', 'Vessel level transmitter (uint16, mm)', {
    unit: 'm', range: { min: 0, max: 20 }, expectedPeriod: 5,
    modbus: { type: 'uint16', ...BIG, scale: 0.001 }, opcua: { dataType: 'Double' }, mqtt: { field: 'level' },
    defaultFactors: [factor('level', 'environment', 3, { limits: { LL: 0.3, L: 0.5, H: 2.0, HH: 2.4 }, deadband: 0.05 })],
  }),
  single('flow', 'Flow meter (float32, m3/h)', {
    unit: 'm3/h', range: { min: -10, max: 5000 }, expectedPeriod: 5,
    modbus: { type: 'float32', ...BIG }, opcua: { dataType: 'Double' }, mqtt: { field: 'flow' },
    defaultFactors: [factor('flow', 'production', 2, { limits: { L: 5 }, deadband: 0.5, rateOfChange: 50 })],
  }),
  single('h2s-ppm', 'Fixed H2S gas detector (uint16, 0.1 ppm)', {
    unit: 'ppm', range: { min: 0, max: 500 }, expectedPeriod: 5,
    modbus: { type: 'uint16', ...BIG, scale: 0.1 }, opcua: { dataType: 'Double' }, mqtt: { field: 'ppm' },
    // 10 ppm is the common 8-hour exposure limit, 15 ppm the 15-minute limit (OSHA/ACGIH).
    defaultFactors: [factor('h2s', 'people', 5, { limits: { H: 10, HH: 15 }, deadband: 1, onDelay: 2, staleTimeout: 15 })],
  }),
  single('lel-percent', 'Combustible gas detector (uint16, 0.1 %LEL)', {
    unit: '%', range: { min: 0, max: 100 }, expectedPeriod: 5,
    modbus: { type: 'uint16', ...BIG, scale: 0.1 }, opcua: { dataType: 'Double' }, mqtt: { field: 'lel' },
    // 10 %LEL and 25 %LEL are the usual first and second detector alarm set points.
    defaultFactors: [factor('lel', 'people', 5, { limits: { H: 10, HH: 25 }, deadband: 1, onDelay: 2, staleTimeout: 15 })],
  }),
  single('vibration', 'Vibration velocity transmitter (float32, mm/s RMS)', {
    unit: 'mm/s', range: { min: 0, max: 100 }, expectedPeriod: 5,
    modbus: { type: 'float32', ...BIG }, opcua: { dataType: 'Float' }, mqtt: { field: 'velocity' },
    // ISO 10816-3 zone boundaries for large machines: 7.1 mm/s restricted, 11 mm/s damage.
    defaultFactors: [factor('vibration', 'asset', 3, { limits: { H: 7.1, HH: 11 }, deadband: 0.3, onDelay: 10 })],
  }),
  {
    name: 'rod-pump-controller', description: 'Rod pump (beam pump) controller: status word, polished rod load, strokes per minute', vendor: 'builtin',
    channels: [
      { name: 'status', unit: '', modbus: { type: 'uint16', ...BIG }, opcua: { dataType: 'UInt16' }, mqtt: { field: 'status' }, expectedPeriod: 10 },
      { name: 'running', description: 'status bit 0', unit: '', modbus: { type: 'uint16', ...BIG, bit: 0 }, opcua: { dataType: 'Boolean' }, mqtt: { field: 'running' }, expectedPeriod: 10,
        defaultFactors: [factor('stopped', 'production', 2, { tripWhen: false, onDelay: 30 })] },
      { name: 'fault', description: 'status bit 1', unit: '', modbus: { type: 'uint16', ...BIG, bit: 1 }, opcua: { dataType: 'Boolean' }, mqtt: { field: 'fault' }, expectedPeriod: 10,
        defaultFactors: [factor('fault', 'asset', 3, { tripWhen: true })] },
      { name: 'pump-off', description: 'status bit 2: fluid pound, pump-off control stopped the unit', unit: '', modbus: { type: 'uint16', ...BIG, bit: 2 }, opcua: { dataType: 'Boolean' }, mqtt: { field: 'pumpOff' }, expectedPeriod: 10 },
      { name: 'load', unit: 'kN', range: { min: 0, max: 500 }, modbus: { type: 'int32', ...BIG, scale: 0.01 }, opcua: { dataType: 'Double' }, mqtt: { field: 'load' }, expectedPeriod: 10,
        defaultFactors: [factor('rod-load', 'asset', 3, { limits: { LL: 10, L: 20, H: 120, HH: 140 }, deadband: 2 })] },
      { name: 'spm', description: 'strokes per minute', unit: 'spm', range: { min: 0, max: 20 }, modbus: { type: 'uint16', ...BIG, scale: 0.1 }, opcua: { dataType: 'Double' }, mqtt: { field: 'spm' }, expectedPeriod: 10,
        defaultFactors: [factor('spm', 'production', 2, { limits: { L: 2, H: 12 }, deadband: 0.2 })] },
    ],
  },
  {
    name: 'esp-drive', description: 'Electric submersible pump variable speed drive', vendor: 'builtin',
    channels: [
      { name: 'frequency', unit: 'Hz', range: { min: 0, max: 90 }, modbus: { type: 'uint16', ...BIG, scale: 0.01 }, opcua: { dataType: 'Double' }, mqtt: { field: 'frequency' }, expectedPeriod: 5,
        defaultFactors: [factor('frequency', 'production', 2, { limits: { L: 35, H: 65 }, deadband: 0.5 })] },
      { name: 'current', unit: 'A', range: { min: 0, max: 500 }, modbus: { type: 'uint16', ...BIG, scale: 0.1 }, opcua: { dataType: 'Double' }, mqtt: { field: 'current' }, expectedPeriod: 5,
        defaultFactors: [factor('motor-current', 'asset', 3, { limits: { LL: 10, L: 20, H: 90, HH: 110 }, deadband: 1, onDelay: 5 })] },
      // Many drives serve IEEE floats least significant byte first (DCBA).
      { name: 'intake-pressure', unit: 'bar', range: { min: 0, max: 500 }, modbus: { type: 'float32', byteOrder: 'little', wordOrder: 'little' }, opcua: { dataType: 'Double' }, mqtt: { field: 'intakePressure' }, expectedPeriod: 5,
        defaultFactors: [factor('pump-intake', 'asset', 3, { limits: { LL: 10, L: 15 }, deadband: 0.5, rateOfChange: 5 })] },
      { name: 'motor-temperature', unit: 'degC', range: { min: -20, max: 250 }, modbus: { type: 'int16', ...BIG, scale: 0.1 }, opcua: { dataType: 'Double' }, mqtt: { field: 'motorTemperature' }, expectedPeriod: 5,
        defaultFactors: [factor('motor-temperature', 'asset', 4, { limits: { H: 150, HH: 170 }, deadband: 2, predictHorizon: 900 })] },
    ],
  },
  single('tank-radar-level', 'Non-contact radar tank gauge (float32 word-swapped, m)', {
    unit: 'm', range: { min: 0, max: 25 }, expectedPeriod: 10,
    modbus: { type: 'float32', byteOrder: 'big', wordOrder: 'little' }, opcua: { dataType: 'Float' }, mqtt: { field: 'level' },
    defaultFactors: [factor('tank-level', 'environment', 4, { limits: { L: 0.5, H: 9, HH: 9.5 }, deadband: 0.05, predictHorizon: 1800 })],
  }),
  {
    name: 'gps-tracker', description: 'Vehicle GPS tracker', vendor: 'builtin',
    channels: [
      { name: 'latitude', unit: 'deg', range: { min: -90, max: 90 }, modbus: { type: 'float64', ...BIG }, opcua: { dataType: 'Double' }, mqtt: { field: 'lat' }, expectedPeriod: 10 },
      { name: 'longitude', unit: 'deg', range: { min: -180, max: 180 }, modbus: { type: 'float64', ...BIG }, opcua: { dataType: 'Double' }, mqtt: { field: 'lon' }, expectedPeriod: 10 },
      { name: 'speed', unit: 'km/h', range: { min: 0, max: 250 }, modbus: { type: 'uint16', ...BIG, scale: 0.1 }, opcua: { dataType: 'Double' }, mqtt: { field: 'speed' }, expectedPeriod: 10,
        defaultFactors: [factor('speeding', 'people', 3, { limits: { H: 40, HH: 60 }, deadband: 2, onDelay: 5 })] },
      { name: 'heading', unit: 'deg', range: { min: 0, max: 360 }, modbus: { type: 'uint16', ...BIG }, opcua: { dataType: 'Double' }, mqtt: { field: 'heading' }, expectedPeriod: 10 },
      {
        name: 'restricted-zone', unit: '',
        description: 'No device point: the ingest node sets it from each fix, true while the vehicle is inside a restricted geofence',
        defaultFactors: [factor('restricted-zone', 'people', 4, { tripWhen: true, offDelay: 30 })],
      },
    ],
  },
  {
    name: 'network-device-health', description: 'Radio, switch or gateway health', vendor: 'builtin',
    channels: [
      { name: 'rssi', unit: 'dBm', range: { min: -130, max: 0 }, modbus: { type: 'int16', ...BIG }, opcua: { dataType: 'Int16' }, mqtt: { field: 'rssi' }, expectedPeriod: 30,
        defaultFactors: [factor('weak-signal', 'production', 1, { limits: { LL: -95, L: -85 }, deadband: 2, onDelay: 60 })] },
      { name: 'latency', unit: 'ms', range: { min: 0, max: 60000 }, modbus: { type: 'uint16', ...BIG }, opcua: { dataType: 'UInt16' }, mqtt: { field: 'latencyMs' }, expectedPeriod: 30,
        defaultFactors: [factor('latency', 'production', 1, { limits: { H: 500, HH: 2000 }, onDelay: 60 })] },
      { name: 'packet-loss', unit: '%', range: { min: 0, max: 100 }, modbus: { type: 'uint16', ...BIG, scale: 0.01 }, opcua: { dataType: 'Double' }, mqtt: { field: 'packetLoss' }, expectedPeriod: 30,
        defaultFactors: [factor('packet-loss', 'production', 2, { limits: { H: 5, HH: 20 }, onDelay: 60 })] },
      { name: 'uptime', unit: 's', range: { min: 0, max: 4294967295 }, modbus: { type: 'uint32', ...BIG }, opcua: { dataType: 'UInt32' }, mqtt: { field: 'uptime' }, expectedPeriod: 30 },
    ],
  },
];
