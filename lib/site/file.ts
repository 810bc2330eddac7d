// The file adapter of the site model: reads a site file from disk and parses it.

import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { parseSite, type ParseResult } from './parse.js';

export async function loadSiteFile(path: string): Promise<ParseResult> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'file not found' : code === 'EACCES' ? 'permission denied' : (err as Error).message;
    return { ok: false, issues: [{ severity: 'error', file: path, path: '(file)', message: `cannot read site file: ${reason}` }] };
  }
  return parseSite(text, basename(path));
}
