// Simulator replay speed: simulated seconds per wall-clock second for the demo site, against
// real time (1) as the baseline. The issue asks that tests replay hours of a scenario in seconds.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseSite } from '../lib/site/index.js';
import { replayScenario } from '../sim/index.js';
import type { BenchReporter } from './report.js';

export async function run(reporter: BenchReporter): Promise<void> {
  const parsed = parseSite(readFileSync(join(__dirname, '..', 'sites', 'demo-field.yaml'), 'utf8'));
  if (!parsed.ok) throw new Error('sites/demo-field.yaml does not parse');
  const site = parsed.site;
  replayScenario(site, 'normal', { durationS: 300 }); // warm-up
  const durationS = 3600;
  const started = performance.now();
  const batches = replayScenario(site, 'compressor-trip-flood', { durationS, stepS: 1 });
  const seconds = (performance.now() - started) / 1000;
  const readings = batches.reduce((n, b) => n + b.length, 0);
  reporter.report({ bench: 'sim.replay', value: durationS / seconds, unit: 'simulated s/s', baseline: 1, note: `1 h of compressor-trip-flood, 1 s steps, ${site.tags.length} tags; target >= 1000` });
  reporter.report({ bench: 'sim.readings', value: readings / seconds, unit: 'readings/s', note: `${readings} readings` });
}
