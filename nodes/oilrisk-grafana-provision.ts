// The oilrisk-grafana-provision node: pushes the QuestDB data source, the folder and the
// generated dashboards to Grafana on deploy and on every message, idempotently.

import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Node, NodeAPI, NodeDef, NodeMessage } from 'node-red';
import {
  GrafanaError, loadDashboardFiles, provision, PROVISION_DEFAULTS, questDbDataSource,
  type ProvisionPlan, type ProvisionReport, type QuestDbTlsMode,
} from '../lib/grafana/index.js';
import { isUnset, type GrafanaConfigNode } from './oilrisk-grafana.js';

export interface ProvisionNodeDef extends NodeDef {
  grafana: string;
  onDeploy: boolean;
  folderUid: string;
  folderTitle: string;
  dataSource: boolean;
  questdbHost: string;
  questdbPort: string;
  questdbUser: string;
  tlsMode: QuestDbTlsMode;
  /** Folder of dashboard JSON; the package's dashboards/generated when empty. */
  dashboards: string;
}

interface ProvisionCredentials {
  questdbPassword?: string;
}

/** After a transient failure on deploy (Grafana still starting), try again this much later. */
export const DEPLOY_RETRY_MS = 30000;

/** The package's dashboards/generated, from nodes/ (sources) or dist/nodes/ (built). */
export function packagedDashboards(from: string = __dirname): string | undefined {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, 'dashboards', 'generated');
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) return undefined;
  }
}

export default function register(RED: NodeAPI): void {
  function OilriskGrafanaProvisionNode(this: Node<ProvisionCredentials>, config: ProvisionNodeDef) {
    RED.nodes.createNode(this, config);
    const node = this;
    const grafana = RED.nodes.getNode(config.grafana) as GrafanaConfigNode | null;
    let retry: NodeJS.Timeout | undefined;
    let closed = false;
    let running: Promise<unknown> = Promise.resolve();
    let reportedDeployError = false;

    const plan = (): ProvisionPlan => {
      const dir = config.dashboards?.trim() || packagedDashboards();
      if (!dir) throw new Error('oilrisk/grafana: dashboards/generated not found beside the package: set the dashboards folder in the node');
      const password = node.credentials?.questdbPassword;
      return {
        folder: { uid: config.folderUid || PROVISION_DEFAULTS.folder.uid, title: config.folderTitle || PROVISION_DEFAULTS.folder.title },
        dataSource: config.dataSource === false ? undefined : questDbDataSource({
          server: isUnset(config.questdbHost) ? 'questdb' : config.questdbHost.trim(),
          port: Number(config.questdbPort) || undefined,
          username: isUnset(config.questdbUser) ? undefined : config.questdbUser.trim(),
          password: isUnset(password) ? undefined : password,
          tlsMode: config.tlsMode || undefined,
        }),
        dashboards: loadDashboardFiles(dir),
      };
    };

    const summary = (report: ProvisionReport) => ({
      changed: report.dashboards.filter((d) => d.outcome !== 'unchanged').length,
      total: report.dashboards.length,
    });

    /** One run at a time: a message during a run waits for it. */
    const run = (): Promise<ProvisionReport> => {
      const next = running.then(async () => {
        const client = grafana!.client!;
        node.status({ fill: 'blue', shape: 'ring', text: 'oilrisk-grafana-provision.status.running' });
        const report = await provision(client, plan());
        node.status({ fill: 'green', shape: 'dot', text: 'oilrisk-grafana-provision.status.done' });
        node.log(RED._('oilrisk-grafana-provision.log.done', summary(report)));
        return report;
      });
      running = next.catch(() => undefined);
      return next;
    };

    const failed = (err: unknown) => {
      node.status({ fill: 'red', shape: 'ring', text: err instanceof GrafanaError ? `oilrisk-grafana-provision.status.${err.code}` : 'oilrisk-grafana-provision.status.failed' });
    };

    const deploy = () => {
      retry = undefined;
      if (closed) return;
      run().then(() => { reportedDeployError = false; }, (err: Error) => {
        if (closed) return;
        failed(err);
        if (!reportedDeployError) node.error(err.message);
        reportedDeployError = true;
        if (err instanceof GrafanaError && err.transient) retry = setTimeout(deploy, DEPLOY_RETRY_MS);
      });
    };

    const configured = !!grafana?.client;
    if (!configured) node.status({ fill: 'grey', shape: 'ring', text: `oilrisk-grafana-provision.status.${grafana?.skipReason ?? 'not-configured'}` });
    else if (config.onDeploy !== false) deploy();

    node.on('input', (msg: NodeMessage, send: (m: NodeMessage) => void, done: (err?: Error) => void) => {
      if (!configured) {
        done();
        return;
      }
      run().then((report) => {
        send({ ...msg, topic: 'grafana-provision', payload: report });
        done();
      }, (err: Error) => {
        failed(err);
        done(err);
      });
    });

    node.on('close', (_removed: boolean, done: () => void) => {
      closed = true;
      clearTimeout(retry);
      running.finally(done);
    });
  }

  RED.nodes.registerType<Node<ProvisionCredentials>, ProvisionNodeDef, unknown, ProvisionCredentials>('oilrisk-grafana-provision', OilriskGrafanaProvisionNode, {
    credentials: { questdbPassword: { type: 'password' } },
  });
}
