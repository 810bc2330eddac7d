// Reads a site file part by part, entry by entry, so that one malformed entry does not hide the
// reference problems of the others: the admin sees every problem of the file in one pass.

import { z, type core } from 'zod';
import type { SiteIssue } from './issues.js';
import { schemaIssues } from './messages.js';
import { DEFAULT_SCORE_BANDS, dependencySchema, equipmentSchema, geofenceSchema, scoreBandsSchema, siteFileSchema, tagSchema, type SiteFile } from './schema.js';

type Entry<T extends readonly unknown[]> = T[number] | undefined;

/** The parts of a site file that passed the schema; an entry that did not is `undefined`, in its place. */
export interface SiteSections {
  site?: SiteFile['site'];
  scoreBands?: SiteFile['scoreBands'];
  equipment: Array<Entry<SiteFile['equipment']>>;
  dependencies: Array<Entry<SiteFile['dependencies']>>;
  tags: Array<Entry<SiteFile['tags']>>;
  geofences: Array<Entry<SiteFile['geofences']>>;
  /** Every equipment id written in the file, valid entry or not: references to them are not unknown. */
  declaredEquipment: Set<string>;
}

const outline = z.object({
  site: z.unknown().optional(),
  scoreBands: z.unknown().optional(),
  equipment: z.array(z.unknown()).min(1),
  dependencies: z.array(z.unknown()).optional(),
  tags: z.array(z.unknown()).optional(),
  geofences: z.array(z.unknown()).optional(),
}).strict();

const siteSchema = siteFileSchema.shape.site;

export function readSections(data: unknown, fileName: string): { sections?: SiteSections; issues: SiteIssue[] } {
  const raw: core.$ZodIssue[] = [];
  const collect = <T>(schema: z.ZodType<T>, value: unknown, path: PropertyKey[]): T | undefined => {
    const parsed = schema.safeParse(value, { reportInput: true });
    if (parsed.success) return parsed.data;
    for (const issue of parsed.error.issues) raw.push({ ...issue, path: [...path, ...issue.path] } as core.$ZodIssue);
    return undefined;
  };

  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    collect(siteFileSchema, data, []);
    return { issues: schemaIssues(raw, siteFileSchema, fileName) };
  }
  const top = data as Record<string, unknown>;
  collect(outline, top, []);
  const list = (key: string) => (Array.isArray(top[key]) ? top[key] as unknown[] : []);
  const sections: SiteSections = {
    site: collect(siteSchema, top.site, ['site']),
    scoreBands: top.scoreBands === undefined ? { ...DEFAULT_SCORE_BANDS } : collect(scoreBandsSchema, top.scoreBands, ['scoreBands']),
    equipment: list('equipment').map((e, i) => collect(equipmentSchema, e, ['equipment', i])),
    dependencies: list('dependencies').map((d, i) => collect(dependencySchema, d, ['dependencies', i])),
    tags: list('tags').map((t, i) => collect(tagSchema, t, ['tags', i])),
    geofences: list('geofences').map((g, i) => collect(geofenceSchema, g, ['geofences', i])),
    declaredEquipment: new Set(list('equipment').flatMap((e) => {
      const id = (e as { id?: unknown } | null)?.id;
      return typeof id === 'string' ? [id] : [];
    })),
  };
  return { sections, issues: schemaIssues(raw, siteFileSchema, fileName) };
}
