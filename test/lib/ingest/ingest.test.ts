import assert from 'node:assert/strict';
import { get as sparkplugNamespace } from 'sparkplug-payload';
import type { Reading } from '../../../lib/model/index.js';
import {
  DeviceMapper, INGEST_DEFAULTS, StaleTracker, buildBindingIndex, mapModbus, mapMqttJson, mapOpcua, statusQuality, summariseProblems, toMillis,
} from '../../../lib/ingest/index.js';
import { builtinRegistry, encodeRegisters, getChannel } from '../../../lib/profiles/index.js';
import { TAGS, demoIndex } from './fixtures.js';

const NOW = 1_780_000_000_000;
const SPB = sparkplugNamespace('spBv1.0')!;

function byTag(readings: Reading[]): Record<string, Reading> {
  return Object.fromEntries(readings.map((r) => [r.tag, r]));
}

/** The 20 registers rtu-north serves from 0, encoded with the same profiles. */
function northRegisters(): number[] {
  const registers = new Array<number>(20).fill(0);
  registers.splice(0, 2, ...encodeRegisters(getChannel('pressure').modbus!, 21.5));
  registers.splice(2, 2, ...encodeRegisters(getChannel('rod-pump-controller.load').modbus!, 88.25));
  registers[4] = encodeRegisters(getChannel('rod-pump-controller.spm').modbus!, 7.5)[0];
  registers[5] = 0b101;
  registers.splice(12, 2, ...encodeRegisters(getChannel('esp-drive.intake-pressure').modbus!, 40));
  return registers;
}

describe('lib/ingest bindings', () => {
  it('indexes tags by protocol address and reports unknown profiles and bad addresses with their path', () => {
    const index = buildBindingIndex({
      tags: [...TAGS,
        { id: 'X.1', equipment: 'X', profile: 'nope', unit: '', binding: { protocol: 'opcua', address: 'ns=1;s=X' }, factors: [] },
        { id: 'X.2', equipment: 'X', profile: 'pressure', unit: '', binding: { protocol: 'modbus', address: 'rtu-x' }, factors: [] }],
    }, builtinRegistry());
    assert.equal(index.modbus.get('rtu-north')!.length, 5);
    assert.deepEqual(index.problems.map((p) => p.source), ['site tag "X.1" (tags[13])', 'site tag "X.2" (tags[14])']);
    assert.match(index.problems[0].message, /unknown sensor profile "nope"/);
    assert.equal(index.modbus.get('rtu-north')![0].staleMs, 120_000);
    assert.equal(index.modbus.get('rtu-north')![1].staleMs, 10 * INGEST_DEFAULTS.missedPeriods * 1000);
  });
});

describe('lib/ingest modbus', () => {
  const index = demoIndex();

  it('decodes a modbus-read message into the tags it covers, in the tag units', () => {
    const msg = { topic: 'rtu-north', payload: northRegisters(), responseBuffer: {}, input: { topic: 'rtu-north', payload: { unitid: '1', fc: 3, address: '0', quantity: '20' } } };
    const { readings, problems } = mapModbus(index, msg, NOW);
    assert.deepEqual(problems, []);
    const got = byTag(readings);
    assert.deepEqual(got['WELL-01.PT-1'], { tag: 'WELL-01.PT-1', value: 21.5, quality: 'good', ts: NOW, source: 'modbus:rtu-north:1:0' });
    assert.ok(Math.abs((got['WELL-01.WT-1'].value as number) - 88.25) < 1e-9);
    assert.ok(Math.abs((got['WELL-01.ST-1'].value as number) - 7.5) < 1e-9);
    assert.equal(got['WELL-01.RUN'].value, true);
    assert.ok(Math.abs((got['WELL-04.PIP'].value as number) - 580.15) < 0.01, 'bar converted to psi');
  });

  it('reads the start address from a modbus-getter request and skips tags outside the read', () => {
    const registers = northRegisters().slice(2, 6);
    const { readings, problems } = mapModbus(index, { topic: 'rtu-north', payload: registers, modbusRequest: { unitid: 1, fc: 3, address: 2, quantity: 4 } }, NOW);
    assert.deepEqual(problems, []);
    assert.deepEqual(readings.map((r) => r.tag).sort(), ['WELL-01.RUN', 'WELL-01.ST-1', 'WELL-01.WT-1']);
  });

  it('names a tag whose registers run past the read', () => {
    const { problems } = mapModbus(index, { topic: 'rtu-north', payload: [0, 0], modbusRequest: { unitid: 1, address: 1 } }, NOW);
    assert.match(summariseProblems({ readings: [], problems }), /tag "WELL-01.WT-1" needs registers 2..3, the read stops at 2/);
  });

  it('turns a Modbus exception into bad readings for the unit it polled', () => {
    const { readings, problems } = mapModbus(index, { topic: 'rtu-north', payload: '', error: new Error('Modbus exception 2: Illegal data address'), input: { payload: { unitid: 1 } } }, NOW);
    assert.deepEqual(problems, []);
    assert.equal(readings.length, 5);
    assert.ok(readings.every((r) => r.quality === 'bad' && r.value === null));
  });

  it('keeps the good tags of a batch with garbage words and names the bad register', () => {
    const registers: unknown[] = northRegisters();
    registers[2] = 'abc';
    registers[12] = Number.NaN;
    const { readings, problems } = mapModbus(index, { topic: 'rtu-north', payload: registers, input: { payload: { unitid: 1, address: 0 } } }, NOW);
    assert.deepEqual(readings.map((r) => r.tag).sort(), ['WELL-01.PT-1', 'WELL-01.RUN', 'WELL-01.ST-1']);
    assert.equal(problems.length, 2);
    assert.match(problems[0].message, /register 2 is "abc", not a 16-bit unsigned integer \(tag "WELL-01.WT-1"\)/);
    assert.equal(problems[0].source, 'modbus rtu-north unit 1');
  });

  it('rejects unknown devices, non-arrays and oversized arrays', () => {
    assert.match(mapModbus(index, { topic: 'rtu-x', payload: [1], input: { payload: {} } }, NOW).problems[0].message, /unknown Modbus device "rtu-x"/);
    assert.match(mapModbus(index, { topic: 'rtu-north', payload: { x: 1 }, input: { payload: {} } }, NOW).problems[0].message, /array of registers/);
    const huge = mapModbus(index, { topic: 'rtu-north', payload: new Array(5000).fill(0), input: { payload: {} } }, NOW);
    assert.match(huge.problems[0].message, /5000 registers in one message is more than the 2000 accepted/);
    assert.deepEqual(huge.readings, []);
  });

  it('grades a value outside the physical range bad without dropping it', () => {
    const registers = northRegisters();
    registers.splice(0, 2, ...encodeRegisters(getChannel('pressure').modbus!, 9000));
    const got = byTag(mapModbus(index, { topic: 'rtu-north', payload: registers, input: { payload: { unitid: 1, address: 0 } } }, NOW).readings);
    assert.equal(got['WELL-01.PT-1'].quality, 'bad');
    assert.equal(got['WELL-01.PT-1'].value, 9000);
  });
});

describe('lib/ingest opcua', () => {
  const index = demoIndex();

  it('maps value, source timestamp and status code; strips the datatype suffix', () => {
    const ts = new Date(NOW - 500);
    const { readings } = mapOpcua(index, { topic: 'ns=1;s=SEP-1.PT-101;datatype=Double', payload: 12.5, statusCode: { value: 0 }, sourceTimestamp: ts }, NOW);
    assert.deepEqual(readings, [{ tag: 'SEP-1.PT-101', value: 12.5, quality: 'good', ts: NOW - 500, source: 'opcua:ns=1;s=SEP-1.PT-101' }]);
  });

  it('follows OPC UA status severity: uncertain keeps the value, bad drops it', () => {
    assert.equal(statusQuality(0x408f0000), 'uncertain');
    assert.equal(statusQuality(0x80050000), 'bad');
    assert.equal(mapOpcua(index, { topic: 'ns=1;s=SEP-1.LT-101', payload: 1.2, statusCode: 0x40920000 }, NOW).readings[0].quality, 'uncertain');
    const bad = mapOpcua(index, { topic: 'ns=1;s=SEP-1.LT-101', payload: 1.2, statusCode: { _value: 0x80310000 } }, NOW).readings[0];
    assert.deepEqual([bad.value, bad.quality, bad.ts], [null, 'bad', NOW]);
    assert.equal(mapOpcua(index, { topic: 'ns=1;s=SEP-1.LT-101', payload: 1.2, statusCode: 'BadCommunicationError' }, NOW).readings[0].quality, 'bad');
  });

  it('names wrong value types, unreadable status codes and unknown node ids', () => {
    assert.match(mapOpcua(index, { topic: 'ns=1;s=SEP-1.PT-101', payload: 'high', statusCode: 0 }, NOW).problems[0].message, /"high" is not a number/);
    assert.match(mapOpcua(index, { topic: 'ns=1;s=SEP-1.PT-101', payload: 1, statusCode: -3 }, NOW).problems[0].message, /unreadable status code -3/);
    assert.equal(mapOpcua(index, { topic: 'ns=9;s=X', payload: 1 }, NOW).problems[0].source, 'opcua ns=9;s=X');
  });
});

describe('lib/ingest mqtt json', () => {
  const index = demoIndex();
  const gps = 'oilrisk/field/gps/TRUCK-1';

  it('reads bound fields from a JSON string, a Buffer or an object, with the document ts', () => {
    for (const payload of ['{"ppm":4.5,"ts":1780000000123}', Buffer.from('{"ppm":4.5,"ts":"2026-05-28T20:26:40.123Z"}'), { ppm: 4.5, ts: 1780000000.123 }]) {
      const { readings, problems } = mapMqttJson(index, 'oilrisk/field/gas/GD-H2S-1', payload, NOW);
      assert.deepEqual(problems, []);
      assert.equal(readings[0].value, 4.5);
      assert.ok(Math.abs(readings[0].ts - 1780000000123) < 1, String(readings[0].ts));
    }
  });

  it('maps several fields, batches and per-field quality', () => {
    const payload = JSON.stringify([{ speed: 42, lat: 31.87 }, { speed: { value: 50, quality: 'uncertain', ts: NOW - 10 }, quality: 'good' }, { lat: null, quality: 'bad' }]);
    const { readings, problems } = mapMqttJson(index, gps, payload, NOW);
    assert.deepEqual(problems, []);
    assert.deepEqual(readings.map((r) => [r.tag, r.value, r.quality]), [
      ['TRUCK-1.SPEED', 42, 'good'], ['TRUCK-1.LAT', 31.87, 'good'], ['TRUCK-1.SPEED', 50, 'uncertain'], ['TRUCK-1.LAT', null, 'bad']]);
  });

  it('names what is wrong: not JSON, bad ts, wrong type, no bound field, unknown topic', () => {
    assert.match(mapMqttJson(index, gps, '{nope', NOW).problems[0].message, /not JSON/);
    assert.match(mapMqttJson(index, gps, { speed: 1, ts: 'yesterday' }, NOW).problems[0].message, /"ts" is "yesterday"/);
    const mixed = mapMqttJson(index, gps, { speed: 'fast', lat: 31.9 }, NOW);
    assert.deepEqual(mixed.readings.map((r) => r.tag), ['TRUCK-1.LAT']);
    assert.match(mixed.problems[0].message, /field "speed": speed: "fast" is not a number/);
    assert.match(mapMqttJson(index, gps, { other: 1 }, NOW).problems[0].message, /none of the bound fields \(speed, lat\)/);
    assert.match(mapMqttJson(index, 'x/y', { speed: 1 }, NOW).problems[0].message, /unknown MQTT topic "x\/y"/);
  });
});

describe('lib/ingest sparkplug', () => {
  const topic = (type: string) => `spBv1.0/oilfield/${type}/edge-1/wip-1`;

  it('decodes DDATA metrics by name and by the aliases the DBIRTH declared', () => {
    const mapper = new DeviceMapper(demoIndex());
    const birth = SPB.encodePayload({ timestamp: NOW, metrics: [
      { name: 'Pump/SuctionPressure', alias: 1, type: 'Double', value: 1.5 },
      { name: 'Motor/Current', alias: 2, type: 'Float', value: 120 }] });
    assert.deepEqual(mapper.map({ topic: topic('DBIRTH'), payload: Buffer.from(birth) }, NOW).readings.map((r) => r.value), [1.5, 120]);
    const data = SPB.encodePayload({ timestamp: NOW + 1000, metrics: [{ alias: 2, type: 'Float', value: 130 }, { alias: 1, type: 'Double', isNull: true, value: null }] });
    const { readings, problems } = mapper.map({ topic: topic('DDATA'), payload: Buffer.from(data) }, NOW);
    assert.deepEqual(problems, []);
    assert.deepEqual(readings.map((r) => [r.tag, r.value, r.quality, r.ts]), [['WIP-1.IT-601', 130, 'good', NOW + 1000], ['WIP-1.PT-601', null, 'bad', NOW + 1000]]);
  });

  it('marks every tag of the device bad on DDEATH and of the node on NDEATH', () => {
    const mapper = new DeviceMapper(demoIndex());
    assert.deepEqual(mapper.map({ topic: topic('DDEATH'), payload: Buffer.alloc(0) }, NOW).readings.map((r) => [r.tag, r.quality]), [['WIP-1.PT-601', 'bad'], ['WIP-1.IT-601', 'bad']]);
    assert.equal(mapper.map({ topic: 'spBv1.0/oilfield/NDEATH/edge-1', payload: Buffer.alloc(0) }, NOW).readings.length, 2);
  });

  it('names garbage bytes and undeclared aliases', () => {
    const mapper = new DeviceMapper(demoIndex());
    assert.match(mapper.map({ topic: topic('DDATA'), payload: Buffer.from([0xff, 0xff, 0xff]) }, NOW).problems[0].message, /not a Sparkplug B protobuf/);
    const data = SPB.encodePayload({ metrics: [{ alias: 7, type: 'Float', value: 1 }] });
    assert.match(mapper.map({ topic: topic('DDATA'), payload: Buffer.from(data) }, NOW).problems[0].message, /alias 7 that no BIRTH declared/);
  });
});

describe('lib/ingest routing and staleness', () => {
  it('routes each contrib node output shape to its protocol', () => {
    const mapper = new DeviceMapper(demoIndex());
    assert.equal(mapper.map({ topic: 'rtu-south', payload: [0x41a0, 0], input: { payload: { unitid: 2, address: 0 } } }, NOW).readings[0].value, 20);
    assert.equal(mapper.map({ topic: 'ns=1;s=SEP-1.PT-101', payload: 3, statusCode: 0 }, NOW).readings[0].tag, 'SEP-1.PT-101');
    assert.equal(mapper.map({ topic: 'oilrisk/field/gas/GD-H2S-1', payload: '{"ppm":1}' }, NOW).readings[0].value, 1);
    assert.match(mapper.map({ topic: 'who/knows', payload: 1 }, NOW).problems[0].message, /no site tag is bound/);
  });

  it('marks a silent tag stale once, and clears it on its next reading', () => {
    const index = demoIndex();
    const tracker = new StaleTracker(index.all, NOW);
    assert.deepEqual(tracker.sweep(NOW + 30_000), [], 'no tag is stale at its timeout, only after it');
    const early = tracker.sweep(NOW + 61_000).map((r) => r.tag);
    assert.deepEqual(early.sort(), TAGS.map((t) => t.id).filter((id) => id !== 'WELL-01.PT-1').sort());
    const lost = tracker.sweep(NOW + 121_000);
    assert.ok(lost.some((r) => r.tag === 'WELL-01.PT-1' && r.quality === 'bad' && r.value === null && r.source === 'stale:modbus:rtu-north:1:0'));
    assert.deepEqual(tracker.sweep(NOW + 122_000), []);
    assert.deepEqual(tracker.observe([{ tag: 'WELL-01.PT-1', value: 20, quality: 'good', ts: NOW }], NOW + 123_000), ['WELL-01.PT-1']);
    assert.ok(!tracker.staleTags().includes('WELL-01.PT-1'));
  });

  it('keeps the clock running through readings without a value, and across a site reload', () => {
    const index = demoIndex();
    const tracker = new StaleTracker(index.all, NOW);
    tracker.observe([{ tag: 'WELL-01.PT-1', value: null, quality: 'bad', ts: NOW }], NOW + 100_000);
    assert.ok(tracker.sweep(NOW + 121_000).some((r) => r.tag === 'WELL-01.PT-1'), 'a Modbus timeout every poll does not keep the tag fresh');
    const reloaded = new StaleTracker(demoIndex(TAGS.filter((t) => t.id !== 'WELL-07.PT-1')).all, NOW + 122_000, tracker);
    assert.ok(reloaded.staleTags().includes('WELL-01.PT-1'), 'still stale after the site reloads');
    assert.ok(!reloaded.staleTags().includes('WELL-07.PT-1'), 'a tag removed from the site is no longer watched');
    assert.deepEqual(reloaded.sweep(NOW + 123_000), []);
  });
});

describe('lib/ingest opcua readmultiple', () => {
  it('maps the "ALL" form: DataValues in msg.payload, the items read in msg.items', () => {
    const mapper = new DeviceMapper(demoIndex());
    const nodeId = { namespace: 1, identifierType: 'String', value: 'SEP-1.LT-101' };
    const { readings, problems } = mapper.map({
      topic: 'readmultiple',
      items: [{ nodeId: 'ns=1;s=SEP-1.PT-101' }, { nodeId }, { nodeId: 'ns=1;s=NOPE' }],
      payload: [
        { value: { dataType: 11, value: 14.2 }, statusCode: { value: 0 }, sourceTimestamp: new Date(NOW - 1000) },
        { value: { dataType: 11, value: 1.1 }, statusCode: { value: 0x40000000 } },
        { value: { dataType: 11, value: 3 }, statusCode: { value: 0 } },
      ],
    }, NOW);
    assert.deepEqual(readings.map((r) => [r.tag, r.value, r.quality, r.ts]), [['SEP-1.PT-101', 14.2, 'good', NOW - 1000], ['SEP-1.LT-101', 1.1, 'uncertain', NOW]]);
    assert.deepEqual(problems.map((p) => p.source), ['opcua ns=1;s=NOPE']);
  });
});

describe('ingest: device timestamps', () => {
  it('tells seconds, milliseconds, microseconds and nanoseconds apart by size', () => {
    const ms = 1_780_000_000_123;
    assert.equal(toMillis(ms), ms);
    assert.equal(toMillis(1_780_000_000), 1_780_000_000_000);
    assert.equal(toMillis(ms * 1e3 + 456), ms);
    assert.equal(toMillis(ms * 1e6), ms);
    assert.equal(toMillis(new Date(ms)), ms);
    assert.equal(toMillis(new Date(ms).toISOString()), ms);
    for (const bad of [0, -5, 1e21, Number.NaN, 'soon', '', null, {}]) assert.equal(toMillis(bad), undefined, String(bad));
  });
});
