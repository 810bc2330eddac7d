// The running simulator: the field model on a clock, wrapped by Modbus TCP, OPC UA and MQTT on
// loopback. Used in-process by tests and by the runtime, and standalone by sim/cli.ts.

import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Site } from '../lib/model/index.js';
import { createField, type Field } from './field.js';
import { freeLoopbackPort } from './ports.js';
import type { ScenarioName } from './scenarios.js';
import { modbusWrite } from './servers/intruder.js';
import { modbusMap, startModbusDevice, type ModbusDevice } from './servers/modbus.js';
import { startMqttPublisher, type MqttPublisher } from './servers/mqtt.js';
import { startOpcuaServer, type OpcuaDevice } from './servers/opcua.js';

export interface SimulatorOptions {
  seed?: number;
  scenario?: ScenarioName;
  /** Simulated seconds per wall-clock second. */
  speed?: number;
  /** Wall-clock milliseconds between field steps and MQTT publications. */
  tickMs?: number;
  /** Broker to publish to; no MQTT publishing without it. */
  mqttUrl?: string;
  /** Fixed ports for devices by name ("rtu-north", "opcua"); free ports otherwise. */
  ports?: Record<string, number>;
  /** Where the OPC UA server keeps its certificates. */
  pkiFolder?: string;
  /** Which protocols to serve (all by default). */
  protocols?: Array<'modbus' | 'opcua' | 'mqtt'>;
}

export interface Simulator {
  field: Field;
  /** Modbus device name to its TCP port. */
  modbus: Record<string, number>;
  opcuaUrl?: string;
  mqttUrl?: string;
  setScenario(name: ScenarioName): void;
  /**
   * Stops a device server as a crash would (its port closes): a Modbus device by name, or
   * "opcua" for the OPC UA server; `restart` brings it back on the same port.
   */
  stopDevice(device: string): Promise<void>;
  restartDevice(device: string): Promise<void>;
  close(): Promise<void>;
}

export async function startSimulator(site: Site, options: SimulatorOptions = {}): Promise<Simulator> {
  const protocols = new Set(options.protocols ?? ['modbus', 'opcua', 'mqtt']);
  const field = createField(site, { seed: options.seed ?? Date.now() % 100000, scenario: options.scenario ?? 'normal', startTs: Date.now(), attacks: 'wire' });
  const speed = options.speed ?? 1;
  const tickMs = options.tickMs ?? 1000;
  const portFor = async (name: string) => options.ports?.[name] ?? await freeLoopbackPort();

  const modbus = new Map<string, ModbusDevice>();
  const modbusUnits = modbusMap(site.tags);
  const modbusPorts: Record<string, number> = {};
  const closers: Array<() => Promise<void>> = [];
  try {
    if (protocols.has('modbus')) {
      for (const [device, units] of modbusUnits) {
        const server = await startModbusDevice(field, device, units, await portFor(device));
        modbus.set(device, server);
        modbusPorts[device] = server.port;
      }
    }
    let opcua: OpcuaDevice | undefined;
    let opcuaRunning = false;
    const pkiFolder = options.pkiFolder ?? join(tmpdir(), 'oilrisk-sim-pki');
    if (protocols.has('opcua') && site.tags.some((t) => t.binding?.protocol === 'opcua')) {
      opcua = await startOpcuaServer(field, site.tags, await portFor('opcua'), pkiFolder);
      opcuaRunning = true;
      closers.push(async () => {
        if (opcuaRunning) await opcua!.close();
        opcuaRunning = false;
      });
    }
    let mqttPublisher: MqttPublisher | undefined;
    if (protocols.has('mqtt') && options.mqttUrl) {
      mqttPublisher = await startMqttPublisher(field, site.tags, options.mqttUrl);
      closers.push(() => mqttPublisher!.close());
    }

    let last = Date.now();
    const tick = () => {
      const now = Date.now();
      field.step(((now - last) / 1000) * speed);
      last = now;
      for (const action of field.takePendingActions()) {
        if (action.kind === 'modbus-write') void modbusWrite(site, modbusPorts, action).catch(() => undefined);
        else void mqttPublisher?.failLogins(action.count);
      }
      mqttPublisher?.publish();
      const security = field.takeSecurityEvents();
      if (security.length) mqttPublisher?.publishSecurity(security);
    };
    const timer = setInterval(tick, tickMs);
    tick();

    return {
      field,
      modbus: modbusPorts,
      opcuaUrl: opcua?.url,
      mqttUrl: options.mqttUrl,
      setScenario: (name) => field.setScenario(name),
      async stopDevice(device) {
        if (device === 'opcua' && opcua) {
          if (opcuaRunning) await opcua.close();
          opcuaRunning = false;
          return;
        }
        const server = modbus.get(device);
        if (!server) throw new Error(`oilrisk/sim: no Modbus device or OPC UA server "${device}"`);
        await server.close();
      },
      async restartDevice(device) {
        if (device === 'opcua' && opcua) {
          if (!opcuaRunning) opcua = await startOpcuaServer(field, site.tags, opcua.port, pkiFolder);
          opcuaRunning = true;
          return;
        }
        const units = modbusUnits.get(device);
        if (!units) throw new Error(`oilrisk/sim: no Modbus device or OPC UA server "${device}"`);
        modbus.set(device, await startModbusDevice(field, device, units, modbusPorts[device]));
      },
      async close() {
        clearInterval(timer);
        await Promise.all([...modbus.values()].map((m) => m.close().catch(() => undefined)));
        for (const close of closers) await close().catch(() => undefined);
      },
    };
  } catch (err) {
    await Promise.all([...modbus.values()].map((m) => m.close().catch(() => undefined)));
    for (const close of closers) await close().catch(() => undefined);
    throw err;
  }
}
