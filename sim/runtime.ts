// What the demo runtime starts beside Node-RED: the embedded MQTT broker (unless MQTT_URL names
// one) and the simulator (unless OILRISK_SIM=off), and the environment variables through which
// the shipped field flow's config nodes (${VAR}) find them.

import { join } from 'node:path';
import type { Site } from '../lib/model/index.js';
import { startBroker, type Broker } from './broker.js';
import { isScenarioName, SCENARIO_NAMES } from './scenarios.js';
import { startSimulator, type Simulator } from './simulator.js';

export interface FieldServices {
  /** Variables set for the flows: OILRISK_MODBUS_<DEVICE>_PORT, OILRISK_OPCUA_URL, MQTT_URL, ... */
  env: Record<string, string>;
  simulator?: Simulator;
  broker?: Broker;
  close(): Promise<void>;
}

/** "rtu-north" -> OILRISK_MODBUS_RTU_NORTH_PORT */
export function modbusPortVariable(device: string): string {
  return `OILRISK_MODBUS_${device.toUpperCase().replace(/[^A-Z0-9]+/g, '_')}_PORT`;
}

/** Where real devices are when nothing is simulated and the environment does not say. */
const REAL_DEFAULTS = { modbusPort: '502', opcuaUrl: 'opc.tcp://127.0.0.1:4840' };

export async function startFieldServices(env: NodeJS.ProcessEnv, site: Site | undefined, dataDir: string): Promise<FieldServices> {
  const out: Record<string, string> = {};
  let broker: Broker | undefined;
  let simulator: Simulator | undefined;
  try {
    let mqttUrl = env.MQTT_URL;
    if (!mqttUrl) {
      broker = await startBroker({ username: env.OILRISK_MQTT_USER, password: env.OILRISK_MQTT_PASSWORD });
      mqttUrl = broker.url;
    }
    let parsed: URL;
    try {
      parsed = new URL(mqttUrl);
    } catch {
      throw new Error(`MQTT_URL "${mqttUrl}" is not a URL: write it as mqtt://host:1883 (or mqtts://host:8883)`);
    }
    out.MQTT_URL = mqttUrl;
    out.OILRISK_MQTT_HOST = parsed.hostname;
    out.OILRISK_MQTT_PORT = parsed.port || (parsed.protocol === 'mqtts:' ? '8883' : '1883');

    const scenario = env.OILRISK_SIM_SCENARIO || 'normal';
    if (!isScenarioName(scenario)) throw new Error(`OILRISK_SIM_SCENARIO "${scenario}" is not a scenario; known: ${SCENARIO_NAMES.join(', ')}`);
    if (env.OILRISK_SIM !== 'off' && site) {
      const speed = env.OILRISK_SIM_SPEED ? Number(env.OILRISK_SIM_SPEED) : 1;
      if (!(speed > 0)) throw new Error(`OILRISK_SIM_SPEED must be a number > 0, got "${env.OILRISK_SIM_SPEED}"`);
      const seed = env.OILRISK_SIM_SEED ? Number(env.OILRISK_SIM_SEED) : undefined;
      if (seed !== undefined && !Number.isInteger(seed)) throw new Error(`OILRISK_SIM_SEED must be an integer, got "${env.OILRISK_SIM_SEED}"`);
      simulator = await startSimulator(site, { scenario, speed, seed, mqttUrl, pkiFolder: join(dataDir, 'sim-pki') });
      for (const [device, port] of Object.entries(simulator.modbus)) out[modbusPortVariable(device)] = String(port);
      if (simulator.opcuaUrl) out.OILRISK_OPCUA_URL = simulator.opcuaUrl;
    }
    out.OILRISK_MODBUS_HOST = env.OILRISK_MODBUS_HOST ?? '127.0.0.1';
    for (const device of new Set(site?.tags.filter((t) => t.binding?.protocol === 'modbus').map((t) => t.binding!.address.split(':')[0]) ?? [])) {
      const name = modbusPortVariable(device);
      out[name] = env[name] ?? out[name] ?? REAL_DEFAULTS.modbusPort;
    }
    out.OILRISK_OPCUA_URL = env.OILRISK_OPCUA_URL ?? out.OILRISK_OPCUA_URL ?? REAL_DEFAULTS.opcuaUrl;
  } catch (err) {
    await simulator?.close();
    await broker?.close();
    throw err;
  }
  return {
    env: out,
    simulator,
    broker,
    async close() {
      await simulator?.close();
      await broker?.close();
    },
  };
}

export interface ApiAnswer {
  status: number;
  body: unknown;
}

/** POST /oilrisk/api/sim/scenario {"name": ...}: switches the running simulator's scenario. */
export function switchScenario(simulator: Simulator | undefined, body: unknown): ApiAnswer {
  if (!simulator) return { status: 409, body: { error: 'the simulator is not running (OILRISK_SIM=off)' } };
  const name = typeof body === 'object' && body !== null ? (body as { name?: unknown }).name : undefined;
  if (!isScenarioName(name)) {
    return { status: 400, body: { error: `body.name must be one of ${SCENARIO_NAMES.join(', ')}; got ${JSON.stringify(name) ?? 'nothing'}` } };
  }
  simulator.setScenario(name);
  const scenario = simulator.field.scenario;
  return { status: 200, body: { name, title: scenario.title, rootCause: scenario.rootCause ?? null, timeline: scenario.timeline } };
}

/** GET /oilrisk/api/sim: what the simulator runs and the scenarios it knows. */
export function simulatorStatus(simulator: Simulator | undefined): ApiAnswer {
  if (!simulator) return { status: 200, body: { running: false, scenarios: SCENARIO_NAMES } };
  const scenario = simulator.field.scenario;
  return {
    status: 200,
    body: {
      running: true, scenario: scenario.name, title: scenario.title, simulatedSeconds: Math.round(simulator.field.time),
      rootCause: scenario.rootCause ?? null, timeline: scenario.timeline, scenarios: SCENARIO_NAMES,
      modbus: simulator.modbus, opcua: simulator.opcuaUrl ?? null, mqtt: simulator.mqttUrl ?? null,
    },
  };
}
