import assert from 'node:assert/strict';
import helper from 'node-red-node-test-helper';
import sinon from 'sinon';
import annotateNode from '../../nodes/oilrisk-grafana-annotate.js';
import grafanaNode from '../../nodes/oilrisk-grafana.js';
import type { AlarmEvent, Incident } from '../../lib/model/index.js';
import { FakeGrafana } from '../support/grafana-server.js';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const completeNode = require('@node-red/nodes/core/common/24-complete.js');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const catchNode = require('@node-red/nodes/core/common/25-catch.js');

helper.init(require.resolve('node-red'));

const TOKEN = 'glsa_test_editor_token';

const alarm = (state: AlarmEvent['state'], ts: number, extra: Partial<AlarmEvent> = {}): AlarmEvent => ({
  alarm: 'SEP-1', equipment: 'SEP-1', area: 'cpf', state, previous: 'normal', level: 'II', ts, incident: 'INC-1', ...extra,
});

function flow(url: string, tokenEnv = '') {
  // Flow nodes need x and y, or the runtime takes them for config nodes.
  return [
    { id: 'tab', type: 'tab' },
    { id: 'g', type: 'oilrisk-grafana', url, orgId: '1', timeout: '2', tokenEnv },
    { id: 'a', type: 'oilrisk-grafana-annotate', z: 'tab', x: 100, y: 100, grafana: 'g', dashboardUid: '', panelId: '', queueSize: '100' },
    { id: 'complete', type: 'complete', z: 'tab', x: 100, y: 200, scope: ['a'], uncaught: false, wires: [['completed']] },
    { id: 'catch', type: 'catch', z: 'tab', x: 100, y: 300, scope: ['a'], uncaught: false, wires: [['caught']] },
    { id: 'completed', type: 'helper', z: 'tab', x: 300, y: 200 },
    { id: 'caught', type: 'helper', z: 'tab', x: 300, y: 300 },
  ];
}

/** Resolves with what happened to each message: 'done' (Complete node) or the error (Catch node). */
function outcomes(count: number): Promise<Array<string>> {
  return new Promise((ok) => {
    const seen: string[] = [];
    const add = (what: string) => { seen.push(what); if (seen.length === count) ok(seen); };
    helper.getNode('completed').on('input', () => add('done'));
    helper.getNode('caught').on('input', (msg: any) => add(`error: ${msg.error.message}`));
  });
}

function statusTexts(id: string): string[] {
  const node = helper.getNode(id);
  return (node.status as unknown as sinon.SinonSpy).getCalls().filter((c) => c.thisValue === node).map((c) => c.args[0].text);
}

describe('oilrisk-grafana-annotate node', function () {
  let grafana: FakeGrafana;
  let clock: sinon.SinonFakeTimers | undefined;

  beforeEach(async function () {
    grafana = new FakeGrafana();
    await grafana.start();
    await new Promise<void>((ok) => helper.startServer(() => ok()));
  });

  afterEach(async function () {
    clock?.restore();
    clock = undefined;
    await helper.unload();
    await new Promise<void>((ok) => helper.stopServer(() => ok()));
    await grafana.stop();
  });

  const load = (url = grafana.url, token: string | undefined = TOKEN) =>
    helper.load([grafanaNode, annotateNode, completeNode, catchNode], flow(url), token === undefined ? {} : { g: { token } });

  it('opens a tagged annotation when an alarm becomes active and closes the region when it clears', async function () {
    await load();
    const a = helper.getNode('a');
    let done = outcomes(1);
    a.receive({ topic: 'alarm', payload: [alarm('unacknowledged', 1000, { rootCause: { equipment: 'WELL-3' } })] });
    assert.deepEqual(await done, ['done']);
    const [created] = [...grafana.annotations.values()];
    assert.deepEqual(created.tags, ['oilrisk', 'alarm', 'level:II', 'equipment:SEP-1', 'area:cpf', 'incident:INC-1']);
    assert.deepEqual([created.time, created.timeEnd], [1000, 1000]);
    done = outcomes(2);
    a.receive({ topic: 'alarm', payload: alarm('acknowledged', 2000, { user: 'op' }) });
    a.receive({ topic: 'alarm', payload: [alarm('normal', 7000)] });
    assert.deepEqual(await done, ['done', 'done']);
    assert.equal(grafana.annotations.size, 1);
    assert.deepEqual([created.time, created.timeEnd], [1000, 7000]);
    assert.equal(grafana.requests.filter((r) => r.method === 'PATCH').length, 1);
    assert.equal(grafana.requests[0].authorization, `Bearer ${TOKEN}`);
    assert.ok(statusTexts('a').includes('oilrisk-grafana-annotate.status.ok'));
  });

  it('annotates incidents and ignores other topics on the same link', async function () {
    await load();
    const incident: Incident = { id: 'INC-7', status: 'open', level: 'I', rootCause: { equipment: 'WELL-3', tag: 'WELL-3.PT' }, firstAlarm: 'WELL-3', alarms: ['WELL-3'], openedAt: 5000, ts: 5000 };
    const done = outcomes(3);
    helper.getNode('a').receive({ topic: 'incident', payload: [incident] });
    helper.getNode('a').receive({ topic: 'kpi', payload: [{ ts: 1, windowMinutes: 10 }] });
    helper.getNode('a').receive({ topic: 'incident', payload: [{ ...incident, status: 'closed', closedAt: 9000, ts: 9000 }] });
    assert.deepEqual(await done, ['done', 'done', 'done']);
    const [region] = [...grafana.annotations.values()];
    assert.deepEqual([region.time, region.timeEnd, region.tags.includes('incident:INC-7'), region.tags.includes('level:I')], [5000, 9000, true, true]);
    assert.equal(grafana.annotations.size, 1);
  });

  it('reports a bad record by its index and annotates the rest of the batch', async function () {
    await load();
    const done = outcomes(1);
    helper.getNode('a').receive({ topic: 'alarm', payload: [alarm('unacknowledged', 1, { alarm: 'A' }), { alarm: 'B', equipment: 'B', state: 'unacknowledged', level: 'II' }, alarm('unacknowledged', 1, { alarm: 'C' })] });
    const [outcome] = await done;
    assert.match(outcome, /^error: Error: oilrisk\/grafana: 1 record\(s\) not annotated: payload\[1\] alarm "B" has no numeric "ts"/);
    assert.equal(grafana.annotations.size, 2);
  });

  it('reads the token from the environment variable the config names when the credential is empty', async function () {
    process.env.OILRISK_TEST_GRAFANA_TOKEN = TOKEN;
    try {
      await helper.load([grafanaNode, annotateNode, completeNode, catchNode], flow(grafana.url, 'OILRISK_TEST_GRAFANA_TOKEN'), {});
      const done = outcomes(1);
      helper.getNode('a').receive({ topic: 'alarm', payload: [alarm('unacknowledged', 1)] });
      assert.deepEqual(await done, ['done']);
      assert.equal(grafana.requests[0].authorization, `Bearer ${TOKEN}`);
    } finally {
      delete process.env.OILRISK_TEST_GRAFANA_TOKEN;
    }
  });

  it('skips Grafana quietly when the URL and token are unset environment variables', async function () {
    await load('${OILRISK_TEST_UNSET_GRAFANA_URL}', '${OILRISK_TEST_UNSET_GRAFANA_TOKEN}');
    const done = outcomes(3);
    for (let i = 0; i < 3; i++) helper.getNode('a').receive({ topic: 'alarm', payload: [alarm('unacknowledged', i, { alarm: `A${i}` })] });
    assert.deepEqual(await done, ['done', 'done', 'done']);
    assert.deepEqual(statusTexts('a'), ['oilrisk-grafana-annotate.status.not-configured']);
    assert.equal(grafana.requests.length, 0);
  });

  it('reports a Grafana outage once, never holds messages, and recovers after the cool-down', async function () {
    clock = sinon.useFakeTimers({ now: 1_000_000, toFake: ['Date'] });
    await load();
    const a = helper.getNode('a');
    grafana.fail({ times: 1, status: 'reset' });
    const down = outcomes(5);
    for (let i = 0; i < 5; i++) a.receive({ topic: 'alarm', payload: [alarm('unacknowledged', 1000 + i, { alarm: `A${i}` })] });
    const seen = await down;
    assert.equal(seen.filter((s) => s.startsWith('error')).length, 1, seen.join('\n'));
    assert.match(seen.find((s) => s.startsWith('error'))!, /could not connect.*check the URL/);
    assert.equal(grafana.requests.length, 1, 'calls during the cool-down must not reach Grafana');
    assert.equal(statusTexts('a').at(-1), 'oilrisk-grafana-annotate.status.unreachable');

    clock.tick(30_000);
    const up = outcomes(1);
    a.receive({ topic: 'alarm', payload: [alarm('normal', 9000, { alarm: 'A0' })] });
    assert.deepEqual(await up, ['done']);
    // The lost opening becomes a whole region when the alarm clears.
    const [region] = [...grafana.annotations.values()];
    assert.deepEqual([region.time, region.timeEnd, region.text.startsWith('Alarm A0')], [1000, 9000, true]);
    assert.equal(statusTexts('a').at(-1), 'oilrisk-grafana-annotate.status.ok');
  });

  it('says the token is wrong without showing it, once for a stream of alarms', async function () {
    const secret = 'glsa_not_a_known_token_42';
    await load(grafana.url, secret);
    const done = outcomes(3);
    for (let i = 0; i < 3; i++) helper.getNode('a').receive({ topic: 'alarm', payload: [alarm('unacknowledged', i, { alarm: `A${i}` })] });
    const seen = await done;
    assert.deepEqual(seen.map((s) => s.startsWith('error')), [true, false, false]);
    assert.match(seen[0], /rejected the service-account token/);
    assert.ok(seen.every((s) => !s.includes(secret)));
    assert.ok(statusTexts('a').every((t) => !t.includes(secret)));
    assert.equal(statusTexts('a').at(-1), 'oilrisk-grafana-annotate.status.unauthorized');
  });
});
