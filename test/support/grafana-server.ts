// An in-process Grafana HTTP API for tests, after Grafana's documented legacy /api (see
// ../shared/CONTRACTS.md): bearer auth, body validation, the documented codes and bodies.
//
// Documented behaviour followed (grafana.com/docs/grafana/latest/developers/http_api/):
// - authentication: `Authorization: Bearer <service account token>`; 401 when it is wrong,
//   403 "Access denied" when the role lacks the permission (data sources need Admin);
// - other#health: GET /api/health, no auth, {commit, database: "ok", version};
// - data_source: GET|PUT|DELETE /api/datasources/uid/:uid (404 "Data source not found"),
//   POST /api/datasources ("Datasource added"), 409 for a name that is taken;
// - folder: POST /api/folders {uid, title} (412 when the uid exists, 409 for a taken title),
//   GET /api/folders/:uid (404 "folder not found");
// - dashboard: POST /api/dashboards/db {dashboard, folderUid, overwrite, message} ->
//   {id, uid, url, status: "success", version, slug}; 412 {status: "version-mismatch" |
//   "name-exists"} unless overwrite; 400 for a uid over 40 characters or an unknown folder;
//   GET /api/dashboards/uid/:uid -> {dashboard, meta} (404 "Dashboard not found"); a
//   dashboard loaded from provisioning files has meta.provisioned and cannot be saved (400);
// - annotations: POST /api/annotations (only `text` required; epoch ms) ->
//   {message: "Annotation added", id}; PATCH /api/annotations/:id updates the given fields
//   (text, tags, time, timeEnd) -> {message: "Annotation patched"};
// - malformed bodies: 400 {"message": "bad request data"}; unexpected failures 500.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Role = 'Viewer' | 'Editor' | 'Admin';

export interface RecordedRequest {
  method: string;
  path: string;
  authorization: string | undefined;
  orgId: string | undefined;
  body: unknown;
}

export interface StoredAnnotation {
  id: number;
  dashboardUID?: string;
  panelId?: number;
  time: number;
  timeEnd: number;
  tags: string[];
  text: string;
}

export interface StoredDashboard {
  id: number;
  dashboard: Record<string, unknown>;
  folderUid: string | undefined;
  version: number;
  /** Loaded from provisioning files: the API refuses to save over it. */
  provisioned?: boolean;
}

export interface Fault {
  /** Requests it applies to; all when omitted. */
  match?: (method: string, path: string) => boolean;
  /** How many matching requests it hits. */
  times: number;
  /** Answer with this status (500 by default), or never answer ('hang'), or drop the socket ('reset'). */
  status?: number | 'hang' | 'reset';
}

const ADMIN_ONLY = /^\/api\/datasources/;

export class FakeGrafana {
  readonly requests: RecordedRequest[] = [];
  readonly datasources = new Map<string, Record<string, unknown> & { id: number; uid: string; name: string }>();
  readonly folders = new Map<string, { id: number; uid: string; title: string }>();
  readonly dashboards = new Map<string, StoredDashboard>();
  readonly annotations = new Map<number, StoredAnnotation>();
  /** token -> role */
  readonly tokens = new Map<string, Role>();
  version = '12.1.0';
  private readonly faults: Fault[] = [];
  private readonly hanging = new Set<ServerResponse>();
  private nextId = 1;
  private server: Server | undefined;
  url = '';

  constructor(tokens: Record<string, Role> = { glsa_test_editor_token: 'Editor', glsa_test_admin_token: 'Admin' }) {
    for (const [token, role] of Object.entries(tokens)) this.tokens.set(token, role);
  }

  /** Answer the next matching requests with a failure. */
  fail(fault: Fault): void {
    this.faults.push({ ...fault });
  }

  async start(): Promise<string> {
    this.server = createServer((req, res) => { void this.handle(req, res); });
    await new Promise<void>((ok) => this.server!.listen(0, '127.0.0.1', ok));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.url;
  }

  async stop(): Promise<void> {
    for (const res of this.hanging) res.destroy();
    this.hanging.clear();
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((ok) => server.close(() => ok()));
  }

  private send(res: ServerResponse, status: number, body: unknown): void {
    const text = JSON.stringify(body);
    res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
    res.end(text);
  }

  private async readBody(req: IncomingMessage): Promise<{ ok: true; value: unknown } | { ok: false }> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    if (!text) return { ok: true, value: undefined };
    try {
      return { ok: true, value: JSON.parse(text) };
    } catch {
      return { ok: false };
    }
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = req.method ?? 'GET';
    const path = (req.url ?? '/').split('?')[0];
    const parsed = await this.readBody(req);
    const authorization = req.headers.authorization;
    this.requests.push({ method, path, authorization, orgId: req.headers['x-grafana-org-id'] as string | undefined, body: parsed.ok ? parsed.value : '(invalid JSON)' });

    const fault = this.faults.find((f) => f.times > 0 && (!f.match || f.match(method, path)));
    if (fault) {
      fault.times--;
      if (fault.status === 'hang') { this.hanging.add(res); return; }
      if (fault.status === 'reset') { req.socket.destroy(); return; }
      this.send(res, fault.status ?? 500, { message: 'Internal Server Error' });
      return;
    }

    // GET /api/health needs no authentication.
    if (method === 'GET' && path === '/api/health') {
      this.send(res, 200, { commit: 'abc1234', database: 'ok', version: this.version });
      return;
    }
    const token = /^Bearer (.+)$/.exec(authorization ?? '')?.[1];
    const role = token ? this.tokens.get(token) : undefined;
    if (!role) {
      this.send(res, 401, { message: 'Invalid API key', traceID: '' });
      return;
    }
    const writes = method !== 'GET';
    if ((writes && role === 'Viewer') || (ADMIN_ONLY.test(path) && role !== 'Admin')) {
      this.send(res, 403, { accessErrorId: 'ACE0000000001', message: "You'll need additional permissions to perform this action.", title: 'Access denied' });
      return;
    }
    if (!parsed.ok) {
      this.send(res, 400, { message: 'bad request data' });
      return;
    }
    const body = parsed.value as Record<string, unknown> | undefined;
    try {
      this.route(method, path, body, res);
    } catch {
      this.send(res, 500, { message: 'Internal Server Error' });
    }
  }

  private route(method: string, path: string, body: Record<string, unknown> | undefined, res: ServerResponse): void {
    let m: RegExpExecArray | null;
    if (path === '/api/datasources' && method === 'GET') return this.send(res, 200, [...this.datasources.values()]);
    if (path === '/api/datasources' && method === 'POST') return this.createDataSource(body, res);
    if ((m = /^\/api\/datasources\/uid\/([^/]+)$/.exec(path))) {
      const uid = decodeURIComponent(m[1]);
      const existing = this.datasources.get(uid);
      if (!existing) return this.send(res, 404, { message: 'Data source not found' });
      if (method === 'GET') {
        const { secureJsonData: _secret, ...visible } = existing;
        return this.send(res, 200, visible);
      }
      if (method === 'DELETE') { this.datasources.delete(uid); return this.send(res, 200, { message: 'Data source deleted' }); }
      if (method === 'PUT') {
        if (!isDataSource(body)) return this.send(res, 400, { message: 'bad request data' });
        if ([...this.datasources.values()].some((d) => d.name === body.name && d.uid !== uid)) {
          return this.send(res, 409, { message: 'data source with the same name already exists' });
        }
        const updated = { ...body, id: existing.id, uid };
        this.datasources.set(uid, updated);
        return this.send(res, 200, { datasource: updated, id: existing.id, message: 'Datasource updated', name: body.name });
      }
    }
    if (path === '/api/folders' && method === 'POST') {
      if (!body || typeof body.title !== 'string' || !body.title || (body.uid !== undefined && typeof body.uid !== 'string')) {
        return this.send(res, 400, { message: 'bad request data' });
      }
      const uid = (body.uid as string | undefined) ?? `f${this.nextId}`;
      if (this.folders.has(uid)) return this.send(res, 412, { message: 'a folder with the same uid already exists', status: 'precondition-failed' });
      if ([...this.folders.values()].some((f) => f.title === body.title)) return this.send(res, 409, { message: 'a folder with the same name already exists' });
      const folder = { id: this.nextId++, uid, title: body.title };
      this.folders.set(uid, folder);
      return this.send(res, 200, { ...folder, url: `/dashboards/f/${uid}/${slug(body.title)}`, version: 1 });
    }
    if ((m = /^\/api\/folders\/([^/]+)$/.exec(path)) && method === 'GET') {
      const folder = this.folders.get(decodeURIComponent(m[1]));
      return folder ? this.send(res, 200, folder) : this.send(res, 404, { message: 'folder not found', status: 'not-found' });
    }
    if (path === '/api/dashboards/db' && method === 'POST') return this.saveDashboard(body, res);
    if ((m = /^\/api\/dashboards\/uid\/([^/]+)$/.exec(path)) && method === 'GET') {
      const stored = this.dashboards.get(decodeURIComponent(m[1]));
      if (!stored) return this.send(res, 404, { message: 'Dashboard not found' });
      return this.send(res, 200, { dashboard: { ...stored.dashboard, id: stored.id, version: stored.version }, meta: { folderUid: stored.folderUid ?? '', version: stored.version, slug: slug(String(stored.dashboard.title)), provisioned: stored.provisioned === true } });
    }
    if (path === '/api/annotations' && method === 'POST') {
      if (!body || typeof body.text !== 'string' || !isOptionalNumber(body.time) || !isOptionalNumber(body.timeEnd) || !isOptionalNumber(body.panelId) ||
        (body.tags !== undefined && !(Array.isArray(body.tags) && body.tags.every((t) => typeof t === 'string')))) {
        return this.send(res, 400, { message: 'bad request data' });
      }
      if (body.dashboardUID !== undefined && !this.dashboards.has(String(body.dashboardUID))) return this.send(res, 404, { message: 'Dashboard not found' });
      const id = this.nextId++;
      const time = (body.time as number | undefined) ?? Date.now();
      this.annotations.set(id, { id, dashboardUID: body.dashboardUID as string | undefined, panelId: body.panelId as number | undefined, time, timeEnd: (body.timeEnd as number | undefined) ?? time, tags: (body.tags as string[] | undefined) ?? [], text: body.text });
      return this.send(res, 200, { message: 'Annotation added', id });
    }
    if ((m = /^\/api\/annotations\/(\d+)$/.exec(path)) && method === 'PATCH') {
      const stored = this.annotations.get(Number(m[1]));
      if (!body || !isOptionalNumber(body.time) || !isOptionalNumber(body.timeEnd) || (body.text !== undefined && typeof body.text !== 'string') ||
        (body.tags !== undefined && !(Array.isArray(body.tags) && body.tags.every((t) => typeof t === 'string')))) {
        return this.send(res, 400, { message: 'bad request data' });
      }
      if (!stored) return this.send(res, 404, { message: 'Could not find annotation to update' });
      Object.assign(stored, Object.fromEntries(Object.entries(body).filter(([k]) => ['time', 'timeEnd', 'tags', 'text'].includes(k))));
      return this.send(res, 200, { message: 'Annotation patched' });
    }
    this.send(res, 404, { message: 'Not found' });
  }

  private createDataSource(body: Record<string, unknown> | undefined, res: ServerResponse): void {
    if (!isDataSource(body)) return this.send(res, 400, { message: 'bad request data' });
    if ([...this.datasources.values()].some((d) => d.name === body.name)) return this.send(res, 409, { message: 'data source with the same name already exists' });
    const uid = (body.uid as string | undefined) ?? `ds${this.nextId}`;
    if (this.datasources.has(uid)) return this.send(res, 409, { message: 'data source with the same uid already exists' });
    const stored = { ...body, id: this.nextId++, uid, name: body.name };
    this.datasources.set(uid, stored);
    return this.send(res, 200, { datasource: stored, id: stored.id, message: 'Datasource added', name: body.name });
  }

  private saveDashboard(body: Record<string, unknown> | undefined, res: ServerResponse): void {
    const dashboard = body?.dashboard as Record<string, unknown> | undefined;
    if (!body || typeof dashboard !== 'object' || dashboard === null || typeof dashboard.title !== 'string' || !dashboard.title ||
      (body.folderUid !== undefined && typeof body.folderUid !== 'string') || (body.message !== undefined && typeof body.message !== 'string')) {
      return this.send(res, 400, { message: 'bad request data' });
    }
    const uid = dashboard.uid;
    if (typeof uid !== 'string' || uid.length > 40 || !/^[A-Za-z0-9_-]+$/.test(uid)) {
      return this.send(res, 400, { message: 'uid too long, max 40 characters', status: 'bad-request' });
    }
    const folderUid = body.folderUid as string | undefined;
    if (folderUid && !this.folders.has(folderUid)) return this.send(res, 400, { message: 'folder not found', status: 'not-found' });
    const existing = this.dashboards.get(uid);
    if (existing?.provisioned) return this.send(res, 400, { message: 'Cannot save provisioned dashboard' });
    const overwrite = body.overwrite === true;
    if (!overwrite) {
      if (existing && dashboard.version !== existing.version) {
        return this.send(res, 412, { message: 'The dashboard has been changed by someone else', status: 'version-mismatch' });
      }
      const sameName = [...this.dashboards.values()].find((d) => d.dashboard.title === dashboard.title && d.folderUid === folderUid && d.dashboard.uid !== uid);
      if (sameName) return this.send(res, 412, { message: 'A dashboard with the same name in the folder already exists', status: 'name-exists' });
    }
    const { id: _id, version: _version, ...content } = dashboard;
    const stored: StoredDashboard = { id: existing?.id ?? this.nextId++, dashboard: content, folderUid, version: (existing?.version ?? 0) + 1 };
    this.dashboards.set(uid, stored);
    const s = slug(dashboard.title);
    this.send(res, 200, { id: stored.id, uid, url: `/d/${uid}/${s}`, status: 'success', version: stored.version, slug: s });
  }
}

function isDataSource(body: Record<string, unknown> | undefined): body is Record<string, unknown> & { name: string; type: string } {
  return !!body && typeof body.name === 'string' && !!body.name && typeof body.type === 'string' && !!body.type &&
    (body.access === undefined || body.access === 'proxy' || body.access === 'direct') &&
    (body.jsonData === undefined || (typeof body.jsonData === 'object' && body.jsonData !== null)) &&
    (body.secureJsonData === undefined || (typeof body.secureJsonData === 'object' && body.secureJsonData !== null));
}

const isOptionalNumber = (v: unknown) => v === undefined || (typeof v === 'number' && Number.isFinite(v));
const slug = (title: string) => title.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
