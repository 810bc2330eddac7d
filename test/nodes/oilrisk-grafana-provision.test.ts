import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import helper from 'node-red-node-test-helper';
import sinon from 'sinon';
import grafanaNode, { isUnset } from '../../nodes/oilrisk-grafana.js';
import provisionNode, { DEPLOY_RETRY_MS, packagedDashboards } from '../../nodes/oilrisk-grafana-provision.js';
import { FakeGrafana } from '../support/grafana-server.js';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const catchNode = require('@node-red/nodes/core/common/25-catch.js');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const completeNode = require('@node-red/nodes/core/common/24-complete.js');

helper.init(require.resolve('node-red'));

const ADMIN = 'glsa_test_admin_token';

function flow(url: string, extra: Record<string, unknown> = {}) {
  // Flow nodes need x and y, or the runtime takes them for config nodes.
  return [
    { id: 'tab', type: 'tab' },
    { id: 'g', type: 'oilrisk-grafana', url, orgId: '', timeout: '2' },
    { id: 'p', type: 'oilrisk-grafana-provision', z: 'tab', x: 100, y: 100, grafana: 'g', onDeploy: false, folderUid: 'oilrisk', folderTitle: 'oilrisk', dataSource: true, questdbHost: 'questdb', questdbPort: '8812', questdbUser: 'admin', tlsMode: 'disable', dashboards: '', wires: [['out']], ...extra },
    { id: 'out', type: 'helper', z: 'tab', x: 300, y: 100 },
    { id: 'catch', type: 'catch', z: 'tab', x: 100, y: 200, scope: ['p'], uncaught: false, wires: [['caught']] },
    { id: 'caught', type: 'helper', z: 'tab', x: 300, y: 200 },
    { id: 'complete', type: 'complete', z: 'tab', x: 100, y: 300, scope: ['p'], uncaught: false, wires: [['completed']] },
    { id: 'completed', type: 'helper', z: 'tab', x: 300, y: 300 },
  ];
}

const next = (id: string) => new Promise<any>((ok) => helper.getNode(id).once('input', ok));

function statusTexts(id: string): string[] {
  const node = helper.getNode(id);
  return (node.status as unknown as sinon.SinonSpy).getCalls().filter((c) => c.thisValue === node).map((c) => c.args[0].text);
}

describe('oilrisk-grafana-provision node', function () {
  let grafana: FakeGrafana;
  const dashboardCount = readdirSync(packagedDashboards()!).filter((f) => f.endsWith('.json')).length;

  beforeEach(async function () {
    grafana = new FakeGrafana();
    await grafana.start();
    await new Promise<void>((ok) => helper.startServer(() => ok()));
  });

  afterEach(async function () {
    await helper.unload();
    await new Promise<void>((ok) => helper.stopServer(() => ok()));
    await grafana.stop();
  });

  const load = (extra: Record<string, unknown> = {}, credentials: Record<string, unknown> = { g: { token: ADMIN }, p: { questdbPassword: 'quest-secret' } }, url = grafana.url) =>
    helper.load([grafanaNode, provisionNode, catchNode, completeNode], flow(url, extra), credentials);

  it('provisions folder, QuestDB data source and every generated dashboard on a message', async function () {
    await load();
    const report = next('out');
    helper.getNode('p').receive({ payload: 'go' });
    const msg = await report;
    assert.equal(msg.topic, 'grafana-provision');
    assert.deepEqual([msg.payload.folder, msg.payload.dataSource], ['created', 'created']);
    assert.equal(msg.payload.dashboards.length, dashboardCount);
    assert.ok(msg.payload.dashboards.every((d: any) => d.outcome === 'created'));
    const source = grafana.datasources.get('oilrisk-questdb')!;
    assert.deepEqual([source.type, (source.jsonData as any).server, (source.secureJsonData as any).password], ['questdb-questdb-datasource', 'questdb', 'quest-secret']);
    assert.ok([...grafana.dashboards.values()].every((d) => d.folderUid === 'oilrisk'));
    assert.deepEqual(statusTexts('p').slice(-2), ['oilrisk-grafana-provision.status.running', 'oilrisk-grafana-provision.status.done']);
  });

  it('provisions on deploy, and a later message finds nothing to change', async function () {
    await load({ onDeploy: true });
    const report = next('out');
    helper.getNode('p').receive({});
    const msg = await report;
    assert.equal(msg.payload.folder, 'unchanged');
    assert.ok(msg.payload.dashboards.every((d: any) => d.outcome === 'unchanged' && d.version === 1));
    assert.equal(grafana.dashboards.size, dashboardCount);
  });

  it('pushes dashboards only when the data source is left to file provisioning (Editor token)', async function () {
    await load({ dataSource: false }, { g: { token: 'glsa_test_editor_token' } });
    const report = next('out');
    helper.getNode('p').receive({});
    const msg = await report;
    assert.equal(msg.payload.dataSource, undefined);
    assert.equal(grafana.datasources.size, 0);
  });

  it('skips Grafana quietly when it is not configured', async function () {
    await load({ onDeploy: true }, {}, '${OILRISK_TEST_UNSET_GRAFANA_URL}');
    const received: unknown[] = [];
    helper.getNode('out').on('input', (m: unknown) => received.push(m));
    helper.getNode('caught').on('input', (m: unknown) => received.push(m));
    const completed = next('completed');
    helper.getNode('p').receive({});
    await completed;
    assert.deepEqual(received, []);
    assert.deepEqual(statusTexts('p'), ['oilrisk-grafana-provision.status.not-configured']);
    assert.equal(grafana.requests.length, 0);
  });

  it('reports a rejected token through done(err) and the status, never showing the token', async function () {
    const secret = 'glsa_revoked_token_value_9';
    await load({}, { g: { token: secret } });
    const caught = next('caught');
    helper.getNode('p').receive({});
    const msg = await caught;
    assert.match(msg.error.message, /rejected the service-account token/);
    assert.ok(!JSON.stringify(msg).includes(secret));
    assert.equal(statusTexts('p').at(-1), 'oilrisk-grafana-provision.status.unauthorized');
    assert.ok(statusTexts('p').every((t) => !t.includes(secret)));
  });

  it('reports a Grafana still starting at deploy once, and provisions when it comes up', async function () {
    const clock = sinon.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      grafana.fail({ times: 1, status: 'reset' });
      const logged = new Promise<any>((ok) => {
        const errors: unknown[] = [];
        helper.load([grafanaNode, provisionNode, catchNode, completeNode], flow(grafana.url, { onDeploy: true }), { g: { token: ADMIN } }).then(() => {
          (helper.getNode('p') as unknown as NodeJS.EventEmitter).on('call:error', (call: sinon.SinonSpyCall) => { errors.push(call.args[0]); ok(errors); });
        });
      });
      const [error] = await logged;
      assert.match(String(error), /could not connect/);
      assert.equal(statusTexts('p').at(-1), 'oilrisk-grafana-provision.status.unreachable');
      assert.equal(grafana.dashboards.size, 0);
      await clock.tickAsync(DEPLOY_RETRY_MS);
      const report = next('out');
      helper.getNode('p').receive({});
      const msg = await report;
      assert.ok(msg.payload.dashboards.every((d: any) => d.outcome === 'unchanged'), 'the retry provisioned before the message');
      assert.equal(grafana.dashboards.size, dashboardCount);
    } finally {
      clock.restore();
    }
  });

  it('finds the packaged dashboards and recognises unset settings', function () {
    assert.ok(dashboardCount >= 6);
    assert.ok(isUnset('') && isUnset('  ') && isUnset('${GRAFANA_URL}') && isUnset(undefined));
    assert.ok(!isUnset('http://grafana:3000') && !isUnset('glsa_x'));
  });
});
