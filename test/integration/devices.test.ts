// The field devices end to end: the simulator's Modbus TCP, OPC UA, MQTT and Sparkplug B
// devices read by the real contrib nodes of the shipped field flow in a real runtime.

import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSiteFile } from '../../lib/site/index.js';
import type { Site } from '../../lib/model/index.js';
import { modbusPortVariable, startBroker, startSimulator, type Broker, type Simulator } from '../../sim/index.js';
import { freePort, PACKAGE_ROOT, startRuntime, type RuntimeHandle } from '../support/runtime.js';
import { eventually } from '../support/poll.js';

const MOSQUITTO = ['/usr/sbin/mosquitto', '/usr/bin/mosquitto', '/usr/local/sbin/mosquitto'].find((p) => existsSync(p));

interface TagState {
  reading?: { value: unknown; quality: string; source?: string };
  stale: boolean;
}

async function startMosquitto(): Promise<{ url: string; stop(): Promise<void> }> {
  if (!MOSQUITTO) throw new Error('mosquitto is not installed: .ci/run installs it (apt-get install -y mosquitto)');
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'oilrisk-mosquitto-'));
  writeFileSync(join(dir, 'mosquitto.conf'), `listener ${port} 127.0.0.1\nallow_anonymous true\npersistence false\n`);
  const child: ChildProcess = spawn(MOSQUITTO, ['-c', join(dir, 'mosquitto.conf')], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => { out += d.toString(); });
  child.stderr!.on('data', (d: Buffer) => { out += d.toString(); });
  const exited = new Promise<void>((ok) => child.once('exit', () => ok()));
  await waitFor(async () => {
    if (child.exitCode !== null) throw new Error(`mosquitto exited: ${out}`);
    return /running|Opening ipv4 listen socket/.test(out) || undefined;
  }, 10_000, 'mosquitto to listen');
  return {
    url: `mqtt://127.0.0.1:${port}`,
    async stop() {
      child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Polls `probe` until it returns a value; the deadline is the requirement being tested. */
function waitFor<T>(probe: () => Promise<T | undefined>, deadlineMs: number, what: string): Promise<T> {
  return eventually(probe, (value): value is T => value !== undefined, what, { limitMs: deadlineMs, everyMs: 250 });
}

async function token(runtime: RuntimeHandle, username: string, password: string, scope: string): Promise<string> {
  const res = await fetch(`${runtime.url}/auth/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ client_id: 'node-red-admin', grant_type: 'password', scope, username, password }),
  });
  assert.equal(res.status, 200, `login of ${username}`);
  return ((await res.json()) as { access_token: string }).access_token;
}

async function tagStates(runtime: RuntimeHandle, bearer?: string): Promise<Record<string, TagState>> {
  const res = await fetch(`${runtime.url}/oilrisk/api/ingest/oilrisk.field.ingest/tags`, { headers: bearer ? { authorization: `Bearer ${bearer}` } : {} });
  if (res.status !== 200) throw new Error(`ingest API answered ${res.status}`);
  return ((await res.json()) as { tags: Record<string, TagState> }).tags;
}

function allGood(site: Site, states: Record<string, TagState>): string[] {
  return site.tags.filter((t) => t.binding).map((t) => t.id).filter((id) => states[id]?.reading?.quality !== 'good' || states[id].stale);
}

describe('field devices: the simulator through the real contrib nodes of the shipped flow', function () {
  this.timeout(90_000);
  let site: Site;

  before(async () => {
    const loaded = await loadSiteFile(join(PACKAGE_ROOT, 'sites', 'demo-field.yaml'));
    assert.ok(loaded.ok, 'sites/demo-field.yaml parses');
    site = loaded.site;
    assert.ok(existsSync(join(PACKAGE_ROOT, 'dist', 'bin', 'oilrisk.js')), 'npm run build first');
  });

  it('reads every bound tag over Modbus TCP, OPC UA, MQTT JSON and Sparkplug B through Mosquitto', async () => {
    const mosquitto = await startMosquitto();
    const pki = mkdtempSync(join(tmpdir(), 'oilrisk-pki-'));
    let sim: Simulator | undefined;
    let runtime: RuntimeHandle | undefined;
    try {
      sim = await startSimulator(site, { seed: 5, mqttUrl: mosquitto.url, pkiFolder: pki });
      const env: Record<string, string> = { OILRISK_SIM: 'off', MQTT_URL: mosquitto.url, OILRISK_OPCUA_URL: sim.opcuaUrl! };
      for (const [device, port] of Object.entries(sim.modbus)) env[modbusPortVariable(device)] = String(port);
      runtime = await startRuntime({ env });
      const states = await waitFor(async () => {
        const s = await tagStates(runtime!);
        return allGood(site, s).length === 0 ? s : undefined;
      }, 30_000, 'every bound tag to read good');
      const bound = site.tags.filter((t) => t.binding).map((t) => t.id);
      const protocols = new Set(bound.map((id) => states[id].reading?.source?.split(':')[0]));
      assert.deepEqual([...protocols].sort(), ['modbus', 'mqtt', 'opcua', 'sparkplug']);
      // The vehicles' restricted-zone trips are set from their fixes, beside the device tags.
      const unbound = Object.keys(states).filter((id) => !bound.includes(id)).sort();
      assert.deepEqual(unbound, ['VEH-1.ZONE', 'VEH-2.ZONE', 'VEH-3.ZONE']);
      for (const id of unbound) assert.match(String(states[id].reading?.source), /^gps:/, id);
      // The values are the model's, decoded with the profiles' layouts: compare one per protocol.
      for (const id of ['WELL-01.WT-1', 'SEP-1.PT-101', 'VEH-1.SPEED', 'WIP-1.IT-601']) {
        const read = states[id].reading!.value as number;
        const model = sim.field.value(id) as number;
        assert.ok(Math.abs(read - model) <= Math.max(0.05 * Math.abs(model), 0.5), `${id}: read ${read}, model ${model}`);
      }
      const answer = await fetch(`${runtime.url}/oilrisk/api/sim/scenario`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"name":"h2s-leak"}' });
      assert.equal(answer.status, 409, 'no simulator in the runtime with OILRISK_SIM=off');
    } finally {
      await runtime?.stop();
      await sim?.close();
      await mosquitto.stop();
      rmSync(pki, { recursive: true, force: true });
    }
  });

  it('npm start runs the simulator and the embedded broker, and lets operators switch scenario over HTTP', async () => {
    const runtime = await startRuntime({
      env: { OILRISK_SIM: 'on', OILRISK_ADMIN_PASSWORD: 'admin-secret-4', OILRISK_OPERATOR_PASSWORD: 'operator-secret-4', OILRISK_VIEWER_PASSWORD: 'viewer-secret-4' },
    });
    try {
      assert.match(runtime.output(), /embedded MQTT broker at mqtt:\/\/127\.0\.0\.1:\d+/);
      const viewer = await token(runtime, 'viewer', 'viewer-secret-4', 'read');
      const operator = await token(runtime, 'operator', 'operator-secret-4', 'read oilrisk.operate');
      await waitFor(async () => (allGood(site, await tagStates(runtime, viewer)).length === 0 ? true : undefined), 30_000, 'every bound tag to read good');
      const post = (body: string, bearer?: string) => fetch(`${runtime.url}/oilrisk/api/sim/scenario`, {
        method: 'POST', headers: { 'content-type': 'application/json', ...(bearer ? { authorization: `Bearer ${bearer}` } : {}) }, body,
      });
      assert.equal((await post('{"name":"h2s-leak"}')).status, 401, 'no login');
      // Node-RED answers a missing permission with 401, as for no login.
      assert.equal((await post('{"name":"h2s-leak"}', viewer)).status, 401, 'a viewer may not switch');
      const unchanged = (await (await fetch(`${runtime.url}/oilrisk/api/sim`, { headers: { authorization: `Bearer ${viewer}` } })).json()) as { scenario: string };
      assert.equal(unchanged.scenario, 'normal');
      const unknown = await post('{"name":"meteor"}', operator);
      assert.equal(unknown.status, 400);
      assert.match(((await unknown.json()) as { error: string }).error, /body\.name must be one of .*h2s-leak.*; got "meteor"/);
      const switched = await post('{"name":"compressor-trip-flood"}', operator);
      assert.equal(switched.status, 200);
      assert.equal(((await switched.json()) as { rootCause: { equipment: string } }).rootCause.equipment, 'COMP-1');
      const status = (await (await fetch(`${runtime.url}/oilrisk/api/sim`, { headers: { authorization: `Bearer ${viewer}` } })).json()) as { scenario: string; modbus: Record<string, number> };
      assert.equal(status.scenario, 'compressor-trip-flood');
      assert.deepEqual(Object.keys(status.modbus).sort(), ['rtu-north', 'rtu-south', 'tank-battery']);
    } finally {
      await runtime.stop();
    }
  });
});

describe('field devices: the demo runtime detects a simulated incident', function () {
  this.timeout(90_000);

  it('raises the H2S detector near the leak to warning level II or I (h2s-leak at 10x speed)', async () => {
    const runtime = await startRuntime({ env: { OILRISK_SIM: 'on', OILRISK_SIM_SCENARIO: 'h2s-leak', OILRISK_SIM_SPEED: '10', OILRISK_SIM_SEED: '1' } });
    try {
      // The leak starts 60 simulated seconds in and crosses HH by 360 s: 36 s of wall clock at 10x.
      const detector = await waitFor(async () => {
        const risk = (await (await fetch(`${runtime.url}/oilrisk/api/risk`)).json()) as { equipment: Array<{ equipment: string; level: string; rootCause?: { equipment: string; tag?: string } }> };
        const state = risk.equipment.find((e) => e.equipment === 'GD-H2S-1');
        return state && (state.level === 'II' || state.level === 'I') ? state : undefined;
      }, 60_000, 'GD-H2S-1 to reach level II or I');
      assert.equal(detector.rootCause?.tag, 'GD-H2S-1.AT-901');
      const states = await tagStates(runtime);
      assert.ok((states['GD-H2S-1.AT-901'].reading!.value as number) >= 10, 'the detector reads above its H limit (10 ppm)');
    } finally {
      await runtime.stop();
    }
  });
});

describe('field devices: a device server killed mid-run', function () {
  // The slowest stale timeout of the CPF PLC's tags is 120 s (temperatures).
  this.timeout(240_000);

  /** Kills `device` of a simulator the runtime reads through the shipped flow, then brings it back. */
  async function killAndReturn(device: string, isServed: (tag: Site['tags'][number]) => boolean, other: string): Promise<void> {
    const broker: Broker = await startBroker();
    const pki = mkdtempSync(join(tmpdir(), 'oilrisk-pki-'));
    const site = (await loadSiteFile(join(PACKAGE_ROOT, 'sites', 'demo-field.yaml'))) as { ok: true; site: Site };
    let sim: Simulator | undefined;
    let runtime: RuntimeHandle | undefined;
    try {
      sim = await startSimulator(site.site, { seed: 9, mqttUrl: broker.url, pkiFolder: pki });
      const env: Record<string, string> = { OILRISK_SIM: 'off', MQTT_URL: broker.url, OILRISK_OPCUA_URL: sim.opcuaUrl! };
      for (const [name, port] of Object.entries(sim.modbus)) env[modbusPortVariable(name)] = String(port);
      runtime = await startRuntime({ env });
      const served = site.site.tags.filter(isServed);
      const ids = served.map((t) => t.id);
      assert.ok(ids.length > 0 && !ids.includes(other));
      const staleTimeout = Math.max(...served.flatMap((t) => t.factors.map((f) => f.staleTimeout ?? 0)));
      await waitFor(async () => {
        const s = await tagStates(runtime!);
        return ids.every((id) => s[id]?.reading?.quality === 'good') ? true : undefined;
      }, 30_000, `the tags of ${device} to read good`);

      await sim.stopDevice(device);
      const states = await waitFor(async () => {
        const s = await tagStates(runtime!);
        return ids.every((id) => s[id]?.stale || s[id]?.reading?.quality === 'bad') ? s : undefined;
      }, staleTimeout * 1000 + 5000, `the tags of ${device} to go stale within ${staleTimeout} s`);
      assert.equal(states[other].reading?.quality, 'good', 'the other devices read on');

      await sim.restartDevice(device);
      await waitFor(async () => {
        const s = await tagStates(runtime!);
        return ids.every((id) => !s[id]?.stale && s[id]?.reading?.quality === 'good') ? true : undefined;
      }, 10_000, `the tags of ${device} to read good again`);
    } finally {
      await runtime?.stop();
      await sim?.close();
      await broker.close();
      rmSync(pki, { recursive: true, force: true });
    }
  }

  it('goes stale within its timeout and recovers within 10 s of its return (Modbus RTU)', async () => {
    await killAndReturn('tank-battery', (t) => t.binding?.address.startsWith('tank-battery:') ?? false, 'SEP-1.PT-101');
  });

  it('goes stale within its timeout and recovers within 10 s of its return (OPC UA PLC)', async () => {
    await killAndReturn('opcua', (t) => t.binding?.protocol === 'opcua', 'TK-1.LT-401');
  });
});
