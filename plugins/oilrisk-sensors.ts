// Registers the built-in sensor profiles as Node-RED plugins of type `oilrisk-sensor`, the
// same way a third-party sensor package does, so the core has no special path for its own.

import type { NodeAPI } from 'node-red';
import { BUILTIN_PROFILES } from '../lib/profiles/builtin.js';
import { ProfileRegistry } from '../lib/profiles/registry.js';
import type { SensorProfile } from '../lib/profiles/types.js';

export const SENSOR_PLUGIN_TYPE = 'oilrisk-sensor';

/** What an `oilrisk-sensor` plugin registers: its profiles (see docs/ingest.md for the fields). */
export interface SensorPluginDefinition {
  type: typeof SENSOR_PLUGIN_TYPE;
  profiles: readonly SensorProfile[];
}

/** The part of RED.plugins this reads. */
export type SensorPlugins = { getByType(type: string): Array<{ id?: string; module?: string; profiles?: unknown }> };

/** Built-in profiles, then every profile an installed `oilrisk-sensor` plugin offers; invalid ones are reported, not loaded. */
export function profileRegistry(plugins: SensorPlugins | undefined, warn: (message: string) => void): ProfileRegistry {
  const registry = new ProfileRegistry(BUILTIN_PROFILES);
  for (const plugin of plugins?.getByType(SENSOR_PLUGIN_TYPE) ?? []) {
    const origin = plugin.module ?? plugin.id ?? 'a plugin';
    if (!Array.isArray(plugin.profiles)) {
      warn(`oilrisk/profiles: plugin ${origin} has no "profiles" array`);
      continue;
    }
    for (const profile of plugin.profiles) {
      try {
        registry.add(profile, origin);
      } catch (err) {
        warn((err as Error).message);
      }
    }
  }
  return registry;
}

export default function register(RED: NodeAPI): void {
  const definition: SensorPluginDefinition = { type: SENSOR_PLUGIN_TYPE, profiles: BUILTIN_PROFILES };
  RED.plugins.registerPlugin('oilrisk-sensors-builtin', definition);
}
