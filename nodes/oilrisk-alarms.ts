// The oilrisk-alarms node: risk changes in; alarm events and incidents, notifications and KPI
// snapshots out; the operator API under /oilrisk/api; state kept in the data folder.

import type { Node, NodeAPI, NodeDef, NodeMessage } from 'node-red';
import { nodeDataPath, positiveNumber, userDirPath } from './node-config.js';
import {
  AlarmManager, AlarmTransitionError, appendJournal, compactJournal, loadAlarmState, loadJournal, loadPlaybookFile, moveAside, saveAlarmState,
  type AlarmFilter, type AlarmOutcome, type AlarmSnapshot, type RiskChange,
} from '../lib/alarms/index.js';
import { WARNING_LEVELS, type AlarmState, type Site, type WarningLevel } from '../lib/model/index.js';
import { SITE_ERROR_STATUS, type SiteNode } from './oilrisk-site.js';

export interface AlarmsNodeDef extends NodeDef {
  site: string;
  playbooks: string;
  kpiInterval: number | string;
  kpiWindow: number | string;
  ackBaseUrl: string;
  chatterAutoShelve: number | string;
  latching: boolean;
}

export interface AlarmsNode extends Node {
  manager: AlarmManager;
  /** Saves the alarm and incident state now, when it changed. */
  persist(): void;
  /** Sends what an operator action produced, as if it came from the input. */
  publish(outcome: AlarmOutcome): void;
  /** Settles when the playbook file has been read (loaded or refused). */
  ready: Promise<void>;
}

const ALARM_STATES: readonly AlarmState[] = ['normal', 'unacknowledged', 'acknowledged', 'returned-unacknowledged', 'shelved', 'suppressed-by-design', 'out-of-service'];
const TICK_MS = 1000;
/** After a restart, how long the risk engine has (from its first change) to report what is still active. */
export const RECONCILE_GRACE_MS = 300_000;

/** Durations in seconds, or with a unit: "900", "15m", "2h". */
export function parseDuration(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value > 0 ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const m = /^\s*(\d+(?:\.\d+)?)\s*(s|m|h)?\s*$/.exec(value);
  if (!m) return undefined;
  const n = Number(m[1]) * (m[2] === 'h' ? 3600 : m[2] === 'm' ? 60 : 1);
  return n > 0 ? n : undefined;
}

export default function register(RED: NodeAPI): void {
  const live = new Map<string, AlarmsNode>();

  function OilriskAlarmsNode(this: AlarmsNode, config: AlarmsNodeDef) {
    RED.nodes.createNode(this, config);
    const node = this;
    const statePath = `${nodeDataPath(RED.settings, 'alarms', node.id)}.json`;
    const journalPath = statePath.replace(/\.json$/, '.journal.jsonl');
    const kpiWindow = positiveNumber(config.kpiWindow, 24 * 60);
    const ackBase = (config.ackBaseUrl ?? '').replace(/\/+$/, '');

    let state: AlarmSnapshot | undefined;
    const loaded = loadAlarmState(statePath);
    if (loaded.ok) {
      state = loaded.snapshot;
    } else {
      // Keep the damaged file for inspection and start clean rather than not at all.
      node.error(RED._('oilrisk-alarms.errors.state', { message: loaded.message }));
      try { moveAside(statePath); } catch { /* the next save replaces it */ }
    }
    const options = { chatterAutoShelve: Number(config.chatterAutoShelve) || 0, latching: Boolean(config.latching) };
    let journal: AlarmSnapshot['journal'] = [];
    // A journal that could not be read is never compacted over: it is moved aside, or left alone.
    let compactable = true;
    try {
      journal = loadJournal(journalPath, new AlarmManager({ options }).options.journalLimit).events;
    } catch (err) {
      let kept: string | undefined;
      try { kept = moveAside(journalPath); } catch { compactable = false; }
      node.error(RED._('oilrisk-alarms.errors.journal', { message: (err as Error).message, kept: kept ?? journalPath }));
    }
    node.manager = new AlarmManager({
      state: state && { ...state, journal },
      options,
      acknowledgeUrl: ackBase ? (id) => `${ackBase}/oilrisk/api/alarms/${encodeURIComponent(id)}/ack` : undefined,
    });
    let savedRevision = node.manager.revision;
    let journalLines = journal.length;

    // Every outcome is on disk before it leaves the node: events appended to the journal, the
    // alarm and incident state replaced atomically. A crash loses nothing already sent or answered.
    const record = (outcome: AlarmOutcome) => {
      try {
        appendJournal(journalPath, outcome.events);
        journalLines += outcome.events.length;
        if (compactable && journalLines > 2 * node.manager.options.journalLimit) {
          compactJournal(journalPath, node.manager.journalEvents());
          journalLines = node.manager.journalEvents().length;
        }
      } catch (err) {
        node.error(RED._('oilrisk-alarms.errors.save', { path: journalPath, message: (err as Error).message }));
      }
      node.persist();
    };

    node.persist = () => {
      if (node.manager.revision === savedRevision) return;
      try {
        saveAlarmState(statePath, { ...node.manager.snapshot(), journal: [] });
        savedRevision = node.manager.revision;
      } catch (err) {
        node.error(RED._('oilrisk-alarms.errors.save', { path: statePath, message: (err as Error).message }));
      }
    };

    // A broken site file or playbook file stays in the status until it is fixed, whatever alarms do.
    let siteBroken = false;
    let playbooksBroken = false;
    const showStatus = () => {
      if (siteBroken) {
        node.status(SITE_ERROR_STATUS);
        return;
      }
      if (playbooksBroken) {
        node.status({ fill: 'red', shape: 'ring', text: 'oilrisk-alarms.status.playbooks' });
        return;
      }
      const { active, unacknowledged, worst } = node.manager.summary();
      if (!active) {
        node.status({ fill: 'green', shape: 'dot', text: 'oilrisk-alarms.status.normal' });
        return;
      }
      const fill = worst === 'I' || worst === 'II' ? 'red' : worst === 'III' ? 'yellow' : 'blue';
      node.status({ fill, shape: unacknowledged ? 'ring' : 'dot', text: unacknowledged ? 'oilrisk-alarms.status.unacknowledged' : 'oilrisk-alarms.status.acknowledged' });
    };

    node.publish = (outcome) => {
      record(outcome);
      const first: NodeMessage[] = [];
      if (outcome.events.length) first.push({ topic: 'alarm', payload: outcome.events } as NodeMessage);
      if (outcome.incidents.length) first.push({ topic: 'incident', payload: outcome.incidents } as NodeMessage);
      const second = outcome.notifications.map((n) => ({ topic: 'notification', payload: n }) as NodeMessage);
      if (first.length || second.length) {
        node.send([first.length ? first : null, second.length ? second : null, null] as unknown as NodeMessage[]);
        showStatus();
      }
    };

    const siteNode = RED.nodes.getNode(config.site) as SiteNode | null;
    const onSite = (site: Site) => {
      siteBroken = false;
      node.publish(node.manager.setSite(site));
      showStatus();
    };
    if (siteNode) siteNode.register(onSite, () => { siteBroken = true; showStatus(); });
    else node.warn(RED._('oilrisk-alarms.errors.noSite'));

    node.ready = Promise.resolve();
    if (config.playbooks) {
      const path = userDirPath(config.playbooks, RED.settings.userDir);
      node.ready = loadPlaybookFile(path).then((result) => {
        if (result.ok) node.manager.setPlaybooks(result.playbooks);
        else {
          node.error(RED._('oilrisk-alarms.errors.playbooks', { count: result.issues.length, issues: result.issues.map((i) => `${i.file}: ${i.path}: ${i.message}`).join('; ') }));
          playbooksBroken = true;
          showStatus();
        }
      }, (err: Error) => node.error(err.message));
    }

    let reconcile: NodeJS.Timeout | undefined;
    node.on('input', (msg: NodeMessage & { payload?: unknown }, _send, done) => {
      try {
        if (node.manager.awaitingConfirmation && !reconcile) {
          reconcile = setTimeout(() => {
            try {
              node.publish(node.manager.clearUnconfirmed());
            } catch (err) {
              node.error((err as Error).message);
            }
          }, RECONCILE_GRACE_MS);
        }
        const payload = msg.payload;
        if (payload === null || typeof payload !== 'object') {
          done(new Error(RED._('oilrisk-alarms.errors.payload', { topic: String(msg.topic ?? '') })));
          return;
        }
        const outcome = node.manager.applyRisk((Array.isArray(payload) ? payload : [payload]) as RiskChange[]);
        node.publish(outcome);
        if (outcome.rejected.length) done(new Error(outcome.rejected.map((r) => r.message).join('; ')));
        else done();
      } catch (err) {
        done(err as Error);
      }
    });

    const ticker = setInterval(() => {
      try {
        node.publish(node.manager.tick());
      } catch (err) {
        node.error((err as Error).message);
      }
    }, TICK_MS);
    const kpiTimer = setInterval(() => {
      try {
        node.send([null, null, { topic: 'kpi', payload: [node.manager.kpi(kpiWindow)] }] as unknown as NodeMessage[]);
      } catch (err) {
        node.error((err as Error).message);
      }
    }, positiveNumber(config.kpiInterval, 60) * 1000);

    live.set(node.id, node);
    showStatus();

    node.on('close', (_removed: boolean, done: () => void) => {
      clearInterval(ticker);
      clearInterval(kpiTimer);
      clearTimeout(reconcile);
      live.delete(node.id);
      siteNode?.deregister(onSite);
      try {
        node.persist();
      } finally {
        done();
      }
    });
  }

  RED.nodes.registerType('oilrisk-alarms', OilriskAlarmsNode);

  // ---- the operator API ------------------------------------------------------------------

  type Req = { params: Record<string, string>; query: Record<string, unknown>; body?: Record<string, unknown>; user?: { username?: string } };
  type Res = { status(code: number): Res; json(body: unknown): void };

  const nodesFor = (req: Req): AlarmsNode[] => {
    const wanted = typeof req.query.node === 'string' ? req.query.node : undefined;
    return [...live.values()].filter((n) => !wanted || n.id === wanted);
  };
  const fail = (res: Res, status: number, message: string) => res.status(status).json({ error: message });
  const userOf = (req: Req): string => req.user?.username ?? (typeof req.body?.user === 'string' && req.body.user.trim() ? req.body.user.trim() : 'anonymous');
  const text = (value: unknown): string | undefined => (typeof value === 'string' && value.trim() ? value.trim() : undefined);

  RED.httpAdmin.get('/oilrisk/api/alarms', RED.auth.needsPermission('oilrisk.read'), (req: Req, res: Res) => {
    const filter: AlarmFilter = {};
    const { state, level, area, incident } = req.query;
    if (state !== undefined) {
      if (!ALARM_STATES.includes(state as AlarmState)) return fail(res, 400, `oilrisk/alarms: state "${String(state)}" is not one of ${ALARM_STATES.join(', ')}`);
      filter.state = state as AlarmState;
    }
    if (level !== undefined) {
      if (!WARNING_LEVELS.includes(level as WarningLevel)) return fail(res, 400, `oilrisk/alarms: level "${String(level)}" is not one of ${WARNING_LEVELS.join(', ')}`);
      filter.level = level as WarningLevel;
    }
    if (typeof area === 'string') filter.area = area;
    if (typeof incident === 'string') filter.incident = incident;
    res.json(nodesFor(req).flatMap((n) => n.manager.list(filter).map((a) => ({ ...a, node: n.id }))));
  });

  RED.httpAdmin.get('/oilrisk/api/alarms/:id', RED.auth.needsPermission('oilrisk.read'), (req: Req, res: Res) => {
    const owner = nodesFor(req).find((n) => n.manager.get(req.params.id));
    if (!owner) return fail(res, 404, `oilrisk/alarms: no alarm "${req.params.id}"`);
    const alarm = owner.manager.get(req.params.id)!;
    res.json({ ...alarm, node: owner.id, journal: owner.manager.journalEvents().filter((e) => e.alarm === alarm.id).slice(-100) });
  });

  RED.httpAdmin.get('/oilrisk/api/incidents', RED.auth.needsPermission('oilrisk.read'), (req: Req, res: Res) => {
    const status = req.query.status;
    if (status !== undefined && status !== 'open' && status !== 'closed') return fail(res, 400, `oilrisk/alarms: status "${String(status)}" is not open or closed`);
    res.json(nodesFor(req).flatMap((n) => n.manager.listIncidents(status as 'open' | 'closed' | undefined).map((i) => ({ ...i, node: n.id }))));
  });

  RED.httpAdmin.get('/oilrisk/api/kpi', RED.auth.needsPermission('oilrisk.read'), (req: Req, res: Res) => {
    const window = req.query.window === undefined ? 24 * 60 : Number(req.query.window);
    if (!Number.isFinite(window) || window <= 0 || window > 31 * 24 * 60) return fail(res, 400, 'oilrisk/alarms: window must be minutes, 1..44640');
    const nodes = nodesFor(req);
    if (!nodes.length) return fail(res, 404, 'oilrisk/alarms: no oilrisk-alarms node is running');
    res.json(nodes.map((n) => ({ node: n.id, ...n.manager.kpi(window) })));
  });

  type Action = (node: AlarmsNode, id: string, user: string, body: Record<string, unknown>) => AlarmOutcome;
  const actions: Record<string, Action> = {
    ack: (n, id, user, body) => (body.incident === true
      ? n.manager.acknowledgeIncident(n.manager.get(id)?.incident ?? id, user, text(body.reason))
      : n.manager.acknowledge(id, user, text(body.reason))),
    shelve: (n, id, user, body) => {
      const seconds = parseDuration(body.duration);
      if (seconds === undefined) throw new AlarmTransitionError(`cannot shelve alarm "${id}": duration must be seconds or a number with s, m or h (e.g. "15m"), got ${JSON.stringify(body.duration)}`, 'bad-request');
      return n.manager.shelve(id, seconds, user, text(body.reason) ?? '');
    },
    unshelve: (n, id, user, body) => n.manager.unshelve(id, user, text(body.reason)),
    comment: (n, id, user, body) => n.manager.comment(id, user, typeof body.text === 'string' ? body.text : ''),
    reset: (n, id, user, body) => n.manager.reset(id, user, text(body.reason)),
    'out-of-service': (n, id, user, body) => n.manager.removeFromService(id, user, text(body.reason) ?? ''),
    'return-to-service': (n, id, user, body) => n.manager.returnToService(id, user, text(body.reason)),
  };

  for (const [name, action] of Object.entries(actions)) {
    RED.httpAdmin.post(`/oilrisk/api/alarms/:id/${name}`, RED.auth.needsPermission('oilrisk.operate'), (req: Req, res: Res) => {
      const id = req.params.id;
      const body = req.body && typeof req.body === 'object' ? req.body : {};
      const owner = nodesFor(req).find((n) => n.manager.get(id));
      if (!owner) return fail(res, 404, `oilrisk/alarms: no alarm "${id}"`);
      try {
        const outcome = action(owner, id, userOf(req), body);
        owner.publish(outcome);
        res.json({ alarm: owner.manager.get(id), events: outcome.events });
      } catch (err) {
        if (err instanceof AlarmTransitionError) return fail(res, err.code === 'not-found' ? 404 : err.code === 'bad-request' ? 400 : 409, err.message);
        fail(res, 500, (err as Error).message);
      }
    });
  }
}
