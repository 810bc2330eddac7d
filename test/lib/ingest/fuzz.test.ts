import assert from 'node:assert/strict';
import fc from 'fast-check';
import { get as sparkplugNamespace } from 'sparkplug-payload';
import { DeviceMapper, mapModbus, mapMqttJson, mapOpcua } from '../../../lib/ingest/index.js';
import { encodeRegisters, getChannel } from '../../../lib/profiles/index.js';
import { demoIndex } from './fixtures.js';

// At least 1,000 generated messages per source: nothing throws, and every tag whose part of
// the message is valid still gives its reading, whatever garbage sits beside it.
const RUNS = { numRuns: 1000 };
const NOW = 1_780_000_000_000;
const SPB = sparkplugNamespace('spBv1.0')!;
const garbage = fc.oneof(fc.anything(), fc.constant(Number.NaN), fc.constant(Infinity), fc.string(), fc.constant(null), fc.integer({ min: 65536 }), fc.integer({ max: -1 }));

describe('lib/ingest fuzz', () => {
  const index = demoIndex();
  const northTags = index.modbus.get('rtu-north')!;

  it('modbus: a register batch with garbage words keeps every tag whose words are valid', () => {
    const word = fc.oneof({ weight: 4, arbitrary: fc.integer({ min: 0, max: 0xffff }) }, { weight: 1, arbitrary: garbage });
    fc.assert(fc.property(fc.array(word, { minLength: 20, maxLength: 20 }), (registers) => {
      const { readings, problems } = mapModbus(index, { topic: 'rtu-north', payload: registers, input: { payload: { unitid: 1, address: 0 } } }, NOW);
      const valid = (i: number) => typeof registers[i] === 'number' && Number.isInteger(registers[i]) && (registers[i] as number) >= 0 && (registers[i] as number) <= 0xffff;
      for (const bound of northTags) {
        const width = bound.channel.modbus!.type.endsWith('16') ? 1 : 2;
        const ok = Array.from({ length: width }, (_, k) => valid(bound.register! + k)).every(Boolean);
        assert.equal(readings.some((r) => r.tag === bound.tag), ok, `${bound.tag} ${JSON.stringify(registers.slice(bound.register!, bound.register! + width))}`);
      }
      assert.equal(readings.length + problems.length, northTags.length);
    }), RUNS);
  });

  it('modbus: any message shape maps or explains, never throws', () => {
    const mapper = new DeviceMapper(index);
    fc.assert(fc.property(fc.oneof(fc.constant('rtu-north'), fc.constant('rtu-south'), fc.string()), garbage, fc.anything(), (topic, payload, request) => {
      const result = mapper.map({ topic, payload, input: { payload: request } }, NOW);
      assert.ok(Array.isArray(result.readings) && Array.isArray(result.problems));
      for (const p of result.problems) assert.ok(p.source.length > 0 && p.message.length > 0);
    }), RUNS);
  });

  it('opcua: any value, status code and timestamp maps or explains, and good numbers come out', () => {
    fc.assert(fc.property(fc.oneof(fc.double({ min: 0, max: 600, noNaN: true }), garbage), fc.oneof(fc.constant(0), fc.constant(0x40000000), garbage), fc.oneof(fc.date(), garbage), (value, statusCode, sourceTimestamp) => {
      const { readings, problems } = mapOpcua(index, { topic: 'ns=1;s=SEP-1.PT-101', payload: value, statusCode, sourceTimestamp }, NOW);
      if (typeof value === 'number' && Number.isFinite(value) && (statusCode === 0 || statusCode === 0x40000000)) {
        assert.equal(readings.length, 1);
        // -0 is read as 0: the same pressure.
        assert.equal(readings[0].value, Object.is(value, -0) ? 0 : value);
        assert.ok(Number.isFinite(readings[0].ts));
      }
      assert.ok(readings.length + problems.length >= 1);
    }), RUNS);
  });

  it('mqtt: a document with garbage fields keeps every valid field, in any payload form', () => {
    const field = fc.oneof(fc.double({ min: 0, max: 250, noNaN: true }), garbage);
    fc.assert(fc.property(field, field, fc.constantFrom('object', 'string', 'buffer'), (speed, lat, form) => {
      const doc = { speed, lat };
      const payload = form === 'object' ? doc : form === 'string' ? JSON.stringify(doc) : Buffer.from(JSON.stringify(doc) ?? '');
      const seen = form === 'object' ? doc : JSON.parse(JSON.stringify(doc));
      const { readings } = mapMqttJson(index, 'oilrisk/field/gps/TRUCK-1', payload, NOW);
      assert.ok(readings.every((r) => r.value === null || (typeof r.value === 'number' && Number.isFinite(r.value))), 'measurements are finite numbers, never garbage');
      if (typeof seen.speed === 'number' && Number.isFinite(seen.speed)) assert.ok(readings.some((r) => r.tag === 'TRUCK-1.SPEED' && r.value === seen.speed));
      if (typeof seen.lat === 'number' && Number.isFinite(seen.lat) && Math.abs(seen.lat) <= 90) assert.ok(readings.some((r) => r.tag === 'TRUCK-1.LAT' && r.value === seen.lat));
    }), RUNS);
  });

  it('mqtt: arbitrary strings and bytes never throw', () => {
    fc.assert(fc.property(fc.oneof(fc.string(), fc.uint8Array().map((b) => Buffer.from(b)), fc.anything()), (payload) => {
      const result = mapMqttJson(index, 'oilrisk/field/gas/GD-H2S-1', payload, NOW);
      assert.ok(result.readings.length + result.problems.length >= 1, 'every message maps or explains');
    }), RUNS);
  });

  it('sparkplug: arbitrary bytes never throw', () => {
    const mapper = new DeviceMapper(index);
    fc.assert(fc.property(fc.uint8Array({ maxLength: 200 }), fc.constantFrom('DDATA', 'DBIRTH', 'NDATA', 'DCMD'), (bytes, type) => {
      const topic = type === 'NDATA' ? 'spBv1.0/oilfield/NDATA/edge-1' : `spBv1.0/oilfield/${type}/edge-1/wip-1`;
      const result = mapper.map({ topic, payload: Buffer.from(bytes) }, NOW);
      assert.ok(Array.isArray(result.readings));
    }), RUNS);
  });

  it('sparkplug: valid metrics come out beside metrics of the wrong type', () => {
    const mapper = new DeviceMapper(index);
    fc.assert(fc.property(fc.double({ min: 0, max: 500, noNaN: true }), fc.string(), (current, text) => {
      const payload = SPB.encodePayload({ timestamp: NOW, metrics: [
        { name: 'Pump/SuctionPressure', type: 'String', value: text },
        { name: 'Motor/Current', type: 'Double', value: current }] });
      const { readings } = mapper.map({ topic: 'spBv1.0/oilfield/DDATA/edge-1/wip-1', payload: Buffer.from(payload) }, NOW);
      assert.ok(readings.some((r) => r.tag === 'WIP-1.IT-601' && r.value === current));
    }), RUNS);
  });

  it('modbus: a valid encoded value always decodes back within the profile resolution', () => {
    const channel = getChannel('rod-pump-controller.load');
    fc.assert(fc.property(fc.double({ min: 0, max: 500, noNaN: true }), (load) => {
      const registers = new Array<number>(20).fill(0);
      registers.splice(2, 2, ...encodeRegisters(channel.modbus!, load));
      const got = mapModbus(index, { topic: 'rtu-north', payload: registers, input: { payload: { unitid: 1, address: 0 } } }, NOW).readings.find((r) => r.tag === 'WELL-01.WT-1')!;
      assert.ok(Math.abs((got.value as number) - load) <= 0.005 + 1e-9);
    }), RUNS);
  });
});
