// The oilrisk-grafana config node: Grafana's URL, organisation and service-account token (a
// credential), and the one typed client the provision and annotate nodes share.

import type { Node, NodeAPI, NodeDef } from 'node-red';
import { GrafanaClient, GrafanaError } from '../lib/grafana/index.js';

export interface GrafanaNodeDef extends NodeDef {
  url: string;
  orgId: string;
  timeout: string;
  /** Name of an environment variable holding the token, used when the token credential is empty. */
  tokenEnv: string;
}

export interface GrafanaCredentials {
  token?: string;
}

export type SkipReason = 'not-configured' | 'invalid-url';

export interface GrafanaConfigNode extends Node<GrafanaCredentials> {
  /** The client, or undefined when Grafana is not configured (see `skipReason`). */
  client: GrafanaClient | undefined;
  /** Why Grafana is skipped: not configured (empty URL or token), or a URL that is not one. */
  skipReason: SkipReason | undefined;
}

/** Empty, or an environment reference `${NAME}` that Node-RED left as it was because NAME is unset. */
export function isUnset(value: string | undefined): boolean {
  const text = (value ?? '').trim();
  return text === '' || /^\$\{\S+\}$/.test(text) || /^\$\(\S+\)$/.test(text);
}

export default function register(RED: NodeAPI): void {
  // A shipped flow cannot carry credentials (the runtime reads them from the encrypted
  // credentials file only), so the demo flow names the variable that holds the token.
  const resolveToken = (credential: string | undefined, tokenEnv: string | undefined, node?: Node): string | undefined => {
    if (!isUnset(credential)) return credential;
    const name = tokenEnv?.trim();
    if (!name) return undefined;
    const util = RED.util as unknown as { getSetting?: (n: Node | undefined, name: string) => unknown };
    const value = util.getSetting ? util.getSetting(node, name) : process.env[name];
    return typeof value === 'string' && !isUnset(value) ? value : undefined;
  };

  function OilriskGrafanaNode(this: GrafanaConfigNode, config: GrafanaNodeDef) {
    RED.nodes.createNode(this, config);
    const node = this;
    node.client = undefined;
    node.skipReason = undefined;
    const token = resolveToken(node.credentials?.token, config.tokenEnv, node);
    if (isUnset(config.url) || isUnset(token)) {
      node.skipReason = 'not-configured';
      return;
    }
    const orgId = Number(config.orgId);
    const timeoutMs = Number(config.timeout) * 1000;
    try {
      node.client = new GrafanaClient({
        url: config.url.trim(),
        token: token!.trim(),
        orgId: Number.isInteger(orgId) && orgId > 0 ? orgId : undefined,
        timeoutMs: Number.isFinite(timeoutMs) && timeoutMs > 0 ? timeoutMs : undefined,
      });
    } catch (err) {
      node.skipReason = 'invalid-url';
      node.error(err instanceof GrafanaError ? err.message : String(err));
    }
  }

  // The edit dialog's "Check" button: does Grafana answer, and does it take the token? A typed
  // token is checked against the typed URL; a saved one only against its own node's URL, so
  // that no request can carry a stored token elsewhere. The answer never repeats a token.
  // Editors only (the permission of changing this node), as it makes the runtime call out.
  RED.httpAdmin.post('/oilrisk/api/grafana/check', RED.auth.needsPermission('oilrisk-grafana.write'), (req, res) => {
    const body = (req.body ?? {}) as { id?: unknown; url?: unknown; token?: unknown; orgId?: unknown };
    const typed = typeof body.token === 'string' && body.token !== '__PWRD__' && !isUnset(body.token) ? body.token.trim() : undefined;
    let client: GrafanaClient | undefined;
    try {
      if (typed) {
        const orgId = Number(body.orgId);
        client = new GrafanaClient({ url: typeof body.url === 'string' ? body.url.trim() : '', token: typed, orgId: Number.isInteger(orgId) && orgId > 0 ? orgId : undefined, retries: 0 });
      } else if (typeof body.id === 'string') {
        client = (RED.nodes.getNode(body.id) as GrafanaConfigNode | null)?.client;
      }
    } catch (err) {
      res.status(400).json({ ok: false, code: (err as GrafanaError).code ?? 'bad-request', message: (err as Error).message });
      return;
    }
    if (!client) {
      res.status(400).json({ ok: false, code: 'not-configured', message: 'oilrisk/grafana: type the URL and a service-account token, or deploy this node first to check its saved token' });
      return;
    }
    const checked = client.url;
    client.verify().then(
      (health) => res.json({ ok: true, url: checked, version: health.version, database: health.database }),
      (err: GrafanaError) => res.json({ ok: false, url: checked, code: err.code, status: err.status, message: err.message }),
    );
  });

  RED.nodes.registerType<GrafanaConfigNode, GrafanaNodeDef, unknown, GrafanaCredentials>('oilrisk-grafana', OilriskGrafanaNode, {
    credentials: { token: { type: 'password' } },
  });
}
