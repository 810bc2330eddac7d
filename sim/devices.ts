// Which simulated device serves a tag, from its binding: a Modbus RTU by name, the OPC UA
// server's equipment folder, an MQTT topic or a Sparkplug device. Names carry the protocol.

import type { Tag } from '../lib/model/index.js';

export interface ModbusAddress {
  device: string;
  unitId: number;
  register: number;
}

/** "<device>:<unitId>:<register>" per the binding convention; undefined when malformed. */
export function parseModbusAddress(address: string): ModbusAddress | undefined {
  const match = /^([^:]+):(\d+):(\d+)$/.exec(address.trim());
  if (!match) return undefined;
  return { device: match[1], unitId: Number(match[2]), register: Number(match[3]) };
}

export function deviceOf(tag: Tag): string | undefined {
  const binding = tag.binding;
  if (!binding) return undefined;
  switch (binding.protocol) {
    case 'modbus': {
      const parsed = parseModbusAddress(binding.address);
      return parsed ? `modbus:${parsed.device}` : undefined;
    }
    case 'opcua': return `opcua:${tag.equipment}`;
    case 'mqtt': return `mqtt:${binding.address}`;
    case 'sparkplug': return `sparkplug:${binding.address}`;
  }
}
