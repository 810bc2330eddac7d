// From likelihoods to a graded warning: noisy-OR combination, consequence from severity and
// criticality, score = total likelihood x consequence, warning level from the site's bands.

import type { ScoreBands, WarningLevel } from '../model/index.js';

/** Noisy-OR (Pearl 1988): the chance that at least one of independent causes acts. */
export function noisyOr(likelihoods: Iterable<number>): number {
  let none = 1;
  for (const p of likelihoods) none *= 1 - p;
  return 1 - none;
}

/** T = 1 - (1 - P)(1 - S): own and propagated causes are independent. */
export function totalLikelihood(primary: number, secondary: number): number {
  return 1 - (1 - primary) * (1 - secondary);
}

/**
 * Geometric mean of the worst active hazard's severity and the equipment's criticality, both
 * 1..5, so a risk-matrix cell of 5 x 5 scores 5; no active hazard means no consequence.
 */
export function consequenceOf(severity: number, criticality: number): number {
  return severity > 0 ? Math.sqrt(severity * criticality) : 0;
}

export function levelOf(score: number, bands: ScoreBands): WarningLevel {
  if (score >= bands.I) return 'I';
  if (score >= bands.II) return 'II';
  if (score >= bands.III) return 'III';
  if (score >= bands.IV && score > 0) return 'IV';
  return 'normal';
}
