// Turns the text of a playbook file into validated playbooks, with every problem at once,
// reported like site-file problems: file, path, what is wrong and how to fix it.

import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { parseDocument } from 'yaml';
import { formatPath, type SiteIssue } from '../site/index.js';
import { playbookFileSchema, type PlaybookFile } from './playbook-schema.js';

export type PlaybookParseResult =
  | { ok: true; playbooks: PlaybookFile; issues: SiteIssue[] }
  | { ok: false; issues: SiteIssue[] };

const LEVELS = ['I', 'II', 'III', 'IV'] as const;

export function validatePlaybooks(file: PlaybookFile, fileName: string): SiteIssue[] {
  const issues: SiteIssue[] = [];
  const error = (path: string, message: string) => issues.push({ severity: 'error', file: fileName, path, message });
  const roles = Object.keys(file.contacts);
  const muster = new Map<string, number>();
  file.musterPoints.forEach((m, i) => {
    const first = muster.get(m.id);
    if (first !== undefined) error(`musterPoints[${i}].id`, `duplicate muster point "${m.id}" (first at musterPoints[${first}]); give each its own id`);
    else muster.set(m.id, i);
  });
  const ids = new Map<string, number>();
  let defaults = 0;
  file.playbooks.forEach((p, i) => {
    const first = ids.get(p.id);
    if (first !== undefined) error(`playbooks[${i}].id`, `duplicate playbook "${p.id}" (first at playbooks[${first}])`);
    else ids.set(p.id, i);
    const m = p.match;
    if (m.default) defaults++;
    if (!m.default && !m.factors.length && !m.profiles.length && !m.equipmentTypes.length && !m.categories.length) {
      error(`playbooks[${i}].match`, `playbook "${p.id}" matches nothing; list factors, profiles, equipmentTypes or categories, or set default: true`);
    }
    const levels = LEVELS.filter((l) => p.responses[l]);
    if (!levels.length) error(`playbooks[${i}].responses`, `playbook "${p.id}" has no response; add one for at least one level (I, II, III, IV)`);
    for (const level of levels) {
      const response = p.responses[level]!;
      response.roles.forEach((r, k) => {
        if (!roles.includes(r)) error(`playbooks[${i}].responses.${level}.roles[${k}]`, `unknown role "${r}"; add it under contacts or use one of: ${roles.join(', ')}`);
      });
      response.muster.forEach((id, k) => {
        if (!muster.has(id)) error(`playbooks[${i}].responses.${level}.muster[${k}]`, `unknown muster point "${id}"; declare it under musterPoints`);
      });
    }
  });
  if (defaults > 1) error('playbooks', `${defaults} playbooks say default: true; keep one`);
  return issues;
}

export function parsePlaybooks(text: string, fileName = 'inline'): PlaybookParseResult {
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length) {
    return {
      ok: false,
      issues: doc.errors.map((e) => ({
        severity: 'error' as const,
        file: fileName,
        path: e.linePos ? `line ${e.linePos[0].line}, column ${e.linePos[0].col}` : '(syntax)',
        message: `not valid YAML or JSON: ${e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '')}`,
      })),
    };
  }
  const parsed = playbookFileSchema.safeParse(doc.toJS());
  if (!parsed.success) {
    return {
      ok: false,
      issues: parsed.error.issues.map((i) => ({ severity: 'error' as const, file: fileName, path: formatPath(i.path), message: i.message })),
    };
  }
  const issues = validatePlaybooks(parsed.data, fileName);
  if (issues.some((i) => i.severity === 'error')) return { ok: false, issues };
  return { ok: true, playbooks: parsed.data, issues };
}

export async function loadPlaybookFile(path: string): Promise<PlaybookParseResult> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'file not found' : code === 'EACCES' ? 'permission denied' : (err as Error).message;
    return { ok: false, issues: [{ severity: 'error', file: path, path: '(file)', message: `cannot read playbook file: ${reason}` }] };
  }
  return parsePlaybooks(text, basename(path));
}

export class PlaybookValidationError extends Error {
  readonly issues: readonly SiteIssue[];
  constructor(issues: readonly SiteIssue[]) {
    super(`oilrisk/alarms: ${issues.length} error(s) in playbook file:\n` + issues.map((i) => `  ${i.file}: ${i.path}: ${i.message}`).join('\n'));
    this.name = 'PlaybookValidationError';
    this.issues = issues;
  }
}
