// Reads the generated dashboard JSON (dashboards/generated) that provisioning pushes, and
// checks each file holds a dashboard with a uid Grafana accepts.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DashboardJson } from './types.js';

export const MAX_UID_LENGTH = 40;

export function checkDashboard(value: unknown, where: string): DashboardJson {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Error(`oilrisk/grafana: ${where} does not hold a dashboard object`);
  }
  const d = value as Partial<DashboardJson>;
  if (typeof d.uid !== 'string' || !/^[A-Za-z0-9_-]+$/.test(d.uid) || d.uid.length > MAX_UID_LENGTH) {
    throw new Error(`oilrisk/grafana: ${where}: "uid" must be 1..${MAX_UID_LENGTH} letters, digits, "-" or "_"`);
  }
  if (typeof d.title !== 'string' || !d.title.trim()) throw new Error(`oilrisk/grafana: ${where}: "title" is missing`);
  return d as DashboardJson;
}

/** Every *.json of the folder, sorted by file name. */
export function loadDashboardFiles(dir: string): DashboardJson[] {
  const files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
  return files.map((file) => {
    const path = join(dir, file);
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(path, 'utf8'));
    } catch (err) {
      throw new Error(`oilrisk/grafana: ${path} is not valid JSON: ${(err as Error).message}`, { cause: err });
    }
    return checkDashboard(parsed, path);
  });
}
