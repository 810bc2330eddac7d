// Vehicle positions from GPS tracker readings, checked against the site's geofences: the
// traffic-safety side of the field. Pure: the ingest node feeds it readings and sends the fixes.
//
// A tracked vehicle is equipment with a latitude and a longitude tag (profiles "<tracker>.latitude"
// and "<tracker>.longitude", whatever the protocol); a "<tracker>.speed" tag gives its speed,
// otherwise the speed is worked out from the last two fixes. A "<tracker>.restricted-zone" tag,
// bound to no device, is set from each fix: true inside a restricted zone, so that the risk
// engine and the alarms treat an entry like any trip.

import type { GeoLocation, Geofence, GpsFix, Reading, Site, TrafficViolation } from '../model/index.js';

const EARTH_RADIUS_M = 6_371_008.8;

/** Great-circle distance in metres (haversine). */
export function distanceM(a: GeoLocation, b: GeoLocation): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad, dLon = (b.lon - a.lon) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}

export interface Placement {
  /** The smallest geofence the point is in. */
  geofence?: string;
  violation: TrafficViolation;
  /** The limit that applied, km/h, when one did. */
  limitKmh?: number;
}

/**
 * Where a vehicle is and what it breaks: inside a restricted zone is a geofence violation, named
 * after that zone; otherwise it is speeding above the lowest limit of the speed zones it is in
 * (named after the zone whose limit applied), or, outside them, above `roadLimitKmh` (the
 * vehicle's own speed limit). With no violation the smallest zone it is in names its place.
 */
export function place(point: GeoLocation, speedKmh: number, geofences: readonly Geofence[], roadLimitKmh?: number): Placement {
  const smaller = (a: Geofence | undefined, b: Geofence) => (!a || b.radiusM < a.radiusM ? b : a);
  let smallest: Geofence | undefined;
  let restricted: Geofence | undefined;
  let limiting: Geofence | undefined;
  for (const g of geofences) {
    if (distanceM(point, g.location) > g.radiusM) continue;
    smallest = smaller(smallest, g);
    if (g.kind === 'restricted') restricted = smaller(restricted, g);
    if (g.speedLimitKmh !== undefined && (!limiting || g.speedLimitKmh < limiting.speedLimitKmh!)) limiting = g;
  }
  const limitKmh = limiting?.speedLimitKmh ?? roadLimitKmh;
  if (restricted) return { geofence: restricted.id, violation: 'geofence', limitKmh };
  if (limitKmh !== undefined && speedKmh > limitKmh) return { geofence: (limiting ?? smallest)?.id, violation: 'speeding', limitKmh };
  return { geofence: smallest?.id, violation: 'none', limitKmh };
}

/** Factor to km/h from the speed units trackers report in. */
const TO_KMH: Record<string, number> = { 'km/h': 1, kmh: 1, kph: 1, 'm/s': 3.6, mph: 1.609344, kn: 1.852, kt: 1.852, knot: 1.852, knots: 1.852 };
/** A speed reading older than this (or than the speed tag's stale timeout) is not used for a fix. */
const SPEED_MAX_AGE_S = 60;
/** Latitude and longitude further apart in time than this do not make one position. */
const PAIR_WINDOW_MS = 10_000;

type Channel = 'latitude' | 'longitude' | 'speed' | 'restricted-zone';

interface Coordinate {
  value: number;
  ts: number;
}

interface Vehicle {
  id: string;
  /** Coordinates read since the last fix: a fix needs both, read close together. */
  lat?: Coordinate;
  lon?: Coordinate;
  speed?: Coordinate;
  /** Seconds a speed reading stays usable. */
  speedMaxAgeS: number;
  last?: GpsFix;
  /** Lowest H (or HH) limit of the speed tag's factors, in km/h. */
  roadLimitKmh?: number;
  /** Tags set from each fix: inside a restricted zone or not. */
  zoneTags: string[];
}

interface TagRole {
  vehicle: Vehicle;
  channel: Channel;
  toKmh: number;
}

const channelOf = (profile: string): Channel | undefined => {
  const channel = profile.slice(profile.lastIndexOf('.') + 1);
  return channel === 'latitude' || channel === 'longitude' || channel === 'speed' || channel === 'restricted-zone' ? channel : undefined;
};

export interface GpsUpdate {
  /** One per vehicle whose position came in. */
  fixes: GpsFix[];
  /**
   * The vehicles' restricted-zone tags: one reading per fix, and a bad one when a coordinate
   * came in bad or stale (the tracker is lost: nobody knows where the vehicle is).
   */
  readings: Reading[];
}

/** Whether a tag is one the tracker sets, never a device: a vehicle's restricted-zone trip. */
export function isDerivedGpsTag(tag: { profile: string }): boolean {
  return channelOf(tag.profile) === 'restricted-zone';
}

export class GpsTracker {
  private roles = new Map<string, TagRole>();
  private vehicles = new Map<string, Vehicle>();
  private geofences: Geofence[] = [];
  /** What in the site the tracker cannot use as written, e.g. a speed unit it does not know. */
  problems: string[] = [];

  constructor(site: Site) {
    this.setSite(site);
  }

  /** Takes a new site; vehicles that are still tracked keep their last position. */
  setSite(site: Site): void {
    const problems: string[] = [];
    const channels = new Map<string, Map<Channel, Site['tags'][number]>>();
    const zoneTags = new Map<string, string[]>();
    for (const tag of site.tags) {
      const channel = channelOf(tag.profile);
      if (!channel) continue;
      if (channel === 'restricted-zone') {
        zoneTags.set(tag.equipment, [...(zoneTags.get(tag.equipment) ?? []), tag.id]);
        continue;
      }
      const of = channels.get(tag.equipment) ?? new Map<Channel, Site['tags'][number]>();
      of.set(channel, tag);
      channels.set(tag.equipment, of);
    }
    const roles = new Map<string, TagRole>();
    const vehicles = new Map<string, Vehicle>();
    for (const [equipment, of] of channels) {
      if (!of.has('latitude') || !of.has('longitude')) continue;
      const vehicle = this.vehicles.get(equipment) ?? { id: equipment, zoneTags: [], speedMaxAgeS: SPEED_MAX_AGE_S };
      vehicle.zoneTags = zoneTags.get(equipment) ?? [];
      const speed = of.get('speed');
      const unit = speed?.unit.trim().toLowerCase() ?? 'km/h';
      const toKmh = TO_KMH[unit === '' ? 'km/h' : unit];
      if (speed && toKmh === undefined) problems.push(`tag "${speed.id}": speed unit "${speed.unit}" is not one of ${Object.keys(TO_KMH).join(', ')}; read as km/h`);
      const limits = speed?.factors.map((f) => f.limits?.H ?? f.limits?.HH).filter((l): l is number => l !== undefined) ?? [];
      vehicle.roadLimitKmh = limits.length ? Math.min(...limits) * (toKmh ?? 1) : undefined;
      const timeouts = speed?.factors.map((f) => f.staleTimeout).filter((t): t is number => t !== undefined) ?? [];
      vehicle.speedMaxAgeS = timeouts.length ? Math.min(...timeouts) : SPEED_MAX_AGE_S;
      vehicles.set(equipment, vehicle);
      for (const [channel, tag] of of) roles.set(tag.id, { vehicle, channel, toKmh: channel === 'speed' ? toKmh ?? 1 : 1 });
      for (const id of vehicle.zoneTags) roles.set(id, { vehicle, channel: 'restricted-zone', toKmh: 1 });
    }
    for (const [equipment, tags] of zoneTags) {
      if (!vehicles.has(equipment)) problems.push(`tag "${tags[0]}": "${equipment}" has no latitude and longitude tags, so nothing sets its restricted-zone tag`);
    }
    this.roles = roles;
    this.vehicles = vehicles;
    this.geofences = site.geofences ?? [];
    this.problems = problems;
  }

  /** Equipment ids of the tracked vehicles. */
  tracked(): string[] {
    return [...this.vehicles.keys()];
  }

  /**
   * A fix for each vehicle once both its latitude and its longitude have come in (in these
   * readings or earlier ones, at most 10 s apart), placed against the geofences, and the readings
   * of the vehicles' restricted-zone tags. Readings of those tags themselves are ignored: only
   * fixes set them.
   */
  update(readings: readonly Reading[]): GpsUpdate {
    const moved = new Set<Vehicle>();
    const lost = new Map<Vehicle, number>();
    for (const r of readings) {
      const role = this.roles.get(r.tag);
      if (!role || role.channel === 'restricted-zone') continue;
      const v = role.vehicle;
      const good = r.quality === 'good' && typeof r.value === 'number' && Number.isFinite(r.value);
      if (role.channel === 'speed') {
        v.speed = good ? { value: (r.value as number) * role.toKmh, ts: r.ts } : undefined;
      } else if (!good) {
        // A bad or stale coordinate: the vehicle's position is unknown until both come back.
        v.lat = v.lon = undefined;
        lost.set(v, Math.max(lost.get(v) ?? -Infinity, r.ts));
        moved.delete(v);
      } else {
        v[role.channel === 'latitude' ? 'lat' : 'lon'] = { value: r.value as number, ts: r.ts };
        lost.delete(v);
        moved.add(v);
      }
    }
    const fixes: GpsFix[] = [];
    const zone: Reading[] = [];
    for (const v of moved) {
      if (!v.lat || !v.lon || Math.abs(v.lat.ts - v.lon.ts) > PAIR_WINDOW_MS) continue;
      const ts = Math.max(v.lat.ts, v.lon.ts);
      const point = { lat: v.lat.value, lon: v.lon.value };
      v.lat = v.lon = undefined;
      const speedKmh = this.speedOf(v, point, ts);
      const { geofence, violation } = place(point, speedKmh, this.geofences, v.roadLimitKmh);
      const fix: GpsFix = { vehicle: v.id, ...point, speedKmh, ts, violation };
      if (geofence !== undefined) fix.geofence = geofence;
      v.last = fix;
      fixes.push(fix);
      for (const tag of v.zoneTags) zone.push({ tag, value: violation === 'geofence', quality: 'good', ts, source: `gps:${geofence ?? 'no-zone'}` });
    }
    for (const [v, ts] of lost) {
      for (const tag of v.zoneTags) zone.push({ tag, value: null, quality: 'bad', ts, source: 'gps:position-lost' });
    }
    return { fixes, readings: zone };
  }

  private speedOf(v: Vehicle, point: GeoLocation, ts: number): number {
    if (v.speed && ts - v.speed.ts <= v.speedMaxAgeS * 1000) return v.speed.value;
    const last = v.last;
    if (!last || ts <= last.ts) return last?.speedKmh ?? 0;
    return (distanceM(last, point) / ((ts - last.ts) / 1000)) * 3.6;
  }
}
