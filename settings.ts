// Node-RED settings for the embedded oilrisk runtime, built from environment variables.
// Secure by default: no login means loopback only; the credential secret is never disabled.

import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync, chmodSync } from 'node:fs';
import { join } from 'node:path';
import bcrypt from 'bcryptjs';

export interface RuntimeOptions {
  dataDir: string;
  host: string;
  port: number;
  settings: Record<string, unknown>;
  /** Lines to log once at start: what is open and why. */
  warnings: string[];
}

export class SettingsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SettingsError';
  }
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

export function isLoopback(host: string): boolean {
  return LOOPBACK.has(host) || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** The credential secret from the environment, or one generated once and kept in the data folder (mode 0600). */
export function credentialSecret(env: NodeJS.ProcessEnv, dataDir: string): string {
  if (env.OILRISK_CREDENTIAL_SECRET) return env.OILRISK_CREDENTIAL_SECRET;
  const file = join(dataDir, 'credential-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(32).toString('hex');
  writeFileSync(file, secret + '\n', { mode: 0o600 });
  chmodSync(file, 0o600);
  return secret;
}

interface UserSpec {
  role: string;
  username: string;
  password?: string;
  hash?: string;
  permissions: string | string[];
}

function passwordHash(spec: UserSpec): string | undefined {
  if (spec.hash) {
    if (!/^\$2[aby]\$\d\d\$/.test(spec.hash)) throw new SettingsError(`OILRISK_${spec.role}_PASSWORD_HASH is not a bcrypt hash (it should start with $2b$)`);
    return spec.hash;
  }
  return spec.password ? bcrypt.hashSync(spec.password, 10) : undefined;
}

/**
 * Users come in three roles: admin (everything), operator (read, acknowledge, shelve) and
 * viewer (read only). Each is enabled by its password or bcrypt hash variable.
 */
function adminAuth(env: NodeJS.ProcessEnv): Record<string, unknown> | undefined {
  const specs: UserSpec[] = [
    { role: 'ADMIN', username: env.OILRISK_ADMIN_USER || 'admin', password: env.OILRISK_ADMIN_PASSWORD, hash: env.OILRISK_ADMIN_PASSWORD_HASH, permissions: '*' },
    { role: 'OPERATOR', username: env.OILRISK_OPERATOR_USER || 'operator', password: env.OILRISK_OPERATOR_PASSWORD, hash: env.OILRISK_OPERATOR_PASSWORD_HASH, permissions: ['read', 'oilrisk.operate'] },
    { role: 'VIEWER', username: env.OILRISK_VIEWER_USER || 'viewer', password: env.OILRISK_VIEWER_PASSWORD, hash: env.OILRISK_VIEWER_PASSWORD_HASH, permissions: 'read' },
  ];
  const users = specs
    .map((s) => ({ username: s.username, password: passwordHash(s), permissions: s.permissions }))
    .filter((u): u is { username: string; password: string; permissions: string | string[] } => Boolean(u.password));
  if (!users.length) return undefined;
  if (!users.some((u) => u.permissions === '*')) throw new SettingsError('an operator or viewer login is set but no admin: set OILRISK_ADMIN_PASSWORD too');
  return { type: 'credentials', users };
}

export function buildRuntimeOptions(env: NodeJS.ProcessEnv, dataDir: string): RuntimeOptions {
  const host = env.HOST || env.OILRISK_HOST || '127.0.0.1';
  const port = env.PORT === undefined || env.PORT === '' ? 1880 : Number(env.PORT);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new SettingsError(`PORT must be an integer 0..65535, got "${env.PORT}"`);

  const auth = adminAuth(env);
  const warnings: string[] = [];
  if (!auth) {
    if (!isLoopback(host)) {
      throw new SettingsError(`refusing to listen on ${host} without a login: set OILRISK_ADMIN_PASSWORD (or OILRISK_ADMIN_PASSWORD_HASH), or bind to 127.0.0.1`);
    }
    warnings.push(`the editor and admin API have no login (OILRISK_ADMIN_PASSWORD is not set); listening on ${host} only`);
  }
  const paletteEditable = env.OILRISK_PALETTE_INSTALL === 'on';

  const settings: Record<string, unknown> = {
    userDir: join(dataDir, 'node-red'),
    flowFile: 'flows.json',
    credentialSecret: credentialSecret(env, dataDir),
    uiHost: host,
    uiPort: port,
    httpAdminRoot: '/',
    httpNodeRoot: '/',
    adminAuth: auth,
    functionGlobalContext: {},
    logging: { console: { level: env.OILRISK_LOG_LEVEL || 'info', metrics: false, audit: false } },
    externalModules: {
      autoInstall: false,
      palette: { allowInstall: paletteEditable, allowUpload: paletteEditable, allowUpdate: paletteEditable },
      modules: { allowInstall: false },
    },
    // A plant system reports to nobody: no version check, and no prompt asking to allow one.
    telemetry: { enabled: false, updateNotification: false },
    editorTheme: {
      page: { title: 'oilrisk' },
      header: { title: 'oilrisk' },
      palette: { categories: ['oil risk', 'modbus', 'opcua', 'network', 'common', 'function'] },
      tours: false,
      projects: { enabled: false },
    },
    oilrisk: { dataDir },
  };
  return { dataDir, host, port, settings, warnings };
}
