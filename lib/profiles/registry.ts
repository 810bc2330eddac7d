// The set of sensor profiles a runtime knows: built-ins plus whatever plugins contributed.
// Site tags name a profile, or one channel of it as "profile.channel".

import { BUILTIN_PROFILES } from './builtin.js';
import { parseProfile } from './schema.js';
import type { SensorChannel, SensorProfile } from './types.js';

export interface ResolvedChannel {
  profile: SensorProfile;
  channel: SensorChannel;
}

export class ProfileRegistry {
  private readonly profiles = new Map<string, SensorProfile>();

  constructor(profiles: Iterable<SensorProfile> = []) {
    for (const profile of profiles) this.add(profile);
  }

  /** Adds or replaces a profile after validating it; throws naming the profile and path when invalid. */
  add(profile: unknown, origin = 'plugin'): SensorProfile {
    const parsed = parseProfile(profile, origin);
    this.profiles.set(parsed.name, parsed);
    return parsed;
  }

  get(name: string): SensorProfile | undefined {
    return this.profiles.get(name);
  }

  has(name: string): boolean {
    return this.profiles.has(name);
  }

  list(): SensorProfile[] {
    return [...this.profiles.values()];
  }

  /**
   * The channel a tag reads. `reference` is "profile" (its first channel) or "profile.channel";
   * `channelName` (e.g. a Modbus or OPC UA binding's field) picks the channel when the reference does not.
   */
  resolve(reference: string, channelName?: string): ResolvedChannel | undefined {
    let profile = this.profiles.get(reference);
    let wanted = channelName;
    if (!profile) {
      const dot = reference.lastIndexOf('.');
      if (dot <= 0) return undefined;
      profile = this.profiles.get(reference.slice(0, dot));
      wanted = reference.slice(dot + 1);
    }
    if (!profile) return undefined;
    const channel = wanted === undefined ? profile.channels[0] : profile.channels.find((c) => c.name === wanted);
    return channel ? { profile, channel } : undefined;
  }
}

const builtin = new ProfileRegistry(BUILTIN_PROFILES);

/** A built-in profile by name. */
export function getProfile(name: string): SensorProfile | undefined {
  return builtin.get(name);
}

/** A built-in profile's channel by reference ("esp-drive.current"); throws when unknown, for simulator set-up. */
export function getChannel(reference: string, channelName?: string): SensorChannel {
  const resolved = builtin.resolve(reference, channelName);
  if (!resolved) throw new Error(`oilrisk/profiles: unknown sensor profile or channel "${reference}"`);
  return resolved.channel;
}

export function builtinRegistry(): ProfileRegistry {
  return new ProfileRegistry(BUILTIN_PROFILES);
}
