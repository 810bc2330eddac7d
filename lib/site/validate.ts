// Cross-reference checks a schema cannot express: unknown and duplicate ids, limits out of
// order, bands out of order, device addresses. Cycles are legal (recycle loops): information.

import type { Dependency, Equipment, Geofence, Site, Tag } from '../model/index.js';
import type { SiteIssue } from './issues.js';
import type { SiteSections } from './sections.js';
import { isDerivedGpsTag } from '../gps/index.js';
import { checkBinding } from './bindings.js';
import { cyclePath, findCycles, successorsOf } from './cycles.js';
import { didYouMean } from './suggest.js';

const LIMIT_ORDER = ['LL', 'L', 'H', 'HH'] as const;
const BAND_ORDER = ['IV', 'III', 'II', 'I'] as const;

export interface ValidationOptions {
  /** Whether a tag's sensor profile ("pressure", "esp-drive.current") exists; unchecked when absent. */
  isKnownProfile?: (reference: string) => boolean;
  /** Profile names offered as "did you mean" for an unknown one. */
  profileNames?: readonly string[];
}

export interface ValidationResult {
  /** The site, when every part of the file passed the schema. */
  site: Site | undefined;
  issues: SiteIssue[];
}

/** Checks the entries that passed the schema; `file.declaredEquipment` keeps references to the others from being reported as unknown. */
export function validateSite(file: SiteSections, fileName: string, options: ValidationOptions = {}): ValidationResult {
  const issues: SiteIssue[] = [];
  const error = (path: string, message: string) => issues.push({ severity: 'error', file: fileName, path, message });
  const warning = (path: string, message: string) => issues.push({ severity: 'warning', file: fileName, path, message });

  const equipmentIds = new Map<string, number>();
  file.equipment.forEach((e, i) => {
    if (!e) return;
    const first = equipmentIds.get(e.id);
    if (first !== undefined) error(`equipment[${i}].id`, `duplicate equipment id "${e.id}" (first at equipment[${first}]); give each equipment its own id`);
    else equipmentIds.set(e.id, i);
  });
  const known = (id: string) => equipmentIds.has(id) || file.declaredEquipment.has(id);
  const unknownEquipment = (id: string) => `unknown equipment "${id}"${didYouMean(id, equipmentIds.keys())}; declare it under equipment or fix the id`;

  const edges = new Map<string, number>();
  file.dependencies.forEach((d, i) => {
    if (!d) return;
    for (const end of ['from', 'to'] as const) {
      if (!known(d[end])) error(`dependencies[${i}].${end}`, unknownEquipment(d[end]));
    }
    if (d.from === d.to) error(`dependencies[${i}]`, `equipment "${d.from}" depends on itself; remove this dependency`);
    const key = `${d.from}\u0000${d.to}\u0000${d.kind}`;
    const first = edges.get(key);
    if (first !== undefined) error(`dependencies[${i}]`, `duplicate ${d.kind} dependency ${d.from} -> ${d.to} (first at dependencies[${first}]); keep one and set its weight`);
    else edges.set(key, i);
  });

  const tagIds = new Map<string, number>();
  const bindings = new Map<string, string>();
  file.tags.forEach((t, i) => {
    if (!t) return;
    const first = tagIds.get(t.id);
    if (first !== undefined) error(`tags[${i}].id`, `duplicate tag id "${t.id}" (first at tags[${first}]); give each tag its own id`);
    else tagIds.set(t.id, i);
    if (!known(t.equipment)) error(`tags[${i}].equipment`, unknownEquipment(t.equipment));
    if (options.isKnownProfile && !options.isKnownProfile(t.profile)) {
      error(`tags[${i}].profile`, `unknown sensor profile "${t.profile}"${didYouMean(t.profile, options.profileNames ?? [])}; use a built-in profile or install the plugin that provides it`);
    }
    if (t.binding && isDerivedGpsTag(t)) {
      error(`tags[${i}].binding`, `tag "${t.id}" of profile "${t.profile}" is set from the vehicle's GPS fixes, never read from a device; remove its binding`);
    } else if (t.binding) {
      const { key, problem } = checkBinding(t.binding);
      if (problem) error(`tags[${i}].binding.address`, problem);
      const other = bindings.get(key);
      if (other) error(`tags[${i}].binding`, `tag "${t.id}" has the same device address as tag "${other}"; one device point feeds one tag`);
      else bindings.set(key, t.id);
    }
    const factorIds = new Set<string>();
    t.factors.forEach((f, j) => {
      const path = `tags[${i}].factors[${j}]`;
      if (factorIds.has(f.id)) error(`${path}.id`, `duplicate factor id "${f.id}" in tag "${t.id}"; name each factor of a tag differently`);
      factorIds.add(f.id);
      const limits = f.limits ?? {};
      const present = LIMIT_ORDER.filter((k) => limits[k] !== undefined);
      for (let k = 1; k < present.length; k++) {
        const lower = present[k - 1], upper = present[k];
        if (!(limits[lower]! < limits[upper]!)) {
          error(`${path}.limits`, `limits out of order: ${lower} (${limits[lower]}) must be below ${upper} (${limits[upper]}); limits rise LL < L < H < HH`);
        }
      }
      if (f.deadband !== undefined && present.length > 1) {
        const gap = Math.min(...present.slice(1).map((k, n) => limits[k]! - limits[present[n]]!));
        if (gap > 0 && f.deadband >= gap) {
          warning(`${path}.deadband`, `deadband ${f.deadband} is not smaller than the closest pair of limits (${gap} apart): a limit could never clear before the next one is crossed`);
        }
      }
      if (present.length === 0 && f.tripWhen === undefined && f.rateOfChange === undefined && f.staleTimeout === undefined) {
        error(path, `factor "${f.id}" watches nothing; give it limits, tripWhen, rateOfChange or staleTimeout`);
      }
      if (f.predictHorizon !== undefined && present.length === 0) {
        error(`${path}.predictHorizon`, 'prediction needs limits to forecast against; add limits or remove predictHorizon');
      }
      if (f.tripWhen !== undefined && present.length > 0) {
        error(`${path}.tripWhen`, `factor "${f.id}" has both tripWhen (a boolean tag) and limits (a numeric tag); split it into two factors on the right tags`);
      }
    });
  });

  const geofenceIds = new Map<string, number>();
  file.geofences.forEach((g, i) => {
    if (!g) return;
    const first = geofenceIds.get(g.id);
    if (first !== undefined) error(`geofences[${i}].id`, `duplicate geofence id "${g.id}" (first at geofences[${first}]); give each geofence its own id`);
    else geofenceIds.set(g.id, i);
    if (g.kind === 'speed-zone' && g.speedLimitKmh === undefined) error(`geofences[${i}].speedLimitKmh`, `speed zone "${g.id}" has no speed limit; set speedLimitKmh`);
  });

  const bands = file.scoreBands;
  for (let k = 1; bands && k < BAND_ORDER.length; k++) {
    const lower = BAND_ORDER[k - 1], upper = BAND_ORDER[k];
    if (!(bands[lower] < bands[upper])) {
      error(`scoreBands.${upper}`, `score bands out of order: level ${upper} (${bands[upper]}) must be above level ${lower} (${bands[lower]}); bands rise IV < III < II < I`);
    }
  }

  const complete = <T>(entries: ReadonlyArray<T | undefined>): entries is T[] => entries.every((e) => e !== undefined);
  if (!file.site || !bands || !complete(file.equipment) || !complete(file.dependencies) || !complete(file.tags) || !complete(file.geofences)) return { site: undefined, issues };
  const equipment: Equipment[] = file.equipment.map((e) => ({ ...e, name: e.name ?? e.id }));
  const dependencies: Dependency[] = file.dependencies.map((d) => ({ from: d.from, to: d.to, kind: d.kind, transmissionWeight: d.weight }));
  const tags: Tag[] = file.tags.map((t) => ({ ...t }));
  const geofences: Geofence[] = file.geofences.map((g) => ({ ...g, name: g.name ?? g.id }));
  const site: Site = { id: file.site.id, name: file.site.name ?? file.site.id, equipment, dependencies, tags, scoreBands: bands, geofences };

  if (!issues.some((i) => i.severity === 'error')) {
    const successors = successorsOf(site.dependencies);
    for (const component of findCycles(site.equipment.map((e) => e.id), site.dependencies)) {
      const loop = cyclePath(component, successors);
      const group = component.length > loop.length - 1 ? `; the loop group holds ${component.join(', ')}` : '';
      issues.push({ severity: 'info', file: fileName, path: 'dependencies', message: `dependency cycle (allowed, e.g. a recycle loop; the risk engine follows each path from a source once, so a loop never feeds on itself): ${loop.join(' -> ')}${group}` });
    }
  }
  return { site, issues };
}
