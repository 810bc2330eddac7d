// Schema problems in the words of the site file: what is wrong at which path, and the fix.
// zod's own messages ("Too big: expected number to be <=1") name neither the key nor the fix.

import type { core, ZodType } from 'zod';
import { formatPath, type SiteIssue } from './issues.js';
import { didYouMean } from './suggest.js';

/** What a value is about, by the key it sits under: said next to range errors. */
const MEANING: Readonly<Record<string, string>> = {
  weight: 'a transmission weight is the share of upstream risk that reaches downstream, 0..1',
  criticality: 'criticality runs from 1 (minor) to 5 (critical)',
  severity: 'severity runs from 1 (negligible) to 5 (catastrophic)',
  lat: 'latitude in decimal degrees, -90..90',
  lon: 'longitude in decimal degrees, -180..180',
  deadband: 'a deadband is a distance in engineering units, 0 or more',
  onDelay: 'delays are seconds, 0 or more',
  offDelay: 'delays are seconds, 0 or more',
  rateOfChange: 'the largest credible change per minute, in engineering units, above 0',
  staleTimeout: 'seconds without a reading before the tag is stale, above 0',
  predictHorizon: 'seconds ahead to forecast a limit breach, above 0',
};

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null (an empty value)';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return `"${value}"`;
  return `${typeof value} ${String(value)}`;
}

function definition(schema: unknown): { type: string; shape?: Record<string, unknown>; element?: unknown; innerType?: unknown } | undefined {
  return (schema as { _zod?: { def?: { type: string } } })?._zod?.def as never;
}

/** The object keys a schema accepts at `path`, for "allowed keys" hints. */
export function keysAt(schema: ZodType, path: readonly PropertyKey[]): string[] {
  let current: unknown = schema;
  const unwrap = () => {
    for (let def = definition(current); def && (def.type === 'optional' || def.type === 'default' || def.type === 'nullable'); def = definition(current)) {
      current = def.innerType;
    }
  };
  for (const part of path) {
    unwrap();
    const def = definition(current);
    if (!def) return [];
    if (def.type === 'object' && typeof part === 'string') current = def.shape?.[part];
    else if (def.type === 'array' && typeof part === 'number') current = def.element;
    else return [];
  }
  unwrap();
  const def = definition(current);
  return def?.type === 'object' && def.shape ? Object.keys(def.shape) : [];
}

function rangeMessage(issue: core.$ZodIssueTooBig | core.$ZodIssueTooSmall, key: string | undefined): string {
  const got = describe(issue.input);
  if (issue.origin === 'array') {
    return issue.code === 'too_small' ? `needs at least ${String(issue.minimum)} item(s), got ${(issue.input as unknown[] | undefined)?.length ?? 0}` : `has more than ${String(issue.maximum)} items`;
  }
  if (issue.origin === 'string') return issue.code === 'too_small' ? 'must not be empty' : 'is too long';
  const bound = issue.code === 'too_small'
    ? `${issue.inclusive ? 'at least' : 'above'} ${String(issue.minimum)}`
    : `${issue.inclusive ? 'at most' : 'below'} ${String(issue.maximum)}`;
  const meaning = key && MEANING[key] ? ` (${MEANING[key]})` : '';
  return `must be ${bound}, got ${got}${meaning}`;
}

function message(issue: core.$ZodIssue): string {
  const key = [...issue.path].reverse().find((p): p is string => typeof p === 'string');
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined) return `"${key ?? 'value'}" is missing; add it`;
      if (issue.expected === 'int') return `must be a whole number, got ${describe(issue.input)}`;
      if (issue.path.length === 0) return `the file holds ${describe(issue.input)}, not a site: start it with "site:", "equipment:", "dependencies:" and "tags:"`;
      return `expected ${issue.expected === 'object' ? 'a mapping' : issue.expected === 'array' ? 'a list' : `a ${issue.expected}`}, got ${describe(issue.input)}`;
    case 'too_big':
    case 'too_small':
      return rangeMessage(issue, key);
    case 'invalid_value': {
      const allowed = issue.values.map(String);
      return `${describe(issue.input)} is not allowed${typeof issue.input === 'string' ? didYouMean(issue.input, allowed) : ''}; use one of: ${allowed.join(', ')}`;
    }
    case 'invalid_format':
      return `${describe(issue.input)} ${issue.message.startsWith('Invalid') ? `does not have the expected format (${issue.format})` : `is not valid: ${issue.message}`}`;
    case 'unrecognized_keys':
      return '';
    default:
      return issue.message;
  }
}

/** One SiteIssue per zod issue; an unknown key gets its own path and the keys allowed there. */
export function schemaIssues(issues: readonly core.$ZodIssue[], schema: ZodType, file: string): SiteIssue[] {
  const out: SiteIssue[] = [];
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') {
      const allowed = keysAt(schema, issue.path);
      for (const unknown of issue.keys) {
        out.push({
          severity: 'error', file, path: formatPath([...issue.path, unknown]),
          message: `unknown key "${unknown}"${didYouMean(unknown, allowed)}; allowed here: ${allowed.join(', ')}`,
        });
      }
      continue;
    }
    out.push({ severity: 'error', file, path: formatPath(issue.path), message: message(issue) });
  }
  return out;
}
