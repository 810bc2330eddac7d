import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import helper from 'node-red-node-test-helper';
import sinon from 'sinon';
import riskNode, { levelStatus } from '../../nodes/oilrisk-risk.js';
import siteNode from '../../nodes/oilrisk-site.js';

helper.init(require.resolve('node-red'));

const SITE = `
site: { id: t }
equipment:
  - { id: WELL-1, type: well-esp, area: north, criticality: 3 }
  - { id: SEP-1, type: separator-3phase, area: cpf, criticality: 5 }
dependencies:
  - { from: WELL-1, to: SEP-1, kind: flow, weight: 0.5 }
tags:
  - { id: WELL-1.PT, equipment: WELL-1, profile: pressure, unit: bar, factors: [{ id: pressure, limits: { H: 40, HH: 50 }, staleTimeout: 60, consequence: { category: asset, severity: 4 } }] }
`;

const T = Date.UTC(2026, 0, 1);

function flow(extra: Record<string, unknown> = {}) {
  return [
    { id: 'site', type: 'oilrisk-site', path: '', inline: SITE },
    { id: 'risk', type: 'oilrisk-risk', site: 'site', tick: 0, scoreChange: 0.1, wires: [['changes'], ['snapshot']], ...extra },
    { id: 'changes', type: 'helper' },
    { id: 'snapshot', type: 'helper' },
  ];
}

describe('oilrisk-risk node', function () {
  let clock: sinon.SinonFakeTimers | undefined;

  beforeEach(function (done) {
    helper.startServer(done);
  });

  afterEach(async function () {
    await helper.unload();
    clock?.restore();
    clock = undefined;
    await new Promise<void>((ok) => helper.stopServer(() => ok()));
  });

  it('emits the risk changes of a batch of readings with their explanation', function (done) {
    helper.load([siteNode, riskNode], flow(), () => {
      const risk = helper.getNode('risk') as any;
      helper.getNode('changes').on('input', (msg: any) => {
        try {
          assert.equal(msg.topic, 'risk');
          assert.deepEqual(msg.payload.map((c: any) => [c.equipment, c.level]), [['WELL-1', 'II'], ['SEP-1', 'III']]);
          const sep = msg.payload[1];
          assert.deepEqual(sep.rootCause, { equipment: 'WELL-1', tag: 'WELL-1.PT', factor: 'pressure' });
          assert.deepEqual(sep.paths[0].path, ['WELL-1', 'SEP-1']);
          done();
        } catch (err) {
          done(err);
        }
      });
      risk.receive({ payload: [{ tag: 'WELL-1.PT', value: 30, quality: 'good', ts: T }, { tag: 'WELL-1.PT', value: 55, quality: 'good', ts: T + 1000 }] });
    });
  });

  it('answers a snapshot request on output 2 with every equipment', function (done) {
    helper.load([siteNode, riskNode], flow(), () => {
      helper.getNode('snapshot').on('input', (msg: any) => {
        try {
          assert.equal(msg.topic, 'snapshot');
          assert.deepEqual(msg.payload.map((s: any) => [s.equipment, s.level]), [['WELL-1', 'normal'], ['SEP-1', 'normal']]);
          done();
        } catch (err) {
          done(err);
        }
      });
      helper.getNode('risk').receive({ topic: 'snapshot' });
    });
  });

  it('reports bad readings through done(err) naming the tag and processes the rest of the batch', function (done) {
    helper.load([siteNode, riskNode], flow(), () => {
      const risk = helper.getNode('risk') as any;
      const changes = new Promise<any>((ok) => helper.getNode('changes').on('input', ok));
      const error = new Promise<any>((ok) => risk.on('call:error', ok));
      Promise.all([changes, error]).then(([msg, call]) => {
        const err = call.args[0] as Error & { readings: Array<{ tag: string }> };
        assert.deepEqual(err.readings.map((e) => e.tag), ['NOPE.PT', 'WELL-1.PT']);
        assert.match(err.message, /^oilrisk-risk\.errors\.readings: .*unknown tag "NOPE\.PT".*tag "WELL-1\.PT": value is NaN/);
        assert.deepEqual(msg.payload.map((c: any) => c.equipment), ['WELL-1', 'SEP-1']);
      }).then(() => done(), done);
      risk.receive({ payload: [{ tag: 'NOPE.PT', value: 1, quality: 'good', ts: T }, { tag: 'WELL-1.PT', value: Number.NaN, quality: 'good', ts: T }, { tag: 'WELL-1.PT', value: 45, quality: 'good', ts: T }] });
    });
  });

  it('shows the counts per raised level in its status', function (done) {
    helper.load([siteNode, riskNode], flow(), () => {
      const risk = helper.getNode('risk') as any;
      const statuses: any[] = [];
      risk.on('call:status', (call: any) => statuses.push(call.args[0]));
      helper.getNode('changes').on('input', () => {
        try {
          assert.deepEqual(statuses.at(-1), { fill: 'red', shape: 'ring', text: 'II 1 · III 1' });
          done();
        } catch (err) {
          done(err);
        }
      });
      risk.receive({ payload: { tag: 'WELL-1.PT', value: 55, quality: 'good', ts: T } });
    });
  });

  it('says in its status when no site is configured, and refuses readings', function (done) {
    helper.load([siteNode, riskNode], flow({ site: '' }), () => {
      const risk = helper.getNode('risk') as any;
      risk.on('call:error', (call: any) => {
        try {
          assert.match(String(call.args[0]), /oilrisk-risk\.errors\.no-site/);
          done();
        } catch (err) {
          done(err);
        }
      });
      risk.receive({ payload: { tag: 'WELL-1.PT', value: 55, quality: 'good', ts: T } });
    });
  });

  it('ticks: a tag without readings past its stale timeout raises its equipment', function (done) {
    clock = sinon.useFakeTimers({ now: T, toFake: ['setInterval', 'clearInterval', 'Date'] });
    helper.load([siteNode, riskNode], flow({ tick: 1 }), () => {
      const risk = helper.getNode('risk') as any;
      helper.getNode('changes').on('input', (msg: any) => {
        try {
          assert.deepEqual(msg.payload[0].factors.map((f: any) => f.state), ['stale']);
          done();
        } catch (err) {
          done(err);
        }
      });
      risk.receive({ payload: { tag: 'WELL-1.PT', value: 20, quality: 'good', ts: T } });
      clock!.tick(62000);
    });
  });

  it('serves the risk state and one equipment explanation over HTTP, 404 for unknown ids', function (done) {
    helper.load([siteNode, riskNode], flow(), async () => {
      try {
        helper.getNode('risk').receive({ payload: { tag: 'WELL-1.PT', value: 55, quality: 'good', ts: T } });
        const all = await helper.request().get('/oilrisk/api/risk').expect(200);
        assert.deepEqual(all.body.counts, { normal: 0, IV: 0, III: 1, II: 1, I: 0 });
        assert.deepEqual(all.body.equipment.map((e: any) => [e.site, e.equipment]), [['t', 'WELL-1'], ['t', 'SEP-1']]);
        const one = await helper.request().get('/oilrisk/api/risk/SEP-1').expect(200);
        assert.deepEqual(one.body.paths[0].path, ['WELL-1', 'SEP-1']);
        const missing = await helper.request().get('/oilrisk/api/risk/NOPE').expect(404);
        assert.match(missing.body.error, /unknown equipment "NOPE"/);
        done();
      } catch (err) {
        done(err);
      }
    });
  });

  it('applies an edited site file and reports what the edit changed', function (done) {
    const dir = mkdtempSync(join(tmpdir(), 'oilrisk-risk-node-'));
    const file = join(dir, 'site.yaml');
    writeFileSync(file, SITE);
    const finish = (err?: unknown) => {
      rmSync(dir, { recursive: true, force: true });
      done(err);
    };
    helper.load([siteNode, riskNode], [...flow().filter((n) => n.id !== 'site'), { id: 'site', type: 'oilrisk-site', path: file, inline: '' }], () => {
      const risk = helper.getNode('risk') as any;
      const seen: any[] = [];
      helper.getNode('changes').on('input', (msg: any) => {
        seen.push(msg.payload);
        try {
          if (seen.length === 1) {
            assert.equal(msg.payload[0].level, 'II');
            // Raise H and HH above the reading: the changed factor starts afresh, so the equipment returns to normal.
            writeFileSync(file, SITE.replace('limits: { H: 40, HH: 50 }', 'limits: { H: 60, HH: 70 }'));
          } else {
            assert.deepEqual(msg.payload.map((c: any) => [c.equipment, c.level]), [['WELL-1', 'normal'], ['SEP-1', 'normal']]);
            finish();
          }
        } catch (err) {
          finish(err);
        }
      });
      // The file loads asynchronously: send the reading once the site is there (the risk node registered first).
      let sent = false;
      (helper.getNode('site') as any).register(() => {
        if (sent) return;
        sent = true;
        risk.receive({ payload: { tag: 'WELL-1.PT', value: 55, quality: 'good', ts: T } });
      });
    });
  });

  it('summarises levels for the status, worst first', () => {
    assert.deepEqual(levelStatus({ normal: 3, IV: 1, III: 0, II: 0, I: 2 }), { fill: 'red', shape: 'dot', text: 'I 2 · IV 1' });
    assert.deepEqual(levelStatus({ normal: 3, IV: 0, III: 0, II: 0, I: 0 }), { fill: 'green', shape: 'dot', text: 'normal 3' });
  });
});
