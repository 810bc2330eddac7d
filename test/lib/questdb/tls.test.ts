import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Historian, type QuestDbConnection } from '../../../lib/questdb/index.js';
import { QuestDbTestServer } from '../../support/questdb-server.js';

/** A self-signed certificate for 127.0.0.1 (it is its own CA), made with the openssl CLI. */
function certificate(dir: string): { key: string; cert: string } {
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1',
    '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'ignore' });
  return { key: readFileSync(join(dir, 'key.pem'), 'utf8'), cert: readFileSync(join(dir, 'cert.pem'), 'utf8') };
}

describe('lib/questdb over https (needs the openssl CLI)', () => {
  let dir: string;
  let server: QuestDbTestServer;
  let pem: { key: string; cert: string };
  let historian: Historian | undefined;
  const T0 = Date.UTC(2026, 11, 4);

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'oilrisk-tls-'));
    pem = certificate(dir);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  beforeEach(async () => {
    server = new QuestDbTestServer();
    server.tls = pem;
    await server.start();
  });
  afterEach(async () => {
    await historian?.close();
    historian = undefined;
    await server.stop();
    rmSync(join(dir, 'spool'), { recursive: true, force: true });
  });

  const connect = (extra: Partial<QuestDbConnection>) => Historian.open({
    dir: join(dir, 'spool'),
    connection: { address: server.address, tls: true, tlsVerify: true, timeoutMs: 2000, ...extra },
    forwarder: { flushIntervalMs: 0, backoffMinMs: 10, backoffMaxMs: 20 },
  });

  it('writes when the server certificate is signed by the configured CA', async () => {
    historian = await connect({ ca: pem.cert });
    await historian.store('readings', [{ tag: 'A', value: 1, quality: 'good', ts: T0 }]);
    await historian.whenDrained();
    assert.equal(server.rows('oilrisk_readings').length, 1);
  });

  it('refuses an unknown certificate while verification is on, keeping the rows spooled', async () => {
    historian = await connect({});
    await historian.store('readings', [{ tag: 'A', value: 1, quality: 'good', ts: T0 }]);
    while (historian.metrics().failedRequests < 1) await new Promise((ok) => setImmediate(ok));
    assert.match(historian.metrics().lastError ?? '', /SELF_SIGNED|CERT|certificate/i);
    assert.equal(historian.metrics().rowsSpooled, 1);
    assert.equal(server.rows('oilrisk_readings').length, 0);
  });

  it('writes to an unknown certificate only when verification is turned off', async () => {
    historian = await connect({ tlsVerify: false });
    await historian.store('readings', [{ tag: 'A', value: 1, quality: 'good', ts: T0 }]);
    await historian.whenDrained();
    assert.equal(server.rows('oilrisk_readings').length, 1);
  });
});
