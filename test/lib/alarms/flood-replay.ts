// Replays the simulator's compressor-trip-flood scenario in simulated time through the risk
// engine and the alarm manager, and counts what a per-tag threshold system would have raised.

import { join } from 'node:path';
import { AlarmManager, isPresented, loadPlaybookFile, peakPer10Min, type AlarmNotification } from '../../../lib/alarms/index.js';
import type { AlarmEvent, Dependency, RiskExplanation, Site } from '../../../lib/model/index.js';
import { RiskEngine } from '../../../lib/risk/index.js';
import { loadSiteFile } from '../../../lib/site/index.js';
import { limitCrossings, replayScenario, resolveScenario } from '../../../sim/index.js';

export const ROOT = join(__dirname, '..', '..', '..');

export interface FloodMeasurement {
  rootCause: string;
  /** Per-tag threshold alarms (limit crossings), total and peak per 10 minutes. */
  perTagAlarms: number;
  perTagPeakPer10Min: number;
  /** Alarms presented to the operator (new annunciations not grouped under a root cause). */
  presented: number;
  presentedPeakPer10Min: number;
  /** Every notification, escalations included. */
  notifications: AlarmNotification[];
  journal: readonly AlarmEvent[];
  /** Equipment the risk engine raised above normal during the replay. */
  raised: Set<string>;
  durationS: number;
}

export interface FloodOptions {
  durationS?: number;
  /**
   * Removes the process shutdown's cause-and-effect from the graph (the control dependencies
   * SEP-1 -> WELL-nn of the demo site), to show what the graph contributes to flood control.
   */
  withoutShutdownDependencies?: boolean;
}

/** The process shutdown's cause-and-effect: SEP-1 shuts in every well through a control dependency. */
export function isShutdownDependency(d: Dependency): boolean {
  return d.from === 'SEP-1' && d.kind === 'control' && d.to.startsWith('WELL-');
}

export async function loadDemo(options: FloodOptions = {}): Promise<{ site: Site; manager: (clock: () => number) => AlarmManager }> {
  const siteFile = await loadSiteFile(join(ROOT, 'sites', 'demo-field.yaml'));
  if (!siteFile.ok) throw new Error(siteFile.issues.map((i) => i.message).join('; '));
  if (options.withoutShutdownDependencies) siteFile.site.dependencies = siteFile.site.dependencies.filter((d) => !isShutdownDependency(d));
  const playbooks = await loadPlaybookFile(join(ROOT, 'sites', 'demo-playbooks.yaml'));
  if (!playbooks.ok) throw new Error(playbooks.issues.map((i) => i.message).join('; '));
  return { site: siteFile.site, manager: (clock) => new AlarmManager({ clock, site: siteFile.site, playbooks: playbooks.playbooks }) };
}

export async function measureFlood(options: FloodOptions = {}): Promise<FloodMeasurement> {
  const durationS = options.durationS ?? 900;
  const { site, manager: create } = await loadDemo(options);
  const batches = replayScenario(site, 'compressor-trip-flood', { durationS, stepS: 1 });
  const engine = new RiskEngine(site);
  let now = batches.find((b) => b.length)?.[0].ts ?? 0;
  const manager = create(() => now);
  const notifications: AlarmNotification[] = [];
  const raised = new Set<string>();
  const take = (changes: RiskExplanation[]) => {
    for (const c of changes) if (c.level !== 'normal') raised.add(c.equipment);
    const out = manager.applyRisk(changes);
    notifications.push(...out.notifications);
  };
  for (const batch of batches) {
    if (!batch.length) continue;
    now = Math.max(now, ...batch.map((r) => r.ts));
    take(engine.ingest(batch).changes);
    take(engine.tick(now));
    notifications.push(...manager.tick().notifications);
  }
  const crossings = limitCrossings(site, batches);
  const presented = manager.journalEvents().filter(isPresented);
  return {
    rootCause: resolveScenario(site, 'compressor-trip-flood').rootCause?.equipment ?? '',
    perTagAlarms: crossings.length,
    perTagPeakPer10Min: peakPer10Min(crossings.map((c) => c.ts).sort((a, b) => a - b)),
    presented: presented.length,
    presentedPeakPer10Min: peakPer10Min(presented.map((e) => e.ts)),
    notifications,
    journal: manager.journalEvents(),
    raised,
    durationS,
  };
}
