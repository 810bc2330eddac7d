// Turns the text of a site file (YAML, of which JSON is a subset) into a validated Site,
// collecting every problem at once instead of stopping at the first.

import { parseDocument } from 'yaml';
import type { Site } from '../model/index.js';
import { formatPath, type SiteIssue } from './issues.js';
import { siteFileSchema } from './schema.js';
import { validateSite } from './validate.js';

export type ParseResult =
  | { ok: true; site: Site; issues: SiteIssue[] }
  | { ok: false; issues: SiteIssue[] };

export function parseSite(text: string, fileName = 'inline'): ParseResult {
  const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length) {
    return {
      ok: false,
      issues: doc.errors.map((e) => ({
        severity: 'error' as const,
        file: fileName,
        path: e.linePos ? `line ${e.linePos[0].line}, column ${e.linePos[0].col}` : '(syntax)',
        message: `not valid YAML or JSON: ${e.message.split('\n')[0]}`,
      })),
    };
  }
  const parsed = siteFileSchema.safeParse(doc.toJS());
  if (!parsed.success) {
    return {
      ok: false,
      issues: parsed.error.issues.map((i) => ({
        severity: 'error' as const,
        file: fileName,
        path: formatPath(i.path),
        message: i.message,
      })),
    };
  }
  const { site, issues } = validateSite(parsed.data, fileName);
  if (issues.some((i) => i.severity === 'error')) return { ok: false, issues };
  return { ok: true, site, issues };
}
