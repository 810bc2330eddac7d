// The alarm manager of one site: turns the risk engine's changes into ISA-18.2 alarms, groups
// them into incidents on the dependency graph, escalates, and takes operator actions.

import { LEVEL_PRIORITY, WARNING_LEVELS, type AlarmEvent, type AlarmKpi, type AlarmState, type Equipment, type Incident, type RiskExplanation, type Site, type WarningLevel } from '../model/index.js';
import { isChattering, recordActivation } from './chatter.js';
import { escalate, notifyNow, type EscalationStep, type NotificationReason } from './escalation.js';
import { IncidentBook } from './incidents.js';
import { DueQueue } from './due-queue.js';
import { computeKpi } from './kpi.js';
import { AlarmTransitionError, eventOf, levelRank, transition, type AlarmAction } from './lifecycle.js';
import { notificationMessage, type AlarmNotification } from './notification.js';
import { mergeAlarmOptions, type AlarmOptions, type AlarmOptionsInput } from './options.js';
import type { PlaybookFile } from './playbook-schema.js';
import { resolveResponse, selectPlaybook } from './playbook-select.js';
import { isAnnunciated, newAlarm, type AlarmRecord } from './record.js';

/** A risk change as the risk engine sends it; factors and paths are optional for hand-made input. */
export type RiskChange = Pick<RiskExplanation, 'equipment' | 'level'> & Partial<Omit<RiskExplanation, 'equipment' | 'level'>>;

export interface RejectedChange {
  index: number;
  message: string;
}

export interface AlarmOutcome {
  events: AlarmEvent[];
  incidents: Incident[];
  notifications: AlarmNotification[];
  /** Changes refused (bad input), with where and why; the rest of the batch was applied. */
  rejected: RejectedChange[];
}

export interface AlarmSnapshot {
  version: 1;
  savedAt: number;
  alarms: AlarmRecord[];
  incidents: Incident[];
  incidentSeq: number;
  journal: AlarmEvent[];
}

export interface AlarmView extends AlarmRecord {
  stale: boolean;
  priority: string;
}

export interface AlarmFilter {
  state?: AlarmState;
  level?: WarningLevel;
  area?: string;
  incident?: string;
}

export interface AlarmManagerConfig {
  /** Milliseconds since the epoch; injected so that tests and replays run in simulated time. */
  clock?: () => number;
  options?: AlarmOptionsInput;
  site?: Site;
  playbooks?: PlaybookFile;
  acknowledgeUrl?: (alarm: string) => string | undefined;
  state?: AlarmSnapshot;
}

class Outcome {
  readonly events: AlarmEvent[] = [];
  readonly notifications: AlarmNotification[] = [];
  readonly incidents = new Map<string, Incident>();
  readonly rejected: RejectedChange[] = [];
  result(): AlarmOutcome {
    return {
      events: this.events,
      notifications: this.notifications,
      incidents: [...this.incidents.values()].map((i) => ({ ...i, alarms: [...i.alarms] })),
      rejected: this.rejected,
    };
  }
}

const KEEP_CLOSED_INCIDENTS = 1000;

export class AlarmManager {
  readonly options: AlarmOptions;
  private readonly clock: () => number;
  private readonly alarms = new Map<string, AlarmRecord>();
  private readonly incidents: IncidentBook;
  private journal: AlarmEvent[] = [];
  /** Pending timers (escalation, shelving), so that tick() does not scan every alarm. */
  private readonly due = new DueQueue();
  private equipment = new Map<string, Equipment>();
  private site: Site | undefined;
  private playbooks: PlaybookFile | undefined;
  private readonly acknowledgeUrl: (alarm: string) => string | undefined;
  /** Active alarms restored from a snapshot that the risk engine has not reported since. */
  private readonly unconfirmed = new Set<string>();
  /** Bumped on every change: the persistence adapter saves when it moved. */
  revision = 0;

  constructor(config: AlarmManagerConfig = {}) {
    this.options = mergeAlarmOptions(config.options);
    this.clock = config.clock ?? Date.now;
    this.acknowledgeUrl = config.acknowledgeUrl ?? (() => undefined);
    this.playbooks = config.playbooks;
    const state = config.state;
    this.incidents = new IncidentBook(state?.incidents ?? [], state?.incidentSeq ?? 0);
    for (const alarm of state?.alarms ?? []) {
      this.alarms.set(alarm.id, { ...alarm, activations: [...alarm.activations], comments: [...alarm.comments] });
      this.schedule(alarm);
      if (alarm.active) this.unconfirmed.add(alarm.id);
    }
    this.journal = [...(state?.journal ?? [])];
    if (config.site) this.setSite(config.site);
  }

  // ---- inputs ---------------------------------------------------------------------------

  /** A new or reloaded site: areas, and suppression by design from equipment states. */
  setSite(site: Site): AlarmOutcome {
    this.site = site;
    this.equipment = new Map(site.equipment.map((e) => [e.id, e]));
    const out = new Outcome();
    const now = this.clock();
    for (const [id, alarm] of this.alarms) {
      const equipment = this.equipment.get(alarm.equipment);
      if (!equipment) continue;
      let next: AlarmRecord = { ...alarm, area: equipment.area };
      this.alarms.set(id, next);
      if (equipment.state !== 'running') {
        this.step(next, { kind: 'suppress', reason: `equipment in ${equipment.state}` }, now, out);
      } else if (next.state === 'suppressed-by-design') {
        next = this.step(next, { kind: 'unsuppress', reason: 'equipment running again' }, now, out);
        if (next.state === 'unacknowledged' && !next.consequential) this.announce(next, 'new', now, out);
      }
    }
    this.touch();
    return out.result();
  }

  setPlaybooks(playbooks: PlaybookFile | undefined): void {
    this.playbooks = playbooks;
  }

  /** Applies the risk engine's changes; bad entries are refused one by one, the rest goes on. */
  applyRisk(changes: readonly RiskChange[]): AlarmOutcome {
    const out = new Outcome();
    const now = this.clock();
    const valid: RiskChange[] = [];
    changes.forEach((change, index) => {
      const problem = checkChange(change);
      if (problem) out.rejected.push({ index, message: `oilrisk/alarms: risk change [${index}]: ${problem}` });
      else valid.push(change);
    });
    // Root causes first, so that the alarms they explain in the same batch find their incident.
    const selfCaused = (c: RiskChange) => !c.rootCause || c.rootCause.equipment === c.equipment;
    const ordered = [...valid.filter(selfCaused), ...valid.filter((c) => !selfCaused(c))];
    const touched = new Set<string>();
    for (const change of ordered) {
      this.unconfirmed.delete(change.equipment);
      this.applyChange(change, now, out, touched);
    }
    this.reevaluate(touched, now, out);
    this.trimJournal();
    this.touch();
    return out.result();
  }

  private applyChange(change: RiskChange, now: number, out: Outcome, touched: Set<string>): void {
    const equipment = this.equipment.get(change.equipment);
    let alarm = this.alarms.get(change.equipment) ?? newAlarm(change.equipment, change.equipment, equipment?.area, now);
    if (equipment && alarm.area !== equipment.area) alarm = { ...alarm, area: equipment.area };
    if (equipment && equipment.state !== 'running') {
      alarm = this.step(alarm, { kind: 'suppress', reason: `equipment in ${equipment.state}` }, now, out);
    }

    if (change.level === 'normal') {
      if (!alarm.active) {
        this.alarms.set(alarm.id, alarm);
        return;
      }
      alarm = this.step(alarm, { kind: 'clear' }, now, out);
      if (alarm.state !== 'unacknowledged') this.alarms.set(alarm.id, { ...alarm, nextNotifyAt: undefined });
      if (alarm.incident) touched.add(alarm.incident);
      return;
    }

    const wasActive = alarm.active;
    if (!wasActive) alarm = this.joinIncident(alarm, change, now, out);
    const incident = alarm.incident ? this.incidents.get(alarm.incident) : undefined;
    const incidentLevel = incident?.level;

    const reason = !wasActive && alarm.consequential ? `risk active; consequence of ${alarm.rootCause?.equipment} (${alarm.groupedVia})` : undefined;
    const t = transition(alarm, { kind: 'activate', level: change.level, reason }, now, this.options);
    alarm = t.alarm;
    if (!wasActive) {
      const activations = recordActivation(alarm.activations, now, this.options);
      alarm = { ...alarm, activations, chattering: isChattering(activations, this.options) };
    }
    this.alarms.set(alarm.id, alarm);
    if (t.event) this.record(t.event, out);
    if (incident) {
      this.incidents.join(incident, alarm.id, alarm.level, now);
      out.incidents.set(incident.id, incident);
    }

    if (alarm.chattering && this.options.chatterAutoShelve > 0 && alarm.state === 'unacknowledged') {
      this.schedule(this.step(alarm, { kind: 'shelve', until: now + this.options.chatterAutoShelve * 1000, user: 'system', reason: 'chattering' }, now, out));
      return;
    }
    if (t.event && alarm.state === 'unacknowledged') {
      if (alarm.consequential) {
        if (incident && incidentLevel !== incident.level) this.announceIncidentRaise(incident, now, out);
      } else if (!wasActive) {
        this.announce(alarm, 'new', now, out);
      } else if (alarm.level === 'I' || alarm.notifiedAt === undefined || now - alarm.notifiedAt >= this.options.raiseHoldoff * 1000) {
        this.announce(alarm, 'level-raised', now, out);
      } else {
        alarm = { ...alarm, raisePending: true };
        this.alarms.set(alarm.id, alarm);
        this.schedule(alarm);
      }
    }
  }

  /** Decides, at activation, which incident the alarm belongs to and whether it is consequential. */
  private joinIncident(alarm: AlarmRecord, change: RiskChange, now: number, out: Outcome): AlarmRecord {
    const rootCause = change.rootCause ?? { equipment: change.equipment };
    const explained = this.explainingIncident(change, rootCause.equipment);
    const playbook = this.choosePlaybook(change);
    if (explained) {
      const { incident, via } = explained;
      return { ...alarm, incident: incident.id, consequential: true, rootCause: incident.rootCause, playbook, groupedVia: via };
    }
    let incident = this.incidents.openFor(rootCause.equipment);
    if (!incident) incident = this.incidents.open(rootCause, alarm.id, change.level, now);
    out.incidents.set(incident.id, incident);
    return { ...alarm, incident: incident.id, consequential: false, rootCause, playbook, groupedVia: undefined };
  }

  /**
   * The open incident that explains a new alarm, and how: its root cause's, or one reached along
   * the risk engine's propagation paths (strongest first) through equipment whose alarm is in an
   * open incident. Only incidents with an active lead explain anything.
   */
  private explainingIncident(change: RiskChange, rootEquipment: string): { incident: Incident; via: string } | undefined {
    const candidates: Array<{ equipment: string; via: string }> = [];
    if (rootEquipment !== change.equipment) candidates.push({ equipment: rootEquipment, via: 'root cause' });
    const paths = [...(change.paths ?? [])].filter((p) => p.weight >= this.options.minPathWeight).sort((a, b) => b.weight - a.weight);
    for (const p of paths) {
      for (const equipment of p.path) if (equipment !== change.equipment) candidates.push({ equipment, via: `path ${p.path.join(' > ')}` });
    }
    for (const candidate of candidates) {
      const incident = this.activeIncidentOf(candidate.equipment);
      if (incident) return { incident, via: candidate.via };
    }
    return undefined;
  }

  /** The open incident with an active lead that the equipment leads or whose alarm is part of. */
  private activeIncidentOf(equipment: string): Incident | undefined {
    const byRoot = this.incidents.openFor(equipment);
    if (byRoot && this.lead(byRoot)) return byRoot;
    const alarm = this.alarms.get(equipment);
    const joined = alarm?.active && alarm.incident ? this.incidents.get(alarm.incident) : undefined;
    return joined && joined.status === 'open' && this.lead(joined) ? joined : undefined;
  }

  /** The active alarm of an incident that stands for it: its root cause's, or the first-out's. */
  private lead(incident: Incident): AlarmRecord | undefined {
    for (const id of incident.alarms) {
      const alarm = this.alarms.get(id);
      if (alarm && alarm.active && !alarm.consequential && alarm.incident === incident.id) return alarm;
    }
    return undefined;
  }

  /** When an incident loses its lead, alarms it explained and still active stand on their own. */
  private reevaluate(touched: Set<string>, now: number, out: Outcome): void {
    for (const id of touched) {
      const incident = this.incidents.get(id);
      if (!incident || incident.status !== 'open') continue;
      if (!this.lead(incident)) {
        for (const memberId of incident.alarms) {
          const member = this.alarms.get(memberId);
          if (!member || !member.active || !member.consequential || member.incident !== id) continue;
          const own = this.incidents.openFor(member.equipment) ?? this.incidents.open({ equipment: member.equipment }, member.id, member.level, now);
          this.incidents.join(own, member.id, member.level, now);
          out.incidents.set(own.id, own);
          const detached: AlarmRecord = { ...member, consequential: false, incident: own.id, rootCause: { equipment: member.equipment }, groupedVia: undefined, updatedAt: now };
          this.alarms.set(detached.id, detached);
          this.record(eventOf(detached, member.state, now, undefined, `re-evaluated on its own: root cause ${incident.rootCause.equipment} cleared`), out);
          if (detached.state === 'unacknowledged') this.announce(detached, 're-evaluated', now, out);
        }
      }
      const anyActive = incident.alarms.some((a) => this.alarms.get(a)?.active && this.alarms.get(a)?.incident === id);
      if (!anyActive) {
        this.incidents.close(incident, now);
        out.incidents.set(incident.id, incident);
      }
    }
    this.incidents.prune(KEEP_CLOSED_INCIDENTS);
  }

  /** How many restored active alarms the risk engine has not reported yet. */
  get awaitingConfirmation(): number {
    return this.unconfirmed.size;
  }

  /**
   * Clears restored alarms the risk engine has not reported since the restart. The engine sends
   * changes only, from a fresh start at normal: once it has run past its delays, an equipment it
   * never reported is normal. Call it once, a grace period after the first risk change arrived.
   */
  clearUnconfirmed(): AlarmOutcome {
    const changes: RiskChange[] = [...this.unconfirmed].map((equipment) => ({ equipment, level: 'normal' }));
    this.unconfirmed.clear();
    if (!changes.length) return new Outcome().result();
    const out = this.applyRisk(changes);
    for (const event of out.events) event.reason = 'not reported by the risk engine since the restart: normal';
    return out;
  }

  // ---- operator actions -----------------------------------------------------------------

  acknowledge(id: string, user: string, reason?: string): AlarmOutcome {
    return this.act(id, { kind: 'acknowledge', user, reason });
  }

  /** Acknowledges an incident's alarms at once: the operator has seen the root cause and its consequences. */
  acknowledgeIncident(incidentId: string, user: string, reason?: string): AlarmOutcome {
    const incident = this.incidents.get(incidentId);
    if (!incident) throw new AlarmTransitionError(`no incident "${incidentId}"`, 'not-found');
    const out = new Outcome();
    const now = this.clock();
    for (const id of incident.alarms) {
      const alarm = this.alarms.get(id);
      if (!alarm || alarm.incident !== incidentId || (alarm.state !== 'unacknowledged' && alarm.state !== 'returned-unacknowledged')) continue;
      const next = this.step(alarm, { kind: 'acknowledge', user, reason }, now, out);
      this.alarms.set(id, { ...next, nextNotifyAt: undefined });
    }
    this.touch();
    return out.result();
  }

  shelve(id: string, seconds: number, user: string, reason: string): AlarmOutcome {
    if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds <= 0) {
      throw new AlarmTransitionError(`cannot shelve alarm "${id}": duration must be a positive number of seconds`, 'bad-request');
    }
    return this.act(id, { kind: 'shelve', until: this.clock() + seconds * 1000, user, reason });
  }

  unshelve(id: string, user: string, reason?: string): AlarmOutcome {
    return this.act(id, { kind: 'unshelve', user, reason });
  }

  reset(id: string, user: string, reason?: string): AlarmOutcome {
    return this.act(id, { kind: 'reset', user, reason });
  }

  removeFromService(id: string, user: string, reason: string): AlarmOutcome {
    return this.act(id, { kind: 'remove-from-service', user, reason });
  }

  returnToService(id: string, user: string, reason?: string): AlarmOutcome {
    return this.act(id, { kind: 'return-to-service', user, reason });
  }

  comment(id: string, user: string, text: string): AlarmOutcome {
    const alarm = this.require(id);
    if (typeof text !== 'string' || !text.trim()) throw new AlarmTransitionError(`cannot comment on alarm "${id}": the comment is empty`, 'bad-request');
    if (text.length > 2000) throw new AlarmTransitionError(`cannot comment on alarm "${id}": the comment is longer than 2000 characters`, 'bad-request');
    const out = new Outcome();
    const now = this.clock();
    const next = { ...alarm, comments: [...alarm.comments, { ts: now, user, text: text.trim() }], updatedAt: now };
    this.alarms.set(id, next);
    this.record(eventOf(next, alarm.state, now, user, `comment: ${text.trim()}`), out);
    this.touch();
    return out.result();
  }

  private act(id: string, action: AlarmAction): AlarmOutcome {
    const alarm = this.require(id);
    const out = new Outcome();
    const now = this.clock();
    let next = this.step(alarm, action, now, out);
    if (next.state !== 'unacknowledged' && next.nextNotifyAt !== undefined) {
      next = { ...next, nextNotifyAt: undefined };
      this.alarms.set(id, next);
    }
    this.schedule(next);
    if (alarm.state !== 'unacknowledged' && next.state === 'unacknowledged' && !next.consequential) this.announce(next, 'new', now, out);
    this.touch();
    return out.result();
  }

  private require(id: string): AlarmRecord {
    const alarm = this.alarms.get(id);
    if (!alarm) throw new AlarmTransitionError(`no alarm "${id}"`, 'not-found');
    return alarm;
  }

  // ---- time -----------------------------------------------------------------------------

  /** Auto-unshelving and escalation due by now. Call it periodically (every second is plenty). */
  tick(): AlarmOutcome {
    const out = new Outcome();
    const now = this.clock();
    for (let id = this.due.popDue(now); id !== undefined; id = this.due.popDue(now)) {
      let alarm = this.alarms.get(id);
      const at = alarm && this.dueAt(alarm);
      if (!alarm || at === undefined) continue;
      if (at > now) {
        this.due.push(at, id); // the timer moved since it was queued
        continue;
      }
      if (alarm.state === 'shelved' && alarm.shelvedUntil !== undefined && alarm.shelvedUntil <= now) {
        alarm = this.step(alarm, { kind: 'unshelve', user: 'system', reason: 'shelving expired' }, now, out);
        if (alarm.state === 'unacknowledged' && !alarm.consequential) alarm = this.announce(alarm, 'new', now, out);
      }
      if (alarm.state === 'unacknowledged' && alarm.nextNotifyAt !== undefined && alarm.nextNotifyAt <= now) {
        const escalated = escalate(alarm, now, this.options);
        alarm = escalated.alarm;
        if (escalated.steps.length) alarm = { ...alarm, notifiedAt: now, notifiedLevel: alarm.level, raisePending: false };
        this.alarms.set(id, alarm);
        for (const step of escalated.steps) out.notifications.push(this.notification(alarm, step));
      }
      if (alarm.state === 'unacknowledged' && alarm.raisePending && (alarm.notifiedAt ?? 0) + this.options.raiseHoldoff * 1000 <= now) {
        if (alarm.notifiedLevel === undefined || levelRank(alarm.level) > levelRank(alarm.notifiedLevel)) alarm = this.announce(alarm, 'level-raised', now, out);
        else {
          alarm = { ...alarm, raisePending: false };
          this.alarms.set(id, alarm);
        }
      }
      const next = this.dueAt(alarm);
      if (next !== undefined && next > now) this.due.push(next, id);
    }
    if (out.events.length || out.notifications.length) this.touch();
    this.trimJournal();
    return out.result();
  }

  // ---- reads ----------------------------------------------------------------------------

  get(id: string): AlarmView | undefined {
    const alarm = this.alarms.get(id);
    return alarm && this.view(alarm, this.clock());
  }

  list(filter: AlarmFilter = {}): AlarmView[] {
    const now = this.clock();
    const out: AlarmView[] = [];
    for (const alarm of this.alarms.values()) {
      if (filter.state && alarm.state !== filter.state) continue;
      if (filter.level && alarm.level !== filter.level) continue;
      if (filter.area && alarm.area !== filter.area) continue;
      if (filter.incident && alarm.incident !== filter.incident) continue;
      out.push(this.view(alarm, now));
    }
    return out.sort((a, b) => WARNING_LEVELS.indexOf(b.level) - WARNING_LEVELS.indexOf(a.level) || a.id.localeCompare(b.id));
  }

  /** Active annunciated alarms, how many are unacknowledged and the worst level, without copying any. */
  summary(): { active: number; unacknowledged: number; worst: WarningLevel } {
    let active = 0;
    let unacknowledged = 0;
    let worst: WarningLevel = 'normal';
    for (const alarm of this.alarms.values()) {
      if (!alarm.active || !isAnnunciated(alarm)) continue;
      active++;
      if (alarm.state === 'unacknowledged') unacknowledged++;
      if (WARNING_LEVELS.indexOf(alarm.level) > WARNING_LEVELS.indexOf(worst)) worst = alarm.level;
    }
    return { active, unacknowledged, worst };
  }

  listIncidents(status?: Incident['status']): Incident[] {
    return this.incidents.all().filter((i) => !status || i.status === status).map((i) => ({ ...i, alarms: [...i.alarms] }))
      .sort((a, b) => b.openedAt - a.openedAt);
  }

  getIncident(id: string): Incident | undefined {
    const incident = this.incidents.get(id);
    return incident && { ...incident, alarms: [...incident.alarms] };
  }

  journalEvents(): readonly AlarmEvent[] {
    return this.journal;
  }

  kpi(windowMinutes = 24 * 60): AlarmKpi {
    return computeKpi(this.journal, this.alarms.values(), this.clock(), windowMinutes, this.options);
  }

  snapshot(): AlarmSnapshot {
    return {
      version: 1,
      savedAt: this.clock(),
      alarms: [...this.alarms.values()],
      incidents: this.incidents.all(),
      incidentSeq: this.incidents.sequence,
      journal: this.journal,
    };
  }

  // ---- internals ------------------------------------------------------------------------

  private view(alarm: AlarmRecord, now: number): AlarmView {
    const stale = alarm.active && alarm.activatedAt !== undefined && now - alarm.activatedAt > this.options.staleAfter * 1000;
    return { ...alarm, stale, priority: LEVEL_PRIORITY[alarm.level] };
  }

  private step(alarm: AlarmRecord, action: AlarmAction, now: number, out: Outcome): AlarmRecord {
    const t = transition(alarm, action, now, this.options);
    this.alarms.set(t.alarm.id, t.alarm);
    if (t.event) this.record(t.event, out);
    return t.alarm;
  }

  private record(event: AlarmEvent, out: Outcome): void {
    this.journal.push(event);
    out.events.push(event);
  }

  private announce(alarm: AlarmRecord, reason: NotificationReason, now: number, out: Outcome): AlarmRecord {
    const notified = notifyNow(alarm, reason, now, this.options);
    const next: AlarmRecord = { ...notified.alarm, notifiedAt: now, notifiedLevel: alarm.level, raisePending: false };
    this.alarms.set(alarm.id, next);
    this.schedule(next);
    for (const step of notified.steps) out.notifications.push(this.notification(next, step));
    return next;
  }

  /** A consequence more severe than its cause raises the incident: the lead's tier hears of it. */
  private announceIncidentRaise(incident: Incident, now: number, out: Outcome): void {
    const lead = this.lead(incident);
    if (!lead) return;
    const notified = notifyNow({ ...lead, level: incident.level }, 'level-raised', now, this.options);
    for (const step of notified.steps) out.notifications.push(this.notification({ ...lead, level: incident.level }, step));
  }

  private notification(alarm: AlarmRecord, step: EscalationStep): AlarmNotification {
    const playbook = alarm.playbook && this.playbooks ? this.playbooks.playbooks.find((p) => p.id === alarm.playbook) : undefined;
    const response = playbook && this.playbooks ? resolveResponse(this.playbooks, playbook, alarm.level, alarm.area) : undefined;
    const base: Omit<AlarmNotification, 'message'> = {
      alarm: alarm.id,
      equipment: alarm.equipment,
      level: alarm.level,
      priority: LEVEL_PRIORITY[alarm.level],
      tier: step.tier,
      contacts: this.playbooks?.contacts[step.tier] ?? [],
      reason: step.reason,
      ts: step.ts,
    };
    if (alarm.area !== undefined) base.area = alarm.area;
    if (alarm.incident !== undefined) base.incident = alarm.incident;
    if (alarm.rootCause) base.rootCause = alarm.rootCause;
    if (response) base.playbook = response;
    const url = this.acknowledgeUrl(alarm.id);
    if (url) base.acknowledgeUrl = url;
    return { ...base, message: notificationMessage(base) };
  }

  private choosePlaybook(change: RiskChange): string | undefined {
    if (!this.playbooks) return undefined;
    let factors = (change.factors ?? []).filter((f) => f.state !== 'normal');
    if (!factors.length && change.rootCause?.tag && change.rootCause.factor) factors = [{ tag: change.rootCause.tag, factor: change.rootCause.factor, state: 'high', likelihood: 1, since: 0 }];
    const equipment = change.rootCause && change.rootCause.equipment !== change.equipment && !factors.length ? change.rootCause.equipment : change.equipment;
    return selectPlaybook(this.playbooks, { equipment, level: change.level, factors }, this.site)?.id;
  }

  private schedule(alarm: AlarmRecord): void {
    const at = this.dueAt(alarm);
    if (at !== undefined) this.due.push(at, alarm.id);
  }

  /** When the alarm's next timer runs out: the end of its shelving, its next notification or a held raise. */
  private dueAt(alarm: AlarmRecord): number | undefined {
    if (alarm.state === 'shelved') return alarm.shelvedUntil;
    if (alarm.state !== 'unacknowledged' || alarm.consequential) return undefined;
    const raise = alarm.raisePending ? (alarm.notifiedAt ?? 0) + this.options.raiseHoldoff * 1000 : undefined;
    if (raise === undefined) return alarm.nextNotifyAt;
    return alarm.nextNotifyAt === undefined ? raise : Math.min(raise, alarm.nextNotifyAt);
  }

  private trimJournal(): void {
    const limit = this.options.journalLimit;
    if (this.journal.length > limit * 1.1) this.journal = this.journal.slice(this.journal.length - limit);
  }

  private touch(): void {
    this.revision++;
  }
}

function checkChange(change: RiskChange): string | undefined {
  if (!change || typeof change !== 'object') return 'not an object; expected a RiskExplanation';
  if (typeof change.equipment !== 'string' || !change.equipment) return 'equipment is missing; expected the equipment id';
  if (!WARNING_LEVELS.includes(change.level)) return `level "${String(change.level)}" of equipment "${change.equipment}" is not one of ${WARNING_LEVELS.join(', ')}`;
  if (change.rootCause !== undefined && (typeof change.rootCause !== 'object' || typeof change.rootCause?.equipment !== 'string')) {
    return `rootCause of equipment "${change.equipment}" must be {equipment, tag?, factor?}`;
  }
  return undefined;
}
