// The intruder of the cyber-intrusion scenario, acting over the wire: Modbus writes to an
// RTU's registers (which the simulated RTU accepts and reports) and failed MQTT logins.

import ModbusRTU from 'modbus-serial';
import type { Site } from '../../lib/model/index.js';
import { parseModbusAddress } from '../devices.js';
import type { ScenarioAction } from '../inputs.js';
import { tagRegisters } from './encoding.js';

/** Writes the action's value to the tag's registers on the device's Modbus TCP port. */
export async function modbusWrite(site: Site, ports: Record<string, number>, action: Extract<ScenarioAction, { kind: 'modbus-write' }>): Promise<void> {
  const tag = site.tags.find((t) => t.id === action.tag);
  const address = tag?.binding?.protocol === 'modbus' ? parseModbusAddress(tag.binding.address) : undefined;
  if (!tag || !address || ports[address.device] === undefined) return;
  const client = new ModbusRTU();
  try {
    await client.connectTCP('127.0.0.1', { port: ports[address.device] });
    client.setID(address.unitId);
    client.setTimeout(2000);
    const words = tagRegisters(tag, action.value);
    if (words.length === 1) await client.writeRegister(address.register, words[0]);
    else await client.writeRegisters(address.register, words);
  } finally {
    await new Promise<void>((ok) => client.close(() => ok()));
  }
}
