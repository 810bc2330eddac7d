// MQTT publishers of the simulated field: one JSON document per topic with the fields of its
// tags (gas detectors, GPS trackers, network health), and Sparkplug B DDATA for Sparkplug devices.

import mqtt, { type MqttClient } from 'mqtt';
import { get as sparkplug } from 'sparkplug-payload';
import type { SecurityEvent, Tag } from '../../lib/model/index.js';
import { deviceOf } from '../devices.js';
import type { Field } from '../field.js';
import { channelOf, deviceValue } from './encoding.js';

/** Where the simulated field and the embedded broker report security events (SecurityEvent[] JSON). */
export const SECURITY_TOPIC = 'oilrisk/field/security';

export interface MqttPublisher {
  /** Publishes every online topic once. */
  publish(): void;
  /** Publishes security events (unexpected writes seen by the devices) as JSON on SECURITY_TOPIC. */
  publishSecurity(events: SecurityEvent[]): void;
  /** Tries `count` connections with a wrong password: the failed logins of an intrusion. */
  failLogins(count: number): Promise<number>;
  close(): Promise<void>;
}

interface Topic {
  topic: string;
  device: string;
  sparkplug: boolean;
  tags: Tag[];
}

function topics(tags: Tag[]): Topic[] {
  const byTopic = new Map<string, Topic>();
  for (const tag of tags) {
    const binding = tag.binding;
    if (binding?.protocol !== 'mqtt' && binding?.protocol !== 'sparkplug') continue;
    if (!byTopic.has(binding.address)) byTopic.set(binding.address, { topic: binding.address, device: deviceOf(tag)!, sparkplug: binding.protocol === 'sparkplug', tags: [] });
    byTopic.get(binding.address)!.tags.push(tag);
  }
  return [...byTopic.values()];
}

function fieldName(tag: Tag): string {
  return tag.binding?.field ?? channelOf(tag)?.mqtt?.field ?? 'value';
}

type Codec = NonNullable<ReturnType<typeof sparkplug>>;
type Metrics = Parameters<Codec['encodePayload']>[0]['metrics'];

/** spBv1.0/<group>/DDATA/<edge>/<device> -> the edge node's and the device's topics of another message type. */
function sparkplugTopic(ddata: string, type: 'NBIRTH' | 'NDEATH' | 'DBIRTH'): string {
  const [namespace, group, , edge, device] = ddata.split('/');
  return type === 'DBIRTH' ? [namespace, group, type, edge, device].join('/') : [namespace, group, type, edge].join('/');
}

export async function startMqttPublisher(field: Field, tags: Tag[], url: string, options: { username?: string; password?: string } = {}): Promise<MqttPublisher> {
  const codec = sparkplug('spBv1.0')!;
  const all = topics(tags);
  const sparkplugDevices = all.filter((t) => t.sparkplug && t.topic.split('/').length === 5);
  // Sparkplug B: the edge node's death certificate is the MQTT will; bdSeq pairs it with the birth.
  const bdSeq = 0;
  const edges = [...new Set(sparkplugDevices.map((t) => sparkplugTopic(t.topic, 'NBIRTH')))];
  const will = edges.length
    ? { topic: edges[0].replace('/NBIRTH/', '/NDEATH/'), payload: Buffer.from(codec.encodePayload({ timestamp: Date.now(), metrics: [{ name: 'bdSeq', type: 'UInt64', value: bdSeq }] as Metrics })), qos: 0 as const, retain: false }
    : undefined;
  const client: MqttClient = await mqtt.connectAsync(url, { clientId: `oilrisk-sim-${process.pid}`, reconnectPeriod: 1000, ...(will ? { will } : {}), ...options });
  let seq = 0;
  const metricsOf = (t: Topic, ts: number): Metrics => t.tags.map((tag) => {
    const value = deviceValue(tag, channelOf(tag), field.value(tag.id) ?? 0);
    return { name: fieldName(tag), type: typeof value === 'boolean' ? 'Boolean' : 'Double', value, timestamp: ts };
  }) as Metrics;
  // Births on every (re)connection: NBIRTH starts the edge node's sequence at 0, then each DBIRTH.
  const births = () => {
    const ts = Date.now();
    seq = 0;
    for (const edge of edges) client.publish(edge, Buffer.from(codec.encodePayload({ timestamp: ts, seq: seq++, metrics: [{ name: 'bdSeq', type: 'UInt64', value: bdSeq }] as Metrics })));
    for (const t of sparkplugDevices) client.publish(sparkplugTopic(t.topic, 'DBIRTH'), Buffer.from(codec.encodePayload({ timestamp: ts, seq: seq++ % 256, metrics: metricsOf(t, ts) })));
  };
  births();
  client.on('connect', births);
  return {
    publish() {
      if (!client.connected) return;
      // Devices stamp with their own (wall) clock, also when the model runs faster (--speed).
      const ts = Date.now();
      for (const t of all) {
        if (!field.isOnline(t.device)) continue;
        if (t.sparkplug) {
          client.publish(t.topic, Buffer.from(codec.encodePayload({ timestamp: ts, seq: seq++ % 256, metrics: metricsOf(t, ts) })));
        } else {
          const values = t.tags.map((tag) => [tag, deviceValue(tag, channelOf(tag), field.value(tag.id) ?? 0)] as const);
          const doc: Record<string, unknown> = { ts };
          // A GPS tracker reports its position whether or not the site binds it to tags.
          const position = field.vehiclePosition(t.tags[0].equipment);
          if (position) Object.assign(doc, position);
          for (const [tag, value] of values) doc[fieldName(tag)] = value;
          client.publish(t.topic, JSON.stringify(doc));
        }
      }
    },
    publishSecurity(events) {
      if (client.connected) client.publish(SECURITY_TOPIC, JSON.stringify(events));
    },
    async failLogins(count) {
      let refused = 0;
      for (let i = 0; i < count; i++) {
        try {
          const intruder = await mqtt.connectAsync(url, { clientId: `intruder-${i}`, username: 'admin', password: `guess-${i}`, reconnectPeriod: 0, connectTimeout: 2000 });
          await intruder.endAsync(true);
        } catch {
          refused++;
        }
      }
      return refused;
    },
    close: () => client.endAsync(true),
  };
}
