// The oilrisk-ingest node: takes what modbus-read, OpcUa-Client and mqtt in send, maps device
// addresses to the site's tags through the sensor profiles plugins provide, and emits Readings.

import type { Node, NodeAPI, NodeDef, NodeMessage, NodeMessageInFlow } from 'node-red';
import type { Reading, Site } from '../lib/model/index.js';
import {
  DeviceMapper, INGEST_DEFAULTS, StaleTracker, buildBindingIndex, summariseProblems, type BindingIndex, type DeviceMessage,
} from '../lib/ingest/index.js';
import { GpsTracker } from '../lib/gps/index.js';
import { profileRegistry, type SensorPlugins } from '../plugins/oilrisk-sensors.js';

export { profileRegistry };
import { SITE_ERROR_STATUS, type SiteNode } from './oilrisk-site.js';

export interface IngestNodeDef extends NodeDef {
  site: string;
}

interface TagState {
  reading?: Reading;
  stale: boolean;
}

interface IngestNode extends Node {
  tagStates(): Record<string, TagState>;
}


export default function register(RED: NodeAPI): void {
  const ingestNodes = new Map<string, IngestNode>();

  function OilriskIngestNode(this: IngestNode, config: IngestNodeDef) {
    RED.nodes.createNode(this, config);
    const node = this;
    const siteNode = RED.nodes.getNode(config.site) as SiteNode | null;
    let index: BindingIndex | undefined;
    let mapper: DeviceMapper | undefined;
    let tracker: StaleTracker | undefined;
    let gps: GpsTracker | undefined;
    const last = new Map<string, Reading>();

    const showStatus = () => {
      if (!tracker) return;
      const stale = tracker.staleTags().length;
      node.status(stale > 0
        ? { fill: 'yellow', shape: 'ring', text: 'oilrisk-ingest.status.stale' }
        : { fill: 'green', shape: 'dot', text: 'oilrisk-ingest.status.ready' });
    };

    const onSite = (site: Site) => {
      try {
        index = buildBindingIndex(site, profileRegistry(RED.plugins as unknown as SensorPlugins, (m) => node.warn(m)));
        for (const p of index.problems) node.warn(`${RED._('oilrisk-ingest.errors.binding')}: ${p.source}: ${p.message}`);
        if (mapper) mapper.setIndex(index);
        else mapper = new DeviceMapper(index);
        tracker = new StaleTracker(index.all, Date.now(), tracker);
        if (gps) gps.setSite(site);
        else gps = new GpsTracker(site);
        for (const p of gps.problems) node.warn(`${RED._('oilrisk-ingest.errors.gps')}: ${p}`);
        showStatus();
      } catch (err) {
        // The site node calls listeners from its loader: keep the previous bindings rather than throw there.
        node.error(err);
      }
    };

    if (!siteNode) {
      node.status({ fill: 'red', shape: 'ring', text: 'oilrisk-ingest.status.no-site' });
    } else {
      node.status({ fill: 'grey', shape: 'ring', text: 'oilrisk-ingest.status.waiting' });
      siteNode.register(onSite, () => node.status(SITE_ERROR_STATUS));
    }

    const remember = (readings: Reading[]) => {
      for (const r of readings) last.set(r.tag, r);
    };

    const timer = setInterval(() => {
      try {
        if (!tracker) return;
        const stale = tracker.sweep(Date.now());
        if (stale.length) {
          // A tracker gone stale leaves its vehicle's restricted-zone tag unknown too.
          const lost = [...stale, ...(gps?.update(stale).readings ?? [])];
          remember(lost);
          node.send({ topic: 'readings', payload: lost } as NodeMessage);
          showStatus();
        }
      } catch (err) {
        node.error(err);
      }
    }, INGEST_DEFAULTS.staleCheckMs);

    node.tagStates = () => {
      const stale = new Set(tracker?.staleTags() ?? []);
      const states: Record<string, TagState> = Object.fromEntries((index?.all ?? []).map((b) => [b.tag, { reading: last.get(b.tag), stale: stale.has(b.tag) }]));
      // Tags no device serves (a vehicle's restricted-zone trip) are listed once set; a lost fix reads bad.
      for (const [tag, reading] of last) states[tag] ??= { reading, stale: false };
      return states;
    };
    ingestNodes.set(node.id, node);

    node.on('input', (msg: NodeMessageInFlow, send: (msg: Array<NodeMessage | null>) => void, done: (err?: Error) => void) => {
      try {
        if (!mapper || !tracker || !gps) {
          done(new Error(RED._(siteNode ? 'oilrisk-ingest.errors.waiting' : 'oilrisk-ingest.errors.no-site')));
          return;
        }
        const now = Date.now();
        const result = mapper.map(msg as DeviceMessage, now);
        if (result.readings.length) {
          const recovered = tracker.observe(result.readings, now);
          const { fixes, readings: zone } = gps.update(result.readings);
          const readings = zone.length ? [...result.readings, ...zone] : result.readings;
          remember(readings);
          send([{ topic: 'readings', payload: readings }, fixes.length ? { topic: 'gps', payload: fixes } : null]);
          if (recovered.length) showStatus();
        }
        if (result.problems.length) {
          const err = new Error(`${RED._('oilrisk-ingest.errors.input', { count: result.problems.length })}: ${summariseProblems(result)}`);
          (err as Error & { problems: typeof result.problems }).problems = result.problems;
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
        ingestNodes.delete(node.id);
      } finally {
        done();
      }
    });
  }

  RED.nodes.registerType('oilrisk-ingest', OilriskIngestNode);

  type Res = { status(code: number): Res; json(body: unknown): void };

  // What each ingest node last read per tag, and which tags are stale: for commissioning devices.
  RED.httpAdmin.get('/oilrisk/api/ingest/:id/tags', RED.auth.needsPermission('oilrisk.read'), (req: { params: { id: string } }, res: Res) => {
    const node = ingestNodes.get(req.params.id);
    if (!node) {
      res.status(404).json({ error: `no oilrisk-ingest node with id "${req.params.id}" is deployed` });
      return;
    }
    res.json({ tags: node.tagStates() });
  });

  // The sensor profiles this runtime knows, built-in and from installed plugins.
  RED.httpAdmin.get('/oilrisk/api/ingest/profiles', RED.auth.needsPermission('oilrisk.read'), (_req: unknown, res: Res) => {
    const registry = profileRegistry(RED.plugins as unknown as SensorPlugins, (m) => RED.log.warn(m));
    res.json({ profiles: registry.list().map((p) => ({ name: p.name, vendor: p.vendor, description: p.description, channels: p.channels.map((c) => ({ name: c.name, unit: c.unit })) })) });
  });
}
