// The field model: a pure, steppable function of simulated time. createField(site) gives a
// field whose step(dt) advances the plant and whose readings() are each bound tag's value.
//
// No sockets, no wall clock, no Math.random: the same site, seed, scenario and steps always
// give the same readings. Protocol servers (sim/servers) wrap it; tests replay it directly.

import type { Reading, SecurityEvent, Site, Tag } from '../lib/model/index.js';
import { getChannel } from '../lib/profiles/index.js';
import { deviceOf } from './devices.js';
import { emptyInputs, type ScenarioAction, type ScenarioInputs } from './inputs.js';
import { isGas, measurement, type Measurement } from './kinds.js';
import { advance, buildUnits, flowOrder, PSD_DELAY_S, PSD_PRESSURE, type PlantContext, type Unit, type Variable } from './plant.js';
import { createRandom } from './random.js';
import { scaleFor, toEngineering, toPerUnit, type Scale } from './scale.js';
import { isScenarioName, resolveScenario, SCENARIO_NAMES, type Scenario, type ScenarioName } from './scenarios.js';

export const DEFAULTS = {
  seed: 1,
  scenario: 'normal' as ScenarioName,
  /** Simulated time zero: 2026-01-01T00:00:00Z, fixed so that replays carry identical timestamps. */
  startTs: Date.UTC(2026, 0, 1),
  /** `model` applies a scenario's intrusions inside the model; `wire` leaves them to the protocol servers. */
  attacks: 'model' as 'model' | 'wire',
  /** Measurement noise, per-unit standard deviation. */
  noise: 0.004,
  /** Longest internal integration step, seconds. */
  maxStepS: 1,
};

export type FieldOptions = Partial<typeof DEFAULTS>;

const VARIABLE_OF: Record<Measurement, Variable> = {
  pressure: 'p', 'inlet-pressure': 'pIn', 'outlet-pressure': 'pOut', 'suction-pressure': 'pS', 'discharge-pressure': 'pD',
  flow: 'q', 'inlet-flow': 'qIn', 'outlet-flow': 'qOut', level: 'level', temperature: 'temp', vibration: 'vib',
  current: 'current', speed: 'speed', load: 'load', position: 'valve', h2s: 'gas', lel: 'lel', running: 'running',
  latitude: 'angle', longitude: 'angle', 'packet-loss': 'loss', latency: 'latency', signal: 'signal', heading: 'angle',
  uptime: 'x', 'status-word': 'running', other: 'x',
};

interface TagModel {
  tag: Tag;
  kind: Measurement;
  unit: Unit;
  variable: Variable;
  scale: Scale;
  device?: string;
  range?: { min: number; max: number };
  noise: number;
}

export interface Field {
  readonly site: Site;
  /** Simulated seconds since the field was created. */
  readonly time: number;
  readonly scenario: Scenario;
  /** Milliseconds since the epoch at the current simulated time. */
  now(): number;
  step(dtS: number): void;
  /** Each bound tag's current value, except those of devices that are offline. */
  readings(): Reading[];
  /** One tag's current engineering value (bound or not). */
  value(tag: string): number | boolean | undefined;
  /** Per-unit value of the variable behind a tag, without noise: for tests and diagnostics. */
  perUnit(tag: string): number | undefined;
  isOnline(device: string): boolean;
  /** Where a vehicle is: what its GPS tracker reports besides the bound tags. */
  vehiclePosition(equipment: string): { lat: number; lon: number; heading: number } | undefined;
  /** Restarts the scenario clock with another scenario; the plant carries on from its state. */
  setScenario(name: ScenarioName): void;
  /** A value written to a tag by someone on the network: applied where it is a setpoint, always recorded. */
  write(tag: string, value: number, source?: string): void;
  /** Security events since the last call. */
  takeSecurityEvents(): SecurityEvent[];
  /** Intrusions the scenario wants done over the wire (attacks: 'wire'), since the last call. */
  takePendingActions(): ScenarioAction[];
}

function siteCentre(site: Site): { lat: number; lon: number } {
  const located = site.equipment.filter((e) => e.location);
  if (!located.length) return { lat: 31.95, lon: -102.18 };
  return {
    lat: located.reduce((s, e) => s + e.location!.lat, 0) / located.length,
    lon: located.reduce((s, e) => s + e.location!.lon, 0) / located.length,
  };
}

function channelRange(tag: Tag): { min: number; max: number } | undefined {
  try {
    const channel = getChannel(tag.profile, tag.binding?.field);
    return channel.unit === tag.unit || !tag.unit ? channel.range : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Gas detectors and packet loss read steadier than process values; a tank radar gauge reads to
 * a few millimetres (API MPMS 3.1B), far steadier than a level on a churning vessel.
 */
function noiseOf(tag: Tag, kind: Measurement, noise: number): number {
  if (tag.profile.startsWith('tank-radar-level')) return noise / 10;
  return isGas(kind) || kind === 'packet-loss' ? noise / 2 : noise;
}

export function createField(site: Site, options: FieldOptions = {}): Field {
  const opts = { ...DEFAULTS, ...options };
  if (!isScenarioName(opts.scenario)) {
    throw new Error(`oilrisk/sim: unknown scenario "${String(opts.scenario)}"; known: ${SCENARIO_NAMES.join(', ')}`);
  }
  const random = createRandom(opts.seed);
  const units = buildUnits(site);
  const order = flowOrder(units).map((id) => units.get(id)!);
  const proximity = new Set(site.dependencies.filter((d) => d.kind === 'proximity').flatMap((d) => [`${d.from}|${d.to}`, `${d.to}|${d.from}`]));
  const models = new Map<string, TagModel>();
  for (const tag of site.tags) {
    const unit = units.get(tag.equipment);
    if (!unit) continue;
    const kind = measurement(tag);
    models.set(tag.id, {
      tag, kind, unit, variable: VARIABLE_OF[kind], scale: scaleFor(tag), device: deviceOf(tag), range: channelRange(tag),
      noise: noiseOf(tag, kind, opts.noise),
    });
  }
  const tagModels = [...models.values()];
  const noise = new Map<string, number>(tagModels.map((m) => [m.tag.id, 0]));
  const drift = new Map<string, number>();
  const centre = siteCentre(site);
  // Equipment out of service starts settled in its stopped state, not winding down from normal.
  const settle: PlantContext = { units, inputs: emptyInputs(), psd: false, t: 0, proximity, drift: () => 0 };
  for (const unit of order) if (unit.equipment.state !== 'running') advance(settle, unit, 3600);

  let time = 0;
  let scenario = resolveScenario(site, opts.scenario);
  let scenarioStart = 0;
  let fired = 0;
  let inputs: ScenarioInputs = emptyInputs();
  let psd = false;
  let psdHeldS = 0;
  let security: SecurityEvent[] = [];
  let pending: ScenarioAction[] = [];

  const now = () => opts.startTs + Math.round(time * 1000);

  function record(kind: string, device: string, severity: SecurityEvent['severity'], detail: string, source?: string): void {
    security.push({ device, kind, severity, ts: now(), detail, ...(source ? { source } : {}) });
  }

  function write(tagId: string, value: number, source = 'network'): void {
    const model = models.get(tagId);
    record('modbus-write', model?.device ?? tagId, 'high', `unexpected write of ${value} to ${tagId}`, source);
    if (model && model.unit.role === 'well' && model.variable === 'speed' && Number.isFinite(value)) {
      model.unit.vars.setpoint = Math.max(0, Math.min(2, toPerUnit(model.scale, value)));
    }
  }

  function fire(action: ScenarioAction): void {
    if (opts.attacks === 'wire') {
      pending.push(action);
      return;
    }
    if (action.kind === 'modbus-write') write(action.tag, action.value, 'scenario');
    else for (let i = 0; i < action.count; i++) record('mqtt-login-failure', action.device, 'medium', 'MQTT CONNECT refused: bad user name or password', 'scenario');
  }

  function substep(dt: number): void {
    time += dt;
    const t = time - scenarioStart;
    inputs = emptyInputs();
    scenario.drive(t, inputs);
    while (fired < scenario.actions.length && scenario.actions[fired].atS <= t) fire(scenario.actions[fired++]);
    const ctx: PlantContext = {
      units, inputs, psd, t: time, proximity,
      drift: (id) => drift.get(id) ?? 0,
    };
    for (const unit of order) {
      if (unit.role === 'well') drift.set(unit.equipment.id, Math.max(-0.03, Math.min(0.03, (drift.get(unit.equipment.id) ?? 0) + random.gaussian() * 0.0005 * Math.sqrt(dt))));
      advance(ctx, unit, dt);
    }
    const separatorHigh = order.some((u) => u.role === 'separator' && u.vars.p > PSD_PRESSURE);
    psdHeldS = separatorHigh ? psdHeldS + dt : 0;
    if (psdHeldS >= PSD_DELAY_S) psd = true;
    // Only what a device serves is measured; a tag with no device (one the flows set) has no noise.
    for (const m of tagModels) if (m.device) noise.set(m.tag.id, random.gaussian() * m.noise);
  }

  function engineering(m: TagModel): number | boolean {
    const v = m.unit.vars;
    switch (m.kind) {
      case 'running': {
        const tripWhen = m.tag.factors.find((f) => f.tripWhen !== undefined)?.tripWhen;
        const running = v.running >= 0.5;
        return tripWhen === undefined ? running : tripWhen === !running ? true : false;
      }
      case 'status-word':
        return (v.running >= 0.5 ? 1 : 0) | (v.fault >= 0.5 ? 2 : 0);
      case 'latitude':
        return position(v.angle).lat;
      case 'longitude':
        return position(v.angle).lon;
      case 'heading':
        return position(v.angle).heading;
      case 'uptime':
        return Math.floor(time);
      default: {
        let value = toEngineering(m.scale, v[m.variable] + noise.get(m.tag.id)!);
        if (m.scale.points[0][0] === 0) value = Math.max(m.scale.points[0][1], value);
        if (m.range) value = Math.max(m.range.min, Math.min(m.range.max, value));
        return round(value, 4);
      }
    }
  }

  const isOnline = (device: string) => !inputs.offline.has(device);

  /** A loop of about 1 km around the site's centre, driven anticlockwise. */
  function position(angle: number): { lat: number; lon: number; heading: number } {
    return {
      lat: round(centre.lat + 0.01 * Math.sin(angle), 6),
      lon: round(centre.lon + 0.012 * Math.cos(angle), 6),
      // Moving anticlockwise (lat ~ sin, lon ~ cos), the compass bearing of travel is -angle.
      heading: round((((-angle * 180) / Math.PI) % 360 + 360) % 360, 1),
    };
  }

  return {
    site,
    get time() { return time; },
    get scenario() { return scenario; },
    now,
    step(dtS) {
      if (!(dtS >= 0) || !Number.isFinite(dtS)) throw new RangeError(`oilrisk/sim: step must be a finite number of seconds >= 0, got ${dtS}`);
      let left = dtS;
      while (left > 1e-9) {
        const dt = Math.min(left, opts.maxStepS);
        substep(dt);
        left -= dt;
      }
    },
    readings() {
      const ts = now();
      const out: Reading[] = [];
      for (const m of tagModels) {
        if (!m.device || !isOnline(m.device)) continue;
        out.push({ tag: m.tag.id, value: engineering(m), quality: 'good', ts, source: `sim:${m.device}` });
      }
      return out;
    },
    value(tag) {
      const m = models.get(tag);
      return m ? engineering(m) : undefined;
    },
    perUnit(tag) {
      const m = models.get(tag);
      return m ? m.unit.vars[m.variable] : undefined;
    },
    isOnline,
    vehiclePosition(equipment) {
      const unit = units.get(equipment);
      if (!unit || unit.role !== 'vehicle') return undefined;
      return position(unit.vars.angle);
    },
    setScenario(name) {
      if (!isScenarioName(name)) throw new Error(`oilrisk/sim: unknown scenario "${String(name)}"; known: ${SCENARIO_NAMES.join(', ')}`);
      scenario = resolveScenario(site, name);
      scenarioStart = time;
      fired = 0;
      psd = false;
      psdHeldS = 0;
      for (const unit of units.values()) unit.vars.setpoint = 1;
      inputs = emptyInputs();
    },
    write,
    takeSecurityEvents() {
      const out = security;
      security = [];
      return out;
    },
    takePendingActions() {
      const out = pending;
      pending = [];
      return out;
    },
  };
}

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
