// Maps MQTT JSON documents (docs/ingest.md) to Readings: the topic is the binding address, each
// bound field is a number, boolean or {value, quality, ts}; "ts" and "quality" apply to the document.

import { QUALITIES, type Quality } from '../model/reading.js';
import { decodeJsonChannel } from '../profiles/channel.js';
import type { BindingIndex } from './bindings.js';
import { describeValue, emptyResult, problem, reading, toMillis } from './common.js';
import { INGEST_DEFAULTS, type BoundTag, type IngestResult } from './types.js';

const WORSE: Record<Quality, number> = { good: 0, uncertain: 1, bad: 2 };

function worst(a: Quality, b: Quality | undefined): Quality {
  return b !== undefined && WORSE[b] > WORSE[a] ? b : a;
}

function fieldOf(document: Record<string, unknown>, path: string): unknown {
  if (path in document) return document[path];
  let node: unknown = document;
  for (const key of path.split('.')) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

function qualityOf(value: unknown): Quality | undefined | null {
  if (value === undefined) return undefined;
  return QUALITIES.includes(value as Quality) ? (value as Quality) : null;
}

/** The payload as parsed JSON, whatever form the mqtt in node delivered it in. */
export function parseJsonPayload(payload: unknown, maxBytes: number): { ok: true; value: unknown } | { ok: false; message: string } {
  if (typeof payload === 'object' && payload !== null && !Buffer.isBuffer(payload) && !(payload instanceof Uint8Array)) return { ok: true, value: payload };
  let text: string;
  if (typeof payload === 'string') text = payload;
  else if (Buffer.isBuffer(payload) || payload instanceof Uint8Array) text = Buffer.from(payload).toString('utf8');
  else return { ok: false, message: `expected a JSON object, got ${describeValue(payload)}` };
  if (Buffer.byteLength(text) > maxBytes) return { ok: false, message: `payload of ${Buffer.byteLength(text)} bytes is more than the ${maxBytes} accepted` };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (err) {
    return { ok: false, message: `payload is not JSON (${(err as Error).message}): ${describeValue(text)}` };
  }
}

function mapDocument(result: IngestResult, tags: BoundTag[], document: unknown, source: string, now: number): void {
  if (typeof document !== 'object' || document === null || Array.isArray(document)) {
    problem(result, source, `expected a JSON object, got ${describeValue(document)}`);
    return;
  }
  const doc = document as Record<string, unknown>;
  const docTs = doc.ts ?? doc.timestamp;
  const ts = docTs === undefined ? now : toMillis(docTs);
  if (ts === undefined) {
    problem(result, source, `"ts" is ${describeValue(docTs)}: use milliseconds since the epoch or an ISO 8601 time`);
    return;
  }
  const docQuality = qualityOf(doc.quality);
  if (docQuality === null) {
    problem(result, source, `"quality" is ${describeValue(doc.quality)}: use good, uncertain or bad`);
    return;
  }
  let matched = 0;
  for (const bound of tags) {
    let value = fieldOf(doc, bound.field!);
    if (value === undefined) continue;
    matched += 1;
    let fieldTs = ts;
    let fieldQuality = docQuality;
    if (typeof value === 'object' && value !== null && 'value' in value) {
      const wrapped = value as { value: unknown; quality?: unknown; ts?: unknown };
      const q = qualityOf(wrapped.quality);
      const t = wrapped.ts === undefined ? ts : toMillis(wrapped.ts);
      if (q === null || t === undefined) {
        problem(result, source, `field "${bound.field}" has quality ${describeValue(wrapped.quality)} and ts ${describeValue(wrapped.ts)} (tag "${bound.tag}")`);
        continue;
      }
      value = wrapped.value;
      fieldTs = t;
      fieldQuality = q;
    }
    if (value === null && fieldQuality === 'bad') {
      result.readings.push(reading(bound, { value: null, quality: 'bad' }, fieldTs));
      continue;
    }
    const decoded = decodeJsonChannel(bound.channel, value, bound.unit);
    if (decoded.value === null) {
      problem(result, source, `field "${bound.field}": ${decoded.reason ?? 'no value'} (tag "${bound.tag}")`);
      continue;
    }
    decoded.quality = worst(decoded.quality, fieldQuality);
    result.readings.push(reading(bound, decoded, fieldTs));
  }
  if (matched === 0) problem(result, source, `none of the bound fields (${tags.map((t) => t.field).join(', ')}) is in the message`);
}

export function mapMqttJson(index: BindingIndex, topic: unknown, payload: unknown, now: number, options = INGEST_DEFAULTS): IngestResult {
  const result = emptyResult();
  const source = `mqtt ${typeof topic === 'string' && topic ? topic : '(no topic)'}`;
  const tags = typeof topic === 'string' ? index.mqtt.get(topic) : undefined;
  if (!tags) return problem(result, source, `unknown MQTT topic ${describeValue(topic)}: bind a site tag to it`);
  const parsed = parseJsonPayload(payload, options.maxPayloadBytes);
  if (!parsed.ok) return problem(result, source, parsed.message);
  const documents = Array.isArray(parsed.value) ? parsed.value : [parsed.value];
  if (documents.length === 0) return problem(result, source, 'the message holds an empty array: nothing to read');
  if (documents.length > options.maxBatch) return problem(result, source, `${documents.length} documents in one message is more than the ${options.maxBatch} accepted`);
  documents.forEach((document, i) => mapDocument(result, tags, document, documents.length > 1 ? `${source} [${i}]` : source, now));
  return result;
}
