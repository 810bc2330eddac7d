import assert from 'node:assert/strict';
import type { Geofence, Reading, Site, Tag } from '../../../lib/model/index.js';
import { GpsTracker, distanceM, place } from '../../../lib/gps/index.js';

const T0 = Date.UTC(2026, 0, 1);
/** Metres per degree of latitude on the mean-radius sphere. */
const M_PER_DEG = (6_371_008.8 * Math.PI) / 180;

const CENTRE = { lat: 31.85, lon: -102.3 };
/** A point `metres` north of the centre. */
const north = (metres: number) => ({ lat: CENTRE.lat + metres / M_PER_DEG, lon: CENTRE.lon });

const zones: Geofence[] = [
  { id: 'LEASE', name: 'Lease roads', kind: 'speed-zone', location: CENTRE, radiusM: 3000, speedLimitKmh: 40 },
  { id: 'YARD', name: 'Yard', kind: 'speed-zone', location: CENTRE, radiusM: 400, speedLimitKmh: 15 },
  { id: 'FLARE', name: 'Flare exclusion', kind: 'restricted', location: north(1000), radiusM: 150 },
  { id: 'MUSTER', name: 'Muster point', kind: 'muster', location: north(2000), radiusM: 60 },
];

function tag(id: string, equipment: string, profile: string, unit: string, factors: Tag['factors'] = []): Tag {
  return { id, equipment, profile, unit, factors };
}

function vehicleSite(extra: Partial<Site> = {}): Site {
  return {
    id: 's', name: 's',
    equipment: [
      { id: 'VEH-1', type: 'vehicle', name: 'Pickup', area: 'field', criticality: 2, state: 'running' },
      { id: 'VEH-2', type: 'vehicle', name: 'Rig', area: 'field', criticality: 2, state: 'running' },
      { id: 'SEP-1', type: 'separator', name: 'Separator', area: 'cpf', criticality: 4, state: 'running' },
    ],
    dependencies: [],
    tags: [
      tag('VEH-1.LAT', 'VEH-1', 'gps-tracker.latitude', 'deg'),
      tag('VEH-1.LON', 'VEH-1', 'gps-tracker.longitude', 'deg'),
      tag('VEH-1.SPEED', 'VEH-1', 'gps-tracker.speed', 'km/h', [{ id: 'speeding', limits: { H: 40, HH: 60 }, consequence: { category: 'people', severity: 3 } }]),
      tag('VEH-1.ZONE', 'VEH-1', 'gps-tracker.restricted-zone', '', [{ id: 'restricted-zone', tripWhen: true, consequence: { category: 'people', severity: 4 } }]),
      // No speed tag: its speed comes from successive fixes.
      tag('VEH-2.LAT', 'VEH-2', 'acme-tracker.latitude', 'deg'),
      tag('VEH-2.LON', 'VEH-2', 'acme-tracker.longitude', 'deg'),
      // Equipment with a latitude alone is not tracked.
      tag('SEP-1.LAT', 'SEP-1', 'gps-tracker.latitude', 'deg'),
    ],
    scoreBands: { IV: 0.5, III: 1, II: 2, I: 3 },
    geofences: zones,
    ...extra,
  };
}

const r = (tagId: string, value: Reading['value'], ts: number, quality: Reading['quality'] = 'good'): Reading => ({ tag: tagId, value, quality, ts });
const at = (vehicle: string, p: { lat: number; lon: number }, ts: number): Reading[] => [r(`${vehicle}.LAT`, p.lat, ts), r(`${vehicle}.LON`, p.lon, ts)];

describe('lib/gps', () => {
  it('measures great-circle distances', () => {
    assert.ok(Math.abs(distanceM({ lat: 0, lon: 0 }, { lat: 1, lon: 0 }) - M_PER_DEG) < 1e-6);
    assert.equal(distanceM(CENTRE, CENTRE), 0);
    // One degree of longitude shrinks with the cosine of the latitude.
    const east = distanceM({ lat: 60, lon: 10 }, { lat: 60, lon: 10.001 });
    assert.ok(Math.abs(east - 0.001 * M_PER_DEG * 0.5) < 0.01, String(east));
    assert.equal(distanceM(north(0), north(1234)).toFixed(3), '1234.000');
  });

  it('names the smallest zone a vehicle is in and applies the lowest limit of the zones around it', () => {
    assert.deepEqual(place(north(100), 12, zones), { geofence: 'YARD', violation: 'none', limitKmh: 15 });
    assert.deepEqual(place(north(100), 20, zones), { geofence: 'YARD', violation: 'speeding', limitKmh: 15 });
    assert.deepEqual(place(north(600), 20, zones), { geofence: 'LEASE', violation: 'none', limitKmh: 40 });
    // The circle's edge is inside; a metre beyond is not.
    assert.equal(place(north(399.9), 20, zones).geofence, 'YARD');
    assert.equal(place(north(401), 20, zones).geofence, 'LEASE');
    assert.deepEqual(place(north(2000), 30, zones), { geofence: 'MUSTER', violation: 'none', limitKmh: 40 });
    // Speeding names the zone whose limit applied, not a smaller zone without a limit.
    assert.deepEqual(place(north(2000), 45, zones), { geofence: 'LEASE', violation: 'speeding', limitKmh: 40 });
  });

  it('flags entering a restricted zone before any speeding, and uses the road limit outside every zone', () => {
    assert.deepEqual(place(north(1000), 5, zones), { geofence: 'FLARE', violation: 'geofence', limitKmh: 40 });
    assert.deepEqual(place(north(1000), 90, zones), { geofence: 'FLARE', violation: 'geofence', limitKmh: 40 });
    // A geofence violation names the restricted zone, even inside a smaller zone of another kind.
    const pad: Geofence = { id: 'PAD', name: 'Pad', kind: 'muster', location: north(1000), radiusM: 20 };
    assert.deepEqual(place(north(1000), 5, [...zones, pad]), { geofence: 'FLARE', violation: 'geofence', limitKmh: 40 });
    assert.deepEqual(place(north(5000), 45, zones, 40), { geofence: undefined, violation: 'speeding', limitKmh: 40 });
    assert.deepEqual(place(north(5000), 45, zones), { geofence: undefined, violation: 'none', limitKmh: undefined });
  });

  it('makes one fix per vehicle that reported a position, placed against the geofences', () => {
    const gps = new GpsTracker(vehicleSite());
    assert.deepEqual(gps.tracked(), ['VEH-1', 'VEH-2']);
    const fixes = gps.update([...at('VEH-1', north(100), T0), r('VEH-1.SPEED', 22, T0), r('SEP-1.LAT', 31.9, T0)]).fixes;
    assert.deepEqual(fixes, [{ vehicle: 'VEH-1', ...north(100), speedKmh: 22, ts: T0, geofence: 'YARD', violation: 'speeding' }]);
    // A speed reading alone moves nothing; the next position uses it.
    assert.deepEqual(gps.update([r('VEH-1.SPEED', 10, T0 + 1000)]).fixes, []);
    assert.deepEqual(gps.update(at('VEH-1', north(120), T0 + 2000)).fixes.map((f) => [f.speedKmh, f.violation]), [[10, 'none']]);
  });

  it('uses the speed tag\'s H limit, in its unit, outside the zones', () => {
    const site = vehicleSite({ geofences: undefined });
    site.tags[2] = { ...site.tags[2], unit: 'm/s', factors: [{ id: 'speeding', limits: { H: 10 }, consequence: { category: 'people', severity: 3 } }] };
    const gps = new GpsTracker(site);
    const [fix] = gps.update([...at('VEH-1', north(0), T0), r('VEH-1.SPEED', 11, T0)]).fixes;
    assert.equal(fix.speedKmh, 11 * 3.6);
    assert.equal(fix.violation, 'speeding');
    assert.equal(fix.geofence, undefined);
    assert.equal(gps.update([...at('VEH-1', north(0), T0 + 1000), r('VEH-1.SPEED', 9, T0 + 1000)]).fixes[0].violation, 'none');
  });

  it('works the speed out from successive fixes when the tracker reports none', () => {
    const gps = new GpsTracker(vehicleSite());
    assert.equal(gps.update(at('VEH-2', north(600), T0)).fixes[0].speedKmh, 0);
    // 100 m in 10 s is 36 km/h.
    const [fix] = gps.update(at('VEH-2', north(700), T0 + 10_000)).fixes;
    assert.ok(Math.abs(fix.speedKmh - 36) < 1e-6, String(fix.speedKmh));
    // A repeated timestamp keeps the last speed instead of dividing by zero.
    assert.ok(Math.abs(gps.update(at('VEH-2', north(800), T0 + 10_000)).fixes[0].speedKmh - 36) < 1e-6);
  });

  it('makes a fix only from a latitude and a longitude read together, never from a bad one', () => {
    const gps = new GpsTracker(vehicleSite());
    assert.deepEqual(gps.update([r('VEH-1.LAT', 31.85, T0)]).fixes, [], 'no longitude yet');
    assert.deepEqual(gps.update([r('VEH-1.LON', -102.3, T0, 'bad'), r('VEH-1.LON', null, T0), r('VEH-1.LON', Number.NaN, T0)]).fixes, []);
    assert.deepEqual(gps.update([r('VEH-1.LON', -102.3, T0 + 5)]).fixes, [], 'the bad longitude dropped the latitude read before it');
    // One coordinate per message (an OPC UA read per node id): the second completes the pair.
    assert.deepEqual(gps.update([r('VEH-1.LAT', 31.86, T0 + 1000)]).fixes.map((f) => [f.lat, f.lon, f.ts]), [[31.86, -102.3, T0 + 1000]]);
    assert.deepEqual(gps.update([r('VEH-1.LAT', 31.87, T0 + 2000)]).fixes, [], 'a new latitude alone is no new position');
    assert.deepEqual(gps.update([r('VEH-1.LON', -102.31, T0 + 2500)]).fixes.map((f) => [f.lat, f.lon, f.ts]), [[31.87, -102.31, T0 + 2500]]);
    // A good latitude with a bad longitude in one message: no fix at a mixed position.
    assert.deepEqual(gps.update([r('VEH-1.LAT', 31.9, T0 + 3000), r('VEH-1.LON', null, T0 + 3000, 'bad')]).fixes, []);
    // Coordinates read more than 10 s apart do not make one position.
    gps.update([r('VEH-1.LAT', 31.88, T0 + 4000)]);
    assert.deepEqual(gps.update([r('VEH-1.LON', -102.32, T0 + 15_000)]).fixes, []);
  });

  it('marks the restricted-zone tag bad when the position is lost, and drops a speed that is old or bad', () => {
    const gps = new GpsTracker(vehicleSite());
    gps.update([...at('VEH-1', north(1000), T0), r('VEH-1.SPEED', 5, T0)]);
    const lost = gps.update([{ tag: 'VEH-1.LAT', value: null, quality: 'bad', ts: T0 + 300_000, source: 'stale:mqtt' }]);
    assert.deepEqual(lost, { fixes: [], readings: [{ tag: 'VEH-1.ZONE', value: null, quality: 'bad', ts: T0 + 300_000, source: 'gps:position-lost' }] });
    // The speed tag has no stale timeout here: its reading is used for 60 s, then the speed
    // comes from the fixes again.
    gps.update([...at('VEH-1', north(0), T0 + 400_000), r('VEH-1.SPEED', 30, T0 + 400_000)]);
    assert.equal(gps.update(at('VEH-1', north(0), T0 + 459_000)).fixes[0].speedKmh, 30);
    assert.ok(Math.abs(gps.update(at('VEH-1', north(100), T0 + 469_000)).fixes[0].speedKmh - 36) < 1e-6, 'derived from 100 m in 10 s');
    gps.update([r('VEH-1.SPEED', 50, T0 + 470_000)]);
    gps.update([r('VEH-1.SPEED', null, T0 + 471_000, 'bad')]);
    assert.ok(Math.abs(gps.update(at('VEH-1', north(200), T0 + 479_000)).fixes[0].speedKmh - 36) < 1e-6, 'a bad speed reading is not used');
  });

  it('says which speed units and restricted-zone tags it cannot use', () => {
    const site = vehicleSite();
    site.tags[2] = { ...site.tags[2], unit: 'furlongs/fortnight' };
    site.tags.push(tag('SEP-1.ZONE', 'SEP-1', 'gps-tracker.restricted-zone', ''));
    const gps = new GpsTracker(site);
    assert.deepEqual(gps.problems, [
      'tag "VEH-1.SPEED": speed unit "furlongs/fortnight" is not one of km/h, kmh, kph, m/s, mph, kn, kt, knot, knots; read as km/h',
      'tag "SEP-1.ZONE": "SEP-1" has no latitude and longitude tags, so nothing sets its restricted-zone tag',
    ]);
    assert.deepEqual(new GpsTracker(vehicleSite()).problems, []);
  });

  it('keeps the last position of vehicles still tracked after a site edit, and checks the new geofences', () => {
    const gps = new GpsTracker(vehicleSite());
    gps.update([...at('VEH-1', north(1000), T0), r('VEH-1.SPEED', 5, T0)]);
    const edited = vehicleSite({ geofences: zones.filter((z) => z.id !== 'FLARE') });
    edited.tags = edited.tags.filter((t) => !t.id.startsWith('VEH-2'));
    gps.setSite(edited);
    assert.deepEqual(gps.tracked(), ['VEH-1']);
    const [fix] = gps.update([...at('VEH-1', north(1000), T0 + 1000)]).fixes;
    assert.deepEqual([fix.lon, fix.speedKmh, fix.geofence, fix.violation], [CENTRE.lon, 5, 'LEASE', 'none']);
    assert.deepEqual(gps.update(at('VEH-2', north(0), T0 + 2000)).fixes, [], 'VEH-2 is no longer tracked');
  });

  it('sets a vehicle\'s restricted-zone tag from each fix, and never takes it from a device', () => {
    const gps = new GpsTracker(vehicleSite());
    const outside = gps.update([...at('VEH-1', north(600), T0), r('VEH-1.SPEED', 20, T0)]);
    assert.deepEqual(outside.readings, [{ tag: 'VEH-1.ZONE', value: false, quality: 'good', ts: T0, source: 'gps:LEASE' }]);
    const inside = gps.update([...at('VEH-1', north(1000), T0 + 1000), r('VEH-1.ZONE', false, T0 + 1000)]);
    assert.deepEqual(inside.readings, [{ tag: 'VEH-1.ZONE', value: true, quality: 'good', ts: T0 + 1000, source: 'gps:FLARE' }]);
    assert.equal(inside.fixes[0].violation, 'geofence');
    // A vehicle with no such tag gets fixes only; nothing moves without a position.
    assert.deepEqual(gps.update(at('VEH-2', north(0), T0)).readings, []);
    assert.deepEqual(gps.update([r('VEH-1.SPEED', 20, T0 + 2000)]), { fixes: [], readings: [] });
    const farAway = gps.update(at('VEH-1', north(9000), T0 + 3000)).readings;
    assert.deepEqual(farAway.map((x) => [x.value, x.source]), [[false, 'gps:no-zone']]);
  });
});
