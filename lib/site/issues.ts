// What is wrong with a site file, said so that an admin can fix it without reading code:
// the file, the path inside it, what is wrong, and (where there is one) what to do.

/** error: the site does not load; warning: it loads but something looks wrong; info: worth knowing. */
export type SiteIssueSeverity = 'error' | 'warning' | 'info';

export interface SiteIssue {
  severity: SiteIssueSeverity;
  /** File name, or "inline" for a site given in the editor. */
  file: string;
  /** Path inside the file, e.g. "dependencies[4].from". */
  path: string;
  /** 1-based line of the path in the file, when it can be found there. */
  line?: number;
  message: string;
}

export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out || '(top)';
}

/** `file:line: path: message`, the form editors and terminals turn into a link to the line. */
export function formatIssue(issue: SiteIssue): string {
  return `${issue.file}${issue.line ? `:${issue.line}` : ''}: ${issue.path}: ${issue.message}`;
}

/** The keys and indexes of a formatted path ("tags[3].factors[0]" gives tags, 3, factors, 0); undefined for "(top)" and the like. */
export function parsePath(path: string): Array<string | number> | undefined {
  if (!/^[A-Za-z]/.test(path) || path.startsWith('line ')) return undefined;
  const parts: Array<string | number> = [];
  for (const m of path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) parts.push(m[2] !== undefined ? Number(m[2]) : m[1]);
  return parts;
}

export class SiteValidationError extends Error {
  readonly issues: readonly SiteIssue[];

  constructor(issues: readonly SiteIssue[]) {
    const errors = issues.filter((i) => i.severity === 'error');
    super(`oilrisk/site: ${errors.length} error(s) in site file:\n` + errors.map((i) => '  ' + formatIssue(i)).join('\n'));
    this.name = 'SiteValidationError';
    this.issues = issues;
  }
}
