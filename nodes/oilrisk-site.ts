// The oilrisk-site config node: loads the site model (a file under the user dir, or inline
// text), reloads it when the file changes, and hands the current site to the flow nodes.

import { watch, type FSWatcher } from 'node:fs';
import { basename, dirname } from 'node:path';
import type { Node, NodeAPI, NodeDef, NodeStatus } from 'node-red';
import { userDirPath } from './node-config.js';
import type { Request, Response } from 'express';
import { diffSites, formatIssue, loadSiteFile, parseSite, siteJsonSchema, type ParseOptions, type ParseResult, type SiteChange, type SiteIssue } from '../lib/site/index.js';
import { profileRegistry, type SensorPlugins } from '../plugins/oilrisk-sensors.js';
import type { Site } from '../lib/model/index.js';

export interface SiteNodeDef extends NodeDef {
  path: string;
  inline: string;
}

/** Called with the site now, and again after every reload that loaded (the change says what moved). */
export type SiteListener = (site: Site, change: SiteChange) => void;
/** Called when a load fails; `lastGood` is the site that stays in use, if one ever loaded. */
export type SiteErrorListener = (issues: readonly SiteIssue[], lastGood: Site | undefined) => void;

/** What GET /oilrisk/api/site reports for one site node. */
export interface SiteLoadState {
  id: string;
  name: string;
  /** The file as configured ("sites/demo-field.yaml"), or "inline". */
  source: string;
  /** The last load attempt succeeded. */
  ok: boolean;
  /** A site is in use: the last good one keeps running after a bad edit. */
  running: boolean;
  /** When the site in use was loaded, ISO 8601. */
  loadedAt?: string;
  /** When the last load was attempted, ISO 8601. */
  checkedAt?: string;
  equipment: number;
  tags: number;
  dependencies: number;
  issues: SiteIssue[];
}

export interface SiteNode extends Node {
  /** The site in use, or undefined while none has loaded. */
  site: Site | undefined;
  /** Issues of the last load attempt. */
  issues: SiteIssue[];
  state(): SiteLoadState;
  /** `listener` gets the site now if one is loaded; `onError` hears of failed loads (now too, if the last one failed). */
  register(listener: SiteListener, onError?: SiteErrorListener): void;
  deregister(listener: SiteListener): void;
  /** Loads the file (or inline text) again; resolves when listeners have been told. */
  reload(): Promise<void>;
}

/**
 * The status a flow node shows while its site has errors. The key is in this node's catalogue,
 * hence the namespace prefix; flow nodes may show their own key instead.
 */
export const SITE_ERROR_STATUS: NodeStatus = { fill: 'red', shape: 'ring', text: 'node-red-contrib-oilrisk/oilrisk-site:oilrisk-site.status.error' };

export const DEFAULTS = {
  /** Editors save in bursts (truncate, write, rename): wait for the file to settle. */
  reloadDebounceMs: 250,
} as const;

export const resolveSitePath = userDirPath;

export function summarise(result: ParseResult): { ok: boolean; equipment?: number; tags?: number; dependencies?: number; issues: SiteIssue[] } {
  if (!result.ok) return { ok: false, issues: result.issues };
  const { site } = result;
  return { ok: true, equipment: site.equipment.length, tags: site.tags.length, dependencies: site.dependencies.length, issues: result.issues };
}

/**
 * Sensor profiles the runtime knows now (built-ins and installed `oilrisk-sensor` plugins), so a
 * misspelt profile is caught when the site loads instead of as a tag that never reads.
 * Invalid plugin profiles are the ingest node's to report.
 */
export function profileOptions(plugins: SensorPlugins | undefined): ParseOptions {
  const registry = profileRegistry(plugins, () => undefined);
  const names = registry.list().flatMap((p) => [p.name, ...(p.channels.length > 1 ? p.channels.map((c) => `${p.name}.${c.name}`) : [])]);
  return { isKnownProfile: (reference) => registry.resolve(reference) !== undefined, profileNames: names };
}

function describeChange(change: SiteChange): string {
  const part = (what: string, c: SiteChange['equipment']) => {
    const bits = [c.added.length && `+${c.added.length}`, c.removed.length && `-${c.removed.length}`, c.changed.length && `~${c.changed.length}`].filter(Boolean);
    return bits.length ? `${what} ${bits.join(' ')}` : '';
  };
  return [part('equipment', change.equipment), part('tags', change.tags), part('dependencies', change.dependencies), part('geofences', change.geofences), change.scoreBandsChanged ? 'score bands' : '']
    .filter(Boolean).join(', ') || 'no change';
}

export default function register(RED: NodeAPI): void {
  const siteNodes = new Map<string, SiteNode>();
  const options = () => profileOptions((RED as unknown as { plugins?: SensorPlugins }).plugins);

  function OilriskSiteNode(this: SiteNode, config: SiteNodeDef) {
    RED.nodes.createNode(this, config);
    const node = this;
    const listeners = new Map<SiteListener, SiteErrorListener | undefined>();
    const source = config.path?.trim() ? config.path.trim() : 'inline';
    const filePath = config.path?.trim() ? resolveSitePath(config.path.trim(), RED.settings.userDir) : undefined;
    let watcher: FSWatcher | undefined;
    let debounce: NodeJS.Timeout | undefined;
    let closed = false;
    let attempt = 0;
    let lastOk = false;
    let loadedAt: string | undefined;
    let checkedAt: string | undefined;

    node.site = undefined;
    node.issues = [];

    const tell = (call: () => void) => {
      // One flow node's failure must not keep the others on an old site.
      try { call(); } catch (err) { node.error(RED._('oilrisk-site.errors.listener', { message: (err as Error).message })); }
    };

    node.register = (listener, onError) => {
      listeners.set(listener, onError);
      if (node.site) { const site = node.site; tell(() => listener(site, diffSites(undefined, site))); }
      if (!lastOk && checkedAt && onError) tell(() => onError(node.issues, node.site));
    };
    node.deregister = (listener) => { listeners.delete(listener); };

    node.state = () => ({
      id: node.id,
      name: config.name || source,
      source,
      ok: lastOk,
      running: node.site !== undefined,
      loadedAt,
      checkedAt,
      equipment: node.site?.equipment.length ?? 0,
      tags: node.site?.tags.length ?? 0,
      dependencies: node.site?.dependencies.length ?? 0,
      issues: node.issues,
    });

    const apply = (result: ParseResult) => {
      checkedAt = new Date().toISOString();
      node.issues = result.issues;
      if (!result.ok) {
        lastOk = false;
        // Keep the last good site running: a bad edit must not blind the plant.
        const errors = result.issues.filter((i) => i.severity === 'error');
        node.error(RED._(node.site ? 'oilrisk-site.errors.invalidKept' : 'oilrisk-site.errors.invalid', { count: errors.length, issues: errors.map(formatIssue).join('; ') }));
        node.status({ fill: 'red', shape: 'ring', text: 'oilrisk-site.status.error' });
        for (const onError of listeners.values()) if (onError) tell(() => onError(result.issues, node.site));
        return;
      }
      const recovered = !lastOk;
      const change = diffSites(node.site, result.site);
      lastOk = true;
      for (const issue of result.issues) if (issue.severity === 'warning') node.warn(formatIssue(issue));
      if (change.unchanged && !recovered) return;
      const first = node.site === undefined;
      node.site = result.site;
      loadedAt = checkedAt;
      node.status({ fill: 'green', shape: 'dot', text: 'oilrisk-site.status.ok' });
      if (first) node.log(RED._('oilrisk-site.log.loaded', { equipment: result.site.equipment.length, tags: result.site.tags.length, dependencies: result.site.dependencies.length }));
      else node.log(RED._('oilrisk-site.log.reloaded', { change: describeChange(change) }));
      const site = result.site;
      for (const listener of listeners.keys()) tell(() => listener(site, change));
    };

    node.reload = async () => {
      const mine = ++attempt;
      const result = filePath
        ? await loadSiteFile(filePath, source, options())
        : config.inline?.trim()
          ? parseSite(config.inline, 'inline', options())
          : { ok: false as const, issues: [{ severity: 'error' as const, file: 'inline', path: '(config)', message: 'no site file path and no inline site: set one in the oilrisk-site node' }] };
      // A slower earlier load must not overwrite a newer one.
      if (closed || mine !== attempt) return;
      apply(result);
    };

    const reloadSoon = () => {
      clearTimeout(debounce);
      debounce = setTimeout(() => { node.reload().catch((err: Error) => node.error(err.message)); }, DEFAULTS.reloadDebounceMs);
    };

    if (filePath) {
      // Watch the folder, not the file: editors that save by rename replace the file's inode.
      const name = basename(filePath);
      try {
        watcher = watch(dirname(filePath), (_event, changed) => { if (!changed || changed.toString() === name) reloadSoon(); });
        watcher.on('error', (err) => node.warn(RED._('oilrisk-site.errors.watch', { message: err.message })));
      } catch (err) {
        node.warn(RED._('oilrisk-site.errors.watch', { message: (err as Error).message }));
      }
    }

    siteNodes.set(node.id, node);
    node.reload().catch((err: Error) => node.error(err.message));

    node.on('close', (_removed: boolean, done: () => void) => {
      closed = true;
      clearTimeout(debounce);
      try { watcher?.close(); } finally {
        listeners.clear();
        if (siteNodes.get(node.id) === node) siteNodes.delete(node.id);
        done();
      }
    });
  }

  RED.nodes.registerType('oilrisk-site', OilriskSiteNode);

  const problem = (res: Response, status: number, file: string, path: string, message: string) =>
    res.status(status).json({ ok: false, issues: [{ severity: 'error', file, path, message }] });

  // The edit dialog asks the runtime to check a path or inline text and shows the size or the errors.
  // Writers only: the answer quotes values from the file it reads.
  RED.httpAdmin.post('/oilrisk/site/check', RED.auth.needsPermission('oilrisk-site.write'), (req: Request, res: Response) => {
    const body = (req.body ?? {}) as { path?: unknown; inline?: unknown };
    if (typeof body.path === 'string' && body.path.trim()) {
      const path = body.path.trim();
      loadSiteFile(resolveSitePath(path, RED.settings.userDir), path, options())
        .then((result) => res.json(summarise(result)))
        .catch((err: Error) => problem(res, 500, path, '(file)', err.message));
    } else if (typeof body.inline === 'string' && body.inline.trim()) {
      res.json(summarise(parseSite(body.inline, 'inline', options())));
    } else {
      problem(res, 400, 'request', '(body)', 'send {"path": "..."} or {"inline": "..."}');
    }
  });

  // Config nodes show no status in the editor: the load state of every site is here instead.
  RED.httpAdmin.get('/oilrisk/api/site', RED.auth.needsPermission('oilrisk.read'), (_req: Request, res: Response) => {
    res.json({ sites: [...siteNodes.values()].map((n) => n.state()) });
  });

  RED.httpAdmin.get('/oilrisk/api/site/schema', RED.auth.needsPermission('oilrisk.read'), (_req: Request, res: Response) => {
    res.json(siteJsonSchema());
  });

  RED.httpAdmin.get('/oilrisk/api/site/:id', RED.auth.needsPermission('oilrisk.read'), (req: Request, res: Response) => {
    const found = siteNodes.get(String(req.params.id));
    if (!found) return problem(res, 404, 'request', 'id', `no oilrisk-site node with id "${String(req.params.id)}"; GET /oilrisk/api/site lists them`);
    res.json({ ...found.state(), site: found.site ?? null });
  });
}
