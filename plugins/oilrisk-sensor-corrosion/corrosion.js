// An oilrisk sensor plugin: the profile of an electrical-resistance (ER) corrosion probe
// transmitter. Installing this package is all it takes for site files to use "corrosion-probe".
'use strict';

/**
 * The fields are those of oilrisk's SensorProfile (docs/ingest.md, "Writing a sensor plugin").
 * The transmitter's holding registers: 0 corrosion rate (uint16, 0.01 mpy), 1-2 metal loss
 * (uint32, low word first, 1 nm), 3 probe life consumed (uint16, 0.1 %), 4 status word (bit 0
 * probe fault). A site tag names one channel and the register it starts at.
 */
const CORROSION_PROBE = {
  name: 'corrosion-probe',
  description: 'Electrical-resistance corrosion probe transmitter',
  vendor: 'node-red-contrib-oilrisk-sensor-corrosion',
  channels: [
    {
      name: 'corrosion-rate',
      unit: 'mpy',
      range: { min: 0, max: 500 },
      modbus: { type: 'uint16', byteOrder: 'big', wordOrder: 'big', scale: 0.01 },
      opcua: { dataType: 'Double' },
      mqtt: { field: 'rate' },
      expectedPeriod: 60,
      // NACE SP0775 bands for carbon steel: 5-10 mpy high, above 10 mpy severe.
      defaultFactors: [{ id: 'corrosion-rate', limits: { H: 5, HH: 10 }, deadband: 0.2, onDelay: 600, consequence: { category: 'environment', severity: 3 } }],
    },
    {
      name: 'metal-loss',
      unit: 'mm',
      range: { min: 0, max: 2 },
      modbus: { type: 'uint32', byteOrder: 'big', wordOrder: 'little', scale: 0.000001 },
      opcua: { dataType: 'Double' },
      mqtt: { field: 'metalLoss' },
      expectedPeriod: 60,
    },
    {
      name: 'probe-life',
      unit: '%',
      range: { min: 0, max: 100 },
      modbus: { type: 'uint16', byteOrder: 'big', wordOrder: 'big', scale: 0.1 },
      opcua: { dataType: 'Double' },
      mqtt: { field: 'probeLife' },
      expectedPeriod: 60,
      defaultFactors: [{ id: 'probe-life', limits: { H: 80, HH: 95 }, consequence: { category: 'production', severity: 1 } }],
    },
    {
      name: 'probe-fault',
      unit: '',
      modbus: { type: 'uint16', byteOrder: 'big', wordOrder: 'big', bit: 0 },
      opcua: { dataType: 'Boolean' },
      mqtt: { field: 'fault' },
      expectedPeriod: 60,
      defaultFactors: [{ id: 'probe-fault', tripWhen: true, consequence: { category: 'asset', severity: 2 } }],
    },
  ],
};

module.exports = function register(RED) {
  RED.plugins.registerPlugin('oilrisk-sensor-corrosion', { type: 'oilrisk-sensor', profiles: [CORROSION_PROBE] });
};

module.exports.CORROSION_PROBE = CORROSION_PROBE;
