// A bounded, one-at-a-time work queue with a cool-down after a transient failure, so that a
// Grafana that is down costs one failed call, not one per record, and never holds the flow.

export interface QueueOptions {
  /** Jobs waiting at most; beyond that new jobs are refused at once. */
  capacity: number;
  /** After a transient failure, jobs fail fast for this long without calling Grafana. */
  coolDownMs: number;
  now?: () => number;
}

export const QUEUE_DEFAULTS: QueueOptions = { capacity: 1000, coolDownMs: 30000 };

export type JobOutcome = { ok: true } | { ok: false; error: Error; skipped: boolean };

interface Job {
  run: () => Promise<void>;
  /** Called instead of `run` when the job is not run (cooling down, full, closed). */
  skip?: () => void;
  finish: (outcome: JobOutcome) => void;
}

export class CoolingQueue {
  private readonly jobs: Job[] = [];
  private running = false;
  private closed = false;
  private coolUntil = 0;
  private lastError: Error | undefined;
  private readonly options: QueueOptions;
  private readonly now: () => number;

  constructor(options: Partial<QueueOptions> = {}, private readonly isTransient: (err: Error) => boolean = () => true) {
    this.options = { ...QUEUE_DEFAULTS, ...options };
    this.now = options.now ?? Date.now;
  }

  get pending(): number {
    return this.jobs.length + (this.running ? 1 : 0);
  }

  get coolingDown(): boolean {
    return this.now() < this.coolUntil;
  }

  /**
   * Resolves when the job ran, failed, or was skipped (full queue, cooling down, closed); never
   * rejects. `skip` runs in place of a job that is not run, to keep state that `run` would keep.
   */
  push(run: () => Promise<void>, skip?: () => void): Promise<JobOutcome> {
    if (this.closed) return Promise.resolve(skipped(skip, new Error('oilrisk/grafana: queue closed: record dropped')));
    if (this.jobs.length >= this.options.capacity) {
      return Promise.resolve(skipped(skip, new Error(`oilrisk/grafana: queue full (${this.options.capacity} waiting): record dropped`)));
    }
    return new Promise((finish) => {
      this.jobs.push({ run, skip, finish });
      void this.drain();
    });
  }

  /** Refuses new jobs and drops the waiting ones; the job already running finishes on its own. */
  close(): void {
    this.closed = true;
    for (const job of this.jobs.splice(0)) job.finish(skipped(job.skip, new Error('oilrisk/grafana: queue closed: record dropped')));
  }

  private async drain(): Promise<void> {
    if (this.running) return;
    this.running = true;
    while (this.jobs.length) {
      const job = this.jobs.shift()!;
      if (this.coolingDown && this.lastError) {
        job.finish(skipped(job.skip, this.lastError));
        continue;
      }
      try {
        await job.run();
        this.coolUntil = 0;
        job.finish({ ok: true });
      } catch (cause) {
        const error = cause instanceof Error ? cause : new Error(String(cause));
        if (this.isTransient(error)) {
          this.lastError = error;
          this.coolUntil = this.now() + this.options.coolDownMs;
        }
        job.finish({ ok: false, skipped: false, error });
      }
    }
    this.running = false;
  }
}

function skipped(skip: (() => void) | undefined, error: Error): JobOutcome {
  skip?.();
  return { ok: false, skipped: true, error };
}
