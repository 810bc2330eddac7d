// The file adapter of the alarm state: saves a snapshot atomically (temporary file, fsync,
// rename) so that a crash leaves the previous or the new state, never half of one.

import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import type { AlarmSnapshot } from './manager.js';

export function saveAlarmState(path: string, snapshot: AlarmSnapshot): void {
  mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  const fd = openSync(temporary, 'w', 0o600);
  try {
    writeSync(fd, JSON.stringify(snapshot));
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temporary, path);
}

export type LoadedAlarmState =
  | { ok: true; snapshot: AlarmSnapshot | undefined }
  | { ok: false; message: string };

/** The saved state, undefined when there is none yet, or why it cannot be used. */
export function loadAlarmState(path: string): LoadedAlarmState {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { ok: true, snapshot: undefined };
    return { ok: false, message: `oilrisk/alarms: cannot read alarm state ${path}: ${(err as Error).message}` };
  }
  try {
    const parsed = JSON.parse(text) as Partial<AlarmSnapshot>;
    if (parsed.version !== 1 || !Array.isArray(parsed.alarms) || !Array.isArray(parsed.incidents) || !Array.isArray(parsed.journal)) {
      return { ok: false, message: `oilrisk/alarms: alarm state ${path} is not a version 1 snapshot (alarms, incidents, journal)` };
    }
    return { ok: true, snapshot: parsed as AlarmSnapshot };
  } catch (err) {
    return { ok: false, message: `oilrisk/alarms: alarm state ${path} is not valid JSON: ${(err as Error).message}` };
  }
}
