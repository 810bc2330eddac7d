// Risk engine benchmarks: throughput with incremental propagation against a full recompute
// after every reading, p99 latency of one change, and memory per equipment, at 1k/10k/100k.

import { spawnSync } from 'node:child_process';
import type { Dependency, DependencyKind, Equipment, Reading, Site, Tag } from '../lib/model/index.js';
import { RiskEngine } from '../lib/risk/index.js';
import { gaussian, ramp, replay, seeded } from '../test/lib/risk/signals.js';
import type { BenchReporter } from './report.js';

const T0 = Date.UTC(2026, 0, 1);


/**
 * A synthetic field in areas of 50 equipment: 35 wells feed 5 manifolds (fan-in 7), manifolds
 * feed 2 separators, separators a treater, a tank and a compressor that recycles gas back to a
 * separator (a cycle); a power supply and a PLC fan out to the area; neighbours sit in
 * proximity; tanks of neighbouring areas share an export line. Two tags per equipment.
 */
export function syntheticPlant(n: number, seed = 1): Site {
  const random = seeded(seed);
  const equipment: Equipment[] = [];
  const dependencies: Dependency[] = [];
  const tags: Tag[] = [];
  const dep = (from: string, to: string, kind: DependencyKind, w: number) => dependencies.push({ from, to, kind, transmissionWeight: w });
  const add = (id: string, type: string, area: string, criticality: number) => {
    equipment.push({ id, type, name: id, area, criticality, state: random() < 0.02 ? 'maintenance' : random() < 0.02 ? 'shutdown' : 'running' });
    tags.push({
      id: `${id}.PT`, equipment: id, profile: 'pressure', unit: 'bar',
      factors: [{ id: 'pressure', limits: { LL: 2, L: 5, H: 40, HH: 50 }, deadband: 1, rateOfChange: 30, staleTimeout: 300, predictHorizon: random() < 0.25 ? 600 : undefined, consequence: { category: 'asset', severity: 1 + Math.floor(random() * 5) } }],
    });
    tags.push({
      id: `${id}.TT`, equipment: id, profile: 'temperature', unit: 'C',
      factors: [{ id: 'temperature', limits: { H: 90, HH: 110 }, deadband: 2, onDelay: 5, offDelay: 30, consequence: { category: 'people', severity: 1 + Math.floor(random() * 5) } }],
    });
  };
  const areas = Math.ceil(n / 50);
  for (let a = 0; a < areas && equipment.length < n; a++) {
    const p = `A${a}`;
    const room = () => equipment.length < n;
    const made: string[] = [];
    const make = (id: string, type: string, crit: number) => {
      if (!room()) return false;
      add(id, type, p, crit);
      made.push(id);
      return true;
    };
    make(`${p}-PWR`, 'power-supply', 5);
    make(`${p}-PLC`, 'plc', 4);
    for (let s = 0; s < 2; s++) make(`${p}-SEP${s}`, 'separator', 5);
    make(`${p}-TRT`, 'heater-treater', 4);
    make(`${p}-TK`, 'tank', 4);
    make(`${p}-CMP`, 'compressor', 5);
    for (let m = 0; m < 5; m++) make(`${p}-MAN${m}`, 'manifold', 4);
    for (let w = 0; w < 38; w++) make(`${p}-W${w}`, 'well', 2 + Math.floor(random() * 3));
    const has = (id: string) => made.includes(id);
    const link = (from: string, to: string, kind: DependencyKind, w: number) => { if (has(from) && has(to)) dep(from, to, kind, w); };
    for (let w = 0; w < 38; w++) link(`${p}-W${w}`, `${p}-MAN${w % 5}`, 'flow', 0.3 + 0.4 * random());
    for (let m = 0; m < 5; m++) link(`${p}-MAN${m}`, `${p}-SEP${m % 2}`, 'flow', 0.5 + 0.3 * random());
    for (let s = 0; s < 2; s++) {
      link(`${p}-SEP${s}`, `${p}-TRT`, 'flow', 0.6);
      link(`${p}-SEP${s}`, `${p}-CMP`, 'flow', 0.5);
    }
    link(`${p}-TRT`, `${p}-TK`, 'flow', 0.6);
    link(`${p}-CMP`, `${p}-SEP0`, 'flow', 0.3);
    for (const id of made) if (id !== `${p}-PWR`) link(`${p}-PWR`, id, 'power', 0.2);
    for (const id of made.filter((x) => /SEP|TRT|CMP|MAN/.test(x))) link(`${p}-PLC`, id, 'control', 0.3);
    link(`${p}-SEP0`, `${p}-SEP1`, 'proximity', 0.4);
    link(`${p}-CMP`, `${p}-SEP1`, 'proximity', 0.3);
    if (a > 0) link(`A${a - 1}-TK`, `${p}-TK`, 'flow', 0.2);
  }
  if (a0(equipment)) dep(equipment[0].id, equipment[equipment.length - 1].id, 'utility', 0.1);
  return { id: `synthetic-${n}`, name: `Synthetic ${n}`, equipment, dependencies, tags, scoreBands: { IV: 0.5, III: 1, II: 2, I: 3 } };
}

function a0(equipment: Equipment[]): boolean {
  return equipment.length > 1;
}

/**
 * A realistic stream: values wander around the operating point; about 1 reading in 500 starts
 * or ends an excursion past H or HH. Timestamps rise 1 ms per reading.
 */
function readingStream(site: Site, count: number, seed = 2): Reading[] {
  const random = seeded(seed);
  const excursion = new Float64Array(site.tags.length);
  const out: Reading[] = [];
  for (let k = 0; k < count; k++) {
    const i = Math.floor(random() * site.tags.length);
    if (random() < 0.002) excursion[i] = excursion[i] ? 0 : random() < 0.5 ? 1 : 2;
    const temperature = site.tags[i].unit === 'C';
    const base = temperature ? 60 : 20;
    const value = base + (random() - 0.5) * 4 + excursion[i] * (temperature ? 28 : 14);
    out.push({ tag: site.tags[i].id, value, quality: 'good', ts: T0 + k });
  }
  return out;
}

/** CPU time of this process in ms: the machine is shared, and wall time would measure the neighbours. */
function cpuMs(since?: NodeJS.CpuUsage): number {
  const u = process.cpuUsage(since);
  return (u.user + u.system) / 1000;
}

interface Rate { cpu: number; wall: number }

function rate(count: number, body: () => void): Rate {
  const cpu0 = process.cpuUsage(), wall0 = performance.now();
  body();
  return { cpu: count / (cpuMs(cpu0) / 1000), wall: count / ((performance.now() - wall0) / 1000) };
}

function throughput(engine: RiskEngine, readings: Reading[], batch: number): Rate {
  const batches: Reading[][] = [];
  for (let k = 0; k < readings.length; k += batch) batches.push(readings.slice(k, k + batch));
  return rate(readings.length, () => {
    for (const b of batches) engine.ingest(b);
  });
}

function baselineThroughput(engine: RiskEngine, readings: Reading[]): Rate {
  return rate(readings.length, () => {
    for (const r of readings) {
      engine.ingest(r);
      engine.fullRecompute();
    }
  });
}

function percentile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))];
}

/** p99 of the time one state-changing reading takes, factor evaluation to reported changes. */
function changeLatency(engine: RiskEngine, site: Site, changes: number, seed = 3): { p99: number; p50: number; wallP99: number; reach: number } {
  const random = seeded(seed);
  const cpu: number[] = [], wall: number[] = [];
  let ts = T0 + 1e9, reach = 0;
  const pressure = site.tags.filter((t) => t.unit === 'bar');
  for (let k = 0; k < changes; k++) {
    const tag = pressure[Math.floor(random() * pressure.length)];
    const reading: Reading = { tag: tag.id, value: random() < 0.5 ? 55 : 20, quality: 'good', ts: ts++ };
    const cpu0 = process.cpuUsage(), wall0 = performance.now();
    const { changes: out } = engine.ingest(reading);
    wall.push(performance.now() - wall0);
    cpu.push(cpuMs(cpu0));
    reach += out.length;
  }
  cpu.sort((a, b) => a - b);
  wall.sort((a, b) => a - b);
  return { p99: percentile(cpu, 0.99), p50: percentile(cpu, 0.5), wallP99: percentile(wall, 0.99), reach: reach / changes };
}

interface MemoryFigure { engine: number; site: number }

/** Heap bytes per equipment: the site model, then the engine with every tag read once. Needs --expose-gc. */
function measureMemory(n: number): MemoryFigure {
  const gc = (globalThis as { gc?: () => void }).gc!;
  gc();
  const h0 = process.memoryUsage().heapUsed;
  const site = syntheticPlant(n);
  gc();
  const h1 = process.memoryUsage().heapUsed;
  const engine = new RiskEngine(site);
  warmUp(engine, site);
  gc();
  const h2 = process.memoryUsage().heapUsed;
  if (engine.snapshot().length !== n) throw new Error('engine lost equipment');
  return { engine: (h2 - h1) / n, site: (h1 - h0) / n };
}

/** Every tag read once, then a stream: trend windows and fields exist; the readings are garbage after. */
function warmUp(engine: RiskEngine, site: Site): void {
  for (const t of site.tags) engine.ingest({ tag: t.id, value: t.unit === 'C' ? 60 : 20, quality: 'good', ts: T0 });
  engine.ingest(readingStream(site, site.equipment.length * 4));
}

/** Memory is measured in a child with --expose-gc, so the figure is not noise from other runs. */
function memoryInChild(n: number): MemoryFigure {
  const child = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', __filename, String(n)], { encoding: 'utf8', env: { ...process.env, OILRISK_BENCH_MEMORY: '1' } });
  if (child.status !== 0) throw new Error(`memory child failed: ${child.stderr}`);
  return JSON.parse(child.stdout.trim().split('\n').pop()!) as MemoryFigure;
}

/** Predicted breach on synthetic signals: lead time on ramps, false predictions on steady noise. */
function forecastFigures(reporter: BenchReporter): void {
  for (const slope of [0.005, 0.01, 0.02, 0.05, 0.1]) {
    const leads: number[] = [];
    for (let seed = 1; seed <= 5; seed++) {
      const { first } = replay(ramp(30, 600, slope, 0.5, seed), 600 + 12 / slope);
      // No warning before the crossing counts as no lead time.
      leads.push(first.predicted !== undefined && first.high !== undefined ? Math.max(0, first.high - first.predicted) : 0);
    }
    const mean = leads.reduce((a, b) => a + b, 0) / leads.length;
    reporter.report({ bench: `risk.forecast.lead_s.ramp_${slope}`, value: mean, unit: 's', note: `H 40 from 30 bar, noise 0.5 bar, 1 s samples, horizon 600 s; crossing ${Math.round(10 / slope)} s after the ramp starts; min ${Math.min(...leads)} s over 5 seeds` });
  }
  let predictions = 0, days = 0;
  for (let seed = 1; seed <= 3; seed++) {
    predictions += replay(ramp(30, Infinity, 0, 0.5, seed), 86400).predictions;
    const noise = gaussian(seeded(100 + seed));
    predictions += replay((t) => 36 + Math.sin((2 * Math.PI * t) / 86400) + noise(), 86400, 2).predictions;
    days += 2;
  }
  reporter.report({ bench: 'risk.forecast.false_per_day', value: predictions / days, unit: 'predictions/day', note: `${days} simulated days: 30 +- 0.5 bar (1 s) and 36 +- 1 bar with a daily swing (2 s), H 40` });
}

export async function run(reporter: BenchReporter): Promise<void> {
  forecastFigures(reporter);
  for (const n of [1000, 10000, 100000]) {
    const site = syntheticPlant(n);
    const engine = new RiskEngine(site);
    const stream = readingStream(site, n >= 100000 ? 400000 : 300000);
    throughput(engine, stream.slice(0, 50000), 100);
    const incremental = throughput(engine, stream.slice(50000), 100);
    const baselineCount = n === 1000 ? 5000 : n === 10000 ? 600 : 30;
    const baseline = baselineThroughput(new RiskEngine(site), stream.slice(0, baselineCount));
    const latency = changeLatency(engine, site, n >= 100000 ? 5000 : 10000);
    const memory = memoryInChild(n);
    const size = n >= 1000 ? `${n / 1000}k` : String(n);
    const edges = `${site.dependencies.length} dependencies`;
    reporter.report({ bench: `risk.throughput.${size}`, value: incremental.cpu, unit: 'readings/s', baseline: baseline.cpu, ratio: incremental.cpu / baseline.cpu, note: `CPU time, batches of 100 (wall ${Math.round(incremental.wall)}/s); baseline: full recompute after each reading; ${edges}; target >= 200000/s, ratio >= 100 at 10k` });
    reporter.report({ bench: `risk.propagate.p99.${size}`, value: latency.p99, unit: 'ms', note: `CPU time; p50 ${latency.p50.toFixed(4)} ms, wall p99 ${latency.wallP99.toFixed(3)} ms; ${latency.reach.toFixed(1)} equipment reported per change; target < 1 ms at 100k` });
    reporter.report({ bench: `risk.memory.per_equipment.${size}`, value: memory.engine, unit: 'bytes', note: `engine state; the site model adds ${Math.round(memory.site)} B; target < 2048 at 100k` });
    if (n === 100000) reporter.report({ bench: 'risk.memory.per_equipment', value: memory.engine, unit: 'bytes', note: 'at 100k (engine state, site model excluded)' });
  }
}

if (require.main === module && process.env.OILRISK_BENCH_MEMORY) {
  process.stdout.write(JSON.stringify(measureMemory(Number(process.argv[2]))) + '\n');
}
