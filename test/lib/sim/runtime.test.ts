import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import sinon from 'sinon';
import { parseSite } from '../../../lib/site/index.js';
import {
  createField, fieldFlow, modbusPortVariable, simulatorStatus, startFieldServices, switchScenario, type Simulator,
} from '../../../sim/index.js';

const ROOT = join(__dirname, '..', '..', '..');
const parsed = parseSite(readFileSync(join(__dirname, 'small-field.yaml'), 'utf8'));
if (!parsed.ok) throw new Error('small-field.yaml does not parse');
const small = parsed.site;

function fakeSimulator(): Simulator {
  const field = createField(small);
  const noop = async () => undefined;
  return { field, modbus: { 'rtu-north': 1502 }, setScenario: (name) => field.setScenario(name), stopDevice: noop, restartDevice: noop, close: noop };
}

describe('sim: runtime glue', () => {
  it('names the Modbus port variable after the device', () => {
    assert.equal(modbusPortVariable('rtu-north'), 'OILRISK_MODBUS_RTU_NORTH_PORT');
    assert.equal(modbusPortVariable('tank-battery'), 'OILRISK_MODBUS_TANK_BATTERY_PORT');
  });

  it('switches scenario, or says why not', () => {
    const sim = fakeSimulator();
    const ok = switchScenario(sim, { name: 'tank-overfill' });
    assert.equal(ok.status, 200);
    assert.equal(sim.field.scenario.name, 'tank-overfill');
    assert.deepEqual((ok.body as { rootCause: unknown }).rootCause, { equipment: 'LACT-1', tag: 'LACT-1.RUN' });
    for (const body of [{ name: 'meteor' }, {}, null, 'h2s-leak', { name: 42 }]) {
      const bad = switchScenario(sim, body);
      assert.equal(bad.status, 400, JSON.stringify(body));
      assert.match((bad.body as { error: string }).error, /^body\.name must be one of normal, separator-overpressure, .*; got /);
    }
    assert.equal(sim.field.scenario.name, 'tank-overfill', 'a bad request changes nothing');
    assert.equal(switchScenario(undefined, { name: 'normal' }).status, 409);
  });

  it('reports what the simulator runs', () => {
    const sim = fakeSimulator();
    const body = simulatorStatus(sim).body as { running: boolean; scenario: string; scenarios: string[] };
    assert.equal(body.running, true);
    assert.equal(body.scenario, 'normal');
    assert.equal(body.scenarios.length, 10);
    assert.equal((simulatorStatus(undefined).body as { running: boolean }).running, false);
  });

  it('starts nothing when the environment points at real equipment', async () => {
    const services = await startFieldServices({ OILRISK_SIM: 'off', MQTT_URL: 'mqtt://broker.field.example:1884', OILRISK_MODBUS_RTU_NORTH_PORT: '5020' }, small, '/nonexistent');
    try {
      assert.equal(services.simulator, undefined);
      assert.equal(services.broker, undefined);
      assert.deepEqual(services.env, {
        MQTT_URL: 'mqtt://broker.field.example:1884', OILRISK_MQTT_HOST: 'broker.field.example', OILRISK_MQTT_PORT: '1884',
        OILRISK_MODBUS_HOST: '127.0.0.1', OILRISK_MODBUS_RTU_NORTH_PORT: '5020', OILRISK_MODBUS_RTU_SOUTH_PORT: '502',
        OILRISK_MODBUS_TANK_BATTERY_PORT: '502', OILRISK_OPCUA_URL: 'opc.tcp://127.0.0.1:4840',
      });
    } finally {
      await services.close();
    }
  });

  it('rejects a bad scenario or speed in the environment', async () => {
    await assert.rejects(startFieldServices({ MQTT_URL: 'mqtt://127.0.0.1:1', OILRISK_SIM_SCENARIO: 'meteor' }, small, '/nonexistent'), /OILRISK_SIM_SCENARIO "meteor"/);
    await assert.rejects(startFieldServices({ MQTT_URL: 'mqtt://127.0.0.1:1', OILRISK_SIM_SPEED: 'fast' }, small, '/nonexistent'), /OILRISK_SIM_SPEED must be a number > 0/);
  });

  it('ships flows/10-field.json exactly as generated from sites/demo-field.yaml', () => {
    const demo = parseSite(readFileSync(join(ROOT, 'sites', 'demo-field.yaml'), 'utf8'));
    assert.ok(demo.ok, 'sites/demo-field.yaml parses');
    const shipped = JSON.parse(readFileSync(join(ROOT, 'flows', '10-field.json'), 'utf8')) as unknown;
    assert.deepEqual(shipped, fieldFlow(demo.site), 'regenerate with: npm run sim -- --write-flow flows/10-field.json');
  });

  it('generates a flow that reads every bound tag of a site', () => {
    const flow = fieldFlow(small);
    const reads = flow.filter((n) => n.type === 'modbus-read').map((n) => `${String(n.topic)}:${String(n.unitid)}:${String(n.adr)}+${String(n.quantity)}`);
    // rtu-north unit 1: RUN (bit, 1 register) .. PT at 4 (float32, 2 registers) = 0..5.
    assert.deepEqual(reads.sort(), ['rtu-north:1:0+6', 'rtu-north:2:0+4', 'rtu-south:1:0+2', 'tank-battery:1:0+5']);
    const items = flow.find((n) => n.id === 'oilrisk.field.opcua.items')!;
    for (const tag of small.tags.filter((t) => t.binding?.protocol === 'opcua')) assert.ok(String(items.func).includes(tag.binding!.address));
    const subscriptions = flow.filter((n) => n.type === 'mqtt in').map((n) => `${String(n.topic)} ${String(n.datatype)}`);
    assert.deepEqual(subscriptions.sort(), ['field/gas/+ json', 'field/gps/+ json', 'oilrisk/field/security json', 'spBv1.0/field/DDATA/edge-1/+ buffer']);
    const ingest = flow.find((n) => n.type === 'oilrisk-ingest')!;
    assert.equal(ingest.site, 'oilrisk.demo.site');
    const out = flow.find((n) => n.id === 'oilrisk.field.link.readings')!;
    assert.deepEqual(out.links, ['oilrisk.link.in.risk', 'oilrisk.link.in.historian']);
    assert.deepEqual(ingest.wires, [['oilrisk.field.link.readings'], ['oilrisk.field.link.gps']]);
    assert.deepEqual(flow.find((n) => n.id === 'oilrisk.field.link.gps')!.links, ['oilrisk.link.in.historian']);
  });

  it('reads the OPC UA PLC each tick, and asks the client to reconnect when the PLC stops answering', () => {
    const flow = fieldFlow(small);
    const items = flow.find((n) => n.id === 'oilrisk.field.opcua.items')!;
    const client = flow.find((n) => n.id === 'oilrisk.field.opcua.client')!;
    assert.ok((client.wires as string[][])[0].includes(items.id), 'the client\'s answers come back to the poll');
    assert.deepEqual((client.wires as string[][])[1], [items.id], 'and so do its status changes');
    const ids = small.tags.filter((t) => t.binding?.protocol === 'opcua').map((t) => t.binding!.address);
    // The function node's code, run the way Node-RED runs it, on a fake clock.
    const clock = sinon.useFakeTimers({ now: 1_780_000_000_000, toFake: ['Date'] });
    try {
      const store = new Map<string, unknown>();
      const context = { get: (k: string) => store.get(k), set: (k: string, v: unknown) => { store.set(k, v); } };
      const statuses: unknown[] = [];
      const node = { status: (s: unknown) => statuses.push(s) };
      const run = new Function('msg', 'context', 'node', String(items.func)) as (msg: object, c: typeof context, n: typeof node) => unknown;
      const tick = () => run({ payload: '' }, context, node);
      const answer = () => run({ topic: ids[0], payload: 1, statusCode: { value: 0 } }, context, node);
      const reads = [ids.map((topic) => ({ topic }))];

      const status = (text: string) => assert.equal(run({ error: null, endpoint: 'opc.tcp://plc', status: text }, context, node), null);

      assert.deepEqual(tick(), reads, 'the first tick reads every node id');
      assert.equal(answer(), null, 'answers go no further');
      clock.tick(5_000);
      assert.deepEqual(tick(), reads, '5 s after an answer: still reading');
      clock.tick(2_000);
      assert.deepEqual(tick(), { action: 'reconnect' }, '7 s without an answer: reconnect');
      assert.match(String((statuses.at(-1) as { text: string }).text), /no answer for 7 s: reconnecting/);
      clock.tick(2_000);
      assert.deepEqual(tick(), { topic: ids[0] }, 'then one probe read per tick');
      clock.tick(4_000);
      assert.deepEqual(tick(), { topic: ids[0] }, 'no new request before the client has made its new client, 6 s on');
      status('reconnect');
      status('create client');
      assert.deepEqual(tick(), { action: 'reconnect' }, 'the new client has not answered 6 s after the request: ask again');
      status('reconnect');
      status('create client');
      clock.tick(4_000);
      assert.deepEqual(tick(), { topic: ids[0] }, 'not sooner than 6 s after the last request');
      clock.tick(2_000);
      assert.deepEqual(tick(), { action: 'reconnect' });
      clock.tick(24_000);
      assert.deepEqual(tick(), { topic: ids[0] }, 'a request the client never reported on...');
      clock.tick(6_000);
      assert.deepEqual(tick(), { action: 'reconnect' }, '...is made again after 30 s');
      answer();
      clock.tick(2_000);
      assert.deepEqual(tick(), reads, 'an answer resumes the full reads');
      assert.deepEqual(statuses.at(-1), {});
    } finally {
      clock.restore();
    }
  });
});
