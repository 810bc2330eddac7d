// The request and response bodies of the Grafana HTTP API calls the client makes, after
// Grafana's documented legacy /api (data sources, folders, dashboards, annotations, health).

export interface GrafanaHealth {
  commit: string;
  database: string;
  version: string;
}

export interface DataSourceDefinition {
  uid: string;
  name: string;
  type: string;
  url?: string;
  access: 'proxy' | 'direct';
  isDefault?: boolean;
  jsonData?: Record<string, unknown>;
  secureJsonData?: Record<string, string>;
}

export interface FolderDefinition {
  uid: string;
  title: string;
}

export interface DashboardJson {
  uid: string;
  title: string;
  id?: number | null;
  version?: number;
  [key: string]: unknown;
}

export interface DashboardSaveOptions {
  folderUid?: string;
  /** Replace whatever Grafana holds under this uid; the provisioning default. */
  overwrite?: boolean;
  message?: string;
}

export interface DashboardSaveResult {
  id: number;
  uid: string;
  url: string;
  status: string;
  version: number;
  slug?: string;
}

export interface AnnotationRequest {
  dashboardUID?: string;
  panelId?: number;
  /** Epoch ms. */
  time: number;
  /** Epoch ms; a region when later than `time`. */
  timeEnd?: number;
  tags: string[];
  text: string;
}

export type AnnotationPatch = Partial<Pick<AnnotationRequest, 'time' | 'timeEnd' | 'tags' | 'text'>>;

export type UpsertOutcome = 'created' | 'updated' | 'unchanged';
