// Which dependencies carry risk, and which way, given the kind and the operating state of
// both ends. The table is documented in docs/risk-model.md ("What each kind transmits").

import type { DependencyKind, OperatingState } from '../model/index.js';

/**
 * flow: process upsets travel with the fluid, from -> to; an isolated (shut down) unit neither
 * sends nor receives them. power, control, utility: loss of the supply hits the consumer,
 * from -> to, whatever the consumer's state. proximity: fire, blast and gas clouds reach
 * neighbours both ways.
 */
export function transmits(kind: DependencyKind, from: OperatingState, to: OperatingState): boolean {
  if (kind === 'flow') return from !== 'shutdown' && to !== 'shutdown';
  return true;
}

export function bothWays(kind: DependencyKind): boolean {
  return kind === 'proximity';
}

/** Equipment whose own factors count toward its primary likelihood. */
export function ownFactorsCount(state: OperatingState): boolean {
  return state === 'running';
}
