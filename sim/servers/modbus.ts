// Modbus TCP servers for the simulated RTUs and tank battery: one server per device name in
// the site's modbus bindings, holding registers computed from the field model on each read.

import { ServerTCP } from 'modbus-serial';
import type { Tag } from '../../lib/model/index.js';
import { decodeRegisters } from '../../lib/profiles/index.js';
import { parseModbusAddress } from '../devices.js';
import type { Field } from '../field.js';
import { channelOf, tagRegisters } from './encoding.js';

type Callback = (err: unknown, value?: number) => void;

export interface ModbusDevice {
  device: string;
  port: number;
  close(): Promise<void>;
}

interface Entry {
  tag: Tag;
  register: number;
}

/** Tags served by a Modbus device, by unit id. */
export function modbusMap(tags: Tag[]): Map<string, Map<number, Entry[]>> {
  const devices = new Map<string, Map<number, Entry[]>>();
  for (const tag of tags) {
    if (tag.binding?.protocol !== 'modbus') continue;
    const address = parseModbusAddress(tag.binding.address);
    if (!address) continue;
    if (!devices.has(address.device)) devices.set(address.device, new Map());
    const units = devices.get(address.device)!;
    if (!units.has(address.unitId)) units.set(address.unitId, []);
    units.get(address.unitId)!.push({ tag, register: address.register });
  }
  return devices;
}

/** Gateway Target Device Failed To Respond: what a radio gateway answers for a lost RTU. */
const TARGET_FAILED = 0x0b;
const ILLEGAL_ADDRESS = 0x02;

function registerValue(field: Field, entries: Entry[] | undefined, address: number): number {
  let word = 0;
  for (const entry of entries ?? []) {
    if (address < entry.register || address >= entry.register + 4) continue;
    const value = field.value(entry.tag.id);
    if (value === undefined) continue;
    const words = tagRegisters(entry.tag, value);
    const i = address - entry.register;
    // Bit fields of one status word share a register: OR them together.
    if (i < words.length) word |= words[i];
  }
  return word;
}

export async function startModbusDevice(field: Field, device: string, units: Map<number, Entry[]>, port: number, host = '127.0.0.1'): Promise<ModbusDevice> {
  const online = () => field.isOnline(`modbus:${device}`);
  const vector = {
    getHoldingRegister(address: number, unitID: number, cb: Callback) {
      if (!online()) return cb({ modbusErrorCode: TARGET_FAILED, msg: `${device} does not answer` });
      if (!units.has(unitID)) return cb({ modbusErrorCode: ILLEGAL_ADDRESS, msg: `${device} has no unit ${unitID}` });
      cb(null, registerValue(field, units.get(unitID), address));
    },
    getInputRegister(address: number, unitID: number, cb: Callback) {
      vector.getHoldingRegister(address, unitID, cb);
    },
    setRegister(address: number, value: number, unitID: number, cb: Callback) {
      const entry = units.get(unitID)?.find((e) => e.register === address);
      if (entry) {
        const channel = channelOf(entry.tag);
        let decoded: number | boolean = value;
        try {
          if (channel?.modbus && channel.modbus.type.endsWith('16')) decoded = decodeRegisters(channel.modbus, [value], 0);
        } catch {
          decoded = value;
        }
        field.write(entry.tag.id, Number(decoded), `modbus:${device}`);
      } else {
        field.write(`${device}:${unitID}:${address}`, value, `modbus:${device}`);
      }
      cb(null);
    },
  };
  const server = new ServerTCP(vector as unknown as ConstructorParameters<typeof ServerTCP>[0], { host, port, unitID: 255 });
  await new Promise<void>((ok, fail) => {
    server.once('initialized', () => ok());
    server.once('serverError', fail);
  });
  server.on('socketError', () => undefined);
  return {
    device,
    port,
    close: () => new Promise<void>((ok) => {
      const socks = (server as unknown as { socks: Map<{ destroy(): void }, number> }).socks;
      for (const sock of socks.keys()) sock.destroy();
      server.close(() => ok());
    }),
  };
}
