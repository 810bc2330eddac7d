// Ingest throughput: readings per second through oilrisk-ingest in an embedded Node-RED runtime
// (require('node-red'), real message passing), batches of 100 Modbus registers, against a
// function node doing the same mapping by hand in the same runtime and the same run.

import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { encodeRegisters, getChannel } from '../lib/profiles/index.js';
import type { BenchReporter } from './report.js';

const ROOT = resolve(__dirname, '..');
const DEVICE = 'rtu-bench';
const MESSAGES = 4000;
const ROUNDS = 3;

interface NodeLike {
  receive(msg: Record<string, unknown>): void;
  on(event: 'input', listener: (msg: { payload: unknown[] }) => void): void;
}

interface EmbeddedRed {
  init(settings: Record<string, unknown>): void;
  start(): Promise<void>;
  stop(): Promise<void>;
  nodes: { getNode(id: string): NodeLike | null };
}

/** 100 registers: 25 float32 pressures (registers 0..49) and 50 int16 temperatures (50..99): 75 readings a batch. */
function benchTags(): Array<{ id: string; profile: string; unit: string; register: number }> {
  const tags = [];
  for (let i = 0; i < 25; i++) tags.push({ id: `W${i}.PT`, profile: 'pressure', unit: 'bar', register: i * 2 });
  for (let i = 0; i < 50; i++) tags.push({ id: `W${i}.TT`, profile: 'temperature', unit: 'degC', register: 50 + i });
  return tags;
}

function siteYaml(tags: ReturnType<typeof benchTags>): string {
  const lines = ['site: { id: bench }', 'equipment:', '  - { id: PAD, type: well-pad, area: bench }', 'tags:'];
  for (const t of tags) {
    lines.push(`  - { id: ${t.id}, equipment: PAD, profile: ${t.profile}, unit: ${t.unit}, binding: { protocol: modbus, address: "${DEVICE}:1:${t.register}" }, factors: [{ id: f, staleTimeout: 3600, consequence: { category: asset, severity: 2 } }] }`);
  }
  return lines.join('\n');
}

function registers(): number[] {
  const words: number[] = [];
  for (let i = 0; i < 25; i++) words.push(...encodeRegisters(getChannel('pressure').modbus!, 10 + i * 0.5));
  for (let i = 0; i < 50; i++) words.push(...encodeRegisters(getChannel('temperature').modbus!, 40 + i * 0.3));
  return words;
}

/** The baseline: what an integrator would write in a function node for the same devices. */
function baselineFunction(tags: ReturnType<typeof benchTags>): string {
  const table = tags.map((t) => ({ tag: t.id, register: t.register, float: t.profile === 'pressure', min: t.profile === 'pressure' ? -1 : -50, max: t.profile === 'pressure' ? 700 : 400 }));
  return `
const TAGS = ${JSON.stringify(table)};
const regs = msg.payload;
const start = Number(msg.modbusRequest.address) || 0;
const now = Date.now();
const buf = Buffer.alloc(4);
const out = [];
for (const t of TAGS) {
  const i = t.register - start;
  let v;
  if (t.float) { buf.writeUInt16BE(regs[i], 0); buf.writeUInt16BE(regs[i + 1], 2); v = buf.readFloatBE(0); }
  else { v = ((regs[i] << 16) >> 16) * 0.1; }
  out.push({ tag: t.tag, value: v, quality: v < t.min || v > t.max ? 'bad' : 'good', ts: now, source: 'modbus:${DEVICE}:1:' + t.register });
}
return { topic: 'readings', payload: out };`;
}

/** Node-RED loads node files with require(): these shims hand it the TypeScript sources through tsx. */
function shimNodes(dir: string): void {
  for (const name of ['oilrisk-site', 'oilrisk-ingest']) {
    writeFileSync(join(dir, `${name}.js`), `module.exports = require(${JSON.stringify(join(ROOT, 'nodes', `${name}.ts`))}).default;\n`);
    copyFileSync(join(ROOT, 'nodes', `${name}.html`), join(dir, `${name}.html`));
  }
}

async function throughput(red: EmbeddedRed, entry: string, sink: string, words: number[]): Promise<{ readingsPerSecond: number; perBatch: number }> {
  const source = red.nodes.getNode(entry)!;
  const out = red.nodes.getNode(sink)!;
  let batches = 0;
  let readings = 0;
  let wake: () => void = () => {};
  out.on('input', (msg) => {
    batches += 1;
    readings += msg.payload.length;
    if (batches >= MESSAGES) wake();
  });
  const finished = new Promise<void>((ok) => { wake = ok; });
  const started = performance.now();
  for (let i = 0; i < MESSAGES; i++) {
    source.receive({ topic: DEVICE, payload: words, modbusRequest: { unitid: 1, fc: 3, address: 0, quantity: words.length } });
    // Let the runtime deliver between bursts, as a poller's timer would.
    if (i % 200 === 199) await new Promise((ok) => setImmediate(ok));
  }
  await finished;
  const seconds = (performance.now() - started) / 1000;
  return { readingsPerSecond: readings / seconds, perBatch: readings / batches };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

export async function run(reporter: BenchReporter): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'oilrisk-bench-ingest-'));
  const nodesDir = join(dir, 'nodes');
  mkdirSync(nodesDir);
  shimNodes(nodesDir);
  const tags = benchTags();
  const words = registers();
  const lanes = (n: number) => [
    { id: `ingest${n}`, type: 'oilrisk-ingest', z: 'bench', site: 'site', wires: [[`ingestSink${n}`]] },
    { id: `ingestSink${n}`, type: 'debug', z: 'bench', active: false, tosidebar: false, console: false, complete: 'false', wires: [] },
    { id: `function${n}`, type: 'function', z: 'bench', func: baselineFunction(tags), outputs: 1, wires: [[`functionSink${n}`]] },
    { id: `functionSink${n}`, type: 'debug', z: 'bench', active: false, tosidebar: false, console: false, complete: 'false', wires: [] },
  ];
  const flows = [
    { id: 'bench', type: 'tab', label: 'bench' },
    { id: 'site', type: 'oilrisk-site', path: '', inline: siteYaml(tags) },
    ...Array.from({ length: ROUNDS + 1 }, (_, n) => lanes(n)).flat(),
  ];
  writeFileSync(join(dir, 'flows.json'), JSON.stringify(flows));

  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const red = require('node-red') as EmbeddedRed;
  red.init({
    userDir: dir, flowFile: 'flows.json', nodesDir: [nodesDir], httpAdminRoot: false, httpNodeRoot: false,
    credentialSecret: false, logging: { console: { level: 'error' } }, SKIP_BUILD_CHECK: true,
  });
  await red.start();
  try {
    // The site loads asynchronously; the first lane doubles as the warm-up for both paths.
    for (let attempt = 0; attempt < 100 && !red.nodes.getNode('ingest0'); attempt++) await new Promise((ok) => setTimeout(ok, 50));
    await new Promise((ok) => setTimeout(ok, 500));
    await throughput(red, 'ingest0', 'ingestSink0', words);
    await throughput(red, 'function0', 'functionSink0', words);
    const ingest: number[] = [];
    const baseline: number[] = [];
    let perBatch = 0;
    for (let n = 1; n <= ROUNDS; n++) {
      const a = await throughput(red, `ingest${n}`, `ingestSink${n}`, words);
      const b = await throughput(red, `function${n}`, `functionSink${n}`, words);
      if (a.perBatch !== b.perBatch) throw new Error(`ingest gave ${a.perBatch} readings a batch, the function ${b.perBatch}: not the same mapping`);
      ingest.push(a.readingsPerSecond);
      baseline.push(b.readingsPerSecond);
      perBatch = a.perBatch;
    }
    const value = median(ingest);
    const base = median(baseline);
    reporter.report({ bench: 'ingest.throughput', value, unit: 'readings/s', baseline: base, ratio: value / base, note: `${MESSAGES} batches of 100 registers (${perBatch} readings each), median of ${ROUNDS}; baseline: function node` });
  } finally {
    await red.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
