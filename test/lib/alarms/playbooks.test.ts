import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadPlaybookFile, parsePlaybooks, resolveResponse, selectPlaybook } from '../../../lib/alarms/index.js';
import { smallSite } from './fixture.js';

const DEMO = join(__dirname, '../../../sites/demo-playbooks.yaml');

describe('alarms/playbooks', () => {
  it('validates the shipped demo playbooks, one per required risk type', async () => {
    const result = await loadPlaybookFile(DEMO);
    assert.ok(result.ok, JSON.stringify(result.issues));
    if (!result.ok) return;
    const ids = result.playbooks.playbooks.map((p) => p.id);
    for (const id of ['h2s-release', 'overpressure', 'tank-overfill', 'pipeline-leak', 'comms-loss', 'cyber-intrusion', 'traffic']) assert.ok(ids.includes(id), id);
  });

  it('the shipped playbooks name only roles and muster points that exist in the demo site', async () => {
    const result = await loadPlaybookFile(DEMO);
    assert.ok(result.ok);
    if (!result.ok) return;
    const site = readFileSync(join(__dirname, '../../../sites/demo-field.yaml'), 'utf8');
    for (const point of result.playbooks.musterPoints) for (const area of point.areas) assert.match(site, new RegExp(`area: ${area}\\b`));
  });

  it('reports every problem at once, with file, path and how to fix it', () => {
    const text = `
contacts:
  operator: [{ name: Control room }]
musterPoints:
  - { id: MP-1, name: Gate }
  - { id: MP-1, name: Gate again }
playbooks:
  - id: h2s
    title: H2S
    match: {}
    responses:
      II: { steps: [Evacuate], roles: [operator, firefighter], muster: [MP-9] }
  - id: h2s
    title: again
    match: { factors: [h2s] }
    responses: {}
`;
    const result = parsePlaybooks(text, 'bad.yaml');
    assert.equal(result.ok, false);
    // Schema problems come first and alone: the contact that cannot be reached.
    assert.deepEqual(result.issues.map((i) => [i.file, i.path]), [['bad.yaml', 'contacts.operator[0]']]);
    const fixed = parsePlaybooks(text.replace('{ name: Control room }', '{ name: Control room, phone: "555 0100" }'), 'bad.yaml');
    assert.equal(fixed.ok, false);
    const byPath = Object.fromEntries(fixed.issues.map((i) => [i.path, i.message]));
    assert.match(byPath['musterPoints[1].id'], /duplicate muster point "MP-1"/);
    assert.match(byPath['playbooks[0].match'], /matches nothing; list factors/);
    assert.match(byPath['playbooks[0].responses.II.roles[1]'], /unknown role "firefighter"; add it under contacts/);
    assert.match(byPath['playbooks[0].responses.II.muster[0]'], /unknown muster point "MP-9"/);
    assert.match(byPath['playbooks[1].id'], /duplicate playbook "h2s"/);
    assert.match(byPath['playbooks[1].responses'], /no response/);
  });

  it('says where YAML syntax is broken', () => {
    const result = parsePlaybooks('contacts: [unclosed', 'broken.yaml');
    assert.equal(result.ok, false);
    assert.match(result.issues[0].path, /^line \d+, column \d+$/);
  });

  it('picks by factor, then profile, then equipment type, then the default', async () => {
    const result = await loadPlaybookFile(DEMO);
    if (!result.ok) throw new Error('demo invalid');
    const pb = result.playbooks;
    const site = smallSite();
    assert.equal(selectPlaybook(pb, { equipment: 'GD-H2S-1', level: 'II', factors: [{ tag: 'GD-H2S-1.AT', factor: 'h2s' }] }, site)?.id, 'h2s-release');
    assert.equal(selectPlaybook(pb, { equipment: 'TK-1', level: 'II', factors: [] }, site)?.id, 'tank-overfill');
    assert.equal(selectPlaybook(pb, { equipment: 'COMP-1', level: 'II', factors: [{ tag: 'COMP-1.PT-2', factor: 'discharge-pressure' }] }, site)?.id, 'overpressure');
    assert.equal(selectPlaybook(pb, { equipment: 'WELL-08', level: 'IV', factors: [] }, site)?.id, 'equipment-abnormal');
    const withVehicle = { ...site, equipment: [...site.equipment, { id: 'VEH-1', type: 'vehicle', name: 'VEH-1', area: 'field', criticality: 2, state: 'running' as const }] };
    for (const factor of ['speeding', 'restricted-zone']) {
      assert.equal(selectPlaybook(pb, { equipment: 'VEH-1', level: 'III', factors: [{ tag: 'VEH-1.X', factor }] }, withVehicle)?.id, 'traffic', factor);
    }
  });

  it('uses the nearest more severe response when the level has none, and the area muster point by default', async () => {
    const result = await loadPlaybookFile(DEMO);
    if (!result.ok) throw new Error('demo invalid');
    const pipeline = result.playbooks.playbooks.find((p) => p.id === 'pipeline-leak')!;
    const response = resolveResponse(result.playbooks, pipeline, 'IV', 'tank-battery')!;
    assert.equal(response.level, 'III');
    assert.deepEqual(response.muster.map((m) => m.id), ['MP-TB']);
    assert.equal(response.roles[1].role, 'pipeline-controller');
    assert.equal(response.roles[1].contacts[0].name, 'Pipeline control centre');
  });
});
