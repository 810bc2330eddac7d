import assert from 'node:assert/strict';
import fc from 'fast-check';
import { decodeRaw, decodeRegisters, encodeRegisters, registerCount, type RegisterLayout } from '../../../lib/profiles/index.js';

// Known register images: 123.456f = 0x42F6E979, -1234.5678 = 0xC0934A456D5CFAAD,
// -123456789 = 0xF8A432EB, 3000000000 = 0xB2D05E00, -2 = 0xFFFE, 0x1234 = 4660.
// Orders named as usual: ABCD (big/big), CDAB (word swap), BADC (byte swap), DCBA (both).
const ORDERS = {
  ABCD: { byteOrder: 'big', wordOrder: 'big' },
  CDAB: { byteOrder: 'big', wordOrder: 'little' },
  BADC: { byteOrder: 'little', wordOrder: 'big' },
  DCBA: { byteOrder: 'little', wordOrder: 'little' },
} as const;

const CASES: { type: RegisterLayout['type']; value: number; images: Record<keyof typeof ORDERS, number[]> }[] = [
  { type: 'int16', value: -2, images: { ABCD: [0xfffe], CDAB: [0xfffe], BADC: [0xfeff], DCBA: [0xfeff] } },
  { type: 'uint16', value: 4660, images: { ABCD: [0x1234], CDAB: [0x1234], BADC: [0x3412], DCBA: [0x3412] } },
  { type: 'int32', value: -123456789, images: { ABCD: [0xf8a4, 0x32eb], CDAB: [0x32eb, 0xf8a4], BADC: [0xa4f8, 0xeb32], DCBA: [0xeb32, 0xa4f8] } },
  { type: 'uint32', value: 3000000000, images: { ABCD: [0xb2d0, 0x5e00], CDAB: [0x5e00, 0xb2d0], BADC: [0xd0b2, 0x005e], DCBA: [0x005e, 0xd0b2] } },
  { type: 'float32', value: Math.fround(123.456), images: { ABCD: [0x42f6, 0xe979], CDAB: [0xe979, 0x42f6], BADC: [0xf642, 0x79e9], DCBA: [0x79e9, 0xf642] } },
  {
    type: 'float64', value: -1234.5678,
    images: {
      ABCD: [0xc093, 0x4a45, 0x6d5c, 0xfaad], CDAB: [0xfaad, 0x6d5c, 0x4a45, 0xc093],
      BADC: [0x93c0, 0x454a, 0x5c6d, 0xadfa], DCBA: [0xadfa, 0x5c6d, 0x454a, 0x93c0],
    },
  },
];

describe('lib/profiles registers', () => {
  for (const { type, value, images } of CASES) {
    for (const [order, words] of Object.entries(images)) {
      const layout: RegisterLayout = { type, ...ORDERS[order as keyof typeof ORDERS] };
      it(`decodes ${type} ${order} from known registers`, () => {
        assert.equal(decodeRegisters(layout, [0xdead, ...words, 0xbeef], 1), value);
      });
      it(`encodes ${type} ${order} to the same registers`, () => {
        assert.deepEqual(encodeRegisters(layout, value), words);
      });
    }
  }

  it('applies scale and offset both ways', () => {
    const layout: RegisterLayout = { type: 'int16', scale: 0.1, offset: -40 };
    assert.equal(decodeRegisters(layout, [650]), 25);
    assert.deepEqual(encodeRegisters(layout, 25), [650]);
  });

  it('reads status-word bits as booleans and wider fields as numbers', () => {
    const word = 0b1011_0101;
    assert.equal(decodeRegisters({ type: 'uint16', bit: 0 }, [word]), true);
    assert.equal(decodeRegisters({ type: 'uint16', bit: 1 }, [word]), false);
    assert.equal(decodeRegisters({ type: 'uint16', bit: 4, bitLength: 4 }, [word]), 0b1011);
    assert.deepEqual(encodeRegisters({ type: 'uint16', bit: 2 }, true), [4]);
    assert.deepEqual(encodeRegisters({ type: 'uint16', bit: 4, bitLength: 4 }, 11), [0b1011_0000]);
    assert.equal(decodeRegisters({ type: 'uint32', bit: 31 }, [0x8000, 0]), true);
  });

  it('rejects short arrays, non-register words and values a type cannot hold', () => {
    assert.throws(() => decodeRaw({ type: 'float32' }, [1], 0), /needs 2 register/);
    assert.throws(() => decodeRaw({ type: 'uint16' }, [70000]), /register 0 is 70000/);
    assert.throws(() => decodeRaw({ type: 'uint16' }, ['12']), /not a 16-bit/);
    assert.throws(() => decodeRaw({ type: 'uint16' }, [1], -1), /register -1/);
    assert.throws(() => encodeRegisters({ type: 'uint16' }, -1), /outside what uint16/);
    assert.throws(() => encodeRegisters({ type: 'float32' }, Number.NaN), /cannot encode/);
    assert.throws(() => encodeRegisters({ type: 'uint16', bit: 3 }, 2), /1-bit field/);
  });

  it('round-trips any representable integer in every order', () => {
    const layouts = Object.values(ORDERS);
    fc.assert(fc.property(
      fc.constantFrom(...layouts), fc.constantFrom('int16', 'uint16', 'int32', 'uint32') as fc.Arbitrary<RegisterLayout['type']>, fc.integer(),
      (order, type, seed) => {
        const bounds = { int16: [-32768, 32767], uint16: [0, 65535], int32: [-2147483648, 2147483647], uint32: [0, 4294967295] }[type as 'int16']!;
        const value = bounds[0] + Math.abs(seed) % (bounds[1] - bounds[0] + 1);
        const layout = { type, ...order };
        const words = encodeRegisters(layout, value);
        assert.equal(words.length, registerCount(layout));
        assert.equal(decodeRegisters(layout, words), value);
      },
    ));
  });

  it('round-trips any double through float64 in every order', () => {
    fc.assert(fc.property(fc.constantFrom(...Object.values(ORDERS)), fc.double({ noNaN: true, noDefaultInfinity: true }), (order, value) => {
      const layout: RegisterLayout = { type: 'float64', ...order };
      assert.equal(decodeRegisters(layout, encodeRegisters(layout, value)), value);
    }));
  });
});

describe('lib/profiles decimal scales', () => {
  it('gives the nearest double to the scaled decimal, not a product with binary noise', () => {
    assert.equal(decodeRegisters({ type: 'int16', scale: 0.1 }, [901]), 90.1);
    assert.equal(decodeRegisters({ type: 'uint16', scale: 0.1 }, [76]), 7.6);
    assert.equal(decodeRegisters({ type: 'uint16', scale: 0.01 }, [4737]), 47.37);
    assert.equal(decodeRegisters({ type: 'uint16', scale: 2.5 }, [4]), 10);
  });
});
