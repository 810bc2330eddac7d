// What every oilrisk node reads from its editor config and the runtime settings the same way:
// numbers typed as text, and the data folder each node keeps its files in.

import { isAbsolute, join, resolve } from 'node:path';

/** A positive number from an editor field (often a string), or the fallback for anything else. */
export function positiveNumber(value: unknown, fallback: number): number {
  const n = Number(value);
  return Number.isFinite(n) && n > 0 ? n : fallback;
}

/** Like positiveNumber, but 0 is kept: it means "off" where a node allows it. */
export function nonNegativeNumber(value: unknown, fallback: number): number {
  const n = typeof value === 'number' ? value : Number.parseFloat(String(value ?? ''));
  return Number.isFinite(n) && n >= 0 ? n : fallback;
}

/** A folder for one node's files: `<data folder>/<kind>/<node id made file-safe>`. */
export function nodeDataPath(settings: unknown, kind: string, nodeId: string): string {
  const s = settings as { oilrisk?: { dataDir?: string }; userDir?: string };
  const dataDir = s.oilrisk?.dataDir ?? s.userDir ?? process.cwd();
  return join(dataDir, kind, nodeId.replace(/[^A-Za-z0-9._-]/g, '_'));
}

/** A path an admin typed in the editor: absolute, or relative to the Node-RED user dir. */
export function userDirPath(path: string, userDir: string | undefined): string {
  return isAbsolute(path) ? path : resolve(userDir ?? process.cwd(), path);
}
