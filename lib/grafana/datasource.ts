// The QuestDB data source as Grafana's questdb-questdb-datasource plugin expects it: one
// definition shared by provisioning over the API, the provisioning file and the dashboards.

import type { DataSourceDefinition } from './types.js';

export const QUESTDB_PLUGIN = 'questdb-questdb-datasource';
export const DEFAULT_DATASOURCE_UID = 'oilrisk-questdb';

export type QuestDbTlsMode = 'disable' | 'require' | 'verify-ca' | 'verify-full';

export interface QuestDbSourceOptions {
  uid?: string;
  name?: string;
  /** Host name of QuestDB as Grafana sees it (e.g. "questdb" in docker-compose). */
  server: string;
  /** PG wire port. */
  port?: number;
  username?: string;
  password?: string;
  tlsMode?: QuestDbTlsMode;
  /** Seconds to connect. */
  timeout?: number;
  /** Seconds a query may run. */
  queryTimeout?: number;
  isDefault?: boolean;
}

export const DATASOURCE_DEFAULTS = {
  uid: DEFAULT_DATASOURCE_UID,
  name: 'oilrisk QuestDB',
  port: 8812,
  username: 'admin',
  tlsMode: 'disable' as QuestDbTlsMode,
  timeout: 10,
  queryTimeout: 60,
};

export function questDbDataSource(options: QuestDbSourceOptions): DataSourceDefinition {
  const o = { ...DATASOURCE_DEFAULTS, ...options };
  const definition: DataSourceDefinition = {
    uid: o.uid,
    name: o.name,
    type: QUESTDB_PLUGIN,
    access: 'proxy',
    isDefault: o.isDefault ?? false,
    jsonData: {
      server: o.server,
      port: o.port,
      username: o.username,
      tlsMode: o.tlsMode,
      timeout: o.timeout,
      queryTimeout: o.queryTimeout,
    },
  };
  if (o.password) definition.secureJsonData = { password: o.password };
  return definition;
}
