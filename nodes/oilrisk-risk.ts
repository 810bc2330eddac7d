// The oilrisk-risk node: feeds readings to the site's risk engine, emits risk changes, answers
// snapshot requests, ticks for stale tags and delays, and serves the risk state over HTTP.

import type { Node, NodeAPI, NodeDef, NodeMessage, NodeMessageInFlow } from 'node-red';
import { nonNegativeNumber } from './node-config.js';
import { LEVEL_COLOURS, WARNING_LEVELS, type RiskState, type Site, type WarningLevel } from '../lib/model/index.js';
import { RiskEngine } from '../lib/risk/index.js';
import { SITE_ERROR_STATUS, type SiteNode } from './oilrisk-site.js';

export interface RiskNodeDef extends NodeDef {
  site: string;
  /** Seconds between ticks (stale tags, on/off delays); 0 disables ticking. */
  tick: number | string;
  /** Report an equipment when its score moves by more than this. */
  scoreChange: number | string;
}

interface RiskNode extends Node {
  engine: RiskEngine | undefined;
}

const FILL: Record<WarningLevel, 'red' | 'yellow' | 'blue' | 'green'> = { I: 'red', II: 'red', III: 'yellow', IV: 'blue', normal: 'green' };

/** Language-neutral figures: the level names are the product's own ("I 1 · III 2"). */
export function levelStatus(counts: Readonly<Record<string, number>>): { fill: 'red' | 'yellow' | 'blue' | 'green'; shape: 'dot' | 'ring'; text: string } {
  const raised = WARNING_LEVELS.filter((l) => l !== 'normal' && counts[l] > 0).reverse();
  if (raised.length === 0) return { fill: 'green', shape: 'dot', text: `normal ${counts.normal ?? 0}` };
  const worst = raised[0];
  return { fill: FILL[worst], shape: worst === 'II' ? 'ring' : 'dot', text: raised.map((l) => `${l} ${counts[l]}`).join(' · ') };
}

export default function register(RED: NodeAPI): void {
  const engines = new Set<RiskNode>();

  function OilriskRiskNode(this: RiskNode, config: RiskNodeDef) {
    RED.nodes.createNode(this, config);
    const node = this;
    const siteNode = RED.nodes.getNode(config.site) as SiteNode | null;
    const tickSeconds = nonNegativeNumber(config.tick, 1);
    const options = { scoreChangeThreshold: nonNegativeNumber(config.scoreChange, 0.1) };
    node.engine = undefined;

    let shown = '';
    // Only on change: the tick runs every second and the editor need not hear the same figures again.
    const showStatus = () => {
      if (!node.engine) return;
      const status = levelStatus(node.engine.levelCounts());
      const key = `${status.fill} ${status.shape} ${status.text}`;
      if (key === shown) return;
      shown = key;
      node.status(status);
    };
    const emit = (changes: unknown[]) => {
      if (changes.length) node.send([{ topic: 'risk', payload: changes }, null]);
      showStatus();
    };

    const onSite = (site: Site) => {
      try {
        if (!node.engine) node.engine = new RiskEngine(site, options);
        else emit(node.engine.updateSite(site));
        showStatus();
      } catch (err) {
        node.error(err);
      }
    };

    if (!siteNode) {
      node.status({ fill: 'red', shape: 'ring', text: 'oilrisk-risk.status.no-site' });
    } else {
      node.status({ fill: 'grey', shape: 'ring', text: 'oilrisk-risk.status.waiting' });
      // The level figures are shown again once the site is repaired.
      siteNode.register(onSite, () => { shown = ''; node.status(SITE_ERROR_STATUS); });
      engines.add(node);
    }

    const timer = tickSeconds > 0
      ? setInterval(() => {
        try {
          if (node.engine) emit(node.engine.tick(Date.now()));
        } catch (err) {
          node.error(err);
        }
      }, tickSeconds * 1000)
      : undefined;

    node.on('input', (msg: NodeMessageInFlow, send: (msg: Array<NodeMessage | null>) => void, done: (err?: Error) => void) => {
      try {
        const engine = node.engine;
        if (!engine) {
          done(new Error(RED._(siteNode ? 'oilrisk-risk.errors.waiting' : 'oilrisk-risk.errors.no-site')));
          return;
        }
        if (msg.topic === 'snapshot') {
          msg.payload = engine.snapshot();
          send([null, msg]);
          done();
          return;
        }
        const { changes, errors } = engine.ingest(msg.payload);
        if (changes.length) send([{ topic: 'risk', payload: changes }, null]);
        showStatus();
        if (errors.length) {
          const details = errors.slice(0, 5).map((e) => e.message).join('; ');
          const err = new Error(`${RED._('oilrisk-risk.errors.readings', { count: errors.length })}: ${details}`);
          (err as Error & { readings: typeof errors }).readings = errors;
          done(err);
        } else {
          done();
        }
      } catch (err) {
        done(err as Error);
      }
    });

    node.on('close', (_removed: boolean, done: () => void) => {
      try {
        clearInterval(timer);
        siteNode?.deregister(onSite);
        engines.delete(node);
      } finally {
        done();
      }
    });
  }

  RED.nodes.registerType('oilrisk-risk', OilriskRiskNode);

  type Res = { status(code: number): Res; json(body: unknown): void };

  RED.httpAdmin.get('/oilrisk/api/risk', RED.auth.needsPermission('oilrisk.read'), (_req: unknown, res: Res) => {
    const equipment: Array<RiskState & { site: string }> = [];
    const counts: Record<string, number> = Object.fromEntries(WARNING_LEVELS.map((l) => [l, 0]));
    for (const node of engines) {
      const engine = node.engine;
      if (!engine) continue;
      for (const state of engine.snapshot()) {
        equipment.push({ site: engine.siteModel.id, ...state });
        counts[state.level]++;
      }
    }
    res.json({ counts, colours: LEVEL_COLOURS, equipment });
  });

  RED.httpAdmin.get('/oilrisk/api/risk/:equipment', RED.auth.needsPermission('oilrisk.read'), (req: { params: { equipment: string } }, res: Res) => {
    for (const node of engines) {
      const explanation = node.engine?.explain(req.params.equipment);
      if (explanation) {
        res.json({ site: node.engine!.siteModel.id, ...explanation });
        return;
      }
    }
    res.status(404).json({ error: `unknown equipment "${req.params.equipment}": no risk engine knows it; see GET /oilrisk/api/risk for the ids` });
  });
}
