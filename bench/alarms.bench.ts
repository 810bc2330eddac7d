// Alarm management benchmarks: risk changes per second through the lifecycle, incident
// grouping and escalation with 10,000 active alarm sources (the lifecycle alone as baseline),
// and the compressor-trip flood replayed through the risk engine against per-tag thresholds.

import { AlarmManager, ALARM_DEFAULTS, newAlarm, transition, type AlarmRecord, type RiskChange } from '../lib/alarms/index.js';
import { WARNING_LEVELS, type Site, type WarningLevel } from '../lib/model/index.js';
import { measureFlood } from '../test/lib/alarms/flood-replay.js';
import type { BenchReporter } from './report.js';
import { createRandom } from '../sim/random.js';

const T0 = Date.UTC(2026, 0, 1);
const SOURCES = 10_000;
const AREA = 50;
const CHANGES = 200_000;
const BATCH = 500;

/** The simulator's seeded source (mulberry32), so every run sees the same noise. */
const seeded = (seed: number): (() => number) => createRandom(seed).next;

/** Areas of 50: one compressor and 49 units downstream of it. */
function site(): Site {
  const equipment: Site['equipment'] = [];
  const dependencies: Site['dependencies'] = [];
  for (let i = 0; i < SOURCES; i++) {
    const root = `E${i - (i % AREA)}`;
    equipment.push({ id: `E${i}`, type: i % AREA ? 'separator-2phase' : 'compressor', name: `E${i}`, area: `A${Math.floor(i / AREA)}`, criticality: 3, state: 'running' });
    if (i % AREA) dependencies.push({ from: root, to: `E${i}`, kind: 'flow', transmissionWeight: 0.5 });
  }
  return { id: 'bench', name: 'bench', equipment, dependencies, tags: [], scoreBands: { IV: 0.5, III: 1, II: 2, I: 3 } };
}

/** A seeded stream of risk changes: levels moving, clears and returns, half explained upstream. */
function changes(): RiskChange[] {
  const random = seeded(7);
  const out: RiskChange[] = [];
  for (let k = 0; k < CHANGES; k++) {
    const i = Math.floor(random() * SOURCES);
    const level: WarningLevel = random() < 0.15 ? 'normal' : WARNING_LEVELS[1 + Math.floor(random() * 4)];
    const root = i % AREA && random() < 0.5 ? `E${i - (i % AREA)}` : `E${i}`;
    out.push({ equipment: `E${i}`, level, rootCause: { equipment: root }, paths: root === `E${i}` ? [] : [{ path: [root, `E${i}`], weight: 0.4 }] });
  }
  return out;
}

function throughput(stream: readonly RiskChange[]): number {
  let now = T0;
  const manager = new AlarmManager({ clock: () => now, site: site() });
  // Every source active first: 10,000 standing alarms, roots first so that incidents form.
  const all = site().equipment.map((e) => ({ equipment: e.id, level: 'III' as WarningLevel, rootCause: { equipment: e.id } }));
  manager.applyRisk(all);
  const started = performance.now();
  for (let k = 0; k < stream.length; k += BATCH) {
    now += 1000;
    manager.applyRisk(stream.slice(k, k + BATCH));
    manager.tick();
    // The operators acknowledge a tenth of what changes.
    for (let j = k; j < k + BATCH; j += 10) manager.acknowledge(stream[j].equipment, 'op');
  }
  return stream.length / ((performance.now() - started) / 1000);
}

/** The lifecycle alone: the same changes through the pure state machine, no grouping or escalation. */
function lifecycleOnly(stream: readonly RiskChange[]): number {
  const alarms = new Map<string, AlarmRecord>();
  for (let i = 0; i < SOURCES; i++) alarms.set(`E${i}`, transition(newAlarm(`E${i}`, `E${i}`, undefined, T0), { kind: 'activate', level: 'III' }, T0, ALARM_DEFAULTS).alarm);
  const started = performance.now();
  let now = T0;
  for (const change of stream) {
    now += 2;
    const alarm = alarms.get(change.equipment)!;
    const action = change.level === 'normal' ? { kind: 'clear' as const } : { kind: 'activate' as const, level: change.level };
    alarms.set(change.equipment, transition(alarm, action, now, ALARM_DEFAULTS).alarm);
  }
  return stream.length / ((performance.now() - started) / 1000);
}

export async function run(reporter: BenchReporter): Promise<void> {
  const stream = changes();
  throughput(stream.slice(0, 20_000)); // warm-up
  const value = throughput(stream);
  const baseline = lifecycleOnly(stream);
  reporter.report({ bench: 'alarms.throughput', value, unit: 'changes/s', baseline, note: `${SOURCES} active sources; baseline: lifecycle state machine alone` });

  const flood = await measureFlood();
  const rootNotified = flood.notifications.some((n) => n.alarm === flood.rootCause && n.reason === 'new');
  reporter.report({
    bench: 'alarms.flood.peak_per_10min', value: flood.presentedPeakPer10Min, unit: 'alarms/10min', baseline: flood.perTagPeakPer10Min,
    note: `target <= 10; per-tag thresholds: ${flood.perTagAlarms} alarms; presented ${flood.presented}; root cause ${flood.rootCause} notified: ${rootNotified ? 'yes' : 'no'}`,
  });
  const flat = await measureFlood({ withoutShutdownDependencies: true });
  reporter.report({
    bench: 'alarms.flood.peak_per_10min.without_shutdown_graph', value: flat.presentedPeakPer10Min, unit: 'alarms/10min', baseline: flat.perTagPeakPer10Min,
    note: `demo site less its control dependencies SEP-1 -> wells (the process shutdown); root cause notified: ${flat.notifications.some((n) => n.alarm === flat.rootCause && n.reason === 'new') ? 'yes' : 'no'}`,
  });
  reporter.report({ bench: 'alarms.flood.notifications', value: flood.notifications.length, unit: 'notifications', note: `all tiers and reasons over ${flood.durationS} s, escalations and level raises included` });
  reporter.report({ bench: 'alarms.flood.journaled', value: flood.journal.filter((e) => e.consequential).length, unit: 'events', note: 'consequential alarm events kept in the journal, not notified' });
}
