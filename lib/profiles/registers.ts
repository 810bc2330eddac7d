// Modbus register layouts: decode 16-bit register arrays into numbers and encode numbers back,
// for every integer and float width, byte order, word order, scale/offset and status-word bits.

import type { RegisterLayout, RegisterType } from './types.js';

const WIDTH: Record<RegisterType, number> = {
  int16: 1, uint16: 1, int32: 2, uint32: 2, float32: 2, float64: 4,
};

const INTEGER_RANGE: Partial<Record<RegisterType, [number, number]>> = {
  int16: [-0x8000, 0x7fff],
  uint16: [0, 0xffff],
  int32: [-0x80000000, 0x7fffffff],
  uint32: [0, 0xffffffff],
};

/** How many 16-bit registers a value of this layout occupies. */
export function registerCount(layout: Pick<RegisterLayout, 'type'>): number {
  return WIDTH[layout.type];
}

function isRegister(word: unknown): word is number {
  return typeof word === 'number' && Number.isInteger(word) && word >= 0 && word <= 0xffff;
}

/** Big-endian bytes of the value, most significant first, whatever the device's order. */
function canonicalBytes(layout: RegisterLayout, words: readonly number[]): Buffer {
  const ordered = layout.wordOrder === 'little' ? [...words].reverse() : words;
  const bytes = Buffer.alloc(ordered.length * 2);
  ordered.forEach((word, i) => {
    const hi = word >> 8;
    const lo = word & 0xff;
    bytes[i * 2] = layout.byteOrder === 'little' ? lo : hi;
    bytes[i * 2 + 1] = layout.byteOrder === 'little' ? hi : lo;
  });
  return bytes;
}

function deviceWords(layout: RegisterLayout, bytes: Buffer): number[] {
  const words: number[] = [];
  for (let i = 0; i < bytes.length; i += 2) {
    const [hi, lo] = layout.byteOrder === 'little' ? [bytes[i + 1], bytes[i]] : [bytes[i], bytes[i + 1]];
    words.push((hi << 8) | lo);
  }
  return layout.wordOrder === 'little' ? words.reverse() : words;
}

/** The raw number stored in the registers, before scale, offset and bit extraction. */
export function decodeRaw(layout: RegisterLayout, registers: readonly unknown[], offset = 0): number {
  const width = WIDTH[layout.type];
  if (!Number.isInteger(offset) || offset < 0 || offset + width > registers.length) {
    throw new RangeError(`oilrisk/profiles: ${layout.type} at register ${offset} needs ${width} register(s), only ${registers.length} read`);
  }
  const words = registers.slice(offset, offset + width);
  words.forEach((word, i) => {
    if (!isRegister(word)) throw new TypeError(`oilrisk/profiles: register ${offset + i} is ${JSON.stringify(word)}, not a 16-bit unsigned integer`);
  });
  const bytes = canonicalBytes(layout, words as number[]);
  switch (layout.type) {
    case 'int16': return bytes.readInt16BE(0);
    case 'uint16': return bytes.readUInt16BE(0);
    case 'int32': return bytes.readInt32BE(0);
    case 'uint32': return bytes.readUInt32BE(0);
    case 'float32': return bytes.readFloatBE(0);
    case 'float64': return bytes.readDoubleBE(0);
  }
}

/** Engineering value of a layout read from `registers[offset..]`; a bit field gives a boolean (1 bit) or an integer. */
export function decodeRegisters(layout: RegisterLayout, registers: readonly unknown[], offset = 0): number | boolean {
  const raw = decodeRaw(layout, registers, offset);
  if (layout.bit !== undefined) {
    const length = layout.bitLength ?? 1;
    const field = Math.floor(raw / 2 ** layout.bit) % 2 ** length;
    return length === 1 ? field === 1 : field;
  }
  const value = scaleRaw(raw, layout.scale ?? 1);
  return layout.offset ? value + layout.offset : value;
}

/** raw * scale, dividing by 1/scale when that is a whole number so 901 * 0.1 gives 90.1, not 90.10000000000001. */
function scaleRaw(raw: number, scale: number): number {
  const inverse = Math.round(1 / scale);
  return inverse > 1 && Math.abs(1 / scale - inverse) < 1e-9 ? raw / inverse : raw * scale;
}

/**
 * Registers that hold `value` in this layout, as a device would serve them. A bit field gives the
 * register with only that field set: OR several fields together to build a status word.
 */
export function encodeRegisters(layout: RegisterLayout, value: number | boolean): number[] {
  let raw: number;
  if (layout.bit !== undefined) {
    const length = layout.bitLength ?? 1;
    const field = typeof value === 'boolean' ? Number(value) : value;
    if (!Number.isInteger(field) || field < 0 || field >= 2 ** length) {
      throw new RangeError(`oilrisk/profiles: ${String(value)} does not fit a ${length}-bit field`);
    }
    raw = field * 2 ** layout.bit;
  } else {
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      throw new TypeError(`oilrisk/profiles: cannot encode ${String(value)} as ${layout.type}`);
    }
    raw = (value - (layout.offset ?? 0)) / (layout.scale ?? 1);
  }
  const bounds = INTEGER_RANGE[layout.type];
  if (bounds) {
    raw = Math.round(raw);
    if (raw < bounds[0] || raw > bounds[1]) {
      throw new RangeError(`oilrisk/profiles: ${String(value)} is outside what ${layout.type} can hold`);
    }
  }
  const bytes = Buffer.alloc(WIDTH[layout.type] * 2);
  switch (layout.type) {
    case 'int16': bytes.writeInt16BE(raw, 0); break;
    case 'uint16': bytes.writeUInt16BE(raw, 0); break;
    case 'int32': bytes.writeInt32BE(raw, 0); break;
    case 'uint32': bytes.writeUInt32BE(raw, 0); break;
    case 'float32': bytes.writeFloatBE(raw, 0); break;
    case 'float64': bytes.writeDoubleBE(raw, 0); break;
  }
  return deviceWords(layout, bytes);
}
