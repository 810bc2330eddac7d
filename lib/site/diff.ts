// What a reload changed: equipment, tags and dependencies added, removed or edited, so that
// the risk engine keeps the state of everything else and a log line can say what moved.

import type { Site } from '../model/index.js';

export interface IdChanges {
  added: string[];
  removed: string[];
  changed: string[];
}

export interface SiteChange {
  equipment: IdChanges;
  tags: IdChanges;
  /** Dependencies as "from -> to (kind)"; a new weight counts as changed. */
  dependencies: IdChanges;
  geofences: IdChanges;
  scoreBandsChanged: boolean;
  /** Nothing differs (e.g. the file was saved without edits). */
  unchanged: boolean;
}

/** JSON with object keys sorted, so that key order in the file does not count as a change. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (v && typeof v === 'object' && !Array.isArray(v)
    ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
    : v));
}

function compare<T>(before: readonly T[], after: readonly T[], id: (item: T) => string): IdChanges {
  const old = new Map(before.map((item) => [id(item), canonical(item)]));
  const out: IdChanges = { added: [], removed: [], changed: [] };
  const seen = new Set<string>();
  for (const item of after) {
    const key = id(item);
    seen.add(key);
    const previous = old.get(key);
    if (previous === undefined) out.added.push(key);
    else if (previous !== canonical(item)) out.changed.push(key);
  }
  for (const key of old.keys()) if (!seen.has(key)) out.removed.push(key);
  return out;
}

const empty = (c: IdChanges) => c.added.length + c.removed.length + c.changed.length === 0;

export function diffSites(before: Site | undefined, after: Site): SiteChange {
  const equipment = compare(before?.equipment ?? [], after.equipment, (e) => e.id);
  const tags = compare(before?.tags ?? [], after.tags, (t) => t.id);
  const dependencies = compare(before?.dependencies ?? [], after.dependencies, (d) => `${d.from} -> ${d.to} (${d.kind})`);
  const geofences = compare(before?.geofences ?? [], after.geofences ?? [], (g) => g.id);
  const scoreBandsChanged = !before || canonical(before.scoreBands) !== canonical(after.scoreBands);
  const siteRenamed = !before || before.id !== after.id || before.name !== after.name;
  return {
    equipment, tags, dependencies, geofences, scoreBandsChanged,
    unchanged: !siteRenamed && !scoreBandsChanged && empty(equipment) && empty(tags) && empty(dependencies) && empty(geofences),
  };
}
