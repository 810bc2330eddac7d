// A min-heap of (due time, alarm id): tick() looks only at what is due, not at every alarm.
// Entries are hints; the manager checks the alarm's own timers when one comes up.

export class DueQueue {
  private readonly times: number[] = [];
  private readonly ids: string[] = [];

  get size(): number {
    return this.times.length;
  }

  push(due: number, id: string): void {
    let i = this.times.length;
    this.times.push(due);
    this.ids.push(id);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (this.times[parent] <= due) break;
      this.swap(i, parent);
      i = parent;
    }
  }

  /** Removes and returns the earliest entry due by `now`, if any. */
  popDue(now: number): string | undefined {
    if (!this.times.length || this.times[0] > now) return undefined;
    const id = this.ids[0];
    const lastTime = this.times.pop()!;
    const lastId = this.ids.pop()!;
    if (this.times.length) {
      this.times[0] = lastTime;
      this.ids[0] = lastId;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1, r = l + 1;
        let m = i;
        if (l < this.times.length && this.times[l] < this.times[m]) m = l;
        if (r < this.times.length && this.times[r] < this.times[m]) m = r;
        if (m === i) break;
        this.swap(i, m);
        i = m;
      }
    }
    return id;
  }

  private swap(a: number, b: number): void {
    [this.times[a], this.times[b]] = [this.times[b], this.times[a]];
    [this.ids[a], this.ids[b]] = [this.ids[b], this.ids[a]];
  }
}
