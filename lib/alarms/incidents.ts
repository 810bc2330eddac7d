// Incidents: a root cause and the alarms it explains. One open incident per root-cause
// equipment; the first alarm joined is the first-out, the root cause's own alarm leads the list.

import { WARNING_LEVELS, type Incident, type RootCause, type WarningLevel } from '../model/index.js';

export class IncidentBook {
  private readonly byId = new Map<string, Incident>();
  private readonly openByRoot = new Map<string, string>();
  private seq = 0;
  private closedCount = 0;

  constructor(incidents: readonly Incident[] = [], seq = 0) {
    this.seq = seq;
    for (const incident of incidents) {
      this.byId.set(incident.id, { ...incident, alarms: [...incident.alarms] });
      if (incident.status === 'open') this.openByRoot.set(incident.rootCause.equipment, incident.id);
      else this.closedCount++;
    }
  }

  get sequence(): number {
    return this.seq;
  }

  get(id: string): Incident | undefined {
    return this.byId.get(id);
  }

  openFor(rootEquipment: string): Incident | undefined {
    const id = this.openByRoot.get(rootEquipment);
    return id === undefined ? undefined : this.byId.get(id);
  }

  all(): Incident[] {
    return [...this.byId.values()];
  }

  open(rootCause: RootCause, firstAlarm: string, level: WarningLevel, now: number): Incident {
    this.seq++;
    const incident: Incident = {
      id: `INC-${String(this.seq).padStart(6, '0')}`,
      status: 'open', level, rootCause, firstAlarm, alarms: [firstAlarm], openedAt: now, ts: now,
    };
    this.byId.set(incident.id, incident);
    this.openByRoot.set(rootCause.equipment, incident.id);
    return incident;
  }

  /** Adds an alarm (the root cause's own alarm goes first) and raises the incident level. */
  join(incident: Incident, alarm: string, level: WarningLevel, now: number): void {
    if (!incident.alarms.includes(alarm)) {
      if (alarm === incident.rootCause.equipment) incident.alarms.unshift(alarm);
      else incident.alarms.push(alarm);
    }
    if (WARNING_LEVELS.indexOf(level) > WARNING_LEVELS.indexOf(incident.level)) incident.level = level;
    incident.ts = now;
  }

  close(incident: Incident, now: number): void {
    if (incident.status !== 'closed') this.closedCount++;
    incident.status = 'closed';
    incident.closedAt = now;
    incident.ts = now;
    if (this.openByRoot.get(incident.rootCause.equipment) === incident.id) this.openByRoot.delete(incident.rootCause.equipment);
  }

  /** Keeps open incidents and the newest closed ones, so that memory stays bounded. */
  prune(keepClosed: number): void {
    // Pruning sorts: do it in steps of a fifth, not on every call.
    if (this.closedCount <= keepClosed * 1.2) return;
    const closed = [...this.byId.values()].filter((i) => i.status === 'closed').sort((a, b) => a.ts - b.ts);
    for (const incident of closed.slice(0, Math.max(0, closed.length - keepClosed))) this.byId.delete(incident.id);
    this.closedCount = Math.min(closed.length, keepClosed);
  }
}
