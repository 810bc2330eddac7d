// In-process replay of a scenario: the readings a field produces, batch by batch, without any
// protocol in between, so that other parts measure detection and flood control at lib speed.

import type { Reading, SecurityEvent, Site } from '../lib/model/index.js';
import { createField, type FieldOptions } from './field.js';
import type { ScenarioName } from './scenarios.js';

export interface ReplayOptions extends Omit<FieldOptions, 'scenario'> {
  /** Simulated seconds to replay; the scenario's own duration by default. */
  durationS?: number;
  /** Seconds between batches (a poll period). */
  stepS?: number;
}

export interface Replay {
  batches: Reading[][];
  security: SecurityEvent[];
}

/** Everything a replay produced: one Reading batch per step, and the security events. */
export function replay(site: Site, name: ScenarioName, options: ReplayOptions = {}): Replay {
  const { durationS, stepS = 1, ...fieldOptions } = options;
  if (!(stepS > 0)) throw new RangeError(`oilrisk/sim: stepS must be > 0, got ${stepS}`);
  const field = createField(site, { ...fieldOptions, scenario: name });
  const duration = durationS ?? field.scenario.durationS;
  const batches: Reading[][] = [];
  const security: SecurityEvent[] = [];
  for (let t = 0; t + stepS <= duration + 1e-9; t += stepS) {
    field.step(stepS);
    batches.push(field.readings());
    security.push(...field.takeSecurityEvents());
  }
  return { batches, security };
}

/** The Reading batches of a scenario, one per `stepS` of simulated time. */
export function replayScenario(site: Site, name: ScenarioName, options: ReplayOptions = {}): Reading[][] {
  return replay(site, name, options).batches;
}
