// What a scenario can do to the field at a moment of simulated time: the knobs it turns
// (valves, trips, leaks, gas releases, lost devices) and the one-off actions it takes.

export interface ScenarioInputs {
  /** Separator outlet valve opening, per-unit of normal (1 = normal). */
  valve: Map<string, number>;
  /** Equipment stopped by a failure or trip (wells, pumps, compressors, LACT units). */
  stopped: Set<string>;
  /** Equipment reporting a fault bit along with the stop. */
  faulted: Set<string>;
  /** Pipeline leak as a share of its inlet flow, 0..1. */
  pipelineLeak: Map<string, number>;
  /** Gas release at an equipment, per-unit of a detector's H limit at the source. */
  gasRelease: Map<string, number>;
  /** Devices (binding device names) that do not answer. */
  offline: Set<string>;
  /** Vehicle speed, per-unit of normal driving speed. */
  vehicleSpeed: Map<string, number>;
  /** Network device packet loss, per-unit (1.25 = its H limit). */
  networkLoss: Map<string, number>;
}

export function emptyInputs(): ScenarioInputs {
  return {
    valve: new Map(), stopped: new Set(), faulted: new Set(), pipelineLeak: new Map(), gasRelease: new Map(),
    offline: new Set(), vehicleSpeed: new Map(), networkLoss: new Map(),
  };
}

/** A one-off action of a scenario, at a time after its start: what an intruder does. */
export type ScenarioAction =
  | { atS: number; kind: 'modbus-write'; device: string; tag: string; value: number }
  | { atS: number; kind: 'mqtt-login-failure'; device: string; count: number };

/** Linear ramp from 0 at `start` to 1 at `end` (seconds), held at 1 after. */
export function ramp(t: number, start: number, end: number): number {
  if (t <= start) return 0;
  if (t >= end) return 1;
  return (t - start) / (end - start);
}
