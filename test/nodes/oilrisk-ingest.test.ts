import assert from 'node:assert/strict';
import fc from 'fast-check';
import helper from 'node-red-node-test-helper';
import sinon from 'sinon';
import { get as sparkplugNamespace } from 'sparkplug-payload';
import ingestNode, { profileRegistry } from '../../nodes/oilrisk-ingest.js';
import siteNode from '../../nodes/oilrisk-site.js';
import { Calls } from '../support/calls.js';
import { encodeRegisters, getChannel } from '../../lib/profiles/index.js';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const catchNode = require('@node-red/nodes/core/common/25-catch.js');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const completeNode = require('@node-red/nodes/core/common/24-complete.js');

helper.init(require.resolve('node-red'));

const SPB = sparkplugNamespace('spBv1.0')!;
const consequence = '{ category: asset, severity: 3 }';
const SITE = `
site: { id: t }
equipment:
  - { id: WELL-01, type: well-rod-pump, area: north }
  - { id: SEP-1, type: separator-3phase, area: cpf }
  - { id: GD-H2S-1, type: h2s-detector, area: cpf }
  - { id: WIP-1, type: pump, area: cpf }
tags:
  - { id: WELL-01.PT-1, equipment: WELL-01, profile: pressure, unit: bar, binding: { protocol: modbus, address: "rtu-north:1:0" }, factors: [{ id: p, staleTimeout: 120, consequence: ${consequence} }] }
  - { id: WELL-01.WT-1, equipment: WELL-01, profile: rod-pump-controller.load, unit: kN, binding: { protocol: modbus, address: "rtu-north:1:2" }, factors: [{ id: l, staleTimeout: 120, consequence: ${consequence} }] }
  - { id: SEP-1.PT-101, equipment: SEP-1, profile: pressure, unit: bar, binding: { protocol: opcua, address: "ns=1;s=SEP-1.PT-101" }, factors: [{ id: p, staleTimeout: 120, consequence: ${consequence} }] }
  - { id: GD-H2S-1.AT-901, equipment: GD-H2S-1, profile: h2s-ppm, unit: ppm, binding: { protocol: mqtt, address: oilrisk/field/gas/GD-H2S-1, field: ppm }, factors: [{ id: h, staleTimeout: 120, consequence: ${consequence} }] }
  - { id: WIP-1.IT-601, equipment: WIP-1, profile: esp-drive.current, unit: A, binding: { protocol: sparkplug, address: spBv1.0/oilfield/DDATA/edge-1/wip-1, field: Motor/Current }, factors: [{ id: c, staleTimeout: 120, consequence: ${consequence} }] }
`;

const FLOW = [
  { id: 'site', type: 'oilrisk-site', path: '', inline: SITE },
  { id: 'ingest', type: 'oilrisk-ingest', site: 'site', wires: [['out']] },
  { id: 'out', type: 'helper' },
  { id: 'caught', type: 'catch', scope: ['ingest'], uncaught: false, wires: [['errors']] },
  { id: 'finished', type: 'complete', scope: ['ingest'], uncaught: false, wires: [['completed']] },
  { id: 'errors', type: 'helper' },
  { id: 'completed', type: 'helper' },
];

function registers(pressure: number, load: number): number[] {
  return [...encodeRegisters(getChannel('pressure').modbus!, pressure), ...encodeRegisters(getChannel('rod-pump-controller.load').modbus!, load)];
}

/** Lets the runtime deliver queued messages (it hands them on with setImmediate, which stays real). */
async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((ok) => setImmediate(ok));
}

const modbusRead = (payload: unknown) => ({ topic: 'rtu-north', payload, responseBuffer: {}, input: { topic: 'rtu-north', payload: { unitid: '1', fc: 3, address: '0', quantity: '4' } } });

describe('oilrisk-ingest node', function () {
  let clock: sinon.SinonFakeTimers | undefined;

  beforeEach(function (done) {
    helper.startServer(done);
  });

  afterEach(async function () {
    await helper.unload();
    clock?.restore();
    clock = undefined;
    await new Promise<void>((ok) => helper.stopServer(() => ok()));
  });

  const load = () => helper.load([siteNode, ingestNode, catchNode, completeNode], FLOW);

  it('maps a modbus-read message to a readings batch and completes', function (done) {
    load().then(() => {
      const out = helper.getNode('out');
      const completed = helper.getNode('completed');
      let readings: any[] | undefined;
      out.on('input', (msg: any) => { readings = msg.payload; });
      completed.on('input', () => {
        try {
          assert.deepEqual(readings!.map((r) => [r.tag, r.quality, r.source]), [['WELL-01.PT-1', 'good', 'modbus:rtu-north:1:0'], ['WELL-01.WT-1', 'good', 'modbus:rtu-north:1:2']]);
          assert.equal(readings![0].value, 21.5);
          done();
        } catch (err) {
          done(err);
        }
      });
      helper.getNode('ingest').receive(modbusRead(registers(21.5, 80)));
    }).catch(done);
  });

  it('sends the good part of a bad batch and reports the rest through done(err), naming the source', function (done) {
    load().then(() => {
      const seen: any[] = [];
      helper.getNode('out').on('input', (msg: any) => seen.push(msg));
      helper.getNode('errors').on('input', (msg: any) => {
        try {
          assert.match(msg.error.message, /^Error: oilrisk-ingest\.errors\.input: modbus rtu-north unit 1: register 2 is "abc", not a 16-bit unsigned integer \(tag "WELL-01.WT-1"\)/);
          assert.equal(msg.error.source.id, 'ingest');
          assert.deepEqual(seen[0].payload.map((r: any) => r.tag), ['WELL-01.PT-1']);
          done();
        } catch (err) {
          done(err);
        }
      });
      const words: unknown[] = registers(21.5, 80);
      words[2] = 'abc';
      helper.getNode('ingest').receive(modbusRead(words));
    }).catch(done);
  });

  it('maps OPC UA status codes and Sparkplug B buffers', function (done) {
    load().then(() => {
      const seen: any[] = [];
      helper.getNode('out').on('input', (msg: any) => {
        seen.push(...msg.payload);
        if (seen.length < 2) return;
        try {
          assert.deepEqual(seen.map((r) => [r.tag, r.value, r.quality]), [['SEP-1.PT-101', null, 'bad'], ['WIP-1.IT-601', 95, 'good']]);
          done();
        } catch (err) {
          done(err);
        }
      });
      const ingest = helper.getNode('ingest');
      ingest.receive({ topic: 'ns=1;s=SEP-1.PT-101', payload: 12, statusCode: { value: 0x80310000 }, sourceTimestamp: new Date() });
      ingest.receive({ topic: 'spBv1.0/oilfield/DDATA/edge-1/wip-1', payload: Buffer.from(SPB.encodePayload({ metrics: [{ name: 'Motor/Current', type: 'Float', value: 95 }] })) });
    }).catch(done);
  });

  it('marks a silent tag stale after its timeout and clears it when the device answers again', async function () {
    clock = sinon.useFakeTimers({ now: 1_780_000_000_000, toFake: ['setInterval', 'clearInterval', 'Date'] });
    await load();
    const ingest = helper.getNode('ingest');
    const batches: any[][] = [];
    const statuses: string[] = [];
    helper.getNode('out').on('input', (msg: any) => batches.push(msg.payload));
    (ingest as any).on('call:status', (call: any) => statuses.push(call.args[0].text));
    ingest.receive({ topic: 'oilrisk/field/gas/GD-H2S-1', payload: '{"ppm": 2}' });
    await clock.tickAsync(100_000);
    ingest.receive({ topic: 'oilrisk/field/gas/GD-H2S-1', payload: '{"ppm": 3}' });
    await clock.tickAsync(21_000);
    const lost = batches.flat().filter((r) => r.source.startsWith('stale:'));
    assert.deepEqual(lost.map((r) => r.tag).sort(), ['SEP-1.PT-101', 'WELL-01.PT-1', 'WELL-01.WT-1', 'WIP-1.IT-601']);
    assert.ok(lost.every((r) => r.quality === 'bad' && r.value === null));
    assert.equal(statuses.at(-1), 'oilrisk-ingest.status.stale');
    await clock.tickAsync(100_000);
    assert.equal(batches.flat().filter((r) => r.source.startsWith('stale:')).length, 5, 'H2S goes stale 120 s after its last update, once');

    ingest.receive(modbusRead(registers(20, 70)));
    ingest.receive({ topic: 'ns=1;s=SEP-1.PT-101', payload: 12, statusCode: 0 });
    ingest.receive({ topic: 'oilrisk/field/gas/GD-H2S-1', payload: { ppm: 1 } });
    await settle();
    assert.equal(statuses.at(-1), 'oilrisk-ingest.status.stale', 'the Sparkplug device is still silent');
    ingest.receive({ topic: 'spBv1.0/oilfield/DDATA/edge-1/wip-1', payload: Buffer.from(SPB.encodePayload({ metrics: [{ name: 'Motor/Current', type: 'Float', value: 90 }] })) });
    await settle();
    assert.equal(statuses.at(-1), 'oilrisk-ingest.status.ready');
  });

  it('serves the last reading and stale state per tag over the admin API', async function () {
    await load();
    helper.getNode('ingest').receive(modbusRead(registers(22, 75)));
    const res = await helper.request().get('/oilrisk/api/ingest/ingest/tags').expect(200);
    assert.equal(res.body.tags['WELL-01.PT-1'].reading.value, 22);
    assert.equal(res.body.tags['WELL-01.PT-1'].stale, false);
    assert.equal(res.body.tags['SEP-1.PT-101'].reading, undefined);
    await helper.request().get('/oilrisk/api/ingest/nope/tags').expect(404);
    const profiles = await helper.request().get('/oilrisk/api/ingest/profiles').expect(200);
    assert.ok(profiles.body.profiles.some((p: any) => p.name === 'rod-pump-controller' && p.channels.some((c: any) => c.name === 'spm')));
  });

  it('sends vehicle GPS fixes, placed against the site\'s geofences, on its second output, and sets the restricted-zone trip', async function () {
    const vehicleSite = `
site: { id: t }
equipment:
  - { id: VEH-1, type: vehicle, area: field }
  - { id: GD-1, type: h2s-detector, area: cpf }
tags:
  - { id: VEH-1.SPEED, equipment: VEH-1, profile: gps-tracker.speed, unit: km/h, binding: { protocol: mqtt, address: fleet/VEH-1, field: speed }, factors: [{ id: s, limits: { H: 40 }, consequence: ${consequence} }] }
  - { id: VEH-1.LAT, equipment: VEH-1, profile: gps-tracker.latitude, unit: deg, binding: { protocol: mqtt, address: fleet/VEH-1, field: lat } }
  - { id: VEH-1.LON, equipment: VEH-1, profile: gps-tracker.longitude, unit: deg, binding: { protocol: mqtt, address: fleet/VEH-1, field: lon } }
  - { id: VEH-1.ZONE, equipment: VEH-1, profile: gps-tracker.restricted-zone, factors: [{ id: z, tripWhen: true, consequence: ${consequence} }] }
  - { id: GD-1.AT, equipment: GD-1, profile: h2s-ppm, unit: ppm, binding: { protocol: mqtt, address: gas/GD-1, field: ppm }, factors: [{ id: h, limits: { H: 10 }, consequence: ${consequence} }] }
geofences:
  - { id: YARD, kind: speed-zone, location: { lat: 31.85, lon: -102.3 }, radiusM: 400, speedLimitKmh: 15 }
`;
    await helper.load([siteNode, ingestNode, completeNode], [
      { id: 'site', type: 'oilrisk-site', path: '', inline: vehicleSite },
      { id: 'ingest', type: 'oilrisk-ingest', site: 'site', wires: [['out'], ['gps']] },
      { id: 'finished', type: 'complete', scope: ['ingest'], uncaught: false, wires: [['completed']] },
      { id: 'out', type: 'helper' },
      { id: 'gps', type: 'helper' },
      { id: 'completed', type: 'helper' },
    ] as any[]);
    const readings = new Calls<[any]>(), fixes = new Calls<[any]>(), completed = new Calls<[any]>();
    helper.getNode('out').on('input', readings.fn);
    helper.getNode('gps').on('input', fixes.fn);
    helper.getNode('completed').on('input', completed.fn);
    const ingest = helper.getNode('ingest');
    const ts = Date.UTC(2026, 0, 1);

    ingest.receive({ topic: 'fleet/VEH-1', payload: { lat: 31.851, lon: -102.3, speed: 22, ts } });
    await completed.next();
    const [batch] = await readings.next();
    assert.deepEqual(batch.payload.map((r: any) => r.tag).sort(), ['VEH-1.LAT', 'VEH-1.LON', 'VEH-1.SPEED', 'VEH-1.ZONE']);
    // The restricted-zone trip rides in the readings batch, set from the fix.
    assert.deepEqual(batch.payload.find((r: any) => r.tag === 'VEH-1.ZONE'), { tag: 'VEH-1.ZONE', value: false, quality: 'good', ts, source: 'gps:YARD' });
    const [gps] = await fixes.next();
    assert.equal(gps.topic, 'gps');
    assert.deepEqual(gps.payload, [{ vehicle: 'VEH-1', lat: 31.851, lon: -102.3, speedKmh: 22, ts, geofence: 'YARD', violation: 'speeding' }]);

    // A message with no vehicle position sends nothing on the second output.
    ingest.receive({ topic: 'gas/GD-1', payload: { ppm: 2, ts } });
    await completed.next();
    await readings.next();
    await settle();
    assert.equal(fixes.pending, 0);
    // The commissioning view lists the trip beside the device tags.
    const states = await helper.request().get('/oilrisk/api/ingest/ingest/tags').expect(200);
    assert.deepEqual(states.body.tags['VEH-1.ZONE'], { reading: { tag: 'VEH-1.ZONE', value: false, quality: 'good', ts, source: 'gps:YARD' }, stale: false });
    assert.equal(states.body.tags['GD-1.AT'].reading.value, 2);
  });

  it('reports a missing site through done(err)', function (done) {
    helper.load([ingestNode, catchNode], [
      { id: 'ingest', type: 'oilrisk-ingest', site: 'none', wires: [[]] },
      { id: 'caught', type: 'catch', scope: ['ingest'], wires: [['errors']] },
      { id: 'errors', type: 'helper' },
    ] as any[]).then(() => {
      helper.getNode('errors').on('input', (msg: any) => {
        try {
          assert.equal(msg.error.message, 'Error: oilrisk-ingest.errors.no-site');
          done();
        } catch (err) {
          done(err);
        }
      });
      helper.getNode('ingest').receive({ topic: 'rtu-north', payload: [1] });
    }).catch(done);
  });

  it('survives 1,000 generated messages per source, each ending in exactly one done, and still reads afterwards', async function () {
    this.timeout(60_000);
    await load();
    const ingest = helper.getNode('ingest');
    let finished = 0;
    helper.getNode('errors').on('input', () => { finished += 1; });
    helper.getNode('completed').on('input', () => { finished += 1; });
    const junk = fc.oneof(fc.anything(), fc.string(), fc.uint8Array().map((b) => Buffer.from(b)), fc.constant(Number.NaN), fc.array(fc.integer(), { maxLength: 3000 }));
    const sources: fc.Arbitrary<Record<string, unknown>>[] = [
      fc.record({ topic: fc.constantFrom('rtu-north', 'rtu-x'), payload: junk, input: fc.record({ payload: fc.anything() }) }),
      fc.record({ topic: fc.constantFrom('ns=1;s=SEP-1.PT-101', 'ns=2;i=5'), payload: junk, statusCode: fc.anything(), sourceTimestamp: fc.anything() }),
      fc.record({ topic: fc.constantFrom('oilrisk/field/gas/GD-H2S-1', 'nobody/here'), payload: junk }),
      fc.record({ topic: fc.constantFrom('spBv1.0/oilfield/DDATA/edge-1/wip-1', 'spBv1.0/oilfield/DBIRTH/edge-1/wip-1', 'spBv1.0/x'), payload: junk }),
    ];
    let sent = 0;
    for (const source of sources) {
      for (const msg of fc.sample(source, { numRuns: 1000 })) {
        ingest.receive({ ...msg });
        sent += 1;
      }
    }
    const deadline = Date.now() + 30_000;
    while (finished < sent && Date.now() < deadline) await new Promise((ok) => setImmediate(ok));
    assert.equal(finished, sent, 'every message ends in exactly one done() or done(err)');
    const after = new Promise<any>((ok) => helper.getNode('out').once('input', ok));
    ingest.receive(modbusRead(registers(19, 60)));
    assert.equal((await after).payload[0].value, 19);
  });
});

describe('oilrisk-ingest profile registry', () => {
  it('adds plugin profiles to the built-ins and reports invalid ones by plugin', () => {
    const warnings: string[] = [];
    const plugins = {
      getByType: () => [
        { module: 'acme-sensors', profiles: [{ name: 'acme-flow', channels: [{ name: 'flow', unit: 'm3/h', modbus: { type: 'uint32', scale: 0.001 } }] }, { name: 'Bad Name', channels: [] }] },
        { module: 'empty-plugin' },
      ],
    };
    const registry = profileRegistry(plugins, (m) => warnings.push(m));
    assert.ok(registry.has('acme-flow') && registry.has('pressure'));
    assert.equal(warnings.length, 2);
    assert.match(warnings[0], /profile "Bad Name" from acme-sensors is invalid/);
    assert.match(warnings[1], /plugin empty-plugin has no "profiles" array/);
  });
});
