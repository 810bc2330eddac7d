// Registers the built-in sensor profiles as Node-RED plugins of type `oilrisk-sensor`, the
// same way a third-party sensor package does, so the core has no special path for its own.

import type { NodeAPI } from 'node-red';
import { BUILTIN_PROFILES } from '../lib/profiles/builtin.js';
import type { SensorProfile } from '../lib/profiles/types.js';

export const SENSOR_PLUGIN_TYPE = 'oilrisk-sensor';

/** What an `oilrisk-sensor` plugin registers: its profiles (see docs/ingest.md for the fields). */
export interface SensorPluginDefinition {
  type: typeof SENSOR_PLUGIN_TYPE;
  profiles: readonly SensorProfile[];
}

export default function register(RED: NodeAPI): void {
  const definition: SensorPluginDefinition = { type: SENSOR_PLUGIN_TYPE, profiles: BUILTIN_PROFILES };
  RED.plugins.registerPlugin('oilrisk-sensors-builtin', definition);
}
