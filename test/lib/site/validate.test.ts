import assert from 'node:assert/strict';
import { parseSite, type SiteIssue } from '../../../lib/site/index.js';
import { validSite, yaml } from './fixtures.js';

function issuesOf(site: unknown, options = {}): SiteIssue[] {
  const result = parseSite(yaml(site), 'v.yaml', options);
  return result.issues;
}

function errorAt(issues: SiteIssue[], path: string): string {
  const found = issues.filter((i) => i.path === path && i.severity === 'error');
  assert.equal(found.length, 1, `one error at ${path}, got ${JSON.stringify(issues)}`);
  return found[0].message;
}

describe('site/validate', () => {
  it('finds a valid site clean', () => {
    const result = parseSite(yaml(validSite()), 'v.yaml');
    assert.ok(result.ok);
    assert.deepEqual(result.issues, []);
  });

  it('reports unknown equipment in dependencies and tags, with the likely id', () => {
    const site = validSite() as any;
    site.dependencies[1].to = 'SEP-2';
    site.dependencies.push({ from: 'WELL-99', to: 'MAN-1', kind: 'flow', weight: 0.3 });
    site.tags[1].equipment = 'WEL-01';
    const issues = issuesOf(site);
    assert.match(errorAt(issues, 'dependencies[1].to'), /^unknown equipment "SEP-2" \(did you mean "SEP-1"\?\); declare it under equipment or fix the id$/);
    assert.match(errorAt(issues, 'dependencies[3].from'), /^unknown equipment "WELL-99" \(did you mean "WELL-01"\?\)/);
    assert.match(errorAt(issues, 'tags[1].equipment'), /^unknown equipment "WEL-01" \(did you mean "WELL-01"\?\)/);
  });

  it('reports duplicate equipment, tag, factor and dependency ids with the first occurrence', () => {
    const site = validSite() as any;
    site.equipment.push({ id: 'MAN-1', type: 'manifold', area: 'south' });
    site.dependencies.push({ from: 'WELL-01', to: 'MAN-1', kind: 'flow', weight: 0.5 });
    site.tags.push({ ...site.tags[1], binding: undefined });
    site.tags[0].factors.push({ ...site.tags[0].factors[0] });
    const issues = issuesOf(site);
    assert.match(errorAt(issues, 'equipment[4].id'), /duplicate equipment id "MAN-1" \(first at equipment\[1\]\)/);
    assert.match(errorAt(issues, 'dependencies[3]'), /duplicate flow dependency WELL-01 -> MAN-1 \(first at dependencies\[0\]\)/);
    assert.match(errorAt(issues, 'tags[2].id'), /duplicate tag id "WELL-01.PT-1" \(first at tags\[1\]\)/);
    assert.match(errorAt(issues, 'tags[0].factors[1].id'), /duplicate factor id "vessel-pressure" in tag "SEP-1.PT-101"/);
  });

  it('allows two dependencies of different kinds between the same equipment', () => {
    const site = validSite() as any;
    site.dependencies.push({ from: 'SEP-1', to: 'COMP-1', kind: 'proximity', weight: 0.3 });
    assert.ok(parseSite(yaml(site), 'v.yaml').ok);
  });

  it('reports a self-dependency', () => {
    const site = validSite() as any;
    site.dependencies.push({ from: 'SEP-1', to: 'SEP-1', kind: 'flow', weight: 0.3 });
    assert.match(errorAt(issuesOf(site), 'dependencies[3]'), /depends on itself/);
  });

  it('reports limits out of order, including equal neighbours and gaps', () => {
    const site = validSite() as any;
    site.tags[0].factors[0].limits = { LL: 3, L: 4, H: 4, HH: 9.8 };
    site.tags[1].factors[0].limits = { L: 40, H: 30 };
    const issues = issuesOf(site);
    assert.match(errorAt(issues, 'tags[0].factors[0].limits'), /limits out of order: L \(4\) must be below H \(4\); limits rise LL < L < H < HH/);
    assert.match(errorAt(issues, 'tags[1].factors[0].limits'), /L \(40\) must be below H \(30\)/);
  });

  it('reports score bands out of order', () => {
    const site = validSite() as any;
    site.scoreBands = { IV: 0.5, III: 2, II: 1.5, I: 3 };
    assert.match(errorAt(issuesOf(site), 'scoreBands.II'), /level II \(1.5\) must be above level III \(2\)/);
  });

  it('reports a factor that watches nothing, prediction without limits and trips mixed with limits', () => {
    const site = validSite() as any;
    site.tags[1].factors.push({ id: 'idle', consequence: { category: 'asset', severity: 1 } });
    site.tags[1].factors.push({ id: 'forecast', staleTimeout: 60, predictHorizon: 600, consequence: { category: 'asset', severity: 1 } });
    site.tags[1].factors.push({ id: 'both', tripWhen: true, limits: { H: 1 }, consequence: { category: 'asset', severity: 1 } });
    const issues = issuesOf(site);
    assert.match(errorAt(issues, 'tags[1].factors[1]'), /factor "idle" watches nothing/);
    assert.match(errorAt(issues, 'tags[1].factors[2].predictHorizon'), /prediction needs limits/);
    assert.match(errorAt(issues, 'tags[1].factors[3].tripWhen'), /both tripWhen .* and limits/);
  });

  it('warns, without refusing the site, when a deadband is wider than the gap between limits', () => {
    const site = validSite() as any;
    site.tags[0].factors[0].deadband = 1;
    const result = parseSite(yaml(site), 'v.yaml');
    assert.ok(result.ok);
    assert.equal(result.issues.length, 1);
    assert.equal(result.issues[0].severity, 'warning');
    assert.equal(result.issues[0].path, 'tags[0].factors[0].deadband');
    assert.match(result.issues[0].message, /deadband 1 is not smaller than the closest pair of limits \(0.5/);
  });

  it('reports device addresses in the wrong form for their protocol', () => {
    const site = validSite() as any;
    site.tags[0].binding = { protocol: 'opcua', address: 'SEP-1.PT-101' };
    site.tags[1].binding = { protocol: 'modbus', address: 'rtu-north:300:0' };
    site.tags.push({ id: 'GD-1', equipment: 'SEP-1', profile: 'h2s-ppm', unit: 'ppm', binding: { protocol: 'mqtt', address: 'oilrisk/field/gas/#', field: 'ppm' } });
    site.tags.push({ id: 'WIP', equipment: 'COMP-1', profile: 'pressure', unit: 'bar', binding: { protocol: 'sparkplug', address: 'spBv1.0/oilfield/DDATA/edge-1/wip-1' } });
    site.tags.push({ id: 'RTU', equipment: 'MAN-1', profile: 'pressure', unit: 'bar', binding: { protocol: 'modbus', address: 'rtu-north/1/0' } });
    const issues = issuesOf(site);
    assert.match(errorAt(issues, 'tags[0].binding.address'), /should look like "ns=1;s=SEP-1.PT-101"/);
    assert.match(errorAt(issues, 'tags[1].binding.address'), /unit id 300 is above 247/);
    assert.match(errorAt(issues, 'tags[2].binding.address'), /no wildcards/);
    assert.match(errorAt(issues, 'tags[3].binding.address'), /needs "field": the metric name/);
    assert.match(errorAt(issues, 'tags[4].binding.address'), /"<device>:<unitId>:<register>"/);
  });

  it('reports two tags on one device point, however the address is spelt', () => {
    const site = validSite() as any;
    site.tags.push({ id: 'MAN-1.PT-11', equipment: 'MAN-1', profile: 'pressure', unit: 'bar', binding: { protocol: 'modbus', address: 'rtu-north:01:000' } });
    assert.match(errorAt(issuesOf(site), 'tags[2].binding'), /tag "MAN-1.PT-11" has the same device address as tag "WELL-01.PT-1"/);
  });

  it('lets two MQTT tags share a topic when they read different fields', () => {
    const site = validSite() as any;
    site.tags.push({ id: 'V.SPEED', equipment: 'MAN-1', profile: 'gps-tracker.speed', binding: { protocol: 'mqtt', address: 'oilrisk/field/gps/V', field: 'speed' } });
    site.tags.push({ id: 'V.HEADING', equipment: 'MAN-1', profile: 'gps-tracker.heading', binding: { protocol: 'mqtt', address: 'oilrisk/field/gps/V', field: 'heading' } });
    assert.ok(parseSite(yaml(site), 'v.yaml').ok);
  });

  it('checks sensor profiles when told which exist', () => {
    const site = validSite() as any;
    site.tags[1].profile = 'presure';
    const known = new Set(['pressure', 'temperature']);
    const issues = issuesOf(site, { isKnownProfile: (p: string) => known.has(p), profileNames: [...known] });
    assert.match(errorAt(issues, 'tags[1].profile'), /unknown sensor profile "presure" \(did you mean "pressure"\?\)/);
  });

  it('reports every cross-reference error of a file at once', () => {
    const site = validSite() as any;
    site.dependencies[0].from = 'X-1';
    site.dependencies[1].to = 'X-2';
    site.tags[0].equipment = 'X-3';
    site.tags[1].factors[0].limits = { L: 5, H: 1 };
    const errors = issuesOf(site).filter((i) => i.severity === 'error');
    assert.deepEqual(errors.map((i) => i.path).sort(), ['dependencies[0].from', 'dependencies[1].to', 'tags[0].equipment', 'tags[1].factors[0].limits']);
  });

  it('reports schema and reference problems together, and no false unknown for an entry with its own error', () => {
    const site = validSite() as any;
    site.equipment[2].criticality = 9;
    site.dependencies[0].to = 'MAN-9';
    site.dependencies[2].weight = -1;
    const issues = issuesOf(site);
    assert.match(errorAt(issues, 'equipment[2].criticality'), /must be at most 5/);
    assert.match(errorAt(issues, 'dependencies[0].to'), /unknown equipment "MAN-9"/);
    assert.match(errorAt(issues, 'dependencies[2].weight'), /must be at least 0/);
    // SEP-1 (equipment[2]) has an error of its own, but it is declared: references to it stand.
    assert.equal(issues.filter((i) => i.severity === 'error').length, 3, JSON.stringify(issues));
  });

  it('reports dependency cycles as information with one concrete loop', () => {
    const site = validSite() as any;
    site.dependencies.push({ from: 'COMP-1', to: 'MAN-1', kind: 'flow', weight: 0.2 });
    const result = parseSite(yaml(site), 'v.yaml');
    assert.ok(result.ok);
    assert.equal(result.issues.length, 1);
    assert.equal(result.issues[0].severity, 'info');
    assert.equal(result.issues[0].path, 'dependencies');
    assert.match(result.issues[0].message, /dependency cycle \(allowed.*\): MAN-1 -> SEP-1 -> COMP-1 -> MAN-1$/);
  });

  it('reads geofences, naming a geofence by its id when it has no name', () => {
    const site = validSite() as any;
    site.geofences = [
      { id: 'FLARE-EXCLUSION', kind: 'restricted', location: { lat: 31.85, lon: -102.29 }, radiusM: 150 },
      { id: 'CPF-YARD', name: 'CPF yard', kind: 'speed-zone', location: { lat: 31.852, lon: -102.299 }, radiusM: 400, speedLimitKmh: 15 },
    ];
    const result = parseSite(yaml(site), 'v.yaml');
    assert.ok(result.ok, JSON.stringify(result.issues));
    assert.deepEqual(result.site.geofences, [
      { id: 'FLARE-EXCLUSION', name: 'FLARE-EXCLUSION', kind: 'restricted', location: { lat: 31.85, lon: -102.29 }, radiusM: 150 },
      { id: 'CPF-YARD', name: 'CPF yard', kind: 'speed-zone', location: { lat: 31.852, lon: -102.299 }, radiusM: 400, speedLimitKmh: 15 },
    ]);
    assert.deepEqual((parseSite(yaml(validSite()), 'v.yaml') as { site: { geofences: unknown } }).site.geofences, []);
  });

  it('reports duplicate geofences, a speed zone with no limit and bad shapes, each at its path', () => {
    const site = validSite() as any;
    const zone = { id: 'PAD', kind: 'speed-zone', location: { lat: 31.85, lon: -102.29 }, radiusM: 500, speedLimitKmh: 25 };
    site.geofences = [
      zone,
      { ...zone },
      { id: 'YARD', kind: 'speed-zone', location: { lat: 31.85, lon: -102.29 }, radiusM: 100 },
      { id: 'HOLE', kind: 'restricted', location: { lat: 91, lon: -102.29 }, radiusM: -5 },
      { id: 'POND', kind: 'lake', location: { lat: 31.85, lon: -102.29 }, radiusM: 50 },
    ];
    const issues = issuesOf(site);
    assert.match(errorAt(issues, 'geofences[1].id'), /^duplicate geofence id "PAD" \(first at geofences\[0\]\); give each geofence its own id$/);
    assert.match(errorAt(issues, 'geofences[2].speedLimitKmh'), /^speed zone "YARD" has no speed limit; set speedLimitKmh$/);
    errorAt(issues, 'geofences[3].location.lat');
    errorAt(issues, 'geofences[3].radiusM');
    assert.match(errorAt(issues, 'geofences[4].kind'), /restricted.*speed-zone.*muster/);
  });

  it('refuses a device binding on a tag the GPS fixes set', () => {
    const site = validSite() as any;
    site.equipment.push({ id: 'VEH-1', type: 'vehicle', area: 'field' });
    site.tags.push({
      id: 'VEH-1.ZONE', equipment: 'VEH-1', profile: 'gps-tracker.restricted-zone', binding: { protocol: 'mqtt', address: 'fleet/VEH-1', field: 'zone' },
      factors: [{ id: 'z', tripWhen: true, consequence: { category: 'people', severity: 4 } }],
    });
    assert.match(errorAt(issuesOf(site), 'tags[2].binding'), /^tag "VEH-1.ZONE" of profile "gps-tracker.restricted-zone" is set from the vehicle's GPS fixes, never read from a device; remove its binding$/);
    delete site.tags[2].binding;
    assert.deepEqual(issuesOf(site), []);
  });
});
