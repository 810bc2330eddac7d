import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { siteJsonSchema } from '../../../lib/site/index.js';

describe('site/json-schema', () => {
  const schema = siteJsonSchema() as any;

  it('describes the top-level keys and refuses unknown ones, as the parser does', () => {
    assert.deepEqual(Object.keys(schema.properties).sort(), ['dependencies', 'equipment', 'geofences', 'scoreBands', 'site', 'tags']);
    assert.equal(schema.additionalProperties, false);
    assert.deepEqual(schema.required.sort(), ['equipment', 'site']);
  });

  it('carries the ranges an editor should flag', () => {
    const dependency = schema.properties.dependencies.items;
    assert.equal(dependency.properties.weight.minimum, 0);
    assert.equal(dependency.properties.weight.maximum, 1);
    assert.deepEqual(dependency.properties.kind.enum, ['flow', 'power', 'control', 'proximity', 'utility']);
  });

  it('names every key the demo field uses', () => {
    const demo = parse(readFileSync(join(__dirname, '..', '..', '..', 'sites', 'demo-field.yaml'), 'utf8'));
    const equipmentKeys = new Set(Object.keys(schema.properties.equipment.items.properties));
    for (const e of demo.equipment) for (const key of Object.keys(e)) assert.ok(equipmentKeys.has(key), key);
    const factorKeys = new Set(Object.keys(schema.properties.tags.items.properties.factors.items.properties));
    for (const t of demo.tags) for (const f of t.factors ?? []) for (const key of Object.keys(f)) assert.ok(factorKeys.has(key), key);
    const geofenceKeys = new Set(Object.keys(schema.properties.geofences.items.properties));
    assert.ok(demo.geofences.length > 0);
    for (const g of demo.geofences) for (const key of Object.keys(g)) assert.ok(geofenceKeys.has(key), key);
  });
});
