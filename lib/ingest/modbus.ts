// Maps the output of node-red-contrib-modbus (modbus-read, modbus-getter, modbus-flex-getter)
// to Readings: msg.topic names the device, the request says which unit and registers were read.

import { decodeModbusChannel } from '../profiles/channel.js';
import { registerCount } from '../profiles/registers.js';
import type { BindingIndex } from './bindings.js';
import { describeValue, emptyResult, lostReading, problem, reading } from './common.js';
import { INGEST_DEFAULTS, type IngestResult } from './types.js';

export interface ModbusMessage {
  topic?: unknown;
  payload?: unknown;
  /** modbus-read: the polling request, whose payload holds unitid, fc, address, quantity. */
  input?: { payload?: unknown };
  /** modbus-getter and modbus-flex-getter: the request itself. */
  modbusRequest?: unknown;
  responseBuffer?: unknown;
  /** The second output's form: msg.payload is the response buffer, msg.values the registers. */
  values?: unknown;
  /** Set by the contrib nodes' "empty message on fail" option. */
  error?: unknown;
}

interface ModbusRequest {
  unitId?: number;
  address: number;
  fc: number;
}

function request(msg: ModbusMessage): ModbusRequest {
  const raw = (msg.modbusRequest ?? msg.input?.payload ?? {}) as Record<string, unknown>;
  const unit = Number.parseInt(String(raw.unitid ?? ''), 10);
  return {
    unitId: Number.isInteger(unit) ? unit : undefined,
    address: Number.parseInt(String(raw.address ?? '0'), 10) || 0,
    fc: Number.parseInt(String(raw.fc ?? '3'), 10) || 3,
  };
}

function registersOf(msg: ModbusMessage): unknown {
  if (Array.isArray(msg.payload)) return msg.payload;
  if (Array.isArray(msg.values)) return msg.values;
  const data = (msg.payload as { data?: unknown } | undefined)?.data;
  return Array.isArray(data) ? data : msg.payload;
}

/** True when the message looks like a contrib Modbus node's output (request info or response buffer). */
export function isModbusMessage(msg: ModbusMessage): boolean {
  return msg.modbusRequest !== undefined || msg.input?.payload !== undefined || msg.responseBuffer !== undefined;
}

export function mapModbus(index: BindingIndex, msg: ModbusMessage, now: number, options = INGEST_DEFAULTS): IngestResult {
  const result = emptyResult();
  const device = typeof msg.topic === 'string' ? msg.topic : '';
  const source = `modbus ${device || '(no topic)'}`;
  const tags = index.modbus.get(device);
  if (!tags) return problem(result, source, `unknown Modbus device ${describeValue(msg.topic)}: set the modbus-read node's topic to a device named in the site's bindings`);
  const req = request(msg);
  const onUnit = tags.filter((t) => req.unitId === undefined || t.unitId === req.unitId);

  if (msg.error !== undefined && msg.error !== null) {
    // A Modbus exception or a timeout: every tag this request would have read loses its value.
    for (const bound of onUnit) result.readings.push(lostReading(bound, now));
    return result;
  }
  if (req.fc !== 3 && req.fc !== 4) return problem(result, source, `function code ${req.fc} reads coils or inputs; bind tags to holding or input registers (fc 3 or 4)`);

  const registers = registersOf(msg);
  if (!Array.isArray(registers)) return problem(result, source, `expected msg.payload to be an array of registers, got ${describeValue(registers)}`);
  if (registers.length > options.maxRegisters) return problem(result, source, `${registers.length} registers in one message is more than the ${options.maxRegisters} accepted`);

  const end = req.address + registers.length;
  for (const bound of onUnit) {
    const register = bound.register!;
    if (register < req.address || register >= end) continue;
    const width = registerCount(bound.channel.modbus!);
    if (register + width > end) {
      problem(result, source, `tag "${bound.tag}" needs registers ${register}..${register + width - 1}, the read stops at ${end - 1}`);
      continue;
    }
    const first = register - req.address;
    const badWord = registers.slice(first, first + width).findIndex((w) => !(typeof w === 'number' && Number.isInteger(w) && w >= 0 && w <= 0xffff));
    if (badWord >= 0) {
      problem(result, `${source} unit ${bound.unitId}`, `register ${register + badWord} is ${describeValue(registers[first + badWord])}, not a 16-bit unsigned integer (tag "${bound.tag}")`);
      continue;
    }
    try {
      result.readings.push(reading(bound, decodeModbusChannel(bound.channel, registers, first, bound.unit), now));
    } catch (err) {
      problem(result, `${source} unit ${bound.unitId}`, `${(err as Error).message.replace(/^oilrisk\/profiles: /, '')} (tag "${bound.tag}")`);
    }
  }
  return result;
}
