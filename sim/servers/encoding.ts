// How a simulated device serves a tag's value: the tag's sensor profile channel (lib/profiles)
// gives the register layout, OPC UA data type and unit, the same ones ingestion decodes.

import type { Tag } from '../../lib/model/index.js';
import { canConvert, convertUnit, encodeRegisters, getChannel, type SensorChannel } from '../../lib/profiles/index.js';

export function channelOf(tag: Tag): SensorChannel | undefined {
  try {
    return getChannel(tag.profile, tag.binding?.field);
  } catch {
    return undefined;
  }
}

/** The value in the channel's unit, as the device reports it. */
export function deviceValue(tag: Tag, channel: SensorChannel | undefined, value: number | boolean): number | boolean {
  if (typeof value === 'boolean' || !channel || !tag.unit || !channel.unit || tag.unit === channel.unit) return value;
  return canConvert(tag.unit, channel.unit) ? convertUnit(value, tag.unit, channel.unit) : value;
}

/** The tag's value as the registers its channel's layout holds (float32 big-endian without a profile). */
export function tagRegisters(tag: Tag, value: number | boolean): number[] {
  const channel = channelOf(tag);
  const layout = channel?.modbus ?? { type: 'float32' as const, byteOrder: 'big' as const, wordOrder: 'big' as const };
  const raw = deviceValue(tag, channel, value);
  try {
    return encodeRegisters(layout, layout.bit === undefined && typeof raw === 'boolean' ? Number(raw) : raw);
  } catch {
    // A value the layout cannot hold (out of an integer's range) reads as zeros, as a saturated device would not; ingest grades it.
    return new Array<number>(layout.type === 'float64' ? 4 : layout.type.endsWith('32') ? 2 : 1).fill(0);
  }
}
