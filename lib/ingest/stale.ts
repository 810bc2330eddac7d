// Tracks when each bound tag last had a value; a tag without one for longer than its stale timeout
// gets one bad "comms-loss" reading, and its next value from the device clears the condition.

import type { Reading } from '../model/reading.js';
import type { BoundTag } from './types.js';

/** Source prefix of the reading that marks a tag stale, so downstream can tell comms loss apart. */
export const STALE_SOURCE_PREFIX = 'stale:';

interface Watch {
  bound: BoundTag;
  lastSeen: number;
  stale: boolean;
}

export class StaleTracker {
  private readonly watches = new Map<string, Watch>();

  /**
   * Starts every tag's clock at `now`: a device that never answers goes stale one timeout later.
   * Given the tracker of the previous site, tags that stay keep their clock and stale state.
   */
  constructor(tags: Iterable<BoundTag>, now: number, previous?: StaleTracker) {
    for (const bound of tags) {
      const before = previous?.watches.get(bound.tag);
      this.watches.set(bound.tag, { bound, lastSeen: before?.lastSeen ?? now, stale: before?.stale ?? false });
    }
  }

  /**
   * Records fresh readings; returns the tags that were stale and have now recovered. A reading
   * without a value (a Modbus timeout, a DEATH, a bad status) is no sign of life: the clock runs on.
   */
  observe(readings: readonly Reading[], now: number): string[] {
    const recovered: string[] = [];
    for (const r of readings) {
      const watch = this.watches.get(r.tag);
      if (!watch || r.value === null) continue;
      watch.lastSeen = now;
      if (watch.stale) {
        watch.stale = false;
        recovered.push(r.tag);
      }
    }
    return recovered;
  }

  /** Bad readings for the tags that went stale since the last sweep. */
  sweep(now: number): Reading[] {
    const lost: Reading[] = [];
    for (const watch of this.watches.values()) {
      if (watch.stale || now - watch.lastSeen <= watch.bound.staleMs) continue;
      watch.stale = true;
      lost.push({ tag: watch.bound.tag, value: null, quality: 'bad', ts: now, source: `${STALE_SOURCE_PREFIX}${watch.bound.source}` });
    }
    return lost;
  }

  staleTags(): string[] {
    return [...this.watches.values()].filter((w) => w.stale).map((w) => w.bound.tag);
  }
}
