import assert from 'node:assert/strict';
import fc from 'fast-check';
import { DEFAULT_SCORE_BANDS, formatIssue, parseSite, SiteValidationError } from '../../../lib/site/index.js';
import { validSite, yaml } from './fixtures.js';

describe('site/parse', () => {
  it('parses a valid YAML site and fills the defaults', () => {
    const result = parseSite(yaml(validSite()), 'test.yaml');
    assert.ok(result.ok, JSON.stringify(result.issues));
    const man = result.site.equipment.find((e) => e.id === 'MAN-1')!;
    assert.equal(man.criticality, 3);
    assert.equal(man.state, 'running');
    assert.equal(man.name, 'MAN-1');
    assert.deepEqual(result.site.scoreBands, DEFAULT_SCORE_BANDS);
    assert.equal(result.site.dependencies[0].transmissionWeight, 0.3);
  });

  it('parses the same site written as JSON', () => {
    const result = parseSite(JSON.stringify(validSite(), null, 2), 'test.json');
    assert.ok(result.ok);
    assert.equal(result.site.tags.length, 2);
  });

  it('locates problems in a JSON site read on the fast path', () => {
    const site = validSite() as any;
    site.dependencies[2].weight = 3;
    const text = JSON.stringify(site, null, 2);
    const result = parseSite(text, 'site.json');
    assert.equal(result.ok, false);
    assert.equal(result.issues[0].path, 'dependencies[2].weight');
    assert.equal(result.issues[0].line, text.split('\n').findIndex((l) => l.includes('"weight": 3')) + 1);
  });

  it('names the file and the line of a YAML syntax error', () => {
    const result = parseSite('site: { id: x\nequipment: [', 'broken.yaml');
    assert.equal(result.ok, false);
    assert.ok(result.issues.length >= 1);
    assert.equal(result.issues[0].file, 'broken.yaml');
    assert.match(result.issues[0].path, /^line \d+, column \d+$/);
    assert.match(result.issues[0].message, /^not valid YAML or JSON/);
  });

  it('reports a duplicate key in a mapping', () => {
    const result = parseSite('site: { id: a }\nsite: { id: b }\nequipment: []\n', 'dup.yaml');
    assert.equal(result.ok, false);
    assert.match(result.issues[0].message, /not valid YAML or JSON/);
  });

  it('says what a site file holds when it is empty or not a mapping', () => {
    const empty = parseSite('   \n', 'empty.yaml');
    assert.equal(empty.ok, false);
    assert.match(empty.issues[0].message, /the site is empty/);
    const list = parseSite('- a\n- b\n', 'list.yaml');
    assert.equal(list.ok, false);
    assert.equal(list.issues[0].path, '(top)');
    assert.match(list.issues[0].message, /the file holds a list, not a site/);
  });

  it('collects every schema problem at once, each with its path and fix', () => {
    const site = validSite() as any;
    site.equipment[0].criticality = 7;
    site.equipment[1].state = 'runing';
    site.dependencies[1].weight = 1.5;
    site.dependencies[2].kind = 'pipe';
    site.tags[0].factors[0].consequence.severity = 2.5;
    site.tags[1].factors[0].consequence = undefined;
    const result = parseSite(yaml(site), 'many.yaml');
    assert.equal(result.ok, false);
    const byPath = new Map(result.issues.map((i) => [i.path, i.message]));
    assert.match(byPath.get('equipment[0].criticality')!, /must be at most 5, got number 7 \(criticality runs from 1/);
    assert.match(byPath.get('equipment[1].state')!, /"runing" is not allowed \(did you mean "running"\?\); use one of: running, shutdown, maintenance/);
    assert.match(byPath.get('dependencies[1].weight')!, /must be at most 1, got number 1.5 \(a transmission weight/);
    assert.match(byPath.get('dependencies[2].kind')!, /"pipe" is not allowed; use one of: flow, power, control, proximity, utility/);
    assert.match(byPath.get('tags[0].factors[0].consequence.severity')!, /must be a whole number, got number 2.5/);
    assert.match(byPath.get('tags[1].factors[0].consequence')!, /"consequence" is missing; add it/);
    assert.equal(result.issues.length, 6);
    for (const issue of result.issues) assert.equal(issue.file, 'many.yaml');
  });

  it('names an unknown key by its own path, with the likely meant key and the allowed ones', () => {
    const site = validSite() as any;
    site.equipment[2].critically = 4;
    site.tags[0].factors[0].limts = { H: 1 };
    site.equipments = [];
    const result = parseSite(yaml(site), 'keys.yaml');
    assert.equal(result.ok, false);
    const byPath = new Map(result.issues.map((i) => [i.path, i.message]));
    assert.match(byPath.get('equipment[2].critically')!, /unknown key "critically" \(did you mean "criticality"\?\); allowed here: id, type, name, area, criticality, location, state/);
    assert.match(byPath.get('tags[0].factors[0].limts')!, /did you mean "limits"/);
    assert.match(byPath.get('equipments')!, /did you mean "equipment"/);
  });

  it('explains an id with characters an id cannot hold', () => {
    const site = validSite() as any;
    site.equipment[0].id = 'WELL 01';
    const result = parseSite(yaml(site), 'ids.yaml');
    assert.equal(result.ok, false);
    const issue = result.issues.find((i) => i.path === 'equipment[0].id')!;
    assert.match(issue.message, /"WELL 01" is not valid: use letters, digits/);
  });

  it('formats issues as file: path: message and carries them on SiteValidationError', () => {
    const site = validSite() as any;
    site.dependencies[0].from = 'WELL-99';
    const result = parseSite(yaml(site), 'sites/field.yaml');
    assert.equal(result.ok, false);
    const text = yaml(site).split('\n');
    const line = text.findIndex((l) => l.includes('from: WELL-99')) + 1;
    assert.ok(line > 0);
    assert.equal(result.issues[0].line, line);
    assert.equal(formatIssue(result.issues[0]), `sites/field.yaml:${line}: dependencies[0].from: unknown equipment "WELL-99" (did you mean "WELL-01"?); declare it under equipment or fix the id`);
    const err = new SiteValidationError(result.issues);
    assert.match(err.message, /^oilrisk\/site: 1 error\(s\) in site file:\n {2}sites\/field.yaml:\d+: dependencies\[0\]\.from/);
    assert.equal(err.issues.length, 1);
  });

  it('gives the line of each problem, or of the nearest enclosing entry when the key is missing', () => {
    const text = [
      'site: { id: t }',
      'equipment:',
      '  - id: A',
      '    type: pump',
      '    area: a',
      '  - id: B',
      '    type: pump',
      '    criticality: 9',
      'dependencies:',
      '  - { from: A, to: B, kind: flow, weight: 2 }',
    ].join('\n');
    const result = parseSite(text, 'lines.yaml');
    assert.equal(result.ok, false);
    const lineOf = new Map(result.issues.map((i) => [i.path, i.line]));
    assert.equal(lineOf.get('equipment[1].criticality'), 8);
    assert.equal(lineOf.get('equipment[1].area'), 6, 'missing key: the line of its entry');
    assert.equal(lineOf.get('dependencies[0].weight'), 10);
    const syntax = parseSite('site: [\n', 's.yaml');
    assert.equal(syntax.issues[0].line, 2);
  });

  it('never throws, whatever the document holds, and every issue names file, path and message', () => {
    fc.assert(fc.property(fc.oneof(fc.jsonValue(), fc.string()), (value) => {
      const text = typeof value === 'string' ? value : JSON.stringify(value);
      const result = parseSite(text, 'fuzz.yaml');
      for (const issue of result.issues) {
        assert.equal(issue.file, 'fuzz.yaml');
        assert.ok(issue.path.length > 0);
        assert.ok(issue.message.length > 0);
        assert.doesNotMatch(issue.message, /\n\s+at /);
      }
      return result.ok || result.issues.some((i) => i.severity === 'error');
    }), { numRuns: 300 });
  });

  it('never throws on random edits of a valid site', () => {
    const paths = ['equipment', 'dependencies', 'tags', 'site', 'scoreBands'];
    fc.assert(fc.property(fc.constantFrom(...paths), fc.jsonValue(), (key, value) => {
      const site = validSite();
      site[key] = value;
      const result = parseSite(JSON.stringify(site), 'edit.json');
      assert.ok(result.ok || result.issues.every((i) => i.path && i.message));
    }), { numRuns: 200 });
  });
});
