// Turns the text of a site file (YAML, of which JSON is a subset) into a validated Site,
// collecting every problem at once instead of stopping at the first.

import { isNode, LineCounter, parseDocument, type Document } from 'yaml';
import type { Site } from '../model/index.js';
import { parsePath, type SiteIssue } from './issues.js';
import { readSections } from './sections.js';
import { validateSite, type ValidationOptions } from './validate.js';

export type ParseResult =
  | { ok: true; site: Site; issues: SiteIssue[] }
  | { ok: false; issues: SiteIssue[] };

export type ParseOptions = ValidationOptions;

function failed(file: string, path: string, message: string): ParseResult {
  return { ok: false, issues: [{ severity: 'error', file, path, message }] };
}

/** Adds the line of each issue's path, or of the nearest enclosing part that exists in the file. */
function withLines(issues: SiteIssue[], doc: Document, lines: LineCounter): SiteIssue[] {
  return issues.map((issue) => {
    const path = parsePath(issue.path);
    if (!path) return issue;
    for (let n = path.length; n > 0; n--) {
      const node = doc.getIn(path.slice(0, n), true);
      if (isNode(node) && node.range) return { ...issue, line: lines.linePos(node.range[0]).line };
    }
    return issue;
  });
}

function at({ line, col }: { line: number; col: number }): string {
  return `line ${line}, column ${col}`;
}

/** Locating issues in a large file costs a full YAML parse: above this, issues keep their path only. */
const LINE_LOOKUP_LIMIT = 1_000_000;

type Located = { doc: Document; lines: LineCounter };

/** The YAML document, or `failure` when the text is not valid YAML/JSON. */
function readDocument(text: string, fileName: string): { located: Located; data: unknown } | { failure: ParseResult } {
  try {
    const lines = new LineCounter();
    const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: true, lineCounter: lines });
    if (doc.errors.length) {
      return {
        failure: {
          ok: false,
          issues: doc.errors.map((e) => ({
            severity: 'error' as const,
            file: fileName,
            path: at(lines.linePos(e.pos[0])),
            line: lines.linePos(e.pos[0]).line,
            message: `not valid YAML or JSON: ${e.message.split('\n')[0]}`,
          })),
        },
      };
    }
    return { located: { doc, lines }, data: doc.toJS({ maxAliasCount: 1000 }) };
  } catch (err) {
    // The YAML library throws for documents it cannot represent (alias bombs, odd tags).
    return { failure: failed(fileName, '(syntax)', `cannot read the document: ${(err as Error).message.split('\n')[0]}`) };
  }
}

export function parseSite(text: string, fileName = 'inline', options: ParseOptions = {}): ParseResult {
  if (!text.trim()) return failed(fileName, '(top)', 'the site is empty: write "site:", "equipment:", "dependencies:" and "tags:" (see docs/site-model.md)');
  let data: unknown;
  let located: Located | undefined;
  // Sites generated from an asset register are large JSON files: JSON.parse reads them many times
  // faster than a YAML parser. Anything it refuses goes through YAML, which says where and why.
  const json = /^\s*\{/.test(text) ? tryJson(text) : undefined;
  if (json) {
    data = json.value;
  } else {
    const read = readDocument(text, fileName);
    if ('failure' in read) return read.failure;
    ({ located, data } = read);
  }
  const locate = (issues: SiteIssue[]): SiteIssue[] => {
    if (!issues.some((i) => i.severity !== 'info')) return issues;
    if (!located && text.length <= LINE_LOOKUP_LIMIT) {
      const read = readDocument(text, fileName);
      if (!('failure' in read)) located = read.located;
    }
    return located ? withLines(issues, located.doc, located.lines) : issues;
  };
  const read = readSections(data, fileName);
  const validated = read.sections ? validateSite(read.sections, fileName, options) : { site: undefined, issues: [] };
  const issues = inFileOrder(locate([...read.issues, ...validated.issues]));
  if (!validated.site || issues.some((i) => i.severity === 'error')) return { ok: false, issues };
  return { ok: true, site: validated.site, issues };
}

/** Problems top to bottom as the admin reads the file; information last. */
function inFileOrder(issues: SiteIssue[]): SiteIssue[] {
  const rank = (i: SiteIssue) => (i.severity === 'info' ? Infinity : i.line ?? 0);
  return issues.map((issue, n) => ({ issue, n })).sort((a, b) => rank(a.issue) - rank(b.issue) || a.n - b.n).map(({ issue }) => issue);
}

function tryJson(text: string): { value: unknown } | undefined {
  try {
    return { value: JSON.parse(text) as unknown };
  } catch {
    return undefined;
  }
}
