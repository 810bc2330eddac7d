// Indexes a site's tags by device address so each protocol finds its tags in one lookup, and
// resolves each tag's profile channel from the registry (built-ins plus installed plugins).

import type { Site, Tag } from '../model/site.js';
import type { ProfileRegistry } from '../profiles/registry.js';
import { INGEST_DEFAULTS, type BoundTag, type IngestProblem } from './types.js';

export interface BindingIndex {
  /** device -> tags sorted by register. */
  modbus: Map<string, BoundTag[]>;
  /** node id -> tag. */
  opcua: Map<string, BoundTag[]>;
  /** topic -> tags. */
  mqtt: Map<string, BoundTag[]>;
  /** "group/edge/device" (device empty for node metrics) -> metric name -> tags. */
  sparkplug: Map<string, Map<string, BoundTag[]>>;
  all: BoundTag[];
  problems: IngestProblem[];
}

const MODBUS_ADDRESS = /^(.+):(\d{1,3}):(\d{1,5})$/;

/** Drops the editor's ";datatype=Double" suffix that OpcUa-Client topics carry. */
export function opcuaNodeKey(topic: string): string {
  return topic.replace(/;datatype=[^;]*$/i, '').trim();
}

export interface SparkplugTopic {
  group: string;
  type: string;
  edge: string;
  device: string;
}

export function parseSparkplugTopic(topic: string): SparkplugTopic | undefined {
  const parts = topic.split('/');
  if (parts[0] !== 'spBv1.0' || parts.length < 4 || parts.length > 5) return undefined;
  return { group: parts[1], type: parts[2], edge: parts[3], device: parts[4] ?? '' };
}

export function sparkplugKey(topic: SparkplugTopic): string {
  return `${topic.group}/${topic.edge}/${topic.device}`;
}

function staleMs(tag: Tag, expectedPeriod: number | undefined): number {
  const timeouts = tag.factors.map((f) => f.staleTimeout).filter((t): t is number => t !== undefined);
  const seconds = timeouts.length > 0 ? Math.min(...timeouts)
    : expectedPeriod !== undefined ? expectedPeriod * INGEST_DEFAULTS.missedPeriods
      : INGEST_DEFAULTS.staleTimeoutSeconds;
  return seconds * 1000;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

export function buildBindingIndex(site: Pick<Site, 'tags'>, registry: ProfileRegistry): BindingIndex {
  const index: BindingIndex = { modbus: new Map(), opcua: new Map(), mqtt: new Map(), sparkplug: new Map(), all: [], problems: [] };
  site.tags.forEach((tag, i) => {
    const binding = tag.binding;
    if (!binding) return;
    const where = `tag "${tag.id}" (tags[${i}])`;
    const resolved = registry.resolve(tag.profile, { channel: binding.field, unit: tag.unit });
    if (!resolved) {
      index.problems.push({ source: `site ${where}`, message: `unknown sensor profile "${tag.profile}": install the plugin that provides it` });
      return;
    }
    const { channel } = resolved;
    const base = { tag: tag.id, unit: tag.unit, channel, protocol: binding.protocol, staleMs: staleMs(tag, channel.expectedPeriod) };
    switch (binding.protocol) {
      case 'modbus': {
        const match = MODBUS_ADDRESS.exec(binding.address);
        if (!match) {
          index.problems.push({ source: `site ${where}`, message: `Modbus address "${binding.address}" is not "<device>:<unitId>:<register>"` });
          return;
        }
        if (!channel.modbus) {
          index.problems.push({ source: `site ${where}`, message: `profile "${tag.profile}" has no Modbus register layout` });
          return;
        }
        const bound: BoundTag = { ...base, device: match[1], unitId: Number(match[2]), register: Number(match[3]), source: `modbus:${binding.address}` };
        push(index.modbus, bound.device!, bound);
        index.all.push(bound);
        return;
      }
      case 'opcua': {
        const bound: BoundTag = { ...base, source: `opcua:${binding.address}` };
        push(index.opcua, opcuaNodeKey(binding.address), bound);
        index.all.push(bound);
        return;
      }
      case 'mqtt': {
        const field = binding.field ?? channel.mqtt?.field ?? channel.name;
        const bound: BoundTag = { ...base, field, source: `mqtt:${binding.address}#${field}` };
        push(index.mqtt, binding.address, bound);
        index.all.push(bound);
        return;
      }
      case 'sparkplug': {
        const topic = parseSparkplugTopic(binding.address);
        const field = binding.field ?? channel.name;
        if (!topic) {
          index.problems.push({ source: `site ${where}`, message: `Sparkplug address "${binding.address}" is not "spBv1.0/<group>/DDATA/<edge>/<device>"` });
          return;
        }
        const bound: BoundTag = { ...base, field, source: `sparkplug:${binding.address}#${field}` };
        const key = sparkplugKey(topic);
        let metrics = index.sparkplug.get(key);
        if (!metrics) index.sparkplug.set(key, metrics = new Map());
        push(metrics, field, bound);
        index.all.push(bound);
        return;
      }
    }
  });
  for (const tags of index.modbus.values()) tags.sort((a, b) => a.register! - b.register!);
  return index;
}
