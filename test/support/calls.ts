// Calls of a callback, awaited one at a time: a test waits for the callback, never for a clock.

export class Calls<T extends unknown[]> {
  private readonly seen: T[] = [];
  private readonly waiting: Array<(args: T) => void> = [];
  readonly fn = (...args: T) => {
    const next = this.waiting.shift();
    if (next) next(args); else this.seen.push(args);
  };
  next(): Promise<T> {
    const ready = this.seen.shift();
    return ready ? Promise.resolve(ready) : new Promise((resolve) => this.waiting.push(resolve));
  }
  get pending(): number {
    return this.seen.length;
  }
}
