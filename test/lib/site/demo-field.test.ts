import assert from 'node:assert/strict';
import { join } from 'node:path';
import { getChannel, canConvert } from '../../../lib/profiles/index.js';
import { checkBinding, loadSiteFile } from '../../../lib/site/index.js';
import type { Site } from '../../../lib/model/index.js';

const DEMO = join(__dirname, '..', '..', '..', 'sites', 'demo-field.yaml');

describe('sites/demo-field.yaml', () => {
  let site: Site;

  before(async () => {
    const result = await loadSiteFile(DEMO, 'sites/demo-field.yaml');
    assert.ok(result.ok, JSON.stringify(result.issues, null, 1));
    assert.deepEqual(result.issues.filter((i) => i.severity !== 'info'), [], 'no errors and no warnings');
    site = result.site;
  });

  const count = (type: RegExp) => site.equipment.filter((e) => type.test(e.type)).length;

  it('holds the field the issue asks for', () => {
    assert.ok(count(/^well-/) >= 12);
    assert.ok(count(/^well-rod-pump$/) >= 1 && count(/^well-esp$/) >= 1);
    assert.equal(count(/^manifold$/), 3);
    assert.equal(count(/^separator-/), 2);
    assert.equal(count(/^separator-3phase$/), 1);
    for (const type of [/^heater-treater$/, /^lact$/, /^compressor$/, /^flare$/, /^pipeline$/, /^water-injection-pump$/, /^network-switch$/, /^mcc$/]) {
      assert.ok(count(type) >= 1, String(type));
    }
    assert.ok(count(/^tank-/) >= 3);
    assert.ok(count(/^h2s-detector$/) >= 2 && count(/^lel-detector$/) >= 2);
    assert.ok(count(/^(rtu|plc)$/) >= 2);
    assert.ok(count(/^vehicle$/) >= 2);
    for (const kind of ['flow', 'power', 'control', 'proximity', 'utility']) {
      assert.ok(site.dependencies.some((d) => d.kind === kind), kind);
    }
  });

  it('keeps every location inside one field a few km across', () => {
    const lats = site.equipment.map((e) => e.location!.lat);
    const lons = site.equipment.map((e) => e.location!.lon);
    const kmNorth = (Math.max(...lats) - Math.min(...lats)) * 111.2;
    const kmEast = (Math.max(...lons) - Math.min(...lons)) * 111.2 * Math.cos((lats[0] * Math.PI) / 180);
    assert.ok(kmNorth > 1 && kmNorth < 10, `${kmNorth} km north-south`);
    assert.ok(kmEast > 0.5 && kmEast < 10, `${kmEast} km east-west`);
  });

  it('binds every tag to a device, the way the simulator serves them', () => {
    // The vehicles' restricted-zone trips come from their fixes, not from a device.
    for (const tag of site.tags) {
      if (tag.profile === 'gps-tracker.restricted-zone') {
        assert.equal(tag.binding, undefined, tag.id);
        continue;
      }
      assert.ok(tag.binding, tag.id);
      assert.equal(checkBinding(tag.binding).problem, undefined, tag.id);
      const equipment = site.equipment.find((e) => e.id === tag.equipment)!;
      const { protocol, address, field } = tag.binding;
      if (/^well-|^manifold$/.test(equipment.type) && equipment.area !== 'cpf') assert.match(address, /^rtu-(north|south):\d+:\d+$/, tag.id);
      if (/^tank-|^lact$/.test(equipment.type)) assert.match(address, /^tank-battery:\d+:\d+$/, tag.id);
      if (/^(separator-|compressor$|pipeline$|heater-treater$)/.test(equipment.type)) assert.equal(address, `ns=1;s=${tag.id}`);
      if (/-detector$/.test(equipment.type)) {
        assert.equal(protocol, 'mqtt');
        assert.equal(address, `oilrisk/field/gas/${equipment.id}`);
        assert.ok(field === 'ppm' || field === 'lel', tag.id);
      }
      if (equipment.type === 'vehicle') assert.equal(address, `oilrisk/field/gps/${equipment.id}`);
      if (equipment.type === 'water-injection-pump') {
        assert.equal(protocol, 'sparkplug');
        assert.equal(address, 'spBv1.0/oilfield/DDATA/edge-1/wip-1');
      }
    }
  });

  it('leaves two registers per value on every Modbus device', () => {
    const used = new Map<string, string>();
    for (const tag of site.tags) {
      if (tag.binding?.protocol !== 'modbus') continue;
      const [device, unit, register] = tag.binding.address.split(':');
      for (const r of [Number(register), Number(register) + 1]) {
        const key = `${device}:${unit}:${r}`;
        assert.equal(used.get(key), undefined, `${tag.id} overlaps ${used.get(key)} at ${key}`);
        used.set(key, tag.id);
      }
    }
  });

  it('names sensor profiles and units the built-in profiles know, with limits inside their range', () => {
    for (const tag of site.tags) {
      const channel = getChannel(tag.profile);
      assert.ok(canConvert(channel.unit, tag.unit), `${tag.id}: ${channel.unit} -> ${tag.unit}`);
      for (const factor of tag.factors) {
        for (const limit of Object.values(factor.limits ?? {})) {
          if (channel.range) assert.ok(limit >= channel.range.min && limit <= channel.range.max, `${tag.id}/${factor.id}: ${limit}`);
        }
      }
    }
  });

  it('gives every tag a stale timeout and slow pressures and levels a prediction horizon', () => {
    // Vehicle positions carry no risk factor: their tracker's comms loss is its speed tag's.
    const positions = site.tags.filter((t) => !t.factors.length);
    assert.deepEqual(positions.map((t) => t.profile).sort(), ['latitude', 'latitude', 'latitude', 'longitude', 'longitude', 'longitude'].map((c) => `gps-tracker.${c}`));
    // Tags with no device (a vehicle's restricted-zone trip, set from its fixes) cannot go stale.
    for (const tag of site.tags) if (tag.factors.length && tag.binding) assert.ok(tag.factors.some((f) => f.staleTimeout !== undefined), tag.id);
    assert.deepEqual(site.tags.filter((t) => !t.binding).map((t) => t.profile), Array(3).fill('gps-tracker.restricted-zone'));
    const predicted = site.tags.filter((t) => t.factors.some((f) => f.predictHorizon !== undefined));
    assert.ok(predicted.some((t) => t.profile === 'tank-radar-level'));
    assert.ok(predicted.some((t) => t.profile === 'pressure'));
  });
});
