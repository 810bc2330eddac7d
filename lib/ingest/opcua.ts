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
