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
  function OilriskGrafanaNode(this: GrafanaConfigNode, config: GrafanaNodeDef) {
    RED.nodes.createNode(this, config);
    const node = this;
    node.client = undefined;
    node.skipReason = undefined;
    // A shipped flow cannot carry credentials (the runtime reads them from the encrypted
    // credentials file only), so the demo flow names the variable that holds the token.
    let token = node.credentials?.token;
    const tokenEnv = config.tokenEnv?.trim();
    if (isUnset(token) && tokenEnv) {
      const util = RED.util as unknown as { getSetting?: (n: Node, name: string) => unknown };
      const value = util.getSetting ? util.getSetting(node, tokenEnv) : process.env[tokenEnv];
      token = typeof value === 'string' ? value : undefined;
    }
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

  RED.nodes.registerType<GrafanaConfigNode, GrafanaNodeDef, unknown, GrafanaCredentials>('oilrisk-grafana', OilriskGrafanaNode, {
    credentials: { token: { type: 'password' } },
  });
}
