// Cross-reference checks a schema cannot express: unknown and duplicate ids, limits out of
// order, bands out of order. Cycles are legal (recycle loops) and reported as information.

import type { Dependency, Equipment, Site, Tag } from '../model/index.js';
import type { SiteIssue } from './issues.js';
import type { SiteFile } from './schema.js';
import { findCycles } from './cycles.js';

const LIMIT_ORDER = ['LL', 'L', 'H', 'HH'] as const;
const BAND_ORDER = ['IV', 'III', 'II', 'I'] as const;

export interface ValidationResult {
  site: Site;
  issues: SiteIssue[];
}

export function validateSite(file: SiteFile, fileName: string): ValidationResult {
  const issues: SiteIssue[] = [];
  const error = (path: string, message: string) => issues.push({ severity: 'error', file: fileName, path, message });

  const equipmentIds = new Map<string, number>();
  file.equipment.forEach((e, i) => {
    const first = equipmentIds.get(e.id);
    if (first !== undefined) error(`equipment[${i}].id`, `duplicate equipment id "${e.id}" (first at equipment[${first}]); give each equipment its own id`);
    else equipmentIds.set(e.id, i);
  });

  const edges = new Set<string>();
  file.dependencies.forEach((d, i) => {
    for (const end of ['from', 'to'] as const) {
      if (!equipmentIds.has(d[end])) error(`dependencies[${i}].${end}`, `unknown equipment "${d[end]}"; declare it under equipment or fix the id`);
    }
    if (d.from === d.to) error(`dependencies[${i}]`, `equipment "${d.from}" depends on itself; remove this dependency`);
    const key = `${d.from}\u0000${d.to}\u0000${d.kind}`;
    if (edges.has(key)) error(`dependencies[${i}]`, `duplicate ${d.kind} dependency ${d.from} -> ${d.to}; keep one and set its weight`);
    edges.add(key);
  });

  const tagIds = new Map<string, number>();
  const bindings = new Map<string, string>();
  file.tags.forEach((t, i) => {
    const first = tagIds.get(t.id);
    if (first !== undefined) error(`tags[${i}].id`, `duplicate tag id "${t.id}" (first at tags[${first}])`);
    else tagIds.set(t.id, i);
    if (!equipmentIds.has(t.equipment)) error(`tags[${i}].equipment`, `unknown equipment "${t.equipment}" for tag "${t.id}"`);
    if (t.binding) {
      const key = `${t.binding.protocol} ${t.binding.address} ${t.binding.field ?? ''}`;
      const other = bindings.get(key);
      if (other) error(`tags[${i}].binding`, `tag "${t.id}" has the same device binding as tag "${other}"; one device address feeds one tag`);
      else bindings.set(key, t.id);
    }
    const factorIds = new Set<string>();
    t.factors.forEach((f, j) => {
      const path = `tags[${i}].factors[${j}]`;
      if (factorIds.has(f.id)) error(`${path}.id`, `duplicate factor id "${f.id}" in tag "${t.id}"`);
      factorIds.add(f.id);
      if (f.limits) {
        const present = LIMIT_ORDER.filter((k) => f.limits![k] !== undefined);
        for (let k = 1; k < present.length; k++) {
          const lower = present[k - 1], upper = present[k];
          if (!(f.limits[lower]! < f.limits[upper]!)) {
            error(`${path}.limits`, `limits out of order: ${lower} (${f.limits[lower]}) must be below ${upper} (${f.limits[upper]})`);
          }
        }
      }
      if (!f.limits && f.tripWhen === undefined && f.rateOfChange === undefined && f.staleTimeout === undefined) {
        error(path, `factor "${f.id}" watches nothing; give it limits, tripWhen, rateOfChange or staleTimeout`);
      }
      if (f.predictHorizon !== undefined && !f.limits) {
        error(`${path}.predictHorizon`, `prediction needs limits to forecast against; add limits or remove predictHorizon`);
      }
    });
  });

  for (let k = 1; k < BAND_ORDER.length; k++) {
    const lower = BAND_ORDER[k - 1], upper = BAND_ORDER[k];
    if (!(file.scoreBands[lower] < file.scoreBands[upper])) {
      error(`scoreBands.${upper}`, `score bands out of order: level ${upper} (${file.scoreBands[upper]}) must be above level ${lower} (${file.scoreBands[lower]})`);
    }
  }

  const equipment: Equipment[] = file.equipment.map((e) => ({ ...e, name: e.name ?? e.id }));
  const dependencies: Dependency[] = file.dependencies.map((d) => ({ from: d.from, to: d.to, kind: d.kind, transmissionWeight: d.weight }));
  const tags: Tag[] = file.tags.map((t) => ({ ...t }));
  const site: Site = { id: file.site.id, name: file.site.name ?? file.site.id, equipment, dependencies, tags, scoreBands: file.scoreBands };

  if (!issues.some((i) => i.severity === 'error')) {
    for (const cycle of findCycles(site.equipment.map((e) => e.id), site.dependencies)) {
      issues.push({ severity: 'info', file: fileName, path: 'dependencies', message: `dependency cycle (allowed, e.g. a recycle loop): ${[...cycle, cycle[0]].join(' -> ')}` });
    }
  }
  return { site, issues };
}
