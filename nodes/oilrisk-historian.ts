// The oilrisk-historian node: stores what it receives (readings, risk, alarms, incidents, KPIs,
// GPS, security) in QuestDB through a durable spool in the data folder; output 1 is write metrics.

import type { Node, NodeAPI, NodeDef, NodeMessage, NodeStatus } from 'node-red';
import { nodeDataPath, positiveNumber } from './node-config.js';
import { Historian, type HistorianMetrics, type RowSiteLookup, type SpoolFullPolicy } from '../lib/questdb/index.js';
import type { Site } from '../lib/model/index.js';
import type { QuestDbNode } from './oilrisk-questdb.js';
import type { SiteNode } from './oilrisk-site.js';

export interface HistorianNodeDef extends NodeDef {
  server: string;
  site: string;
  fsync: boolean;
  spoolMb: number | string;
  whenFull: SpoolFullPolicy;
  flushMs: number | string;
  metricsInterval: number | string;
}

export interface HistorianNode extends Node {
  /** Settles once the spool is open (what a previous run left is then being replayed). */
  ready: Promise<Historian>;
}

const DEFAULTS = { spoolMb: 256, flushMs: 200, metricsIntervalS: 10 };
const SHOWN_ERRORS = 3;

/** Status from the metrics: i18n key, fill and shape, with the figures an operator needs. */
export function historianStatus(m: HistorianMetrics): { key: string; fill: NodeStatus['fill']; shape: NodeStatus['shape'] } {
  if (!m.configured) return { key: 'oilrisk-historian.status.spool-only', fill: 'yellow', shape: 'ring' };
  if (!m.connected && m.requests === 0) return { key: 'oilrisk-historian.status.connecting', fill: 'grey', shape: 'ring' };
  if (!m.connected) return { key: 'oilrisk-historian.status.disconnected', fill: 'red', shape: 'ring' };
  if (m.rowsDeadLettered > 0 || m.rowsDropped > 0) return { key: 'oilrisk-historian.status.connected-with-losses', fill: 'yellow', shape: 'dot' };
  return { key: 'oilrisk-historian.status.connected', fill: 'green', shape: 'dot' };
}

export default function register(RED: NodeAPI): void {
  const live = new Map<string, { name: string; historian: Historian }>();

  function OilriskHistorianNode(this: HistorianNode, config: HistorianNodeDef) {
    RED.nodes.createNode(this, config);
    const node = this;
    const server = config.server ? (RED.nodes.getNode(config.server) as QuestDbNode | null) : null;
    const siteNode = config.site ? (RED.nodes.getNode(config.site) as SiteNode | null) : null;
    let closed = false;
    let shown = '';

    const lookup: RowSiteLookup = {};
    const onSite = (site: Site) => {
      const tagEquipment = new Map(site.tags.map((t) => [t.id, t.equipment]));
      const equipmentArea = new Map(site.equipment.map((e) => [e.id, e.area]));
      lookup.equipmentOfTag = (tag) => tagEquipment.get(tag);
      lookup.areaOfEquipment = (equipment) => equipmentArea.get(equipment);
      // The dashboards read tags, limits, the dependency graph and geofences from QuestDB: store each loaded site.
      node.ready
        .then((h) => h.storeSite(site))
        .then((result) => { if (result.errors.length) node.warn(result.errors.slice(0, SHOWN_ERRORS).join('; ')); })
        .catch((err: Error) => node.error(err.message));
    };

    let historian: Historian | undefined;
    const showStatus = () => {
      if (closed) return;
      let status: NodeStatus;
      if (server?.problem) {
        status = { fill: 'red', shape: 'ring', text: RED._('oilrisk-historian.status.config', { message: server.problem }) };
      } else if (!historian) {
        status = { fill: 'grey', shape: 'ring', text: RED._('oilrisk-historian.status.starting') };
      } else {
        const m = historian.metrics();
        const { key, fill, shape } = historianStatus(m);
        status = { fill, shape, text: RED._(key, { spooled: m.rowsSpooled, dead: m.rowsDeadLettered, dropped: m.rowsDropped, error: m.lastError ?? '' }) };
      }
      const text = JSON.stringify(status);
      if (text !== shown) {
        shown = text;
        node.status(status);
      }
    };

    node.ready = Historian.open({
      dir: nodeDataPath(RED.settings, 'historian', node.id),
      connection: server?.problem ? undefined : server?.connection,
      tablePrefix: server?.tablePrefix,
      ttlDays: server?.ttlDays,
      spool: {
        fsync: config.fsync !== false,
        maxBytes: positiveNumber(config.spoolMb, DEFAULTS.spoolMb) * 1024 * 1024,
        whenFull: config.whenFull === 'reject-new' ? 'reject-new' : 'drop-oldest',
      },
      forwarder: { flushIntervalMs: positiveNumber(config.flushMs, DEFAULTS.flushMs) },
    }, showStatus);
    node.ready.then((opened) => {
      historian = opened;
      if (!closed) live.set(node.id, { name: config.name || node.id, historian: opened });
      if (opened.recovered.rows > 0) node.log(RED._('oilrisk-historian.log.recovered', { rows: opened.recovered.rows, torn: opened.recovered.tornBytes }));
      if (!server?.connection) node.warn(RED._('oilrisk-historian.errors.spool-only'));
      showStatus();
    }, (err: Error) => {
      node.error(RED._('oilrisk-historian.errors.open', { message: err.message }));
      node.status({ fill: 'red', shape: 'ring', text: RED._('oilrisk-historian.status.failed') });
    });
    siteNode?.register(onSite);
    showStatus();

    node.on('input', (msg: NodeMessage, _send, done) => {
      node.ready
        .then((h) => h.store(msg.topic, msg.payload, lookup))
        .then((result) => {
          if (result.droppedRows > 0) node.warn(RED._('oilrisk-historian.errors.dropped', { rows: result.droppedRows }));
          showStatus();
          if (result.errors.length) {
            // The lib's messages name the topic, record index, table and column: pass them on as they are.
            const more = result.errors.length > SHOWN_ERRORS ? ` (and ${result.errors.length - SHOWN_ERRORS} more)` : '';
            done(new Error(`${result.errors.length} record(s) not stored: ${result.errors.slice(0, SHOWN_ERRORS).join('; ')}${more}`));
          } else {
            done();
          }
        })
        .catch((err: Error) => {
          showStatus();
          done(err);
        });
    });

    const metricsTimer = setInterval(() => {
      if (historian) node.send({ topic: 'historian-metrics', payload: historian.metrics() } as NodeMessage);
    }, positiveNumber(config.metricsInterval, DEFAULTS.metricsIntervalS) * 1000);

    node.on('close', (_removed: boolean, done: () => void) => {
      closed = true;
      live.delete(node.id);
      clearInterval(metricsTimer);
      siteNode?.deregister(onSite);
      node.ready
        .then((h) => h.close(), () => undefined)
        .catch((err: Error) => node.error(err.message))
        .finally(done);
    });
  }

  RED.nodes.registerType('oilrisk-historian', OilriskHistorianNode);

  // What each historian has written, spooled, set aside and dropped, for operators and monitoring.
  type Res = { json(body: unknown): void };
  RED.httpAdmin.get('/oilrisk/api/historian', RED.auth.needsPermission('oilrisk.read'), (_req: unknown, res: Res) => {
    res.json([...live.entries()].map(([id, { name, historian }]) => ({ id, name, deadLetterFile: historian.deadLetterPath, ...historian.metrics() })));
  });
}
