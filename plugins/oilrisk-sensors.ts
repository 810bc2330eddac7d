// Registers the built-in sensor profiles as Node-RED plugins of type `oilrisk-sensor`, the
// same way a third-party sensor package does, so the core has no special path for its own.

import type { NodeAPI } from 'node-red';

export const SENSOR_PLUGIN_TYPE = 'oilrisk-sensor';

export interface SensorPluginDefinition {
  type: typeof SENSOR_PLUGIN_TYPE;
  profiles: unknown[];
}

export default function register(RED: NodeAPI): void {
  const definition: SensorPluginDefinition = { type: SENSOR_PLUGIN_TYPE, profiles: [] };
  RED.plugins.registerPlugin('oilrisk-sensors-builtin', definition);
}
