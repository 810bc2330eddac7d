// What a sensor profile is: how raw device data (Modbus registers, OPC UA variants, MQTT JSON)
// becomes an engineering value, its unit, its physically possible range and default risk factors.

import type { RiskFactor } from '../model/site.js';

export type RegisterType = 'int16' | 'uint16' | 'int32' | 'uint32' | 'float32' | 'float64';

/** Byte order inside each 16-bit register: Modbus is big-endian ("AB"); some devices swap ("BA"). */
export type ByteOrder = 'big' | 'little';

/** Register order of multi-register values: "big" puts the most significant word first (ABCD). */
export type WordOrder = 'big' | 'little';

export interface RegisterLayout {
  type: RegisterType;
  byteOrder?: ByteOrder;
  wordOrder?: WordOrder;
  /** engineering = raw * scale + offset. */
  scale?: number;
  offset?: number;
  /** A bit field of a status word: the value is the bits [bit, bit + bitLength) of the raw integer. */
  bit?: number;
  /** Width of the bit field; 1 (the default) gives a boolean, wider fields give a number. */
  bitLength?: number;
}

export type OpcuaVariantType =
  | 'Boolean' | 'SByte' | 'Byte' | 'Int16' | 'UInt16' | 'Int32' | 'UInt32' | 'Int64' | 'UInt64'
  | 'Float' | 'Double' | 'String';

export interface OpcuaMapping {
  dataType: OpcuaVariantType;
  scale?: number;
  offset?: number;
}

export interface MqttMapping {
  /** JSON field read when the tag's binding names none. */
  field: string;
  scale?: number;
  offset?: number;
}

export interface PhysicalRange {
  min: number;
  max: number;
}

/** One measured quantity of a profile: a single-value transmitter has one, a pump controller several. */
export interface SensorChannel {
  name: string;
  description?: string;
  /** Unit the device reports in (after scale and offset); converted to the tag's unit when they differ. */
  unit: string;
  /** Values outside it cannot be physical: the reading is quality bad, not a risk. In `unit`. */
  range?: PhysicalRange;
  modbus?: RegisterLayout;
  opcua?: OpcuaMapping;
  mqtt?: MqttMapping;
  /** Seconds between updates the device normally keeps; a stale tag is detected after a few missed ones. */
  expectedPeriod?: number;
  /** Starting points for an admin writing the site file; limits are in `unit`. */
  defaultFactors?: RiskFactor[];
}

export interface SensorProfile {
  /** Name used in site files, e.g. "pressure", "esp-drive", "corrosion-probe". */
  name: string;
  description?: string;
  /** Package that supplied it: "builtin" or the npm package name. */
  vendor?: string;
  channels: SensorChannel[];
}

/** A decoded value with the quality the profile gives it. */
export interface DecodedValue {
  value: number | boolean | null;
  quality: 'good' | 'uncertain' | 'bad';
  /** Why the quality is not good, e.g. "out of physical range 0..700 bar". */
  reason?: string;
}
