// A small QuestDB HTTP client on node:http(s): POST /write with ready-made lines, GET /exec and
// /ping, each under its own timeout, answering with the status and the documented error JSON.

import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

export interface QuestDbConnection {
  /** host:port */
  address: string;
  tls: boolean;
  tlsVerify: boolean;
  /** PEM text of a CA to trust, for a server with a private certificate. */
  ca?: string;
  username?: string;
  password?: string;
  token?: string;
  timeoutMs: number;
}

export interface QuestDbError {
  code?: string;
  message?: string;
  line?: number;
  errorId?: string;
}

export interface QuestDbResponse {
  status: number;
  body: string;
}

export class QuestDbUnreachable extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'QuestDbUnreachable';
  }
}

/** host:port (IPv6 in brackets) to a URL base; throws a message naming the field. */
export function parseQuestDbAddress(address: string): { host: string; port: number } {
  const match = /^\s*(\[[^\]]+\]|[^:\s]+)(?::(\d+))?\s*$/.exec(address);
  const port = match?.[2] === undefined ? 9000 : Number(match[2]);
  if (!match || port < 1 || port > 65535) throw new Error(`oilrisk/questdb: address "${address}" is not host:port`);
  return { host: match[1].replace(/^\[|\]$/g, ''), port };
}

export class QuestDbHttp {
  private readonly host: string;
  private readonly port: number;
  /** One kept-alive connection: requests go one at a time, and TLS is negotiated once. */
  private readonly agent: HttpAgent;

  constructor(readonly connection: QuestDbConnection) {
    ({ host: this.host, port: this.port } = parseQuestDbAddress(connection.address));
    this.agent = connection.tls
      ? new HttpsAgent({ keepAlive: true, maxSockets: 1, rejectUnauthorized: connection.tlsVerify, ca: connection.ca })
      : new HttpAgent({ keepAlive: true, maxSockets: 1 });
  }

  /** Closes the kept-alive connection. */
  close(): void {
    this.agent.destroy();
  }

  private headers(): Record<string, string> {
    const { token, username, password } = this.connection;
    if (token) return { Authorization: `Bearer ${token}` };
    if (username) return { Authorization: `Basic ${Buffer.from(`${username}:${password ?? ''}`).toString('base64')}` };
    return {};
  }

  /** One request, settled within the timeout: resolves with any HTTP answer, rejects QuestDbUnreachable otherwise. */
  send(method: 'GET' | 'POST', path: string, body?: Buffer): Promise<QuestDbResponse> {
    const { tls, tlsVerify, ca, timeoutMs } = this.connection;
    const request = tls ? httpsRequest : httpRequest;
    return new Promise((resolve, reject) => {
      let settled = false;
      const finish = (fn: () => void) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        fn();
      };
      const req = request({
        host: this.host,
        port: this.port,
        method,
        path,
        headers: { ...this.headers(), ...(body ? { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': String(body.length) } : {}) },
        agent: this.agent,
        ...(tls ? { rejectUnauthorized: tlsVerify, ca } : {}),
      }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => finish(() => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') })));
        res.on('error', (err) => finish(() => reject(new QuestDbUnreachable(err.message))));
      });
      const timer = setTimeout(() => {
        finish(() => reject(new QuestDbUnreachable(`no answer from ${this.connection.address} within ${timeoutMs} ms`)));
        req.destroy();
      }, timeoutMs);
      req.on('error', (err: NodeJS.ErrnoException) => finish(() => reject(new QuestDbUnreachable(`${this.connection.address}: ${err.code ?? err.message}`))));
      req.end(body);
    });
  }

  write(lines: Buffer, precision: string): Promise<QuestDbResponse> {
    return this.send('POST', `/write?precision=${precision}`, lines);
  }

  exec(sql: string): Promise<QuestDbResponse> {
    return this.send('GET', `/exec?query=${encodeURIComponent(sql)}`);
  }

  ping(): Promise<QuestDbResponse> {
    return this.send('GET', '/ping');
  }
}

export function parseQuestDbError(body: string): QuestDbError {
  try {
    const parsed = JSON.parse(body) as unknown;
    if (typeof parsed === 'object' && parsed !== null) return parsed as QuestDbError;
  } catch {
    // Not JSON: a proxy's page or an empty body; the message is the text.
  }
  return { message: body.slice(0, 500) };
}

