import assert from 'node:assert';
import { GrafanaClient, GrafanaError, provision, questDbDataSource, type ProvisionPlan } from '../../../lib/grafana/index.js';
import { FakeGrafana } from '../../support/grafana-server.js';

describe('lib/grafana provision', () => {
  let grafana: FakeGrafana;
  let client: GrafanaClient;
  const plan = (): ProvisionPlan => ({
    folder: { uid: 'oilrisk', title: 'oilrisk' },
    dataSource: questDbDataSource({ server: 'questdb', password: 'quest' }),
    dashboards: [
      { uid: 'oilrisk-overview', title: 'Plant overview', panels: [{ id: 1, type: 'stat' }] },
      { uid: 'oilrisk-alarms', title: 'Alarm management', panels: [] },
    ],
  });

  beforeEach(async () => {
    grafana = new FakeGrafana();
    client = new GrafanaClient({ url: await grafana.start(), token: 'glsa_test_admin_token', retryDelayMs: 0 });
  });
  afterEach(() => grafana.stop());

  it('creates folder, data source and dashboards the first time', async () => {
    const report = await provision(client, plan());
    assert.deepStrictEqual(report, {
      grafanaVersion: '12.1.0', folder: 'created', dataSource: 'created',
      dashboards: [
        { uid: 'oilrisk-overview', outcome: 'created', version: 1, url: '/d/oilrisk-overview/plant-overview' },
        { uid: 'oilrisk-alarms', outcome: 'created', version: 1, url: '/d/oilrisk-alarms/alarm-management' },
      ],
    });
    assert.strictEqual(grafana.dashboards.get('oilrisk-overview')?.folderUid, 'oilrisk');
  });

  it('is idempotent: a second run changes nothing and bumps no version', async () => {
    await provision(client, plan());
    const again = await provision(client, plan());
    assert.deepStrictEqual(again.dashboards.map((d) => [d.outcome, d.version]), [['unchanged', 1], ['unchanged', 1]]);
    assert.strictEqual(again.folder, 'unchanged');
    assert.strictEqual(grafana.requests.filter((r) => r.path === '/api/dashboards/db').length, 2);
  });

  it('updates a dashboard whose content or folder changed', async () => {
    await provision(client, plan());
    const changed = plan();
    changed.dashboards[0].panels = [{ id: 1, type: 'stat' }, { id: 2, type: 'table' }];
    const report = await provision(client, changed);
    assert.deepStrictEqual(report.dashboards.map((d) => [d.outcome, d.version]), [['updated', 2], ['unchanged', 1]]);
  });

  it('leaves dashboards that Grafana loads from provisioning files alone', async () => {
    grafana.folders.set('oilrisk', { id: 90, uid: 'oilrisk', title: 'oilrisk' });
    grafana.dashboards.set('oilrisk-alarms', { id: 91, dashboard: { uid: 'oilrisk-alarms', title: 'Alarm management (older file)' }, folderUid: 'oilrisk', version: 3, provisioned: true });
    const report = await provision(client, plan());
    assert.deepStrictEqual(report.dashboards.map((d) => [d.uid, d.outcome]), [['oilrisk-overview', 'created'], ['oilrisk-alarms', 'file-provisioned']]);
    assert.strictEqual(grafana.dashboards.get('oilrisk-alarms')?.version, 3);
  });

  it('stops at the first failure with the typed error', async () => {
    grafana.fail({ match: (m, p) => p === '/api/dashboards/db', times: 10, status: 500 });
    await assert.rejects(provision(client, plan()), (err: GrafanaError) => err.code === 'server-error' && err.call === 'POST /api/dashboards/db');
  });
});
