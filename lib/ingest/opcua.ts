// Maps the output of node-red-contrib-opcua's OpcUa-Client (read or subscribe) to Readings:
// msg.topic is the node id, msg.payload the value, msg.statusCode the OPC UA quality.

import type { Quality } from '../model/reading.js';
import { decodeOpcuaChannel } from '../profiles/channel.js';
import { opcuaNodeKey, type BindingIndex } from './bindings.js';
import { describeValue, emptyResult, problem, reading, toMillis } from './common.js';
import type { IngestResult } from './types.js';

export interface OpcuaMessage {
  topic?: unknown;
  payload?: unknown;
  statusCode?: unknown;
  sourceTimestamp?: unknown;
  serverTimestamp?: unknown;
  /** readmultiple with payload "ALL": the items read, in the order of the DataValues in msg.payload. */
  items?: unknown;
}

const NAMED_CODES: Record<string, number> = { Good: 0, Uncertain: 0x40000000, Bad: 0x80000000 };

/** The 32-bit status code from node-opcua's StatusCode, its JSON form, a number or a name; undefined when unreadable. */
export function statusCodeValue(status: unknown): number | undefined {
  if (status === undefined || status === null) return 0;
  if (typeof status === 'number') return Number.isInteger(status) && status >= 0 && status <= 0xffffffff ? status : undefined;
  if (typeof status === 'string') {
    const prefix = /^(Good|Uncertain|Bad)/.exec(status);
    return prefix ? NAMED_CODES[prefix[1]] : undefined;
  }
  if (typeof status === 'object') {
    const s = status as { value?: unknown; _value?: unknown; name?: unknown };
    return statusCodeValue(s.value ?? s._value ?? s.name);
  }
  return undefined;
}

/** OPC UA Part 4, 7.39: the top two bits give the severity (00 good, 01 uncertain, 1x bad). */
export function statusQuality(code: number): Quality {
  const severity = code >>> 30;
  return severity === 0 ? 'good' : severity === 1 ? 'uncertain' : 'bad';
}

export function isOpcuaMessage(msg: OpcuaMessage): boolean {
  return msg.statusCode !== undefined || msg.sourceTimestamp !== undefined
    || (typeof msg.topic === 'string' && /^(ns=\d+;)?[isgb]=/.test(msg.topic));
}

export function mapOpcua(index: BindingIndex, msg: OpcuaMessage, now: number): IngestResult {
  const result = emptyResult();
  const nodeId = typeof msg.topic === 'string' ? opcuaNodeKey(msg.topic) : '';
  const source = `opcua ${nodeId || '(no topic)'}`;
  const tags = index.opcua.get(nodeId);
  if (!tags) return problem(result, source, `unknown OPC UA node id ${describeValue(msg.topic)}: bind a site tag to it`);
  const code = statusCodeValue(msg.statusCode);
  if (code === undefined) return problem(result, source, `unreadable status code ${describeValue(msg.statusCode)}`);
  const ts = toMillis(msg.sourceTimestamp) ?? toMillis(msg.serverTimestamp) ?? now;
  const quality = statusQuality(code);
  for (const bound of tags) {
    if (quality === 'bad') {
      result.readings.push(reading(bound, { value: null, quality: 'bad' }, ts));
      continue;
    }
    const decoded = decodeOpcuaChannel(bound.channel, msg.payload, bound.unit);
    if (decoded.value === null) {
      problem(result, source, `${decoded.reason ?? 'no value'} (tag "${bound.tag}")`);
      continue;
    }
    if (quality === 'uncertain' && decoded.quality === 'good') decoded.quality = 'uncertain';
    result.readings.push(reading(bound, decoded, ts));
  }
  return result;
}

const IDENTIFIER_PREFIX: Record<string, string> = { '1': 'i', '2': 's', '3': 'g', '4': 'b', Numeric: 'i', String: 's', Guid: 'g', ByteString: 'b' };

/** "ns=1;s=X" from a NodeId, its string form, or its JSON form {namespace, identifierType, value}. */
export function nodeIdString(nodeId: unknown): string | undefined {
  if (typeof nodeId === 'string') return nodeId;
  if (typeof nodeId !== 'object' || nodeId === null) return undefined;
  const id = nodeId as { namespace?: unknown; identifierType?: unknown; value?: unknown; toString(): string };
  if (id.toString !== Object.prototype.toString) return id.toString();
  const prefix = IDENTIFIER_PREFIX[String(id.identifierType)];
  if (!prefix || id.value === undefined) return undefined;
  return `${Number(id.namespace) ? `ns=${Number(id.namespace)};` : ''}${prefix}=${String(id.value)}`;
}

/** OpcUa-Client "readmultiple": all DataValues in one message (payload "ALL" on output 1, or output 3). */
export function isOpcuaBatch(msg: OpcuaMessage): boolean {
  return Array.isArray(msg.payload) && (Array.isArray(msg.items) || Array.isArray(msg.topic));
}

export function mapOpcuaBatch(index: BindingIndex, msg: OpcuaMessage, now: number, maxBatch: number): IngestResult {
  const items = (Array.isArray(msg.items) ? msg.items : msg.topic) as unknown[];
  const values = msg.payload as unknown[];
  const result = emptyResult();
  if (values.length > maxBatch) return problem(result, 'opcua readmultiple', `${values.length} values in one message is more than the ${maxBatch} accepted`);
  values.forEach((dataValue, i) => {
    const item = items[i] as { nodeId?: unknown } | undefined;
    const nodeId = nodeIdString(item?.nodeId ?? item);
    if (nodeId === undefined) {
      problem(result, 'opcua readmultiple', `item ${i} has no readable node id: ${describeValue(item)}`);
      return;
    }
    const dv = (typeof dataValue === 'object' && dataValue !== null ? dataValue : {}) as { value?: { value?: unknown }; statusCode?: unknown; sourceTimestamp?: unknown; serverTimestamp?: unknown };
    const one = mapOpcua(index, { topic: nodeId, payload: dv.value?.value, statusCode: dv.statusCode, sourceTimestamp: dv.sourceTimestamp, serverTimestamp: dv.serverTimestamp }, now);
    result.readings.push(...one.readings);
    result.problems.push(...one.problems);
  });
  return result;
}
