// The embedded MQTT broker (aedes) the demo runtime and the standalone simulator use when no
// MQTT_URL points at a real one. Anonymous clients (the flows, the simulator) may connect;
// a client presenting credentials must match the configured user or is refused and counted.

import { createServer, type Server } from 'node:net';
import type { SecurityEvent } from '../lib/model/index.js';
import { SECURITY_TOPIC } from './servers/mqtt.js';

export interface BrokerOptions {
  port?: number;
  host?: string;
  username?: string;
  password?: string;
  /** Called for each refused login, which is also published on SECURITY_TOPIC. */
  onSecurityEvent?: (event: SecurityEvent) => void;
}

export interface Broker {
  url: string;
  port: number;
  close(): Promise<void>;
}

export async function startBroker(options: BrokerOptions = {}): Promise<Broker> {
  const { Aedes } = await import('aedes');
  const broker = await Aedes.createBroker({
    authenticate(client, username, password, done) {
      if (username === undefined) return done(null, true);
      if (options.username !== undefined && username === options.username && password?.toString() === options.password) return done(null, true);
      const event: SecurityEvent = { device: 'mqtt:broker', kind: 'mqtt-login-failure', severity: 'medium', ts: Date.now(), source: client.id, detail: `refused login of user "${username}"` };
      options.onSecurityEvent?.(event);
      broker.publish({ cmd: 'publish', topic: SECURITY_TOPIC, payload: Buffer.from(JSON.stringify([event])), qos: 0, retain: false, dup: false }, () => undefined);
      const error = Object.assign(new Error('bad user name or password'), { returnCode: 4 });
      done(error as never, false);
    },
  });
  const server: Server = createServer(broker.handle);
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(options.port ?? 0, host, () => ok());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `mqtt://${host}:${port}`,
    port,
    close: () => new Promise<void>((ok) => {
      broker.close(() => server.close(() => ok()));
    }),
  };
}
