// Turns the text of a site file (YAML, of which JSON is a subset) into a validated Site,
// collecting every problem at once instead of stopping at the first.

import { LineCounter, parseDocument } from 'yaml';
import type { Site } from '../model/index.js';
import type { SiteIssue } from './issues.js';
import { schemaIssues } from './messages.js';
import { siteFileSchema } from './schema.js';
import { validateSite, type ValidationOptions } from './validate.js';

export type ParseResult =
  | { ok: true; site: Site; issues: SiteIssue[] }
  | { ok: false; issues: SiteIssue[] };

export type ParseOptions = ValidationOptions;

function failed(file: string, path: string, message: string): ParseResult {
  return { ok: false, issues: [{ severity: 'error', file, path, message }] };
}

function at({ line, col }: { line: number; col: number }): string {
  return `line ${line}, column ${col}`;
}

export function parseSite(text: string, fileName = 'inline', options: ParseOptions = {}): ParseResult {
  if (!text.trim()) return failed(fileName, '(top)', 'the site is empty: write "site:", "equipment:", "dependencies:" and "tags:" (see docs/site-model.md)');
  let data: unknown;
  try {
    const lines = new LineCounter();
    const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: true, lineCounter: lines });
    if (doc.errors.length) {
      return {
        ok: false,
        issues: doc.errors.map((e) => ({
          severity: 'error' as const,
          file: fileName,
          path: at(lines.linePos(e.pos[0])),
          message: `not valid YAML or JSON: ${e.message.split('\n')[0]}`,
        })),
      };
    }
    data = doc.toJS({ maxAliasCount: 1000 });
  } catch (err) {
    // The YAML library throws for documents it cannot represent (alias bombs, odd tags).
    return failed(fileName, '(syntax)', `cannot read the document: ${(err as Error).message.split('\n')[0]}`);
  }
  const parsed = siteFileSchema.safeParse(data, { reportInput: true });
  if (!parsed.success) return { ok: false, issues: schemaIssues(parsed.error.issues, siteFileSchema, fileName) };
  const { site, issues } = validateSite(parsed.data, fileName, options);
  if (issues.some((i) => i.severity === 'error')) return { ok: false, issues };
  return { ok: true, site, issues };
}
