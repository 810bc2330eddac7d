// The oilrisk-grafana-annotate node: alarm events and incidents become Grafana annotation
// regions that close when the alarm clears. A Grafana that is down never holds the flow.

import type { Node, NodeAPI, NodeDef, NodeMessage } from 'node-red';
import { AnnotationRegions, CoolingQueue, GrafanaError, type AnnotationStep, type GrafanaClient, type JobOutcome } from '../lib/grafana/index.js';
import type { AlarmEvent, Incident } from '../lib/model/index.js';
import type { GrafanaConfigNode } from './oilrisk-grafana.js';

export interface AnnotateNodeDef extends NodeDef {
  grafana: string;
  dashboardUid: string;
  panelId: string;
  queueSize: string;
}

type Kind = 'alarm' | 'incident';

/** Which kind of record this is: by msg.topic, or by its shape when the topic says nothing. */
export function recordKind(topic: unknown, record: unknown): Kind | undefined {
  if (topic === 'alarm' || topic === 'incident') return topic;
  if (typeof record !== 'object' || record === null) return undefined;
  const r = record as Record<string, unknown>;
  if (typeof r.alarm === 'string' && typeof r.state === 'string') return 'alarm';
  if (typeof r.id === 'string' && typeof r.status === 'string' && typeof r.rootCause === 'object') return 'incident';
  return undefined;
}

/** Why a record cannot be annotated, or undefined when it can. */
export function recordProblem(kind: Kind, record: unknown): string | undefined {
  if (typeof record !== 'object' || record === null) return 'is not an object';
  const r = record as Record<string, unknown>;
  if (kind === 'alarm') {
    if (typeof r.alarm !== 'string' || !r.alarm) return 'has no "alarm" id';
    if (typeof r.equipment !== 'string') return `alarm "${r.alarm}" has no "equipment"`;
    if (typeof r.state !== 'string') return `alarm "${r.alarm}" has no "state"`;
    if (typeof r.level !== 'string') return `alarm "${r.alarm}" has no "level"`;
    if (typeof r.ts !== 'number' || !Number.isFinite(r.ts)) return `alarm "${r.alarm}" has no numeric "ts" (epoch ms)`;
    return undefined;
  }
  if (typeof r.id !== 'string' || !r.id) return 'has no "id"';
  if (r.status !== 'open' && r.status !== 'closed') return `incident "${r.id}" has a "status" that is not open or closed`;
  if (typeof r.rootCause !== 'object' || r.rootCause === null || typeof (r.rootCause as { equipment?: unknown }).equipment !== 'string') return `incident "${r.id}" has no "rootCause.equipment"`;
  if (typeof r.openedAt !== 'number' || typeof r.ts !== 'number') return `incident "${r.id}" has no numeric "openedAt" and "ts" (epoch ms)`;
  if (!Array.isArray(r.alarms)) return `incident "${r.id}" has no "alarms" list`;
  return undefined;
}

export default function register(RED: NodeAPI): void {
  function OilriskGrafanaAnnotateNode(this: Node, config: AnnotateNodeDef) {
    RED.nodes.createNode(this, config);
    const node = this;
    const grafana = RED.nodes.getNode(config.grafana) as GrafanaConfigNode | null;
    const client: GrafanaClient | undefined = grafana?.client;
    const panelId = Number(config.panelId);
    const regions = new AnnotationRegions({
      dashboardUID: config.dashboardUid?.trim() || undefined,
      panelId: config.dashboardUid?.trim() && Number.isInteger(panelId) && panelId > 0 ? panelId : undefined,
    });
    const capacity = Number(config.queueSize);
    const queue = new CoolingQueue({ capacity: Number.isInteger(capacity) && capacity > 0 ? capacity : undefined }, (err) => !(err instanceof GrafanaError) || err.transient);
    let annotated = 0;
    let dropped = 0;
    /** The error code already reported: the same failure is not reported again until a success. */
    let reported: string | undefined;

    if (!client) node.status({ fill: 'grey', shape: 'ring', text: `oilrisk-grafana-annotate.status.${grafana?.skipReason ?? 'not-configured'}` });

    const execute = async (step: AnnotationStep): Promise<void> => {
      if (step.kind === 'create') regions.created(step.key, await client!.createAnnotation(step.request));
      else if (step.kind === 'update') await client!.updateAnnotation(step.id, step.patch);
    };

    node.on('input', (msg: NodeMessage, _send: unknown, done: (err?: Error) => void) => {
      if (!client) {
        done();
        return;
      }
      const records: unknown[] = Array.isArray(msg.payload) ? msg.payload : [msg.payload];
      const problems: string[] = [];
      const jobs: Array<Promise<JobOutcome>> = [];
      records.forEach((record, index) => {
        const kind = recordKind(msg.topic, record);
        if (!kind) return; // KPIs, GPS... on the same link: not annotated.
        const problem = recordProblem(kind, record);
        if (problem) {
          problems.push(`payload[${index}] ${problem}`);
          return;
        }
        // Planned when its turn comes, so that a close sees the id its open got from Grafana;
        // planned without a call when skipped, so that regions stay in step with the alarms.
        const plan = () => (kind === 'alarm' ? regions.planAlarm(record as AlarmEvent) : regions.planIncident(record as Incident));
        jobs.push(queue.push(() => execute(plan()), () => { plan(); }));
      });
      Promise.all(jobs).then((outcomes) => {
        const failures = outcomes.filter((o): o is Extract<JobOutcome, { ok: false }> => !o.ok);
        annotated += outcomes.length - failures.length;
        dropped += failures.length;
        if (failures.length < outcomes.length) reported = undefined;
        const messages: string[] = [];
        if (failures.length) {
          const error = failures[0].error;
          const code = error instanceof GrafanaError ? error.code : 'failed';
          node.status({ fill: 'red', shape: 'ring', text: `oilrisk-grafana-annotate.status.${code}` });
          // Once per kind of failure until Grafana answers again: an outage is one error, not one per alarm.
          if (reported !== code) {
            reported = code;
            messages.push(failures.length > 1 ? `${error.message} (${failures.length} annotation calls not made)` : error.message);
          }
        } else if (outcomes.length) {
          node.status({ fill: 'green', shape: 'dot', text: 'oilrisk-grafana-annotate.status.ok' });
        }
        if (problems.length) messages.push(`oilrisk/grafana: ${problems.length} record(s) not annotated: ${problems.join('; ')}`);
        if (messages.length) done(new Error(messages.join('; ')));
        else done();
      }, (err: Error) => done(err));
    });

    node.on('close', (_removed: boolean, done: () => void) => {
      queue.close();
      node.log(RED._('oilrisk-grafana-annotate.log.closed', { annotated, dropped }));
      done();
    });
  }

  RED.nodes.registerType('oilrisk-grafana-annotate', OilriskGrafanaAnnotateNode);
}
