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
 * Where a vehicle is and what it breaks: inside a restricted zone is a geofence violation;
 * otherwise it is speeding above the lowest limit of the speed zones it is in, or, outside
 * them, above `roadLimitKmh` (the vehicle's own speed limit).
 */
export function place(point: GeoLocation, speedKmh: number, geofences: readonly Geofence[], roadLimitKmh?: number): Placement {
  let smallest: Geofence | undefined;
  let restricted = false;
  let zoneLimit: number | undefined;
  for (const g of geofences) {
    if (distanceM(point, g.location) > g.radiusM) continue;
    if (!smallest || g.radiusM < smallest.radiusM) smallest = g;
    if (g.kind === 'restricted') restricted = true;
    if (g.speedLimitKmh !== undefined) zoneLimit = Math.min(zoneLimit ?? Infinity, g.speedLimitKmh);
  }
  const limitKmh = zoneLimit ?? roadLimitKmh;
  const violation: TrafficViolation = restricted ? 'geofence' : limitKmh !== undefined && speedKmh > limitKmh ? 'speeding' : 'none';
  return { geofence: smallest?.id, violation, limitKmh };
}

/** Factor to km/h from the speed units trackers report in. */
const TO_KMH: Record<string, number> = { 'km/h': 1, kmh: 1, kph: 1, 'm/s': 3.6, mph: 1.609344, kn: 1.852, knot: 1.852, knots: 1.852 };

type Channel = 'latitude' | 'longitude' | 'speed' | 'restricted-zone';

interface Vehicle {
  id: string;
  lat?: number;
  lon?: number;
  speedKmh?: number;
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
  /** The vehicles' restricted-zone tags, one reading per fix. */
  readings: Reading[];
}

export class GpsTracker {
  private roles = new Map<string, TagRole>();
  private vehicles = new Map<string, Vehicle>();
  private geofences: Geofence[] = [];

  constructor(site: Site) {
    this.setSite(site);
  }

  /** Takes a new site; vehicles that are still tracked keep their last position. */
  setSite(site: Site): void {
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
      const vehicle = this.vehicles.get(equipment) ?? { id: equipment, zoneTags: [] };
      vehicle.zoneTags = zoneTags.get(equipment) ?? [];
      const speed = of.get('speed');
      const toKmh = speed ? TO_KMH[speed.unit.trim().toLowerCase()] ?? 1 : 1;
      const limits = speed?.factors.map((f) => f.limits?.H ?? f.limits?.HH).filter((l): l is number => l !== undefined) ?? [];
      vehicle.roadLimitKmh = limits.length ? Math.min(...limits) * toKmh : undefined;
      vehicles.set(equipment, vehicle);
      for (const [channel, tag] of of) roles.set(tag.id, { vehicle, channel, toKmh: channel === 'speed' ? toKmh : 1 });
      for (const id of vehicle.zoneTags) roles.set(id, { vehicle, channel: 'restricted-zone', toKmh: 1 });
    }
    this.roles = roles;
    this.vehicles = vehicles;
    this.geofences = site.geofences ?? [];
  }

  /** Equipment ids of the tracked vehicles. */
  tracked(): string[] {
    return [...this.vehicles.keys()];
  }

  /**
   * One fix per vehicle whose latitude or longitude came in these readings, with its placement,
   * and the readings of the vehicles' restricted-zone tags.
   */
  update(readings: readonly Reading[]): GpsUpdate {
    const moved = new Map<Vehicle, number>();
    for (const r of readings) {
      const role = this.roles.get(r.tag);
      if (!role || role.channel === 'restricted-zone' || r.quality !== 'good' || typeof r.value !== 'number' || !Number.isFinite(r.value)) continue;
      const v = role.vehicle;
      if (role.channel === 'speed') v.speedKmh = r.value * role.toKmh;
      else {
        if (role.channel === 'latitude') v.lat = r.value;
        else v.lon = r.value;
        moved.set(v, Math.max(moved.get(v) ?? -Infinity, r.ts));
      }
    }
    const fixes: GpsFix[] = [];
    const zone: Reading[] = [];
    for (const [v, ts] of moved) {
      if (v.lat === undefined || v.lon === undefined) continue;
      const point = { lat: v.lat, lon: v.lon };
      const speedKmh = this.speedOf(v, point, ts);
      const { geofence, violation } = place(point, speedKmh, this.geofences, v.roadLimitKmh);
      const fix: GpsFix = { vehicle: v.id, lat: v.lat, lon: v.lon, speedKmh, ts, violation };
      if (geofence !== undefined) fix.geofence = geofence;
      v.last = fix;
      fixes.push(fix);
      for (const tag of v.zoneTags) zone.push({ tag, value: violation === 'geofence', quality: 'good', ts, source: `gps:${geofence ?? 'no-zone'}` });
    }
    return { fixes, readings: zone };
  }

  private speedOf(v: Vehicle, point: GeoLocation, ts: number): number {
    if (v.speedKmh !== undefined) return v.speedKmh;
    const last = v.last;
    if (!last || ts <= last.ts) return last?.speedKmh ?? 0;
    return (distanceM(last, point) / ((ts - last.ts) / 1000)) * 3.6;
  }
}
