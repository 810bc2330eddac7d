// The file adapter of the site model: reads a site file from disk and parses it.

import { readFile } from 'node:fs/promises';
import { parseSite, type ParseOptions, type ParseResult } from './parse.js';

/** `displayName` is how issues name the file (e.g. the path as the admin wrote it); defaults to `path`. */
export async function loadSiteFile(path: string, displayName = path, options: ParseOptions = {}): Promise<ParseResult> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? `file not found at ${path}` : code === 'EACCES' ? `permission denied on ${path}` : code === 'EISDIR' ? `${path} is a folder, not a file` : (err as Error).message;
    return { ok: false, issues: [{ severity: 'error', file: displayName, path: '(file)', message: `cannot read site file: ${reason}` }] };
  }
  return parseSite(text, displayName, options);
}
