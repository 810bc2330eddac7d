// The oilrisk-questdb config node: where QuestDB is (host:port, http or https, TLS checks),
// its credentials, and how the historian names and keeps its tables (prefix, TTL days).

import { readFileSync } from 'node:fs';
import type { Node, NodeAPI, NodeDef } from 'node-red';
import { userDirPath } from './node-config.js';
import { checkTablePrefix, DEFAULT_TABLE_PREFIX, parseQuestDbAddress, type QuestDbConnection } from '../lib/questdb/index.js';

export interface QuestDbNodeDef extends NodeDef {
  address: string;
  protocol: 'http' | 'https';
  tlsVerify: boolean;
  ca: string;
  tablePrefix: string;
  ttlDays: number | string;
  timeout: number | string;
}

export interface QuestDbCredentials {
  username?: string;
  password?: string;
  token?: string;
}

export interface QuestDbNode extends Node<QuestDbCredentials> {
  /** Undefined when no address is set (the historian then only spools). */
  connection: QuestDbConnection | undefined;
  tablePrefix: string;
  ttlDays: number;
  /** Why the settings cannot be used, for the historian's status; undefined when they can. */
  problem: string | undefined;
}

const DEFAULTS = { ttlDays: 90, timeoutS: 10 };

export default function register(RED: NodeAPI): void {
  function OilriskQuestDbNode(this: QuestDbNode, config: QuestDbNodeDef) {
    RED.nodes.createNode(this, config);
    const node = this;
    const ttl = Number(config.ttlDays);
    const timeout = Number(config.timeout);
    node.ttlDays = config.ttlDays === '' || config.ttlDays === undefined || !Number.isFinite(ttl) || ttl < 0 ? DEFAULTS.ttlDays : Math.floor(ttl);
    node.connection = undefined;
    node.problem = undefined;
    node.tablePrefix = DEFAULT_TABLE_PREFIX;
    try {
      node.tablePrefix = checkTablePrefix(config.tablePrefix ?? DEFAULT_TABLE_PREFIX);
      // Node-RED leaves "${QUESTDB_ADDR}" as it is when the variable is not set: that means no address.
      const address = /^\$\{\w+\}$/.test((config.address ?? '').trim()) ? '' : (config.address ?? '').trim();
      if (address) {
        parseQuestDbAddress(address);
        let ca: string | undefined;
        if (config.protocol === 'https' && config.ca) {
          const caPath = userDirPath(config.ca, RED.settings.userDir);
          try {
            ca = readFileSync(caPath, 'utf8');
          } catch (err) {
            throw new Error(RED._('oilrisk-questdb.errors.ca', { path: caPath, message: (err as Error).message }), { cause: err });
          }
        }
        const credentials = node.credentials ?? {};
        node.connection = {
          address,
          tls: config.protocol === 'https',
          tlsVerify: config.tlsVerify !== false,
          ca,
          username: credentials.username || undefined,
          password: credentials.password || undefined,
          token: credentials.token || undefined,
          timeoutMs: (Number.isFinite(timeout) && timeout > 0 ? timeout : DEFAULTS.timeoutS) * 1000,
        };
      }
    } catch (err) {
      node.problem = (err as Error).message;
      node.error(node.problem);
    }
  }

  RED.nodes.registerType<QuestDbNode, QuestDbNodeDef, unknown, QuestDbCredentials>('oilrisk-questdb', OilriskQuestDbNode, {
    credentials: {
      username: { type: 'text' },
      password: { type: 'password' },
      token: { type: 'password' },
    },
  });
}
