// Grafana benchmarks against the in-process Grafana API: alarm annotations per second through
// regions and the queue (raw client calls as baseline), what a Grafana outage costs per record,
// and a first provisioning against an idempotent re-run.

import { join } from 'node:path';
import { AnnotationRegions, CoolingQueue, GrafanaClient, GrafanaError, loadDashboardFiles, provision, questDbDataSource } from '../lib/grafana/index.js';
import type { AlarmEvent } from '../lib/model/index.js';
import { FakeGrafana } from '../test/support/grafana-server.js';
import { freePort } from '../test/support/runtime.js';
import type { BenchReporter } from './report.js';

const TOKEN = 'glsa_test_admin_token';
const ALARMS = 1000;
const OUTAGE_RECORDS = 10_000;

const alarm = (id: number, state: AlarmEvent['state'], ts: number): AlarmEvent => ({ alarm: `A${id}`, equipment: `E${id}`, state, previous: 'normal', level: 'II', ts });

export async function run(reporter: BenchReporter): Promise<void> {
  const grafana = new FakeGrafana();
  const url = await grafana.start();
  try {
    const client = new GrafanaClient({ url, token: TOKEN });

    // Warm up the connection pool and the JIT so that neither measurement pays for them.
    for (let i = 0; i < 300; i++) await client.createAnnotation({ time: i, tags: ['oilrisk'], text: 'warm-up' });

    let start = performance.now();
    for (let i = 0; i < ALARMS * 2; i++) await client.createAnnotation({ time: i, tags: ['oilrisk'], text: 'raw' });
    const rawPerSecond = (ALARMS * 2) / ((performance.now() - start) / 1000);

    const regions = new AnnotationRegions();
    const queue = new CoolingQueue();
    const execute = async (event: AlarmEvent) => {
      const step = regions.planAlarm(event);
      if (step.kind === 'create') regions.created(step.key, await client.createAnnotation(step.request));
      else if (step.kind === 'update') await client.updateAnnotation(step.id, step.patch);
    };
    start = performance.now();
    const jobs = [];
    for (let i = 0; i < ALARMS; i++) jobs.push(queue.push(() => execute(alarm(i, 'unacknowledged', 1000 + i))));
    for (let i = 0; i < ALARMS; i++) jobs.push(queue.push(() => execute(alarm(i, 'normal', 5000 + i))));
    await Promise.all(jobs);
    const regionsPerSecond = (ALARMS * 2) / ((performance.now() - start) / 1000);
    reporter.report({ bench: 'grafana.annotation-calls', value: regionsPerSecond, unit: 'calls/s', baseline: rawPerSecond, note: `${ALARMS} regions opened and closed; baseline raw POSTs` });

    // Grafana down: the first record pays for one refused connection, the rest are dropped at once.
    const down = new GrafanaClient({ url: `http://127.0.0.1:${await freePort()}`, token: TOKEN });
    const outage = new CoolingQueue({ capacity: OUTAGE_RECORDS + 1 }, (err) => !(err instanceof GrafanaError) || err.transient);
    start = performance.now();
    const dropped = [];
    for (let i = 0; i < OUTAGE_RECORDS; i++) dropped.push(outage.push(() => down.createAnnotation({ time: i, tags: [], text: 'x' }).then(() => undefined)));
    await Promise.all(dropped);
    const perRecordUs = ((performance.now() - start) * 1000) / OUTAGE_RECORDS;
    reporter.report({ bench: 'grafana.outage-cost', value: perRecordUs, unit: 'us/record', note: `${OUTAGE_RECORDS} records while Grafana refuses connections` });

    const plan = {
      folder: { uid: 'oilrisk', title: 'oilrisk' },
      dataSource: questDbDataSource({ server: 'questdb', password: 'quest' }),
      dashboards: loadDashboardFiles(join(__dirname, '..', 'dashboards', 'generated')),
    };
    start = performance.now();
    await provision(client, plan);
    const first = performance.now() - start;
    start = performance.now();
    await provision(client, plan);
    const again = performance.now() - start;
    reporter.report({ bench: 'grafana.provision-rerun', value: again, unit: 'ms', baseline: first, note: `${plan.dashboards.length} dashboards; baseline first provisioning` });
  } finally {
    await grafana.stop();
  }
}
