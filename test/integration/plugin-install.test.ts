// Installs the example sensor plugin package the way an admin would (npm install into the
// runtime's user dir, restart) and shows a site using its profile decode a device reading,
// with no change to the core. Needs `npm run build` first, like the other runtime tests.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { PACKAGE_ROOT, startRuntime, type RuntimeHandle } from '../support/runtime.js';

const PLUGIN_DIR = join(PACKAGE_ROOT, 'plugins', 'oilrisk-sensor-corrosion');
const PLUGIN_NAME = 'node-red-contrib-oilrisk-sensor-corrosion';

const SITE = `
site: { id: corrosion-demo }
equipment:
  - { id: PL-1, type: pipeline, area: export }
tags:
  - { id: PL-1.CR-1, equipment: PL-1, profile: corrosion-probe.corrosion-rate, unit: mm/y, binding: { protocol: modbus, address: "probe-rtu:7:0" }, factors: [{ id: corrosion-rate, limits: { H: 0.127, HH: 0.254 }, consequence: { category: environment, severity: 3 } }] }
  - { id: PL-1.ML-1, equipment: PL-1, profile: corrosion-probe.metal-loss, unit: mm, binding: { protocol: modbus, address: "probe-rtu:7:1" }, factors: [] }
  - { id: PL-1.PF-1, equipment: PL-1, profile: corrosion-probe.probe-fault, unit: "", binding: { protocol: modbus, address: "probe-rtu:7:4" }, factors: [] }
`;

// The transmitter's registers: 7.50 mpy, 123456 nm metal loss (low word first), 42.0 % life, fault bit.
const FLOW = [
  { id: 'corrosion.tab', type: 'tab', label: 'corrosion probe' },
  { id: 'corrosion.site', type: 'oilrisk-site', name: 'corrosion demo', path: '', inline: SITE },
  {
    id: 'corrosion.poll', type: 'inject', z: 'corrosion.tab', name: 'modbus-getter output',
    props: [
      { p: 'payload', v: '[750, 57920, 1, 420, 1]', vt: 'json' },
      { p: 'topic', v: 'probe-rtu', vt: 'str' },
      { p: 'modbusRequest', v: '{"unitid": 7, "fc": 3, "address": 0, "quantity": 5}', vt: 'json' },
    ],
    repeat: '', once: true, onceDelay: 0.1, wires: [['corrosion.ingest']],
  },
  { id: 'corrosion.ingest', type: 'oilrisk-ingest', z: 'corrosion.tab', site: 'corrosion.site', wires: [[]] },
];

interface TagState { reading?: { value: unknown; quality: string; source: string }; stale: boolean }

async function getJson<T>(url: string): Promise<T> {
  const res = await fetch(url);
  const text = await res.text();
  assert.equal(res.status, 200, `${url}: ${text.slice(0, 200)}`);
  return JSON.parse(text) as T;
}

async function profileNames(runtime: RuntimeHandle): Promise<string[]> {
  const body = await getJson<{ profiles: Array<{ name: string }> }>(`${runtime.url}/oilrisk/api/ingest/profiles`);
  return body.profiles.map((p) => p.name);
}

async function deploy(runtime: RuntimeHandle): Promise<void> {
  const res = await fetch(`${runtime.url}/flows`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'Node-RED-Deployment-Type': 'full', 'Node-RED-API-Version': 'v2' },
    body: JSON.stringify({ flows: FLOW }),
  });
  assert.equal(res.status, 200, await res.text());
}

/** The ingest node's tag states once the injected poll has gone through (the inject fires 0.1 s after deploy). */
async function tagsAfterPoll(runtime: RuntimeHandle): Promise<Record<string, TagState>> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const res = await fetch(`${runtime.url}/oilrisk/api/ingest/corrosion.ingest/tags`);
    if (res.status === 200) {
      const { tags } = await res.json() as { tags: Record<string, TagState> };
      if (Object.keys(tags).length > 0 && Object.values(tags).every((t) => t.reading)) return tags;
      if (Object.keys(tags).length === 0 && attempt > 20) return tags;
    }
    await new Promise((ok) => setTimeout(ok, 100));
  }
  throw new Error(`the ingest node never reported its tags:\n${runtime.output().slice(-2000)}`);
}

describe('sensor plugin install (npm install into the user dir, restart)', function () {
  this.timeout(180_000);
  let runtime: RuntimeHandle | undefined;
  let dataDir: string;

  before(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'oilrisk-plugin-'));
  });

  afterEach(async () => {
    if (runtime) await runtime.stop();
    runtime = undefined;
  });

  after(() => rmSync(dataDir, { recursive: true, force: true }));

  it('makes the new profile decode device data with no change to the core', async () => {
    runtime = await startRuntime({ dataDir });
    assert.ok(!(await profileNames(runtime)).includes('corrosion-probe'), 'the core alone does not know the corrosion probe');
    assert.ok((await profileNames(runtime)).includes('pressure'));
    await deploy(runtime);
    const before = await tagsAfterPoll(runtime);
    assert.deepEqual(before, {}, 'no tag can be read before the plugin is installed');
    assert.match(runtime.output(), /unknown sensor profile "corrosion-probe\.corrosion-rate"/);
    await runtime.stop();
    runtime = undefined;

    const userDir = join(dataDir, 'node-red');
    await promisify(execFile)('npm', ['install', '--offline', '--no-audit', '--no-fund', '--ignore-scripts', PLUGIN_DIR], { cwd: userDir });
    const manifest = JSON.parse(readFileSync(join(userDir, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    assert.ok(manifest.dependencies[PLUGIN_NAME], 'npm recorded the plugin in the user dir');
    assert.ok(manifest.dependencies['node-red-contrib-oilrisk'], 'the core dependency is untouched');

    runtime = await startRuntime({ dataDir });
    const profiles = await getJson<{ profiles: Array<{ name: string; vendor: string }> }>(`${runtime.url}/oilrisk/api/ingest/profiles`);
    assert.deepEqual(profiles.profiles.find((p) => p.name === 'corrosion-probe')?.vendor, PLUGIN_NAME);
    await deploy(runtime);
    const tags = await tagsAfterPoll(runtime);
    const rate = tags['PL-1.CR-1'].reading!;
    assert.equal(rate.quality, 'good');
    assert.ok(Math.abs((rate.value as number) - 0.1905) < 1e-9, `7.50 mpy is 0.1905 mm/y, got ${String(rate.value)}`);
    assert.equal(rate.source, 'modbus:probe-rtu:7:0');
    assert.ok(Math.abs((tags['PL-1.ML-1'].reading!.value as number) - 0.123456) < 1e-12);
    assert.equal(tags['PL-1.PF-1'].reading!.value, true);
  });
});
