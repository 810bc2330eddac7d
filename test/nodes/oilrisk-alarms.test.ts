import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import helper from 'node-red-node-test-helper';
import sinon from 'sinon';
import alarmsNode, { parseDuration, RECONCILE_GRACE_MS, type AlarmsNode } from '../../nodes/oilrisk-alarms.js';
import siteNode, { SITE_ERROR_STATUS, type SiteNode } from '../../nodes/oilrisk-site.js';
import type { Site } from '../../lib/model/index.js';
import { Calls } from '../support/calls.js';

helper.init(require.resolve('node-red'));

const SITE = `
site: { id: t }
equipment:
  - { id: COMP-1, type: compressor, area: cpf }
  - { id: SEP-2, type: separator-3phase, area: cpf }
  - { id: GD-H2S-1, type: h2s-detector, area: cpf }
  - { id: TK-1, type: tank-oil, area: tank-battery }
  - { id: WELL-08, type: well-rod-pump, area: south, state: maintenance }
dependencies:
  - { from: COMP-1, to: SEP-2, kind: flow, weight: 0.5 }
tags:
  - { id: GD-H2S-1.AT, equipment: GD-H2S-1, profile: h2s-ppm, unit: ppm, factors: [{ id: h2s, limits: { H: 10, HH: 20 }, consequence: { category: people, severity: 5 } }] }
`;

function flow(extra: Record<string, unknown> = {}) {
  return [
    { id: 'site', type: 'oilrisk-site', path: '', inline: SITE },
    { id: 'alarms', type: 'oilrisk-alarms', site: 'site', playbooks: join(__dirname, '../../sites/demo-playbooks.yaml'), kpiInterval: 60, kpiWindow: 60, ackBaseUrl: 'https://oilrisk.example.com', wires: [['journal'], ['notify'], ['kpi']], ...extra },
    { id: 'journal', type: 'helper' },
    { id: 'notify', type: 'helper' },
    { id: 'kpi', type: 'helper' },
  ];
}


/** Records every status the node sets from now on, in order, as it sets it. */
function statusesOf(node: AlarmsNode): unknown[] {
  const statuses: unknown[] = [];
  const setStatus = node.status.bind(node);
  node.status = (status) => { statuses.push(status); setStatus(status); };
  return statuses;
}

/** The errors the alarms node has logged so far, as it logged them. */
function errorsLogged(): string[] {
  return helper.log().args.map((a: any[]) => a[0]).filter((e: any) => e.type === 'oilrisk-alarms' && e.level === 20).map((e: any) => String(e.msg));
}

const change = (equipment: string, level: string, rootCause = equipment) => ({ equipment, level, rootCause: { equipment: rootCause }, factors: [], paths: [] });

describe('oilrisk-alarms node', function () {
  let dataDir: string;
  let clock: sinon.SinonFakeTimers | undefined;

  beforeEach(function (done) {
    dataDir = mkdtempSync(join(tmpdir(), 'oilrisk-alarms-node-'));
    helper.settings({ oilrisk: { dataDir } } as never);
    helper.startServer(done);
  });

  afterEach(async function () {
    await helper.unload();
    clock?.restore();
    clock = undefined;
    await new Promise<void>((ok) => helper.stopServer(() => ok()));
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function load(extra: Record<string, unknown> = {}) {
    await helper.load([siteNode, alarmsNode], flow(extra));
    const node = helper.getNode('alarms') as AlarmsNode;
    await node.ready;
    return node;
  }

  it('turns risk changes into alarm events, an incident and one notification for the root cause', function (done) {
    load().then((node) => {
      const journal = helper.getNode('journal');
      const notify = helper.getNode('notify');
      const seen: Array<{ topic: string; payload: any }> = [];
      journal.on('input', (msg: any) => seen.push(msg));
      notify.on('input', (msg: any) => {
        try {
          assert.equal(msg.topic, 'notification');
          assert.equal(msg.payload.alarm, 'COMP-1');
          assert.equal(msg.payload.tier, 'operator');
          assert.equal(msg.payload.acknowledgeUrl, 'https://oilrisk.example.com/oilrisk/api/alarms/COMP-1/ack');
          assert.deepEqual(seen.map((m) => m.topic), ['alarm', 'incident']);
          assert.deepEqual(seen[0].payload.map((e: any) => [e.alarm, e.state, Boolean(e.consequential)]), [['COMP-1', 'unacknowledged', false], ['SEP-2', 'unacknowledged', true]]);
          assert.equal(seen[1].payload[0].firstAlarm, 'COMP-1');
          done();
        } catch (err) {
          done(err);
        }
      });
      node.receive({ topic: 'risk', payload: [change('SEP-2', 'III', 'COMP-1'), change('COMP-1', 'II')] } as any);
    }).catch(done);
  });

  it('shows unacknowledged alarms in its status and suppresses alarms of equipment in maintenance', function (done) {
    load().then((node) => {
      const statuses: Array<{ fill: string; text: string }> = [];
      (node as any).on('call:status', (call: any) => statuses.push(call.firstArg));
      node.receive({ payload: [change('WELL-08', 'II')] } as any);
      setImmediate(() => {
        try {
          assert.equal(node.manager.get('WELL-08')!.state, 'suppressed-by-design');
          assert.deepEqual(statuses.at(-1), { fill: 'green', shape: 'dot', text: 'oilrisk-alarms.status.normal' });
          node.receive({ payload: [change('TK-1', 'II')] } as any);
          setImmediate(() => {
            try {
              assert.deepEqual(statuses.at(-1), { fill: 'red', shape: 'ring', text: 'oilrisk-alarms.status.unacknowledged' });
              done();
            } catch (err) {
              done(err);
            }
          });
        } catch (err) {
          done(err);
        }
      });
    }).catch(done);
  });

  it('reports a bad payload through done(err), naming the key', function (done) {
    load().then((node) => {
      (node as any).on('call:error', (call: any) => {
        try {
          assert.equal(String(call.firstArg.message ?? call.firstArg), 'oilrisk-alarms.errors.payload');
          done();
        } catch (err) {
          done(err);
        }
      });
      node.receive({ topic: 'risk', payload: 'high' } as any);
    }).catch(done);
  });

  it('applies the good changes of a batch and names the bad ones', function (done) {
    load().then((node) => {
      (node as any).on('call:error', (call: any) => {
        try {
          assert.match(String(call.firstArg.message ?? call.firstArg), /risk change \[1\]: level "V"/);
          assert.equal(node.manager.get('TK-1')!.state, 'unacknowledged');
          done();
        } catch (err) {
          done(err);
        }
      });
      node.receive({ payload: [change('TK-1', 'IV'), change('SEP-2', 'V')] } as any);
    }).catch(done);
  });

  it('escalates to the supervisor when nobody acknowledges in time (fake time)', function (done) {
    clock = sinon.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'Date'], now: Date.UTC(2026, 0, 1) });
    load().then((node) => {
      const tiers: string[] = [];
      helper.getNode('notify').on('input', (msg: any) => {
        tiers.push(msg.payload.tier);
        if (tiers.length < 2) return;
        try {
          assert.deepEqual(tiers, ['operator', 'supervisor']);
          assert.equal(msg.payload.reason, 'escalated');
          done();
        } catch (err) {
          done(err);
        }
      });
      node.receive({ payload: change('GD-H2S-1', 'I') } as any);
      clock!.tick(121_000);
    }).catch(done);
  });

  it('emits KPI snapshots periodically on output 3 (fake time)', function (done) {
    clock = sinon.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'Date'], now: Date.UTC(2026, 0, 1) });
    load().then((node) => {
      helper.getNode('kpi').on('input', (msg: any) => {
        try {
          assert.equal(msg.topic, 'kpi');
          assert.equal(msg.payload[0].windowMinutes, 60);
          assert.equal(msg.payload[0].standing, 1);
          done();
        } catch (err) {
          done(err);
        }
      });
      node.receive({ payload: change('TK-1', 'III') } as any);
      clock!.tick(60_000);
    }).catch(done);
  });

  it('reports a KPI computation that throws and keeps sending snapshots (fake time)', async function () {
    clock = sinon.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'Date'], now: Date.UTC(2026, 0, 1) });
    const node = await load();
    const kpi = sinon.stub(node.manager, 'kpi').callThrough();
    kpi.onFirstCall().throws(new Error('oilrisk/alarms: KPI window broken'));
    const snapshots = new Calls<[any]>();
    helper.getNode('kpi').on('input', snapshots.fn);
    node.receive({ payload: change('TK-1', 'III') } as any);
    clock.tick(60_000);
    assert.deepEqual(errorsLogged(), ['oilrisk/alarms: KPI window broken']);
    clock.tick(60_000);
    const [msg] = await snapshots.next();
    assert.equal(kpi.callCount, 2);
    assert.equal(msg.payload[0].standing, 1);
    assert.equal(errorsLogged().length, 1);
  });

  it('shows the site error while the site file is broken, also when alarms come in, and clears it on repair', async function () {
    const sitePath = join(dataDir, 'field.yaml');
    writeFileSync(sitePath, SITE);
    await helper.load([siteNode, alarmsNode], [
      { id: 'site', type: 'oilrisk-site', path: sitePath, inline: '' },
      ...flow().slice(1),
    ] as any);
    const node = helper.getNode('alarms') as AlarmsNode;
    await node.ready;
    const statuses = statusesOf(node);
    // Registered after the alarms node, so told after it.
    const loads = new Calls<[Site]>();
    const errors = new Calls<[unknown, unknown]>();
    (helper.getNode('site') as SiteNode).register(loads.fn, errors.fn);
    await loads.next();
    const events = new Calls<[any]>();
    helper.getNode('journal').on('input', events.fn);

    writeFileSync(sitePath, SITE.replace('to: SEP-2', 'to: SEP-9'));
    await errors.next();
    assert.deepEqual(statuses.at(-1), SITE_ERROR_STATUS);
    node.receive({ payload: change('TK-1', 'II') } as any);
    await events.next();
    assert.deepEqual(statuses.at(-1), SITE_ERROR_STATUS);

    writeFileSync(sitePath, SITE);
    await loads.next();
    assert.deepEqual(statuses.at(-1), { fill: 'red', shape: 'ring', text: 'oilrisk-alarms.status.unacknowledged' });
  });

  it('keeps a playbook file that cannot be loaded in its status when alarms come in', async function () {
    const node = await load({ playbooks: join(dataDir, 'missing-playbooks.yaml') });
    const statuses = statusesOf(node);
    const events = new Calls<[any]>();
    helper.getNode('journal').on('input', events.fn);
    node.receive({ payload: change('TK-1', 'II') } as any);
    await events.next();
    assert.equal(node.manager.get('TK-1')!.state, 'unacknowledged');
    assert.deepEqual(statuses.at(-1), { fill: 'red', shape: 'ring', text: 'oilrisk-alarms.status.playbooks' });
  });

  it('moves a journal it cannot read aside, says so, and starts a new one beside it', async function () {
    clock = sinon.useFakeTimers({ toFake: ['Date'], now: Date.UTC(2026, 0, 1) });
    const journalPath = join(dataDir, 'alarms', 'alarms.journal.jsonl');
    // A folder where the journal should be: reading it fails whoever runs the test.
    mkdirSync(journalPath, { recursive: true });
    writeFileSync(join(journalPath, 'evidence'), 'unread events');
    const node = await load();
    assert.deepEqual(errorsLogged(), ['oilrisk-alarms.errors.journal']);
    const kept = `${journalPath}.damaged-${Date.UTC(2026, 0, 1)}`;
    assert.equal(readFileSync(join(kept, 'evidence'), 'utf8'), 'unread events');

    const events = new Calls<[any]>();
    helper.getNode('journal').on('input', events.fn);
    node.receive({ payload: change('TK-1', 'II') } as any);
    await events.next();
    assert.match(readFileSync(journalPath, 'utf8'), /"alarm":"TK-1"/);
    assert.equal(readFileSync(join(kept, 'evidence'), 'utf8'), 'unread events');
  });

  describe('operator API', function () {
    it('lists alarms with filters and refuses unknown filter values', async function () {
      const node = await load();
      node.receive({ payload: [change('TK-1', 'IV'), change('COMP-1', 'II')] } as any);
      const all = await helper.request().get('/oilrisk/api/alarms').expect(200);
      assert.deepEqual(all.body.map((a: any) => a.id), ['COMP-1', 'TK-1']);
      const area = await helper.request().get('/oilrisk/api/alarms?area=tank-battery&level=IV').expect(200);
      assert.deepEqual(area.body.map((a: any) => a.id), ['TK-1']);
      const bad = await helper.request().get('/oilrisk/api/alarms?state=angry').expect(400);
      assert.match(bad.body.error, /state "angry" is not one of/);
    });

    it('acknowledges, and acknowledging twice is harmless', async function () {
      const node = await load();
      node.receive({ payload: change('TK-1', 'III') } as any);
      const first = await helper.request().post('/oilrisk/api/alarms/TK-1/ack').send({ reason: 'truck ordered', user: 'alice' }).expect(200);
      assert.equal(first.body.alarm.state, 'acknowledged');
      assert.equal(first.body.events[0].user, 'alice');
      const second = await helper.request().post('/oilrisk/api/alarms/TK-1/ack').send({}).expect(200);
      assert.equal(second.body.alarm.state, 'acknowledged');
      assert.deepEqual(second.body.events, []);
      await helper.request().post('/oilrisk/api/alarms/NOPE/ack').send({}).expect(404);
    });

    it('shelves with a duration and a reason, unshelves, and refuses bad requests with a message', async function () {
      const node = await load();
      node.receive({ payload: change('TK-1', 'III') } as any);
      const noDuration = await helper.request().post('/oilrisk/api/alarms/TK-1/shelve').send({ reason: 'x' }).expect(400);
      assert.match(noDuration.body.error, /duration must be seconds/);
      const tooLong = await helper.request().post('/oilrisk/api/alarms/TK-1/shelve').send({ duration: '9h', reason: 'x' }).expect(400);
      assert.match(tooLong.body.error, /longest shelving allowed/);
      const noReason = await helper.request().post('/oilrisk/api/alarms/TK-1/shelve').send({ duration: '15m' }).expect(400);
      assert.match(noReason.body.error, /without a reason/);
      const shelved = await helper.request().post('/oilrisk/api/alarms/TK-1/shelve').send({ duration: '15m', reason: 'radar under repair' }).expect(200);
      assert.equal(shelved.body.alarm.state, 'shelved');
      const ack = await helper.request().post('/oilrisk/api/alarms/TK-1/ack').send({}).expect(409);
      assert.match(ack.body.error, /it is shelved/);
      const back = await helper.request().post('/oilrisk/api/alarms/TK-1/unshelve').send({}).expect(200);
      assert.equal(back.body.alarm.state, 'unacknowledged');
    });

    it('takes an alarm out of service and back, and shows one alarm with its journal', async function () {
      const node = await load();
      node.receive({ payload: change('TK-1', 'III') } as any);
      await helper.request().post('/oilrisk/api/alarms/TK-1/out-of-service').send({}).expect(400);
      const oos = await helper.request().post('/oilrisk/api/alarms/TK-1/out-of-service').send({ reason: 'radar replaced', user: 'tech' }).expect(200);
      assert.equal(oos.body.alarm.state, 'out-of-service');
      await helper.request().post('/oilrisk/api/alarms/TK-1/reset').send({}).expect(409);
      const back = await helper.request().post('/oilrisk/api/alarms/TK-1/return-to-service').send({ user: 'tech' }).expect(200);
      assert.equal(back.body.alarm.state, 'unacknowledged');
      const one = await helper.request().get('/oilrisk/api/alarms/TK-1').expect(200);
      assert.deepEqual(one.body.journal.map((e: any) => e.state), ['unacknowledged', 'out-of-service', 'unacknowledged']);
      await helper.request().get('/oilrisk/api/alarms/NOPE').expect(404);
    });

    it('journals comments and serves incidents and KPIs', async function () {
      const node = await load();
      node.receive({ payload: [change('COMP-1', 'II'), change('SEP-2', 'III', 'COMP-1')] } as any);
      await helper.request().post('/oilrisk/api/alarms/COMP-1/comment').send({ text: 'fire and gas team on the way' }).expect(200);
      await helper.request().post('/oilrisk/api/alarms/COMP-1/comment').send({ text: '' }).expect(400);
      const incidents = await helper.request().get('/oilrisk/api/incidents?status=open').expect(200);
      assert.deepEqual(incidents.body[0].alarms, ['COMP-1', 'SEP-2']);
      await helper.request().get('/oilrisk/api/incidents?status=maybe').expect(400);
      const kpi = await helper.request().get('/oilrisk/api/kpi?window=60').expect(200);
      assert.equal(kpi.body[0].standing, 2);
      assert.equal(kpi.body[0].alarmsPer10MinPeak, 1);
      await helper.request().get('/oilrisk/api/kpi?window=-1').expect(400);
    });
  });

  it('keeps alarms, acknowledgements and incidents across a redeploy', async function () {
    const node = await load();
    node.receive({ payload: [change('COMP-1', 'II'), change('TK-1', 'IV')] } as any);
    await helper.request().post('/oilrisk/api/alarms/COMP-1/ack').send({ user: 'bob' }).expect(200);
    await helper.unload();
    const again = await load();
    assert.equal(again.manager.get('COMP-1')!.acknowledgedBy, 'bob');
    assert.equal(again.manager.get('TK-1')!.state, 'unacknowledged');
    assert.equal(again.manager.listIncidents('open').length, 2);
  });

  it('after a restart, clears restored alarms the risk engine does not report again within the grace period (fake time)', async function () {
    const node = await load();
    node.receive({ payload: [change('COMP-1', 'II'), change('TK-1', 'IV')] } as any);
    await helper.unload();
    clock = sinon.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'], now: Date.UTC(2026, 0, 2) });
    const again = await load();
    assert.equal(again.manager.awaitingConfirmation, 2);
    again.receive({ payload: [change('TK-1', 'III')] } as any);
    clock.tick(RECONCILE_GRACE_MS);
    const comp = again.manager.get('COMP-1')!;
    assert.equal(comp.active, false);
    assert.equal(comp.state, 'returned-unacknowledged');
    assert.match(again.manager.journalEvents().at(-1)!.reason!, /not reported by the risk engine since the restart/);
    assert.equal(again.manager.get('TK-1')!.active, true);
  });

  it('reads durations in seconds, minutes and hours', function () {
    assert.equal(parseDuration(90), 90);
    assert.equal(parseDuration('15m'), 900);
    assert.equal(parseDuration('2h'), 7200);
    assert.equal(parseDuration('soon'), undefined);
    assert.equal(parseDuration(-5), undefined);
  });
});
