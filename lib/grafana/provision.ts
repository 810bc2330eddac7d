// Provisioning over the API: folder, QuestDB data source and dashboards, idempotently. A
// dashboard whose content Grafana already holds is left alone, so its version does not churn.

import type { GrafanaClient } from './client.js';
import type { DashboardJson, DataSourceDefinition, FolderDefinition, UpsertOutcome } from './types.js';

export interface ProvisionPlan {
  folder: FolderDefinition;
  dataSource?: DataSourceDefinition;
  dashboards: DashboardJson[];
  /** Version message shown in the dashboard's history. */
  message?: string;
}

export interface DashboardOutcome {
  uid: string;
  /** `file-provisioned`: Grafana loads it from provisioning files, which own it; left alone. */
  outcome: UpsertOutcome | 'file-provisioned';
  version?: number;
  url?: string;
}

export interface ProvisionReport {
  grafanaVersion: string;
  folder: UpsertOutcome;
  dataSource?: UpsertOutcome;
  dashboards: DashboardOutcome[];
}

export const PROVISION_DEFAULTS = {
  folder: { uid: 'oilrisk', title: 'oilrisk' },
  message: 'provisioned by oilrisk',
};

/** Key-sorted JSON without the fields Grafana owns (id, version), to compare content. */
export function dashboardFingerprint(dashboard: DashboardJson): string {
  const { id: _id, version: _version, ...content } = dashboard;
  return JSON.stringify(sortKeys(content));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.keys(value).sort().map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]));
}

export async function provision(client: GrafanaClient, plan: ProvisionPlan): Promise<ProvisionReport> {
  const health = await client.health();
  const folder = await client.ensureFolder(plan.folder);
  const dataSource = plan.dataSource ? await client.upsertDataSource(plan.dataSource) : undefined;
  const dashboards: DashboardOutcome[] = [];
  for (const dashboard of plan.dashboards) {
    const existing = await client.getDashboard(dashboard.uid);
    if (existing?.meta.provisioned === true) {
      // Grafana refuses to save over a file-provisioned dashboard (400); the files are the source.
      dashboards.push({ uid: dashboard.uid, outcome: 'file-provisioned', version: existing.dashboard.version });
      continue;
    }
    const sameFolder = existing?.meta.folderUid === plan.folder.uid;
    if (existing && sameFolder && dashboardFingerprint(existing.dashboard) === dashboardFingerprint(dashboard)) {
      dashboards.push({ uid: dashboard.uid, outcome: 'unchanged', version: existing.dashboard.version });
      continue;
    }
    const saved = await client.upsertDashboard(dashboard, { folderUid: plan.folder.uid, overwrite: true, message: plan.message ?? PROVISION_DEFAULTS.message });
    dashboards.push({ uid: saved.uid, outcome: existing ? 'updated' : 'created', version: saved.version, url: saved.url });
  }
  return { grafanaVersion: health.version, folder, dataSource, dashboards };
}
