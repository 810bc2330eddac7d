// Modbus TCP servers for the simulated RTUs and tank battery: one server per device name in
// the site's modbus bindings, holding registers computed from the field model on each read.

import { ServerTCP } from 'modbus-serial';
import type { Tag } from '../../lib/model/index.js';
import { decodeRegisters, registerCount } from '../../lib/profiles/index.js';
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
  const pending = new Map<string, number[]>();
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
      // Function codes 6 and 16 both arrive here one register at a time: a wide value is
      // decoded once its last register is written, over the registers written so far.
      const entries = units.get(unitID) ?? [];
      const entry = entries.find((e) => e.register === address)
        ?? entries.find((e) => address > e.register && address < e.register + registerCount(channelOf(e.tag)?.modbus ?? { type: 'float32' }));
      const channel = entry ? channelOf(entry.tag) : undefined;
      if (!entry || !channel?.modbus) {
        field.write(`${device}:${unitID}:${address}`, value, `modbus:${device}`);
        return cb(null);
      }
      const current = field.value(entry.tag.id);
      const words = pending.get(entry.tag.id) ?? (current === undefined ? [] : tagRegisters(entry.tag, current));
      words[address - entry.register] = value;
      pending.set(entry.tag.id, words);
      if (address - entry.register === words.length - 1) {
        pending.delete(entry.tag.id);
        try {
          field.write(entry.tag.id, Number(decodeRegisters(channel.modbus, words, 0)), `modbus:${device}`);
        } catch {
          field.write(entry.tag.id, Number.NaN, `modbus:${device}`);
        }
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
