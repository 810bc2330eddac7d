// A small typed client for Grafana's HTTP API on Node's fetch: bearer auth, a timeout per
// attempt, retries on 5xx only, and typed errors that never carry the token.

import { errorForFailure, errorForStatus, GrafanaError } from './errors.js';
import type {
  AnnotationPatch, AnnotationRequest, DashboardJson, DashboardSaveOptions, DashboardSaveResult,
  DataSourceDefinition, FolderDefinition, GrafanaHealth, UpsertOutcome,
} from './types.js';

export interface GrafanaClientOptions {
  /** Grafana's root URL, with its sub-path when served under one (https://host/grafana). */
  url: string;
  /** Service-account token (glsa_...). */
  token: string;
  /** Organisation id, sent as X-Grafana-Org-Id when set. */
  orgId?: number;
  timeoutMs?: number;
  /** Extra attempts after a 5xx answer. Other failures are not retried. */
  retries?: number;
  /** Delay before the first retry, doubled for each further one. */
  retryDelayMs?: number;
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
}

export const CLIENT_DEFAULTS = {
  timeoutMs: 5000,
  retries: 2,
  retryDelayMs: 500,
} as const;

const sleepFor = (ms: number) => new Promise<void>((ok) => setTimeout(ok, ms));

interface CallOptions {
  /** Answer undefined on 404 instead of throwing. */
  missingOk?: boolean;
}

export class GrafanaClient {
  readonly url: string;
  private readonly token: string;
  private readonly orgId: number | undefined;
  private readonly timeoutMs: number;
  private readonly retries: number;
  private readonly retryDelayMs: number;
  private readonly fetchFn: typeof fetch;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(options: GrafanaClientOptions) {
    let parsed: URL;
    try {
      parsed = new URL(options.url);
    } catch {
      throw new GrafanaError('bad-request', `oilrisk/grafana: "${options.url}" is not a URL: give Grafana's root URL, e.g. http://grafana:3000`, undefined, 'configure');
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
      throw new GrafanaError('bad-request', `oilrisk/grafana: "${options.url}" must start with http:// or https://`, undefined, 'configure');
    }
    if (!options.token) {
      throw new GrafanaError('unauthorized', 'oilrisk/grafana: no service-account token: create one in Grafana (Administration > Service accounts) and set it in the oilrisk-grafana config node', undefined, 'configure');
    }
    this.url = parsed.href.replace(/\/+$/, '');
    this.token = options.token;
    this.orgId = options.orgId;
    this.timeoutMs = options.timeoutMs ?? CLIENT_DEFAULTS.timeoutMs;
    this.retries = options.retries ?? CLIENT_DEFAULTS.retries;
    this.retryDelayMs = options.retryDelayMs ?? CLIENT_DEFAULTS.retryDelayMs;
    this.fetchFn = options.fetch ?? fetch;
    this.sleep = options.sleep ?? sleepFor;
  }

  /** Keeps the token out of console.log and util.inspect of the client. */
  toJSON(): Record<string, unknown> {
    return { url: this.url, orgId: this.orgId, timeoutMs: this.timeoutMs, retries: this.retries };
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `GrafanaClient ${JSON.stringify(this.toJSON())}`;
  }

  health(): Promise<GrafanaHealth> {
    return this.call<GrafanaHealth>('GET', '/api/health');
  }

  /** Grafana answers and accepts the token: health (which needs no token), then an authenticated read. */
  async verify(): Promise<GrafanaHealth> {
    const health = await this.health();
    await this.getDashboard('oilrisk-overview');
    return health;
  }

  async getDataSource(uid: string): Promise<(DataSourceDefinition & { id: number }) | undefined> {
    return this.call('GET', `/api/datasources/uid/${encodeURIComponent(uid)}`, undefined, { missingOk: true });
  }

  /** Creates the data source, or replaces the one with the same uid. */
  async upsertDataSource(definition: DataSourceDefinition): Promise<UpsertOutcome> {
    const existing = await this.getDataSource(definition.uid);
    if (!existing) {
      await this.call('POST', '/api/datasources', definition);
      return 'created';
    }
    await this.call('PUT', `/api/datasources/uid/${encodeURIComponent(definition.uid)}`, { ...definition, id: existing.id });
    return 'updated';
  }

  /** Makes sure the folder exists; an existing folder is left as it is. */
  async ensureFolder(folder: FolderDefinition): Promise<UpsertOutcome> {
    const existing = await this.call('GET', `/api/folders/${encodeURIComponent(folder.uid)}`, undefined, { missingOk: true });
    if (existing) return 'unchanged';
    try {
      await this.call('POST', '/api/folders', folder);
      return 'created';
    } catch (err) {
      // 412: someone created it between our two calls; that is what we wanted.
      if (err instanceof GrafanaError && err.status === 412) return 'unchanged';
      throw err;
    }
  }

  async getDashboard(uid: string): Promise<{ dashboard: DashboardJson; meta: Record<string, unknown> } | undefined> {
    return this.call('GET', `/api/dashboards/uid/${encodeURIComponent(uid)}`, undefined, { missingOk: true });
  }

  async upsertDashboard(dashboard: DashboardJson, options: DashboardSaveOptions = {}): Promise<DashboardSaveResult> {
    // A null id makes Grafana match on uid, so the same JSON works on any Grafana.
    const body = {
      dashboard: { ...dashboard, id: null },
      folderUid: options.folderUid,
      overwrite: options.overwrite ?? true,
      message: options.message ?? '',
    };
    return this.call<DashboardSaveResult>('POST', '/api/dashboards/db', body);
  }

  async createAnnotation(annotation: AnnotationRequest): Promise<number> {
    const answer = await this.call<{ id?: unknown }>('POST', '/api/annotations', annotation);
    if (typeof answer.id !== 'number') {
      throw new GrafanaError('invalid-response', 'oilrisk/grafana: POST /api/annotations answered without an annotation id: check that the URL points at Grafana', 200, 'POST /api/annotations');
    }
    return answer.id;
  }

  /** Changes only the given fields; closing a region is `{timeEnd}`. */
  async updateAnnotation(id: number, patch: AnnotationPatch): Promise<void> {
    await this.call('PATCH', `/api/annotations/${id}`, patch);
  }

  private async call<T>(method: string, path: string, body?: unknown, options: CallOptions = {}): Promise<T> {
    const name = `${method} ${path}`;
    const headers: Record<string, string> = { Accept: 'application/json', Authorization: `Bearer ${this.token}` };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (this.orgId !== undefined) headers['X-Grafana-Org-Id'] = String(this.orgId);
    for (let attempt = 0; ; attempt++) {
      let response: Response;
      let text: string;
      try {
        response = await this.fetchFn(this.url + path, {
          method,
          headers,
          body: body === undefined ? undefined : JSON.stringify(body),
          signal: AbortSignal.timeout(this.timeoutMs),
        });
        text = await response.text();
      } catch (cause) {
        throw errorForFailure(cause, name, this.timeoutMs, this.token);
      }
      let parsed: unknown = undefined;
      if (text) {
        try { parsed = JSON.parse(text); } catch { parsed = text; }
      }
      if (response.ok) {
        if (typeof parsed !== 'object' || parsed === null) {
          throw new GrafanaError('invalid-response', `oilrisk/grafana: ${name} answered ${response.status} without JSON: check that the URL points at Grafana itself, not at a proxy login page`, response.status, name);
        }
        return parsed as T;
      }
      if (response.status === 404 && options.missingOk) return undefined as T;
      const error = errorForStatus(response.status, parsed, name, this.token);
      if (response.status < 500 || attempt >= this.retries) throw error;
      await this.sleep(this.retryDelayMs * 2 ** attempt);
    }
  }
}
