// Maps Sparkplug B (spBv1.0) messages to Readings: decodes the protobuf payload, remembers the
// metric aliases a BIRTH declares, and turns a DEATH into lost values for the device's tags.

import { get as sparkplugNamespace } from 'sparkplug-payload';
import type { UMetric, UPayload } from 'sparkplug-payload/lib/sparkplugbpayload.js';
import type { Quality } from '../model/reading.js';
import { decodeJsonChannel } from '../profiles/channel.js';
import { parseSparkplugTopic, sparkplugKey, type BindingIndex } from './bindings.js';
import { describeValue, emptyResult, isLong, lostReading, problem, reading, toMillis } from './common.js';
import { INGEST_DEFAULTS, type IngestResult } from './types.js';

const SPARKPLUG_B = sparkplugNamespace('spBv1.0')!;
const SIGNED = new Set(['Int8', 'Int16', 'Int32', 'Int64']);

/** Ignition's metric "Quality" property: 192 good; below 64 bad; in between uncertain (OPC DA scale). */
function propertyQuality(metric: UMetric): Quality {
  const raw = metric.properties?.Quality?.value;
  const code = isLong(raw) ? raw.toNumber() : typeof raw === 'number' ? raw : undefined;
  if (code === undefined || code >= 192) return 'good';
  return code < 64 ? 'bad' : 'uncertain';
}

function metricValue(metric: UMetric): unknown {
  const value = metric.value;
  if (!isLong(value)) return value;
  // protobuf gives unsigned Longs; signed types need their two's complement back.
  const long = value as unknown as { toSigned(): { toNumber(): number }; toNumber(): number };
  return SIGNED.has(String(metric.type)) && typeof long.toSigned === 'function' ? long.toSigned().toNumber() : long.toNumber();
}

function payloadBytes(payload: unknown): Uint8Array | undefined {
  if (payload instanceof Uint8Array) return payload;
  // Node-RED's mqtt in turns valid UTF-8 into a string; UTF-8 round-trips, so the bytes come back intact.
  if (typeof payload === 'string') return Buffer.from(payload, 'utf8');
  return undefined;
}

export class SparkplugMapper {
  /** "group/edge/device" -> alias -> metric name, learnt from BIRTH messages. */
  private readonly aliases = new Map<string, Map<number, string>>();

  constructor(private readonly options = INGEST_DEFAULTS) {}

  map(index: BindingIndex, topic: string, payload: unknown, now: number): IngestResult {
    const result = emptyResult();
    const source = `sparkplug ${topic}`;
    const parsed = parseSparkplugTopic(topic);
    if (!parsed) return problem(result, source, 'not a Sparkplug B topic: spBv1.0/<group>/<type>/<edge>[/<device>]');
    const key = sparkplugKey(parsed);
    if (parsed.type === 'NDEATH' || parsed.type === 'DDEATH') return this.death(index, parsed.type === 'NDEATH' ? `${parsed.group}/${parsed.edge}/` : key, now);
    if (!['NBIRTH', 'DBIRTH', 'NDATA', 'DDATA'].includes(parsed.type)) return result;
    const metrics = index.sparkplug.get(key);
    if (!metrics && !parsed.type.endsWith('BIRTH')) return problem(result, source, 'unknown Sparkplug device: bind a site tag to it');

    const bytes = payloadBytes(payload);
    if (!bytes) return problem(result, source, `expected a protobuf payload (Buffer), got ${describeValue(payload)}`);
    let decoded: UPayload;
    try {
      decoded = SPARKPLUG_B.decodePayload(bytes);
    } catch (err) {
      return problem(result, source, `payload is not a Sparkplug B protobuf (${(err as Error).message})`);
    }
    const list = decoded.metrics ?? [];
    if (list.length > this.options.maxBatch) return problem(result, source, `${list.length} metrics in one message is more than the ${this.options.maxBatch} accepted`);
    const payloadTs = toMillis(decoded.timestamp) ?? now;

    if (parsed.type.endsWith('BIRTH')) {
      const aliases = new Map<number, string>();
      for (const metric of list) {
        const alias = isLong(metric.alias) ? metric.alias.toNumber() : metric.alias;
        if (typeof alias === 'number' && metric.name) aliases.set(alias, metric.name);
      }
      this.aliases.set(key, aliases);
    }
    if (!metrics) return result;

    list.forEach((metric, i) => {
      const alias = isLong(metric.alias) ? metric.alias.toNumber() : metric.alias;
      const name = metric.name ?? (typeof alias === 'number' ? this.aliases.get(key)?.get(alias) : undefined);
      if (name === undefined) {
        problem(result, source, `metrics[${i}] has alias ${describeValue(alias)} that no BIRTH declared`);
        return;
      }
      const tags = metrics.get(name);
      if (!tags) return;
      const ts = toMillis(metric.timestamp) ?? payloadTs;
      for (const bound of tags) {
        if (metric.isNull || metric.value === null || metric.value === undefined) {
          result.readings.push(reading(bound, { value: null, quality: 'bad' }, ts));
          continue;
        }
        const value = decodeJsonChannel(bound.channel, metricValue(metric), bound.unit);
        if (value.value === null) {
          problem(result, source, `metric "${name}": ${value.reason ?? 'no value'} (tag "${bound.tag}")`);
          continue;
        }
        const quality = propertyQuality(metric);
        if (quality !== 'good' && value.quality === 'good') value.quality = quality;
        result.readings.push(reading(bound, value, ts));
      }
    });
    return result;
  }

  /** A DEATH certificate: the node or device is gone, its tags have no value until the next BIRTH. */
  private death(index: BindingIndex, keyPrefix: string, now: number): IngestResult {
    const result = emptyResult();
    for (const [key, metrics] of index.sparkplug) {
      if (key !== keyPrefix && !(keyPrefix.endsWith('/') && key.startsWith(keyPrefix))) continue;
      this.aliases.delete(key);
      for (const tags of metrics.values()) for (const bound of tags) result.readings.push(lostReading(bound, now));
    }
    return result;
  }
}
