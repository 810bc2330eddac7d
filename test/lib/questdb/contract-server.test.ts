import assert from 'node:assert/strict';
import { QuestDbTestServer, startQuestDb } from '../../support/questdb-server.js';

// The contract server must behave as CONTRACTS.md says QuestDB does, or the historian's tests prove nothing.
describe('test/support QuestDB contract server', () => {
  let server: QuestDbTestServer;
  const url = (path: string) => `http://${server.address}${path}`;
  const write = (body: string, precision = 'n') => fetch(url(`/write?precision=${precision}`), { method: 'POST', body });
  const exec = async (sql: string) => {
    const res = await fetch(url(`/exec?query=${encodeURIComponent(sql)}`));
    return { status: res.status, body: (await res.json()) as Record<string, any> };
  };

  beforeEach(async () => { server = await startQuestDb(); });
  afterEach(() => server.stop());

  it('answers /ping with 204 and GET /write with 404', async () => {
    assert.equal((await fetch(url('/ping'))).status, 204);
    const res = await fetch(url('/write'));
    assert.equal(res.status, 404);
    assert.equal(((await res.json()) as { code: string }).code, 'not supported');
  });

  it('auto-creates a table with a "timestamp" column and converts the precision to microseconds', async () => {
    assert.equal((await write('t,s=a v=1.5 1700000000000', 'ms')).status, 204);
    assert.deepEqual(server.rows('t'), [{ s: 'a', v: 1.5, timestamp: 1700000000000000 }]);
  });

  it('refuses a symbol written into a non-SYMBOL column with the documented 400 JSON and line number', async () => {
    await exec('CREATE TABLE x (ts TIMESTAMP, v DOUBLE) TIMESTAMP(ts) PARTITION BY DAY WAL');
    const res = await write('x v=1.0 1\nx,v=a 2\n');
    const body = (await res.json()) as Record<string, unknown>;
    assert.equal(res.status, 400);
    assert.equal(body.code, 'invalid');
    assert.equal(body.line, 2);
    assert.match(String(body.message), /error in line 2: table: x, column: v; cast error/);
    assert.equal(typeof body.errorId, 'string');
    assert.equal(server.rows('x').length, 0, 'the failing table rolls back');
  });

  it('commits the other tables of a failing request, and upserts on DEDUP keys', async () => {
    await exec('CREATE TABLE d (ts TIMESTAMP, k SYMBOL, v DOUBLE) TIMESTAMP(ts) PARTITION BY DAY WAL DEDUP UPSERT KEYS(ts, k)');
    assert.equal((await write('d,k=a v=1.0 1000\nother v=1i 1000\nother v="text" 2000\n')).status, 400);
    assert.equal(server.rows('d').length, 1);
    assert.equal((await write('d,k=a v=2.0 1000\nd,k=b v=3.0 1000\n')).status, 204);
    assert.deepEqual(server.rows('d').map((r) => [r.k, r.v]), [['a', 2], ['b', 3]]);
  });

  it('checks DDL like QuestDB: DEDUP needs WAL and the timestamp; clauses in order', async () => {
    assert.match((await exec('CREATE TABLE a (ts TIMESTAMP, k SYMBOL) TIMESTAMP(ts) PARTITION BY DAY DEDUP UPSERT KEYS(ts, k)')).body.error, /only on WAL/);
    assert.match((await exec('CREATE TABLE a (ts TIMESTAMP, k SYMBOL) TIMESTAMP(ts) PARTITION BY DAY WAL DEDUP UPSERT KEYS(k)')).body.error, /timestamp/);
    assert.equal((await exec('CREATE TABLE a (ts TIMESTAMP) TIMESTAMP(ts) WAL PARTITION BY DAY')).status, 400);
    assert.deepEqual((await exec('CREATE TABLE IF NOT EXISTS a (ts TIMESTAMP, k SYMBOL) TIMESTAMP(ts) PARTITION BY DAY TTL 7 DAYS WAL')).body, { ddl: 'OK' });
    assert.deepEqual((await exec('CREATE TABLE IF NOT EXISTS a (ts TIMESTAMP, k SYMBOL) TIMESTAMP(ts) PARTITION BY DAY WAL')).body, { ddl: 'OK' });
    assert.equal(server.tables.get('a')!.ttl, '7 DAYS');
  });

  it('answers simple selects: count(), SELECT * ORDER BY ts, unknown tables', async () => {
    await write('s,k=b v=2.0 2000000\ns,k=a v=1.0 1000000\n');
    assert.deepEqual((await exec('SELECT count() FROM s')).body.dataset, [[2]]);
    const all = await exec('SELECT * FROM s ORDER BY timestamp');
    assert.deepEqual(all.body.columns.map((c: { name: string }) => c.name), ['timestamp', 'k', 'v']);
    assert.deepEqual(all.body.dataset, [['1970-01-01T00:00:00.001000Z', 'a', 1], ['1970-01-01T00:00:00.002000Z', 'b', 2]]);
    const missing = await exec('SELECT * FROM nope');
    assert.equal(missing.status, 400);
    assert.match(missing.body.error, /table does not exist/);
  });

  it('parses escapes strictly and refuses malformed lines', async () => {
    assert.equal((await write('e,s=a\\ b\\,c\\=d f="x \\"y\\" \\\\ z" 1\n')).status, 204);
    assert.deepEqual(server.rows('e')[0], { s: 'a b,c=d', f: 'x "y" \\ z', timestamp: 0 });
    for (const bad of ['e f=1 notanumber', 'e f="open 1', 'e,s f=1 1', 'e f=1,f=2 1', 'e 1']) {
      assert.equal((await write(bad)).status, 400, bad);
    }
  });
});
