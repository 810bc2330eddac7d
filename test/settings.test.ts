import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import bcrypt from 'bcryptjs';
import { buildRuntimeOptions, credentialSecret, isLoopback, SettingsError } from '../settings.js';

describe('settings', () => {
  let dataDir: string;
  beforeEach(() => { dataDir = mkdtempSync(join(tmpdir(), 'oilrisk-settings-')); });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('defaults to loopback port 1880 with no login and warns once', () => {
    const options = buildRuntimeOptions({}, dataDir);
    assert.equal(options.host, '127.0.0.1');
    assert.equal(options.port, 1880);
    assert.equal(options.settings.adminAuth, undefined);
    assert.equal(options.warnings.length, 1);
    assert.match(options.warnings[0], /OILRISK_ADMIN_PASSWORD/);
  });

  it('refuses a non-loopback address without a login', () => {
    assert.throws(() => buildRuntimeOptions({ HOST: '0.0.0.0' }, dataDir), (err: Error) =>
      err instanceof SettingsError && /refusing to listen on 0\.0\.0\.0/.test(err.message) && /OILRISK_ADMIN_PASSWORD/.test(err.message));
  });

  it('requires login and allows any address when an admin password is set', () => {
    const options = buildRuntimeOptions({ HOST: '0.0.0.0', OILRISK_ADMIN_PASSWORD: 's3cret' }, dataDir);
    const auth = options.settings.adminAuth as { type: string; users: Array<{ username: string; password: string; permissions: unknown }> };
    assert.equal(auth.type, 'credentials');
    assert.equal(auth.users.length, 1);
    assert.equal(auth.users[0].username, 'admin');
    assert.equal(auth.users[0].permissions, '*');
    assert.ok(bcrypt.compareSync('s3cret', auth.users[0].password));
    assert.deepEqual(options.warnings, []);
  });

  it('gives operators and viewers their own permissions', () => {
    const hash = bcrypt.hashSync('op', 4);
    const options = buildRuntimeOptions({ OILRISK_ADMIN_PASSWORD: 'a', OILRISK_OPERATOR_PASSWORD_HASH: hash, OILRISK_VIEWER_PASSWORD: 'v' }, dataDir);
    const users = (options.settings.adminAuth as { users: Array<{ username: string; password: string; permissions: unknown }> }).users;
    assert.deepEqual(users.map((u) => [u.username, u.permissions]), [['admin', '*'], ['operator', ['read', 'oilrisk.operate']], ['viewer', 'read']]);
    assert.equal(users[1].password, hash);
  });

  it('rejects a hash variable that is not bcrypt, and a viewer without an admin', () => {
    assert.throws(() => buildRuntimeOptions({ OILRISK_ADMIN_PASSWORD_HASH: 'plain' }, dataDir), /not a bcrypt hash/);
    assert.throws(() => buildRuntimeOptions({ OILRISK_VIEWER_PASSWORD: 'v' }, dataDir), /no admin/);
  });

  it('rejects a port that is not a port', () => {
    assert.throws(() => buildRuntimeOptions({ PORT: 'http' }, dataDir), /PORT must be an integer/);
    assert.throws(() => buildRuntimeOptions({ PORT: '70000' }, dataDir), /PORT must be an integer/);
  });

  it('keeps the palette manager closed unless enabled', () => {
    const closed = buildRuntimeOptions({}, dataDir).settings.externalModules as { palette: { allowInstall: boolean }; modules: { allowInstall: boolean } };
    assert.equal(closed.palette.allowInstall, false);
    assert.equal(closed.modules.allowInstall, false);
    const open = buildRuntimeOptions({ OILRISK_PALETTE_INSTALL: 'on' }, dataDir).settings.externalModules as { palette: { allowInstall: boolean } };
    assert.equal(open.palette.allowInstall, true);
  });

  it('generates the credential secret once, mode 0600, and prefers the environment', () => {
    const first = credentialSecret({}, dataDir);
    assert.match(first, /^[0-9a-f]{64}$/);
    assert.equal(credentialSecret({}, dataDir), first);
    const file = join(dataDir, 'credential-secret');
    assert.equal(readFileSync(file, 'utf8').trim(), first);
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.equal(credentialSecret({ OILRISK_CREDENTIAL_SECRET: 'from-env' }, dataDir), 'from-env');
    assert.notEqual(buildRuntimeOptions({}, dataDir).settings.credentialSecret, false);
  });

  it('sends no telemetry and asks no consent for it', () => {
    assert.deepEqual(buildRuntimeOptions({}, dataDir).settings.telemetry, { enabled: false, updateNotification: false });
  });

  it('knows loopback addresses', () => {
    for (const host of ['127.0.0.1', '127.1.2.3', '::1', 'localhost']) assert.ok(isLoopback(host), host);
    for (const host of ['0.0.0.0', '10.0.0.1', '::']) assert.ok(!isLoopback(host), host);
  });
});
