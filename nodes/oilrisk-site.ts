// The oilrisk-site config node: loads the site model (a file under the user dir, or inline
// text), watches the file, and lets flow nodes register for the current site.

import { watch, type FSWatcher } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import type { Node, NodeAPI, NodeDef } from 'node-red';
import { loadSiteFile, parseSite, type ParseResult, type SiteIssue } from '../lib/site/index.js';
import type { Site } from '../lib/model/index.js';

export interface SiteNodeDef extends NodeDef {
  path: string;
  inline: string;
}

export type SiteListener = (site: Site) => void;

export interface SiteNode extends Node {
  /** The current valid site, or undefined while none has loaded. */
  site: Site | undefined;
  issues: SiteIssue[];
  /** Calls `listener` now when a site is loaded, and again after every successful reload. */
  register(listener: SiteListener): void;
  deregister(listener: SiteListener): void;
}

const RELOAD_DEBOUNCE_MS = 200;

export function resolveSitePath(path: string, userDir: string | undefined): string {
  return isAbsolute(path) ? path : resolve(userDir ?? process.cwd(), path);
}

export function summarise(result: ParseResult): { ok: boolean; equipment?: number; tags?: number; dependencies?: number; issues: SiteIssue[] } {
  if (!result.ok) return { ok: false, issues: result.issues };
  const { site } = result;
  return { ok: true, equipment: site.equipment.length, tags: site.tags.length, dependencies: site.dependencies.length, issues: result.issues };
}

export default function register(RED: NodeAPI): void {
  function OilriskSiteNode(this: SiteNode, config: SiteNodeDef) {
    RED.nodes.createNode(this, config);
    const node = this;
    const listeners = new Set<SiteListener>();
    let watcher: FSWatcher | undefined;
    let debounce: NodeJS.Timeout | undefined;
    let closed = false;
    const filePath = config.path ? resolveSitePath(config.path, RED.settings.userDir) : undefined;

    node.site = undefined;
    node.issues = [];

    node.register = (listener) => {
      listeners.add(listener);
      if (node.site) listener(node.site);
    };
    node.deregister = (listener) => { listeners.delete(listener); };

    const apply = (result: ParseResult) => {
      if (closed) return;
      node.issues = result.issues;
      if (!result.ok) {
        // Keep the last good site running: a bad edit must not blind the plant.
        node.error(RED._('oilrisk-site.errors.invalid', { count: result.issues.length, issues: result.issues.map((i) => `${i.file}: ${i.path}: ${i.message}`).join('; ') }));
        return;
      }
      node.site = result.site;
      node.log(RED._('oilrisk-site.log.loaded', { equipment: result.site.equipment.length, tags: result.site.tags.length }));
      for (const listener of listeners) listener(result.site);
    };

    const load = () => {
      if (filePath) loadSiteFile(filePath).then(apply, (err: Error) => node.error(err.message));
      else apply(parseSite(config.inline ?? '', 'inline'));
    };

    if (!filePath && !config.inline) {
      node.issues = [{ severity: 'error', file: 'inline', path: '(config)', message: 'no site file path and no inline site: set one in the node' }];
      node.error(RED._('oilrisk-site.errors.missing'));
    } else {
      load();
    }

    if (filePath) {
      try {
        watcher = watch(filePath, () => {
          clearTimeout(debounce);
          debounce = setTimeout(load, RELOAD_DEBOUNCE_MS);
        });
        watcher.on('error', (err) => node.warn(RED._('oilrisk-site.errors.watch', { message: err.message })));
      } catch (err) {
        node.warn(RED._('oilrisk-site.errors.watch', { message: (err as Error).message }));
      }
    }

    node.on('close', (_removed: boolean, done: () => void) => {
      closed = true;
      clearTimeout(debounce);
      watcher?.close();
      listeners.clear();
      done();
    });
  }

  RED.nodes.registerType('oilrisk-site', OilriskSiteNode);

  // The edit dialog asks the runtime to check a path or inline text and shows the size or the errors.
  RED.httpAdmin.post('/oilrisk/site/check', RED.auth.needsPermission('oilrisk-site.read'), (req, res) => {
    const body = (req.body ?? {}) as { path?: unknown; inline?: unknown };
    if (typeof body.path === 'string' && body.path.trim()) {
      loadSiteFile(resolveSitePath(body.path.trim(), RED.settings.userDir))
        .then((result) => res.json(summarise(result)))
        .catch((err: Error) => res.status(500).json({ ok: false, issues: [{ severity: 'error', file: String(body.path), path: '(file)', message: err.message }] }));
    } else if (typeof body.inline === 'string' && body.inline.trim()) {
      res.json(summarise(parseSite(body.inline, 'inline')));
    } else {
      res.status(400).json({ ok: false, issues: [{ severity: 'error', file: 'request', path: '(body)', message: 'send {"path": "..."} or {"inline": "..."}' }] });
    }
  });
}

