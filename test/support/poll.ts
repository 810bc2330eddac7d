// Polls a running product that lives in another process or behind a socket, where there is no
// event to wait on: asks again until the answer passes, or fails saying what never happened.

export interface PollOptions {
  /** How long to keep asking; for some tests this deadline is the requirement itself. */
  limitMs?: number;
  everyMs?: number;
  /** Extra text for the failure, e.g. the runtime's output. */
  context?: () => string;
}

export async function eventually<T, S extends T>(probe: () => Promise<T> | T, check: (value: T) => value is S, what: string, options?: PollOptions): Promise<S>;
export async function eventually<T>(probe: () => Promise<T> | T, check: (value: T) => boolean, what: string, options?: PollOptions): Promise<T>;
export async function eventually<T>(probe: () => Promise<T> | T, check: (value: T) => boolean, what: string, options: PollOptions = {}): Promise<T> {
  const limitMs = options.limitMs ?? 30_000;
  const deadline = Date.now() + limitMs;
  let failure: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (check(value)) return value;
    } catch (err) {
      failure = err;
    }
    if (Date.now() > deadline) {
      const cause = failure ? `: ${(failure as Error).message}` : '';
      const context = options.context ? `\n${options.context()}` : '';
      throw new Error(`waited ${limitMs} ms for ${what}${cause}${context}`);
    }
    await new Promise((ok) => setTimeout(ok, options.everyMs ?? 100));
  }
}
