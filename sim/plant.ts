// The process dynamics of each kind of equipment in per-unit terms (1 = normal operation):
// flows follow the site's flow dependencies, pressures follow flow through restrictions.
//
// Pressure drop through a restriction goes with the square of flow (orifice equation), so
// pressures use q^2; vessels, lines and machines answer with first-order lags.

import type { Dependency, Equipment, Site } from '../lib/model/index.js';
import { equipmentRole, type EquipmentRole } from './kinds.js';
import type { ScenarioInputs } from './inputs.js';

export const VARIABLES = [
  'running', 'fault', 'q', 'qIn', 'qOut', 'p', 'pIn', 'pOut', 'pS', 'pD', 'level', 'temp', 'vib', 'current',
  'speed', 'load', 'valve', 'gas', 'lel', 'loss', 'latency', 'signal', 'setpoint', 'angle', 'x',
] as const;

export type Variable = (typeof VARIABLES)[number];

export type Vars = Record<Variable, number>;

export interface Unit {
  equipment: Equipment;
  role: EquipmentRole;
  vars: Vars;
  upstream: string[];
  downstream: string[];
  /** Nominal absolute outflow, wells counting 1 each, so that per-unit flows add up. */
  nominalOut: number;
  nominalIn: number;
}

/** Separator pressure, per-unit, that trips the process shutdown when held for PSD_DELAY_S. */
export const PSD_PRESSURE = 1.5;
export const PSD_DELAY_S = 30;
/** Pressure relief valves lift here: no vessel goes above it. */
const RELIEF_PRESSURE = 2.2;
/** Tank: seconds to fill 1 per-unit of level at a full per-unit inflow with no outflow. */
const TANK_FILL_S = 1500;

function normalVars(): Vars {
  const vars = {} as Vars;
  for (const name of VARIABLES) vars[name] = 1;
  Object.assign(vars, { fault: 0, gas: 0.02, lel: 0.02, loss: 0.02, angle: 0 });
  return vars;
}

export function buildUnits(site: Site): Map<string, Unit> {
  const units = new Map<string, Unit>();
  for (const equipment of site.equipment) {
    units.set(equipment.id, {
      equipment, role: equipmentRole(equipment), vars: normalVars(), upstream: [], downstream: [], nominalOut: 1, nominalIn: 0,
    });
  }
  for (const dep of site.dependencies.filter((d: Dependency) => d.kind === 'flow')) {
    const from = units.get(dep.from);
    const to = units.get(dep.to);
    if (!from || !to) continue;
    from.downstream.push(dep.to);
    to.upstream.push(dep.from);
  }
  const order = flowOrder(units).map((id) => units.get(id)!);
  // Recycle loops feed back a share of a unit's own flow: iterate to the fixed point.
  for (let pass = 0; pass < 100; pass++) {
    for (const unit of order) {
      unit.nominalIn = unit.upstream.reduce((sum, u) => sum + units.get(u)!.nominalOut / units.get(u)!.downstream.length, 0);
      // A well out of service produces nothing, so the per-unit flows downstream are of what does.
      if (unit.role === 'well') unit.nominalOut = unit.equipment.state === 'running' ? 1 : 0;
      else unit.nominalOut = unit.nominalIn === 0 ? 1 : unit.nominalIn;
    }
  }
  for (const unit of order) if (unit.equipment.state !== 'running') unit.vars.running = 0;
  // Vehicles start spread evenly around the lease road, not on top of each other.
  const vehicles = [...units.values()].filter((u) => u.role === 'vehicle');
  vehicles.forEach((v, k) => { v.vars.angle = (2 * Math.PI * k) / vehicles.length; });
  return units;
}

/** Upstream before downstream (Kahn); equipment in recycle loops follows in site order. */
export function flowOrder(units: Map<string, Unit>): string[] {
  const indegree = new Map([...units].map(([id, u]) => [id, u.upstream.length]));
  const queue = [...units.keys()].filter((id) => indegree.get(id) === 0);
  const order: string[] = [];
  while (queue.length) {
    const id = queue.shift()!;
    order.push(id);
    for (const next of units.get(id)!.downstream) {
      indegree.set(next, indegree.get(next)! - 1);
      if (indegree.get(next) === 0) queue.push(next);
    }
  }
  for (const id of units.keys()) if (!order.includes(id)) order.push(id);
  return order;
}

function lag(current: number, target: number, tauS: number, dt: number): number {
  return current + (target - current) * (1 - Math.exp(-dt / tauS));
}

export interface PlantContext {
  units: Map<string, Unit>;
  inputs: ScenarioInputs;
  /** Process shutdown latched: wells are shut in. */
  psd: boolean;
  /** Seconds since the field started, for slow periodic variation. */
  t: number;
  /** Per-unit drift of each well's rate, from the random source. */
  drift: (id: string) => number;
  /** "a|b" for every proximity dependency, both directions. */
  proximity: Set<string>;
}

function inflow(ctx: PlantContext, unit: Unit): number {
  if (!unit.upstream.length) return 1;
  const absolute = unit.upstream.reduce((sum, id) => {
    const up = ctx.units.get(id)!;
    return sum + (up.vars.q * up.nominalOut) / up.downstream.length;
  }, 0);
  return unit.nominalIn > 0 ? absolute / unit.nominalIn : 1;
}

function downstreamPressure(ctx: PlantContext, unit: Unit): number {
  const pressures = unit.downstream.map((id) => ctx.units.get(id)!).filter((u) => u.role === 'separator' || u.role === 'heater' || u.role === 'manifold').map((u) => u.vars.p);
  return pressures.length ? Math.max(1, ...pressures) : 1;
}

function isRunning(ctx: PlantContext, unit: Unit): boolean {
  if (ctx.inputs.stopped.has(unit.equipment.id)) return false;
  if (unit.role === 'well' && ctx.psd) return false;
  return unit.equipment.state === 'running';
}

/** Advances one unit by dt seconds, reading the units upstream of it (already advanced). */
export function advance(ctx: PlantContext, unit: Unit, dt: number): void {
  const v = unit.vars;
  const id = unit.equipment.id;
  const running = isRunning(ctx, unit);
  v.running = running ? 1 : 0;
  v.fault = ctx.inputs.faulted.has(id) ? 1 : 0;
  const qIn = inflow(ctx, unit);
  v.qIn = lag(v.qIn, qIn, 3, dt);
  switch (unit.role) {
    case 'well': {
      const speed = running ? v.setpoint * (1 + ctx.drift(id)) : 0;
      v.speed = lag(v.speed, speed, 5, dt);
      v.q = lag(v.q, v.speed, 10, dt);
      v.qOut = v.q;
      v.p = lag(v.p, 0.35 + 0.65 * v.q * v.q * downstreamPressure(ctx, unit), 20, dt);
      v.pS = v.p;
      v.pD = v.p;
      v.load = lag(v.load, running ? 0.6 + 0.4 * v.speed : 0, 5, dt);
      v.current = lag(v.current, running ? 0.4 + 0.6 * v.speed * v.speed : 0, 3, dt);
      v.temp = lag(v.temp, running ? 0.9 + 0.1 * v.speed * v.speed : 0.7, 300, dt);
      v.vib = lag(v.vib, running ? v.speed : 0.05, 5, dt);
      break;
    }
    case 'manifold':
      v.q = v.qIn;
      v.qOut = v.q;
      v.p = lag(v.p, v.q * v.q * downstreamPressure(ctx, unit), 10, dt);
      v.pIn = v.p;
      v.pOut = v.p;
      break;
    case 'separator': {
      v.valve = ctx.inputs.valve.get(id) ?? 1;
      const compressors = unit.downstream.map((d) => ctx.units.get(d)!).filter((u) => u.role === 'compressor');
      // With its compressor down the gas only leaves through the pressure control valve to flare.
      const gasPath = compressors.length && compressors.some((c) => c.vars.running < 0.5) ? 0.55 : 1;
      const capacity = Math.max(0.05, v.valve * gasPath);
      // The pressure controller holds 1 pu until the outlet cannot pass the inflow; without inflow the vessel depressures.
      const target = v.qIn < 0.05 ? 0.2 : Math.min(RELIEF_PRESSURE, Math.max(1 - 0.1 * (1 - v.qIn), (v.qIn / capacity) ** 2));
      v.p = lag(v.p, Math.max(0.2, target), 90, dt);
      v.pIn = v.p;
      v.pOut = v.p;
      v.level = lag(v.level, 0.7 + 0.3 * v.qIn + 0.15 * (v.p - 1), 120, dt);
      v.q = v.qIn;
      v.qOut = Math.min(v.qIn, capacity);
      v.temp = lag(v.temp, 0.8 + 0.2 * v.qIn, 300, dt);
      break;
    }
    case 'heater':
      v.q = v.qIn;
      v.qOut = v.q;
      v.p = lag(v.p, 0.3 + 0.7 * v.qIn, 30, dt);
      v.temp = lag(v.temp, v.qIn > 0.2 && running ? 1 : 0.6, 240, dt);
      break;
    case 'tank': {
      const lact = unit.downstream.map((d) => ctx.units.get(d)!).filter((u) => u.role === 'lact' || u.role === 'pump');
      // Outflow: the LACT units downstream, or the tank's own level control when there are none.
      const out = !running ? 0 : lact.length ? lact.reduce((s, u) => s + u.vars.q, 0) / lact.length : levelControl(v.level, v.qIn);
      v.level += ((v.qIn - out) / TANK_FILL_S) * dt;
      v.level = Math.max(0, v.level);
      v.q = out;
      v.qOut = out;
      v.p = 0.5 + 0.5 * v.level;
      break;
    }
    case 'lact':
    case 'pump': {
      const tank = unit.upstream.map((u) => ctx.units.get(u)!).find((u) => u.role === 'tank');
      const demand = tank ? levelControl(tank.vars.level, tank.vars.qIn) : v.qIn;
      v.q = lag(v.q, running ? demand : 0, 5, dt);
      v.qOut = v.q;
      v.speed = lag(v.speed, running ? 1 : 0, 5, dt);
      v.current = lag(v.current, running ? 0.5 + 0.5 * v.q : 0, 3, dt);
      v.p = lag(v.p, running ? 0.4 + 0.6 * v.q * v.q : 0.2, 5, dt);
      v.pD = v.p;
      v.vib = lag(v.vib, running ? 1 : 0.05, 5, dt);
      break;
    }
    case 'compressor':
      v.speed = lag(v.speed, running ? 1 : 0, 8, dt);
      v.q = lag(v.q, running ? v.qIn : 0, 5, dt);
      v.qOut = v.q;
      // Suction and discharge are held by the recycle controller while running.
      v.pS = lag(v.pS, running ? 0.6 + 0.4 * v.qIn : Math.min(RELIEF_PRESSURE, 1.8 * Math.max(v.qIn, 0.2)), 40, dt);
      v.pD = lag(v.pD, running ? 0.6 + 0.4 * v.q : 0.25, 20, dt);
      v.p = v.pD;
      v.pIn = v.pS;
      v.pOut = v.pD;
      v.temp = lag(v.temp, running ? 1 : 0.55, 150, dt);
      v.vib = lag(v.vib, running ? 1 : 0.05, 4, dt);
      v.current = lag(v.current, running ? 0.3 + 0.7 * v.q : 0, 2, dt);
      v.load = v.current;
      break;
    case 'pipeline': {
      const leak = ctx.inputs.pipelineLeak.get(id) ?? 0;
      v.qOut = lag(v.qOut, v.qIn * (1 - leak), 15, dt);
      // Line pack: pressure follows throughput; a leak bleeds the far end hardest.
      v.pIn = lag(v.pIn, (0.4 + 0.6 * v.qIn) * (1 - 0.3 * leak), 30, dt);
      v.pOut = lag(v.pOut, (0.4 + 0.6 * v.qIn) * (1 - 1.5 * leak), 30, dt);
      // A single line pressure transmitter sits mid-line; a single flow meter at the receiving end.
      v.p = (v.pIn + v.pOut) / 2;
      v.q = v.qOut;
      break;
    }
    case 'flare': {
      const relief = [...ctx.units.values()].filter((u) => u.role === 'separator').reduce((s, u) => s + Math.max(0, u.vars.p - 1.1), 0);
      const compressorDown = [...ctx.units.values()].some((u) => u.role === 'compressor' && u.vars.running < 0.5);
      v.q = lag(v.q, 1 + 3 * relief + (compressorDown ? 1.5 : 0), 10, dt);
      v.temp = lag(v.temp, 1 + 0.3 * (v.q - 1), 60, dt);
      break;
    }
    case 'detector': {
      let gas = 0;
      for (const [source, strength] of ctx.inputs.gasRelease) gas += strength * exposure(ctx, unit, source);
      v.gas = lag(v.gas, 0.02 + gas, 20, dt);
      v.lel = lag(v.lel, 0.02 + 0.3 * gas, 20, dt);
      break;
    }
    case 'vehicle': {
      const target = ctx.inputs.vehicleSpeed.get(id) ?? 0.85 + 0.1 * Math.sin(ctx.t / 97);
      v.speed = lag(v.speed, target, 8, dt);
      v.angle = (v.angle + v.speed * 0.002 * dt) % (2 * Math.PI);
      break;
    }
    case 'network': {
      const loss = ctx.inputs.networkLoss.get(id) ?? 0.02;
      v.loss = lag(v.loss, loss, 10, dt);
      v.latency = lag(v.latency, 1 + 2 * v.loss, 10, dt);
      v.signal = lag(v.signal, 1 - 0.4 * Math.min(1.5, v.loss), 10, dt);
      break;
    }
    default:
      break;
  }
}

/** LACT or tank outlet demand: hold the level at 1 per-unit, proportional on the error. */
function levelControl(level: number, qIn: number): number {
  return Math.max(0, Math.min(1.6, qIn + 4 * (level - 1)));
}

/** How much of a release at `source` reaches a detector: the same spot, a proximity edge, the same area, or far. */
function exposure(ctx: PlantContext, detector: Unit, source: string): number {
  if (detector.equipment.id === source) return 1;
  const near = ctx.units.get(source);
  if (!near) return 0;
  if (ctx.proximity.has(`${source}|${detector.equipment.id}`)) return 1;
  if (near.equipment.area === detector.equipment.area) return 0.45;
  return 0.03;
}
