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

export function formatIssue(issue: SiteIssue): string {
  return `${issue.file}: ${issue.path}: ${issue.message}`;
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
