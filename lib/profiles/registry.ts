// The set of sensor profiles a runtime knows: built-ins plus whatever plugins contributed.
// Site tags name a profile, or one channel of it as "profile.channel".

import { BUILTIN_PROFILES } from './builtin.js';
import { parseProfile } from './schema.js';
import { canConvert, canonicalUnit } from './units.js';
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
   * The channel a tag reads. `reference` is "profile" or "profile.channel"; otherwise `hint.channel`
   * (e.g. a binding's field naming a channel) picks it, then the channel in the tag's unit, then the first.
   */
  resolve(reference: string, hint: string | ChannelHint = {}): ResolvedChannel | undefined {
    const { channel: wanted, unit } = typeof hint === 'string' ? { channel: hint, unit: undefined } : hint;
    let profile = this.profiles.get(reference);
    let name = wanted;
    if (!profile) {
      const dot = reference.lastIndexOf('.');
      if (dot <= 0) return undefined;
      profile = this.profiles.get(reference.slice(0, dot));
      name = reference.slice(dot + 1);
      if (!profile) return undefined;
    } else if (name !== undefined && !profile.channels.some((c) => c.name === name)) {
      name = undefined;
    }
    const channel = name !== undefined ? profile.channels.find((c) => c.name === name) : byUnit(profile.channels, unit);
    return channel ? { profile, channel } : undefined;
  }
}

export interface ChannelHint {
  channel?: string;
  unit?: string;
}

function byUnit(channels: readonly SensorChannel[], unit: string | undefined): SensorChannel {
  if (unit === undefined || unit === '' || channels.length === 1) return channels[0];
  const wanted = canonicalUnit(unit);
  return channels.find((c) => canonicalUnit(c.unit) === wanted)
    ?? channels.find((c) => c.unit !== '' && canConvert(c.unit, unit))
    ?? channels[0];
}

const builtin = new ProfileRegistry(BUILTIN_PROFILES);

/** A built-in profile by name. */
export function getProfile(name: string): SensorProfile | undefined {
  return builtin.get(name);
}

/** A built-in profile's channel by reference ("esp-drive.current"); throws when unknown, for simulator set-up. */
export function getChannel(reference: string, hint?: string | ChannelHint): SensorChannel {
  const resolved = builtin.resolve(reference, hint);
  if (!resolved) throw new Error(`oilrisk/profiles: unknown sensor profile or channel "${reference}"`);
  return resolved.channel;
}

export function builtinRegistry(): ProfileRegistry {
  return new ProfileRegistry(BUILTIN_PROFILES);
}
