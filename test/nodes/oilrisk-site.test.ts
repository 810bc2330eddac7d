import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import helper from 'node-red-node-test-helper';
import riskNode from '../../nodes/oilrisk-risk.js';
import siteNode, { profileOptions, SITE_ERROR_STATUS, type SiteNode } from '../../nodes/oilrisk-site.js';
import type { Site } from '../../lib/model/index.js';
import type { SiteChange, SiteIssue } from '../../lib/site/index.js';
import { Calls } from '../support/calls.js';

helper.init(require.resolve('node-red'));

const SITE = `
site: { id: t, name: Test field }
equipment:
  - { id: SEP-1, type: separator-2phase, area: cpf }
  - { id: COMP-1, type: compressor, area: cpf }
dependencies:
  - { from: SEP-1, to: COMP-1, kind: flow, weight: 0.5 }
tags:
  - { id: SEP-1.PT-101, equipment: SEP-1, profile: pressure, unit: bar, factors: [{ id: p, limits: { H: 9.3, HH: 9.8 }, consequence: { category: people, severity: 4 } }] }
`;

const BROKEN = SITE.replace('to: COMP-1', 'to: COMP-9');
const GROWN = SITE.replace('equipment:\n', 'equipment:\n  - { id: FL-1, type: flare, area: cpf }\n');


/** The test helper types flows as bare NodeDefs; ours carry the site node's own keys. */
function flow(nodes: Array<Record<string, unknown>>): any {
  return nodes;
}

function errorsLogged(): string[] {
  return helper.log().args.map((a: any[]) => a[0]).filter((e: any) => e.type === 'oilrisk-site' && e.level === 20).map((e: any) => String(e.msg));
}

describe('oilrisk-site node', function () {
  let userDir: string;

  beforeEach(function (done) {
    userDir = mkdtempSync(join(tmpdir(), 'oilrisk-site-node-'));
    mkdirSync(join(userDir, 'sites'));
    helper.settings({ userDir } as never);
    helper.startServer(done);
  });

  afterEach(async function () {
    await helper.unload();
    await new Promise<void>((ok) => helper.stopServer(() => ok()));
    rmSync(userDir, { recursive: true, force: true });
  });

  it('loads an inline site and gives it to a listener that registers later', async function () {
    await helper.load(siteNode, flow([{ id: 'site', type: 'oilrisk-site', name: 'field', path: '', inline: SITE }]));
    const node = helper.getNode('site') as SiteNode;
    const calls = new Calls<[Site, SiteChange]>();
    node.register(calls.fn);
    const [site, change] = await calls.next();
    assert.equal(site.id, 't');
    assert.deepEqual(change.equipment.added, ['SEP-1', 'COMP-1']);
    assert.equal(node.state().ok, true);
    assert.equal(node.state().equipment, 2);
  });

  it('reports an invalid inline site to error listeners and logs the i18n key with every error', async function () {
    await helper.load(siteNode, flow([{ id: 'site', type: 'oilrisk-site', path: '', inline: BROKEN }]));
    const node = helper.getNode('site') as SiteNode;
    const sites = new Calls<[Site, SiteChange]>();
    const errors = new Calls<[readonly SiteIssue[], Site | undefined]>();
    node.register(sites.fn, errors.fn);
    const [issues, lastGood] = await errors.next();
    assert.equal(lastGood, undefined);
    assert.equal(sites.pending, 0);
    assert.equal(issues[0].path, 'dependencies[0].to');
    assert.match(issues[0].message, /unknown equipment "COMP-9"/);
    assert.deepEqual(errorsLogged(), ['oilrisk-site.errors.invalid']);
    assert.equal(node.site, undefined);
  });

  it('reports a missing file without throwing', async function () {
    await helper.load(siteNode, flow([{ id: 'site', type: 'oilrisk-site', path: 'sites/none.yaml', inline: '' }]));
    const node = helper.getNode('site') as SiteNode;
    const errors = new Calls<[readonly SiteIssue[], Site | undefined]>();
    node.register(() => assert.fail('no site to give'), errors.fn);
    const [issues] = await errors.next();
    assert.equal(issues[0].file, 'sites/none.yaml');
    assert.match(issues[0].message, /cannot read site file: file not found at .*sites\/none.yaml/);
  });

  it('reloads a watched file on edit, keeps the last good site on a bad edit, and recovers', async function () {
    const file = join(userDir, 'sites', 'field.yaml');
    writeFileSync(file, SITE);
    await helper.load(siteNode, flow([{ id: 'site', type: 'oilrisk-site', path: 'sites/field.yaml', inline: '' }]));
    const node = helper.getNode('site') as SiteNode;
    const sites = new Calls<[Site, SiteChange]>();
    const errors = new Calls<[readonly SiteIssue[], Site | undefined]>();
    node.register(sites.fn, errors.fn);
    const [first] = await sites.next();
    assert.equal(first.equipment.length, 2);

    writeFileSync(file, GROWN);
    const [grown, change] = await sites.next();
    assert.deepEqual(change.equipment, { added: ['FL-1'], removed: [], changed: [] });
    assert.equal(grown.equipment.length, 3);

    writeFileSync(file, BROKEN);
    const [issues, lastGood] = await errors.next();
    assert.equal(issues[0].file, 'sites/field.yaml');
    assert.equal(lastGood, grown);
    assert.equal(node.site, grown, 'the last good site stays in use');
    assert.equal(node.state().ok, false);
    assert.equal(node.state().running, true);
    assert.ok(errorsLogged().includes('oilrisk-site.errors.invalidKept'));

    // An editor that saves by writing a new file and renaming it over the old one.
    writeFileSync(join(userDir, 'sites', '.field.yaml.tmp'), GROWN);
    renameSync(join(userDir, 'sites', '.field.yaml.tmp'), file);
    const [recovered, again] = await sites.next();
    assert.equal(again.unchanged, true, 'same site as the last good one');
    assert.equal(recovered.equipment.length, 3);
    assert.equal(node.state().ok, true);
  });

  it('tells a listener that registers while the file is broken both the last good site and the errors', async function () {
    const file = join(userDir, 'sites', 'field.yaml');
    writeFileSync(file, SITE);
    await helper.load(siteNode, flow([{ id: 'site', type: 'oilrisk-site', path: 'sites/field.yaml', inline: '' }]));
    const node = helper.getNode('site') as SiteNode;
    const loaded = new Calls<[Site, SiteChange]>();
    const first = new Calls<[readonly SiteIssue[], Site | undefined]>();
    node.register(loaded.fn, first.fn);
    await loaded.next();
    writeFileSync(file, 'site: [');
    await first.next();
    const sites = new Calls<[Site, SiteChange]>();
    const errors = new Calls<[readonly SiteIssue[], Site | undefined]>();
    node.register(sites.fn, errors.fn);
    const [site] = await sites.next();
    const [issues] = await errors.next();
    assert.equal(site.id, 't');
    assert.match(issues[0].message, /not valid YAML or JSON/);
  });

  it('keeps telling the other listeners when one of them throws', async function () {
    await helper.load(siteNode, flow([{ id: 'site', type: 'oilrisk-site', path: '', inline: SITE }]));
    const node = helper.getNode('site') as SiteNode;
    node.register(() => { throw new Error('engine refused'); });
    const calls = new Calls<[Site, SiteChange]>();
    node.register(calls.fn);
    await node.reload();
    await calls.next();
    assert.ok(errorsLogged().includes('oilrisk-site.errors.listener'));
  });

  it('does not tell listeners again when a reload finds the same site', async function () {
    await helper.load(siteNode, flow([{ id: 'site', type: 'oilrisk-site', path: '', inline: SITE }]));
    const node = helper.getNode('site') as SiteNode;
    const calls = new Calls<[Site, SiteChange]>();
    node.register(calls.fn);
    await calls.next();
    await node.reload();
    assert.equal(calls.pending, 0);
  });

  it('serves the load state of every site, one site with its model, and the JSON Schema', async function () {
    writeFileSync(join(userDir, 'sites', 'field.yaml'), SITE);
    await helper.load(siteNode, flow([
      { id: 'good', type: 'oilrisk-site', name: 'Good', path: 'sites/field.yaml', inline: '' },
      { id: 'bad', type: 'oilrisk-site', path: '', inline: BROKEN },
    ]));
    await (helper.getNode('good') as SiteNode).reload();
    const all = await helper.request().get('/oilrisk/api/site').expect(200);
    const byId = new Map<string, any>(all.body.sites.map((s: any) => [s.id, s]));
    assert.deepEqual(Object.keys(byId.get('good')).sort(), ['checkedAt', 'dependencies', 'equipment', 'id', 'issues', 'loadedAt', 'name', 'ok', 'running', 'source', 'tags']);
    assert.equal((byId.get('good') as any).ok, true);
    assert.equal((byId.get('good') as any).source, 'sites/field.yaml');
    assert.equal((byId.get('good') as any).equipment, 2);
    assert.equal((byId.get('bad') as any).ok, false);
    assert.equal((byId.get('bad') as any).running, false);
    assert.equal((byId.get('bad') as any).issues[0].path, 'dependencies[0].to');

    const one = await helper.request().get('/oilrisk/api/site/good').expect(200);
    assert.equal(one.body.site.tags[0].id, 'SEP-1.PT-101');
    const missing = await helper.request().get('/oilrisk/api/site/nope').expect(404);
    assert.match(missing.body.issues[0].message, /no oilrisk-site node with id "nope"/);
    const schema = await helper.request().get('/oilrisk/api/site/schema').expect(200);
    assert.ok(schema.body.properties.equipment);
  });

  it('checks a path or inline text for the edit dialog', async function () {
    writeFileSync(join(userDir, 'sites', 'field.yaml'), SITE);
    await helper.load(siteNode, flow([{ id: 'site', type: 'oilrisk-site', path: '', inline: SITE }]));
    const byPath = await helper.request().post('/oilrisk/site/check').send({ path: 'sites/field.yaml' }).expect(200);
    assert.deepEqual(byPath.body, { ok: true, equipment: 2, tags: 1, dependencies: 1, issues: [] });
    const inline = await helper.request().post('/oilrisk/site/check').send({ inline: BROKEN }).expect(200);
    assert.equal(inline.body.ok, false);
    assert.equal(inline.body.issues[0].file, 'inline');
    const empty = await helper.request().post('/oilrisk/site/check').send({}).expect(400);
    assert.match(empty.body.issues[0].message, /send \{"path"/);
  });

  it('refuses a tag whose sensor profile the runtime does not know, naming the likely one', async function () {
    await helper.load(siteNode, flow([{ id: 'site', type: 'oilrisk-site', path: '', inline: SITE.replace('profile: pressure', 'profile: presure') }]));
    const node = helper.getNode('site') as SiteNode;
    assert.equal(node.state().ok, false);
    assert.equal(node.issues[0].path, 'tags[0].profile');
    assert.match(node.issues[0].message, /unknown sensor profile "presure" \(did you mean "pressure"\?\)/);
  });

  it('loads the demo field', async function () {
    writeFileSync(join(userDir, 'sites', 'demo-field.yaml'), readFileSync(join(__dirname, '..', '..', 'sites', 'demo-field.yaml')));
    await helper.load(siteNode, flow([{ id: 'site', type: 'oilrisk-site', path: 'sites/demo-field.yaml', inline: '' }]));
    const node = helper.getNode('site') as SiteNode;
    await node.reload();
    assert.equal(node.state().ok, true);
    assert.ok(node.state().equipment >= 40);
  });
});

describe('oilrisk-site sensor profiles', function () {
  it('knows the built-in profiles, their channels and those of installed plugins', function () {
    const plugin = { profiles: [{ name: 'corrosion-probe', channels: [{ name: 'corrosion-probe', unit: 'mm/y' }] }] };
    const options = profileOptions({ getByType: (type: string) => (type === 'oilrisk-sensor' ? [plugin, { profiles: 'not a list' }] : []) });
    for (const known of ['pressure', 'esp-drive.current', 'rod-pump-controller.load', 'corrosion-probe']) assert.ok(options.isKnownProfile!(known), known);
    assert.equal(options.isKnownProfile!('presure'), false);
    assert.ok(options.profileNames!.includes('esp-drive.current'));
  });
});

describe('oilrisk-site feeding oilrisk-risk', function () {
  let userDir: string;
  const RISK_SITE = `
site: { id: t }
equipment:
  - { id: WELL-1, type: well-esp, area: north }
  - { id: SEP-1, type: separator-3phase, area: cpf, criticality: 5 }
dependencies:
  - { from: WELL-1, to: SEP-1, kind: flow, weight: 0.5 }
tags:
  - { id: WELL-1.PT, equipment: WELL-1, profile: pressure, unit: bar, factors: [{ id: pressure, limits: { H: 40, HH: 50 }, consequence: { category: asset, severity: 4 } }] }
`;

  beforeEach(function (done) {
    userDir = mkdtempSync(join(tmpdir(), 'oilrisk-site-risk-'));
    mkdirSync(join(userDir, 'sites'));
    writeFileSync(join(userDir, 'sites', 'field.yaml'), RISK_SITE);
    helper.settings({ userDir } as never);
    helper.startServer(done);
  });

  afterEach(async function () {
    await helper.unload();
    await new Promise<void>((ok) => helper.stopServer(() => ok()));
    rmSync(userDir, { recursive: true, force: true });
  });

  it('keeps the risk of equipment an edit did not touch, and resets the factors it changed', async function () {
    await helper.load([siteNode, riskNode], flow([
      { id: 'site', type: 'oilrisk-site', path: 'sites/field.yaml', inline: '' },
      { id: 'risk', type: 'oilrisk-risk', site: 'site', tick: 0, scoreChange: 0.1, wires: [['changes'], ['snapshot']] },
      { id: 'changes', type: 'helper' },
      { id: 'snapshot', type: 'helper' },
    ]));
    const site = helper.getNode('site') as SiteNode;
    const risk = helper.getNode('risk') as any;
    const reloads = new Calls<[Site, SiteChange]>();
    const changes = new Calls<[any]>();
    const snapshots = new Calls<[any]>();
    helper.getNode('changes').on('input', changes.fn);
    helper.getNode('snapshot').on('input', snapshots.fn);
    // Registered after the risk node, so told after it: when this hears of a site, the engine has it.
    site.register(reloads.fn);
    await reloads.next();
    const levels = async () => {
      risk.receive({ topic: 'snapshot' });
      const [msg] = await snapshots.next();
      return Object.fromEntries(msg.payload.map((s: any) => [s.equipment, s.level]));
    };

    risk.receive({ payload: [{ tag: 'WELL-1.PT', value: 55, quality: 'good', ts: Date.UTC(2026, 0, 1) }] });
    const [raised] = await changes.next();
    assert.equal(raised.payload.find((c: any) => c.equipment === 'WELL-1').level, 'II');

    writeFileSync(join(userDir, 'sites', 'field.yaml'), RISK_SITE.replace('equipment:\n', 'equipment:\n  - { id: FL-1, type: flare, area: cpf }\n'));
    const [, grown] = await reloads.next();
    assert.deepEqual(grown.equipment.added, ['FL-1']);
    assert.deepEqual(await levels(), { 'FL-1': 'normal', 'WELL-1': 'II', 'SEP-1': raised.payload.find((c: any) => c.equipment === 'SEP-1').level });

    writeFileSync(join(userDir, 'sites', 'field.yaml'), RISK_SITE.replace('H: 40, HH: 50', 'H: 60, HH: 70'));
    const [, edited] = await reloads.next();
    assert.deepEqual(edited.tags.changed, ['WELL-1.PT']);
    assert.equal((await levels())['WELL-1'], 'normal');
  });

  it('shows the site error on the flow node while the file is broken, and clears it on repair', async function () {
    await helper.load([siteNode, riskNode], flow([
      { id: 'site', type: 'oilrisk-site', path: 'sites/field.yaml', inline: '' },
      { id: 'risk', type: 'oilrisk-risk', site: 'site', tick: 0, wires: [[], []] },
    ]));
    const site = helper.getNode('site') as SiteNode;
    const risk = helper.getNode('risk') as any;
    const statuses: any[] = [];
    const setStatus = risk.status.bind(risk);
    risk.status = (status: any) => { statuses.push(status); setStatus(status); };
    // Registered after the risk node, so told after it.
    const loads = new Calls<[Site]>();
    const errors = new Calls<[readonly SiteIssue[], Site | undefined]>();
    site.register(loads.fn, errors.fn);
    await loads.next();

    writeFileSync(join(userDir, 'sites', 'field.yaml'), RISK_SITE.replace('to: SEP-1', 'to: SEP-9'));
    const [issues] = await errors.next();
    assert.ok(issues.some((i) => i.message.includes('SEP-9')));
    assert.deepEqual(statuses.at(-1), SITE_ERROR_STATUS);

    writeFileSync(join(userDir, 'sites', 'field.yaml'), RISK_SITE.replace('weight: 0.5', 'weight: 0.6'));
    await loads.next();
    assert.notDeepEqual(statuses.at(-1), SITE_ERROR_STATUS);
  });
});
