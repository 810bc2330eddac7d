// The file adapter of the alarm state: a snapshot saved atomically (temporary file, fsync,
// rename), so a crash leaves the previous or the new state, and the journal as JSON lines.

import { appendFileSync, closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import type { AlarmEvent } from '../model/index.js';
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

/** Appends journal events as JSON lines: cheap per message, and a crash loses no written line. */
export function appendJournal(path: string, events: readonly AlarmEvent[]): void {
  if (!events.length) return;
  mkdirSync(dirname(path), { recursive: true });
  appendFileSync(path, events.map((e) => JSON.stringify(e)).join('\n') + '\n', { mode: 0o600 });
}

/** The newest `limit` journal events; a line torn by a crash is skipped, not fatal. */
export function loadJournal(path: string, limit: number): { events: AlarmEvent[]; skipped: number } {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { events: [], skipped: 0 };
    throw err;
  }
  const events: AlarmEvent[] = [];
  let skipped = 0;
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      events.push(JSON.parse(line) as AlarmEvent);
    } catch {
      skipped++;
    }
  }
  return { events: events.slice(Math.max(0, events.length - limit)), skipped };
}

/** Rewrites the journal with only the given events (atomically), when it has grown too long. */
export function compactJournal(path: string, events: readonly AlarmEvent[]): void {
  mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  const fd = openSync(temporary, 'w', 0o600);
  try {
    writeSync(fd, events.map((e) => JSON.stringify(e)).join('\n') + (events.length ? '\n' : ''));
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temporary, path);
}

/**
 * Moves a state or journal file that could not be used to `<path>.damaged-<now>`, so that starting
 * clean never overwrites it; the name it is kept under, or undefined when there was no file.
 */
export function moveAside(path: string, now: number = Date.now()): string | undefined {
  const kept = `${path}.damaged-${now}`;
  try {
    renameSync(path, kept);
    return kept;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}
