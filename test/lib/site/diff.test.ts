import assert from 'node:assert/strict';
import { diffSites, parseSite, type ParseResult } from '../../../lib/site/index.js';
import type { Site } from '../../../lib/model/index.js';
import { validSite, yaml } from './fixtures.js';

function load(site: unknown): Site {
  const result: ParseResult = parseSite(yaml(site), 'd.yaml');
  assert.ok(result.ok, JSON.stringify(result.issues));
  return result.site;
}

describe('site/diff', () => {
  it('sees no change when the same site is loaded again, whatever the key order', () => {
    const before = load(validSite());
    const reordered = validSite() as any;
    reordered.equipment[0] = { location: { lon: -102.31, lat: 31.87 }, criticality: 2, area: 'north', type: 'well-rod-pump', id: 'WELL-01' };
    const change = diffSites(before, load(reordered));
    assert.equal(change.unchanged, true);
  });

  it('names what was added, removed and edited', () => {
    const before = load(validSite());
    const edited = validSite() as any;
    edited.equipment[3].state = 'running';
    edited.equipment.push({ id: 'FL-1', type: 'flare', area: 'cpf' });
    edited.tags[0].factors[0].limits.HH = 9.9;
    edited.tags.splice(1, 1);
    edited.dependencies[0].weight = 0.4;
    edited.dependencies.push({ from: 'SEP-1', to: 'FL-1', kind: 'flow', weight: 0.3 });
    const change = diffSites(before, load(edited));
    assert.equal(change.unchanged, false);
    assert.deepEqual(change.equipment, { added: ['FL-1'], removed: [], changed: ['COMP-1'] });
    assert.deepEqual(change.tags, { added: [], removed: ['WELL-01.PT-1'], changed: ['SEP-1.PT-101'] });
    assert.deepEqual(change.dependencies, { added: ['SEP-1 -> FL-1 (flow)'], removed: [], changed: ['WELL-01 -> MAN-1 (flow)'] });
    assert.equal(change.scoreBandsChanged, false);
  });

  it('counts an edited, added or removed geofence as a change', () => {
    const zone = (radiusM: number) => ({ id: 'FLARE-EXCLUSION', kind: 'restricted', location: { lat: 31.85, lon: -102.29 }, radiusM });
    const before = load({ ...validSite(), geofences: [zone(150)] });
    const wider = diffSites(before, load({ ...validSite(), geofences: [zone(200)] }));
    assert.equal(wider.unchanged, false);
    assert.deepEqual(wider.geofences, { added: [], removed: [], changed: ['FLARE-EXCLUSION'] });
    assert.deepEqual(diffSites(before, load(validSite())).geofences, { added: [], removed: ['FLARE-EXCLUSION'], changed: [] });
    assert.equal(diffSites(before, load({ ...validSite(), geofences: [zone(150)] })).unchanged, true);
  });

  it('treats everything as added on the first load', () => {
    const change = diffSites(undefined, load(validSite()));
    assert.equal(change.unchanged, false);
    assert.equal(change.equipment.added.length, 4);
    assert.equal(change.scoreBandsChanged, true);
  });
});
