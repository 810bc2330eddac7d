// Chattering: an alarm that activates again and again in a short time (3 or more in 60 s by
// default, after EEMUA 191) is flagged; the manager may shelve it automatically.

import type { AlarmOptions } from './options.js';

/** The activation times still inside the window after one more activation at `now`. */
export function recordActivation(activations: readonly number[], now: number, options: Pick<AlarmOptions, 'chatterWindow'>): number[] {
  const since = now - options.chatterWindow * 1000;
  const kept = activations.filter((t) => t > since);
  kept.push(now);
  return kept;
}

export function isChattering(activations: readonly number[], options: Pick<AlarmOptions, 'chatterActivations'>): boolean {
  return activations.length >= options.chatterActivations;
}
