import assert from 'node:assert/strict';
import helper from 'node-red-node-test-helper';
import grafanaNode from '../../nodes/oilrisk-grafana.js';
import { FakeGrafana } from '../support/grafana-server.js';

helper.init(require.resolve('node-red'));

const TOKEN = 'glsa_test_editor_token';

describe('oilrisk-grafana config node', function () {
  let grafana: FakeGrafana;

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

  const load = (node: Record<string, unknown>, credentials: Record<string, unknown>) => {
    const flow = [{ id: 'g', type: 'oilrisk-grafana', orgId: '2', timeout: '3', tokenEnv: '', ...node }];
    return helper.load(grafanaNode, flow, credentials);
  };

  it('builds one client from the URL, the token credential and the organisation', async function () {
    await load({ url: grafana.url }, { g: { token: TOKEN } });
    const node = helper.getNode('g') as any;
    assert.equal(node.skipReason, undefined);
    await node.client.health();
    assert.equal(grafana.requests[0].orgId, '2');
    assert.equal(grafana.requests[0].authorization, `Bearer ${TOKEN}`);
  });

  it('is not configured without a URL or a token, and says why for a URL that is not one', async function () {
    await load({ url: '${OILRISK_TEST_UNSET_URL}' }, { g: { token: TOKEN } });
    assert.deepEqual([(helper.getNode('g') as any).client, (helper.getNode('g') as any).skipReason], [undefined, 'not-configured']);
    await helper.unload();
    await load({ url: grafana.url }, {});
    assert.equal((helper.getNode('g') as any).skipReason, 'not-configured');
    await helper.unload();
    await load({ url: 'grafana:3000' }, { g: { token: TOKEN } });
    assert.equal((helper.getNode('g') as any).skipReason, 'invalid-url');
  });

  it('checks a typed URL and token from the edit dialog, and says what is wrong', async function () {
    await load({ url: '' }, {});
    const ok = await helper.request().post('/oilrisk/api/grafana/check').send({ url: grafana.url, token: TOKEN }).expect(200);
    assert.deepEqual([ok.body.ok, ok.body.version, ok.body.url], [true, '12.1.0', grafana.url]);
    const secret = 'glsa_typo_token';
    const wrong = await helper.request().post('/oilrisk/api/grafana/check').send({ url: grafana.url, token: secret }).expect(200);
    assert.deepEqual([wrong.body.ok, wrong.body.code, wrong.body.status], [false, 'unauthorized', 401]);
    assert.ok(!JSON.stringify(wrong.body).includes(secret));
    const missing = await helper.request().post('/oilrisk/api/grafana/check').send({ url: grafana.url }).expect(400);
    assert.equal(missing.body.code, 'not-configured');
    const bad = await helper.request().post('/oilrisk/api/grafana/check').send({ url: 'ftp://x', token: TOKEN }).expect(400);
    assert.match(bad.body.message, /must start with http/);
  });

  it('checks a saved token only against its own node URL, whatever URL the dialog sends', async function () {
    await load({ url: grafana.url }, { g: { token: TOKEN } });
    const other = new FakeGrafana();
    await other.start();
    try {
      const res = await helper.request().post('/oilrisk/api/grafana/check').send({ id: 'g', url: other.url, token: '__PWRD__' }).expect(200);
      assert.deepEqual([res.body.ok, res.body.url], [true, grafana.url]);
      assert.equal(other.requests.length, 0);
      assert.ok(!JSON.stringify(res.body).includes(TOKEN));
    } finally {
      await other.stop();
    }
  });
});
