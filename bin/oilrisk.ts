// Starts Node-RED embedded, with this package's nodes, the contrib nodes, the demo flows and
// the data folder laid out under OILRISK_DATA. `npm start` runs this after building.
// Beside it: the embedded MQTT broker and the field simulator (sim/runtime.ts) unless the
// environment points at real equipment (MQTT_URL, OILRISK_SIM=off).

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { existsSync, lstatSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { buildRuntimeOptions, SettingsError } from '../settings.js';
import { loadSiteFile } from '../lib/site/index.js';
import type { Site } from '../lib/model/index.js';
import { ensureClientCertificate, simulatorStatus, startFieldServices, switchScenario, type ApiAnswer, type FieldServices } from '../sim/index.js';
import { seedFlows } from './flows.js';

type Handler = (req: IncomingMessage, res: ServerResponse, next: (err?: unknown) => void) => void;

interface ApiRequest extends IncomingMessage {
  body?: unknown;
}

interface ApiResponse extends ServerResponse {
  status(code: number): ApiResponse;
  json(body: unknown): void;
}

type Route = (path: string, permission: Handler, handler: (req: ApiRequest, res: ApiResponse) => void) => void;

interface NodeRed {
  init(server: ReturnType<typeof createServer>, settings: Record<string, unknown>): void;
  start(): Promise<void>;
  stop(): Promise<void>;
  httpAdmin: Handler & { get: Route; post: Route };
  httpNode: Handler;
  auth: { needsPermission(permission: string): Handler };
}

const PACKAGE_ROOT = resolve(__dirname, '..', '..');
const PACKAGE_NAME = 'node-red-contrib-oilrisk';

function linkIfMissing(target: string, path: string): void {
  try {
    lstatSync(path);
  } catch {
    symlinkSync(target, path, 'dir');
  }
}

/** Lays out the user dir so that Node-RED loads this package exactly as an installed module. */
export function prepareUserDir(userDir: string): void {
  mkdirSync(join(userDir, 'node_modules'), { recursive: true });
  const pkg = join(userDir, 'package.json');
  if (!existsSync(pkg)) {
    writeFileSync(pkg, JSON.stringify({
      name: 'oilrisk-runtime', description: 'oilrisk Node-RED user directory', version: '0.0.0', private: true,
      dependencies: { [PACKAGE_NAME]: `file:${PACKAGE_ROOT}` },
    }, null, 2));
  }
  linkIfMissing(PACKAGE_ROOT, join(userDir, 'node_modules', PACKAGE_NAME));
  linkIfMissing(join(PACKAGE_ROOT, 'sites'), join(userDir, 'sites'));
}

export async function main(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const dataDir = resolve(env.OILRISK_DATA || '.oilrisk');
  mkdirSync(dataDir, { recursive: true });
  // OPC UA certificates and other per-user files stay in the data folder, never in $HOME.
  process.env.XDG_CONFIG_HOME = join(dataDir, 'config');

  let options;
  try {
    options = buildRuntimeOptions(env, dataDir);
  } catch (err) {
    if (err instanceof SettingsError) {
      console.error(`oilrisk: ${err.message}`);
      process.exitCode = 1;
      return;
    }
    throw err;
  }
  const userDir = options.settings.userDir as string;
  prepareUserDir(userDir);
  const seeded = seedFlows(join(PACKAGE_ROOT, 'flows'), userDir, options.settings.flowFile as string, env.OILRISK_FLOWS === 'reset');
  const field = await startField(env, dataDir);

  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const RED = require('node-red') as NodeRed;
  const server = createServer((req, res) => {
    RED.httpAdmin(req, res, (err) => {
      if (err) {
        res.statusCode = 500;
        res.end();
        return;
      }
      RED.httpNode(req, res, () => {
        res.statusCode = 404;
        res.end('Not found');
      });
    });
  });
  RED.init(server, options.settings);
  const answer = (res: ApiResponse, a: ApiAnswer) => res.status(a.status).json(a.body);
  RED.httpAdmin.get('/oilrisk/api/sim', RED.auth.needsPermission('oilrisk.read'), (_req, res) => answer(res, simulatorStatus(field.simulator)));
  RED.httpAdmin.post('/oilrisk/api/sim/scenario', RED.auth.needsPermission('oilrisk.operate'), (req, res) => answer(res, switchScenario(field.simulator, req.body)));
  for (const warning of options.warnings) console.warn(`oilrisk: warning: ${warning}`);
  console.log(`oilrisk: data folder ${dataDir} (flows ${seeded})`);

  try {
    await new Promise<void>((ok, fail) => {
      server.once('error', fail);
      server.listen(options.port, options.host, () => ok());
    });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const reason = code === 'EADDRINUSE' ? `port ${options.port} is in use on ${options.host}: stop what uses it, or set PORT to another port`
      : code === 'EADDRNOTAVAIL' ? `${options.host} is not an address of this machine: set HOST to one that is`
        : (err as Error).message;
    console.error(`oilrisk: cannot listen: ${reason}`);
    await field.close().catch(() => undefined);
    process.exitCode = 1;
    return;
  }
  try {
    await ensureClientCertificate(process.env.XDG_CONFIG_HOME!);
  } catch (err) {
    console.warn(`oilrisk: warning: could not create the OPC UA client certificate: ${(err as Error).message}`);
  }
  await RED.start();
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const shownHost = options.host.includes(':') ? `[${options.host}]` : options.host;
  console.log(`oilrisk: editor ready at http://${shownHost}:${port}/`);

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`oilrisk: ${signal} received, stopping`);
    const force = setTimeout(() => {
      console.error('oilrisk: did not stop within 10 s, exiting');
      process.exit(1);
    }, 10_000);
    force.unref();
    RED.stop()
      .catch((err: Error) => console.error(`oilrisk: error while stopping: ${err.message}`))
      .then(() => field.close())
      .catch((err: Error) => console.error(`oilrisk: error while stopping the simulator: ${err.message}`))
      .finally(() => {
        server.closeAllConnections();
        server.close(() => process.exit(0));
      });
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

/** The broker and simulator, their addresses exported for the flows' ${VAR} config properties. */
async function startField(env: NodeJS.ProcessEnv, dataDir: string): Promise<FieldServices> {
  let site: Site | undefined;
  if (env.OILRISK_SIM !== 'off') {
    const path = resolve(env.OILRISK_SIM_SITE || join(PACKAGE_ROOT, 'sites', 'demo-field.yaml'));
    const loaded = await loadSiteFile(path);
    if (loaded.ok) site = loaded.site;
    else console.warn(`oilrisk: warning: simulator not started, ${path} is not a valid site: ${loaded.issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`);
  }
  const field = await startFieldServices(env, site, dataDir);
  for (const [name, value] of Object.entries(field.env)) process.env[name] = value;
  if (field.broker) console.log(`oilrisk: embedded MQTT broker at ${field.broker.url}`);
  const sim = field.simulator;
  if (sim) {
    const devices = Object.entries(sim.modbus).map(([d, p]) => `${d} :${p}`).join(', ');
    console.log(`oilrisk: simulator running scenario ${sim.field.scenario.name}: modbus ${devices}; opcua ${sim.opcuaUrl ?? '-'}`);
  }
  return field;
}

if (require.main === module) {
  main().catch((err: Error) => {
    const verbose = ['debug', 'trace'].includes(process.env.OILRISK_LOG_LEVEL ?? '');
    console.error(`oilrisk: failed to start: ${verbose ? err.stack ?? err.message : err.message}`);
    process.exit(1);
  });
}
