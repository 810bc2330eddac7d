// Turns what a device sent for one channel (registers, an OPC UA variant value, a JSON field)
// into a quality-graded engineering value in the tag's unit; outside the physical range is bad.

import { canConvert, convertUnit } from './units.js';
import { decodeRegisters } from './registers.js';
import type { DecodedValue, OpcuaVariantType, SensorChannel } from './types.js';

const INTEGER_TYPES = new Set<OpcuaVariantType>(['SByte', 'Byte', 'Int16', 'UInt16', 'Int32', 'UInt32', 'Int64', 'UInt64']);

function bad(reason: string): DecodedValue {
  return { value: null, quality: 'bad', reason };
}

/** Range check in the channel's unit, then conversion to the tag's unit. */
export function gradeValue(channel: SensorChannel, value: number | boolean, tagUnit = ''): DecodedValue {
  if (typeof value === 'boolean') return { value, quality: 'good' };
  if (!Number.isFinite(value)) return bad(`${channel.name}: ${String(value)} is not a finite number`);
  if (tagUnit !== '' && channel.unit !== '' && !canConvert(channel.unit, tagUnit)) {
    return bad(`${channel.name}: cannot convert ${channel.unit} to the tag's unit ${tagUnit}`);
  }
  const converted = convertUnit(value, channel.unit, tagUnit);
  const range = channel.range;
  if (range && (value < range.min || value > range.max)) {
    return { value: converted, quality: 'bad', reason: `${channel.name}: ${value} ${channel.unit} is outside the physical range ${range.min}..${range.max}` };
  }
  return { value: converted, quality: 'good' };
}

export function decodeModbusChannel(channel: SensorChannel, registers: readonly unknown[], offset: number, tagUnit = ''): DecodedValue {
  if (!channel.modbus) return bad(`${channel.name}: the profile has no Modbus layout`);
  return gradeValue(channel, decodeRegisters(channel.modbus, registers, offset), tagUnit);
}

/** A JSON or variant value as a number or boolean, or a reason why it is neither. */
function toScalar(value: unknown): number | boolean | string {
  if (typeof value === 'number' || typeof value === 'boolean') return value;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  if (Array.isArray(value) && value.length === 2 && value.every((part) => Number.isInteger(part))) {
    // node-opcua carries Int64/UInt64 as [high, low] 32-bit words.
    return value[0] * 2 ** 32 + (value[1] >>> 0);
  }
  return `${JSON.stringify(value) ?? String(value)} is not a number or boolean`;
}

/** True when the channel reads a switch or a trip: a single status-word bit, an OPC UA Boolean. */
export function isBooleanChannel(channel: SensorChannel): boolean {
  return channel.opcua?.dataType === 'Boolean' || (channel.modbus?.bit !== undefined && (channel.modbus.bitLength ?? 1) === 1);
}

/** The scalar in the channel's kind: booleans (or 0/1) for switches, numbers for measurements; otherwise a reason. */
function ofKind(channel: SensorChannel, scalar: number | boolean): number | boolean | string {
  if (isBooleanChannel(channel)) {
    if (typeof scalar === 'boolean') return scalar;
    return scalar === 0 || scalar === 1 ? scalar === 1 : `expected a boolean (or 0/1), got ${scalar}`;
  }
  return typeof scalar === 'boolean' ? `expected a number, got ${scalar}` : scalar;
}

function scaled(channel: SensorChannel, raw: unknown, scale = 1, offset = 0, tagUnit = ''): DecodedValue {
  const scalar = toScalar(raw);
  const value = typeof scalar === 'string' ? scalar : ofKind(channel, scalar);
  if (typeof value === 'string') return bad(`${channel.name}: ${value}`);
  if (typeof value === 'boolean') return gradeValue(channel, value, tagUnit);
  return gradeValue(channel, value * scale + offset, tagUnit);
}

export function decodeOpcuaChannel(channel: SensorChannel, value: unknown, tagUnit = ''): DecodedValue {
  const mapping = channel.opcua;
  if (mapping && INTEGER_TYPES.has(mapping.dataType) && typeof value === 'number' && !Number.isInteger(value)) {
    return bad(`${channel.name}: expected ${mapping.dataType}, got ${value}`);
  }
  return scaled(channel, value, mapping?.scale, mapping?.offset, tagUnit);
}

export function decodeJsonChannel(channel: SensorChannel, value: unknown, tagUnit = ''): DecodedValue {
  return scaled(channel, value, channel.mqtt?.scale, channel.mqtt?.offset, tagUnit);
}
