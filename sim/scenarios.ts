// The named scenarios: what goes wrong, where, when, and what the product should detect, as
// data resolved against a site so that tests assert detection on whichever site is served.

import type { Dependency, RootCause, Site, Tag } from '../lib/model/index.js';
import { equipmentRole, measurement, type EquipmentRole, type Measurement } from './kinds.js';
import { ramp, type ScenarioAction, type ScenarioInputs } from './inputs.js';
import { scaleFor, toEngineering } from './scale.js';
import { deviceOf } from './devices.js';

export const SCENARIO_NAMES = [
  'normal', 'separator-overpressure', 'h2s-leak', 'pump-failure', 'pipeline-leak', 'tank-overfill',
  'compressor-trip-flood', 'comms-loss', 'vehicle-speeding', 'cyber-intrusion',
] as const;

export type ScenarioName = (typeof SCENARIO_NAMES)[number];

export type Limit = 'LL' | 'L' | 'H' | 'HH';

/** What the product should see, at the latest by `byS` seconds after the scenario starts. */
export type Expectation =
  | { kind: 'limit'; tag: string; limit: Limit; byS: number }
  | { kind: 'trip'; tag: string; byS: number }
  | { kind: 'stale'; tag: string; fromS: number; untilS: number }
  | { kind: 'security'; event: 'modbus-write' | 'mqtt-login-failure'; atLeast: number; byS: number }
  | { kind: 'flood'; atLeast: number; fromS: number; withinS: number }
  /** Flow in minus flow out: the outlet falls by `atLeast` (share of normal) more than the inlet. */
  | { kind: 'imbalance'; inlet: string; outlet: string; atLeast: number; byS: number };

export interface TimelineEntry {
  atS: number;
  event: string;
}

export interface Scenario {
  name: ScenarioName;
  title: string;
  /** Absent for `normal`; otherwise the equipment (and tag) where it starts. */
  rootCause?: RootCause;
  timeline: TimelineEntry[];
  expectations: Expectation[];
  /** How long to run it to see everything it documents. */
  durationS: number;
  actions: ScenarioAction[];
  /** Sets the scenario's knobs for `t` seconds after its start. */
  drive(t: number, inputs: ScenarioInputs): void;
}

export function isScenarioName(name: unknown): name is ScenarioName {
  return typeof name === 'string' && (SCENARIO_NAMES as readonly string[]).includes(name);
}

const START = 60;

interface Finder {
  site: Site;
  units(role: EquipmentRole): string[];
  tag(equipment: string, kinds: Measurement[], limit?: 'high' | 'low'): Tag | undefined;
}

function finder(site: Site): Finder {
  const bound = site.tags.filter((t) => t.binding);
  return {
    site,
    units: (role) => site.equipment.filter((e) => equipmentRole(e) === role && e.state === 'running').map((e) => e.id),
    tag(equipment, kinds, limit) {
      for (const kind of kinds) {
        const found = bound.find((t) => t.equipment === equipment && measurement(t) === kind && (!limit || limitOf(t, limit)));
        if (found) return found;
      }
      return undefined;
    },
  };
}

/** The first limit crossed on that side: H before HH, L before LL. */
export function limitOf(tag: Tag, side: 'high' | 'low'): Limit | undefined {
  const order: Limit[] = side === 'high' ? ['H', 'HH'] : ['L', 'LL'];
  return order.find((l) => tag.factors.some((f) => f.limits?.[l] !== undefined));
}

function hasLimit(tag: Tag, limit: Limit): boolean {
  return tag.factors.some((f) => f.limits?.[limit] !== undefined);
}

/** Expect the tag to cross its first and, when it has one, its second limit on that side. */
function crossing(tag: Tag | undefined, side: 'high' | 'low', firstByS: number, secondByS?: number): Expectation[] {
  if (!tag) return [];
  const [first, second]: Limit[] = side === 'high' ? ['H', 'HH'] : ['L', 'LL'];
  const out: Expectation[] = [];
  if (hasLimit(tag, first)) out.push({ kind: 'limit', tag: tag.id, limit: first, byS: firstByS });
  if (secondByS !== undefined && hasLimit(tag, second)) out.push({ kind: 'limit', tag: tag.id, limit: second, byS: secondByS });
  if (!out.length && hasLimit(tag, second)) out.push({ kind: 'limit', tag: tag.id, limit: second, byS: secondByS ?? firstByS });
  return out;
}

function trip(tag: Tag | undefined, byS: number): Expectation[] {
  return tag && tag.factors.some((f) => f.tripWhen !== undefined) ? [{ kind: 'trip', tag: tag.id, byS }] : [];
}

const RUNNING: Measurement[] = ['running', 'status-word'];
const PRESSURE: Measurement[] = ['pressure', 'outlet-pressure', 'inlet-pressure'];
const FLOW: Measurement[] = ['flow', 'outlet-flow', 'inlet-flow'];

type Resolver = (f: Finder) => Omit<Scenario, 'name'>;

const quiet = (title: string, durationS: number, note: string): Omit<Scenario, 'name'> => ({
  title, timeline: [{ atS: 0, event: note }], expectations: [], durationS, actions: [], drive: () => undefined,
});

const RESOLVERS: Record<ScenarioName, Resolver> = {
  normal: () => quiet('Normal production', 3600, 'steady production with measurement noise: no limit is crossed'),

  'separator-overpressure': (f) => {
    const separator = f.units('separator').find((s) => f.tag(s, PRESSURE, 'high')) ?? f.units('separator')[0];
    if (!separator) return quiet('Separator overpressure', 60, 'this site has no separator');
    const tag = f.tag(separator, PRESSURE, 'high');
    return {
      title: 'Separator overpressure (slow ramp)',
      rootCause: { equipment: separator, tag: tag?.id },
      timeline: [
        { atS: START, event: `${separator} gas outlet valve starts sticking closed: 30 % less opening over 20 minutes` },
        { atS: 600, event: 'separator pressure crosses H (a forecast can warn well before)' },
        { atS: 900, event: 'pressure crosses HH; held 30 s it trips the process shutdown (wells shut in)' },
      ],
      expectations: crossing(tag, 'high', 780, 1080),
      durationS: 1500,
      actions: [],
      drive: (t, inputs) => { inputs.valve.set(separator, 1 - 0.3 * ramp(t, START, START + 1200)); },
    };
  },

  'h2s-leak': (f) => {
    const detector = f.units('detector').find((d) => f.tag(d, ['h2s'])) ?? f.units('detector')[0];
    if (!detector) return quiet('H2S leak', 60, 'this site has no gas detector');
    const source = leakSource(f.site, detector);
    const tag = f.tag(detector, ['h2s']);
    return {
      title: 'H2S leak',
      rootCause: { equipment: source, tag: tag?.id },
      timeline: [
        { atS: START, event: `sour gas starts leaking at ${source} (a failed flange gasket), growing for 3 minutes` },
        { atS: 200, event: `${detector} reads above H, then HH` },
      ],
      expectations: crossing(tag, 'high', 300, 360),
      durationS: 600,
      actions: [],
      drive: (t, inputs) => { inputs.gasRelease.set(source, 2.2 * ramp(t, START, START + 180)); },
    };
  },

  'pump-failure': (f) => {
    const well = f.units('well').find((w) => f.tag(w, FLOW)) ?? f.units('well')[0];
    if (!well) return quiet('Pump failure', 60, 'this site has no well');
    const manifold = f.site.dependencies.find((d) => d.kind === 'flow' && d.from === well)?.to;
    const feeders = manifold ? f.site.dependencies.filter((d) => d.kind === 'flow' && d.to === manifold).length : 0;
    const manifoldTag = manifold && feeders <= 7 ? f.tag(manifold, PRESSURE, 'low') : undefined;
    return {
      title: 'Well pump failure',
      rootCause: { equipment: well, tag: f.tag(well, RUNNING)?.id ?? f.tag(well, FLOW)?.id },
      timeline: [
        { atS: START, event: `${well} pump motor fails (fault, stopped)` },
        { atS: 90, event: `${well} flow falls to zero; ${manifold ?? 'downstream'} flow and pressure drop` },
      ],
      expectations: [
        ...trip(f.tag(well, RUNNING), 100),
        ...crossing(f.tag(well, FLOW, 'low'), 'low', 120),
        ...crossing(f.tag(well, ['speed'], 'low'), 'low', 120),
        ...crossing(f.tag(well, ['load'], 'low'), 'low', 120),
        ...crossing(f.tag(well, ['current'], 'low'), 'low', 120),
        ...crossing(manifoldTag, 'low', 180),
      ],
      durationS: 600,
      actions: [],
      drive: (t, inputs) => {
        if (t >= START) { inputs.stopped.add(well); inputs.faulted.add(well); }
      },
    };
  },

  'pipeline-leak': (f) => {
    const pipeline = f.units('pipeline')[0];
    if (!pipeline) return quiet('Pipeline leak', 60, 'this site has no pipeline');
    const outlet = f.tag(pipeline, ['outlet-flow', 'flow']);
    const feeder = f.site.dependencies.find((d) => d.kind === 'flow' && d.to === pipeline)?.from;
    const inlet = f.tag(pipeline, ['inlet-flow']) ?? (feeder ? f.tag(feeder, ['flow', 'outlet-flow']) : undefined);
    return {
      title: 'Pipeline leak',
      rootCause: { equipment: pipeline, tag: f.tag(pipeline, ['outlet-pressure', 'outlet-flow'])?.id },
      timeline: [
        { atS: START, event: `${pipeline} starts leaking, growing to 35 % of its flow over 2 minutes` },
        { atS: 200, event: 'outlet pressure and outlet flow fall while inlet flow holds: a flow imbalance' },
      ],
      expectations: [
        ...crossing(f.tag(pipeline, ['outlet-pressure'], 'low'), 'low', 300, 420),
        ...crossing(f.tag(pipeline, ['pressure'], 'low'), 'low', 300),
        ...crossing(f.tag(pipeline, ['outlet-flow'], 'low'), 'low', 300),
        ...(inlet && outlet ? [{ kind: 'imbalance' as const, inlet: inlet.id, outlet: outlet.id, atLeast: 0.2, byS: 300 }] : []),
      ],
      durationS: 600,
      actions: [],
      drive: (t, inputs) => { inputs.pipelineLeak.set(pipeline, 0.35 * ramp(t, START, START + 120)); },
    };
  },

  'tank-overfill': (f) => {
    const tank = f.units('tank').find((t) => f.tag(t, ['level'], 'high')) ?? f.units('tank')[0];
    if (!tank) return quiet('Tank overfill', 60, 'this site has no tank');
    const lact = f.site.dependencies.find((d) => d.kind === 'flow' && d.from === tank && ['lact', 'pump'].includes(equipmentRole(f.site.equipment.find((e) => e.id === d.to)!)))?.to;
    const culprit = lact ?? tank;
    return {
      title: 'Tank overfill',
      rootCause: { equipment: culprit, tag: f.tag(culprit, RUNNING)?.id },
      timeline: [
        { atS: START, event: `${culprit} stops (LACT pump trip): the tank keeps filling with nothing going out` },
        { atS: 440, event: `${tank} level crosses H` },
        { atS: 810, event: `${tank} level crosses HH` },
      ],
      expectations: [...trip(f.tag(culprit, RUNNING), 100), ...crossing(f.tag(tank, ['level'], 'high'), 'high', 600, 1000)],
      durationS: 1200,
      actions: [],
      drive: (t, inputs) => { if (t >= START) inputs.stopped.add(culprit); },
    };
  },

  'compressor-trip-flood': (f) => {
    const compressor = f.units('compressor')[0];
    if (!compressor) return quiet('Compressor trip', 60, 'this site has no compressor');
    return {
      title: 'Compressor trip and alarm flood',
      rootCause: { equipment: compressor, tag: f.tag(compressor, RUNNING)?.id ?? f.tag(compressor, ['vibration'])?.id },
      timeline: [
        { atS: START, event: `${compressor} trips (one root cause)` },
        { atS: 90, event: 'gas backs up: separator and suction pressures rise past H and HH; export line pressure and flow fall' },
        { atS: 150, event: 'separator HH held 30 s: the process shutdown shuts in every well' },
        { atS: 160, event: 'auto-restart: the compressor runs 25 s and trips again, five times, 100 s apart; every attempt clears and re-raises its alarms' },
        { atS: 300, event: 'well flows, pump currents, manifold pressure, tank inflow and LACT flow fall through L and LL' },
      ],
      expectations: [...trip(f.tag(compressor, RUNNING), 100), { kind: 'flood', atLeast: 50, fromS: START, withinS: 600 }],
      durationS: 900,
      actions: [],
      drive: (t, inputs) => {
        if (t < START || restarting(t)) return;
        inputs.stopped.add(compressor);
        inputs.faulted.add(compressor);
      },
    };
  },

  'comms-loss': (f) => {
    const devices = deviceTags(f.site);
    const device = [...devices.keys()].find((d) => d.startsWith('modbus:')) ?? [...devices.keys()][0];
    if (!device) return quiet('Communications loss', 60, 'this site has no bound tags');
    const tags = devices.get(device)!;
    // The device's own RTU or radio: network equipment controlling the equipment it serves.
    const controller = f.site.dependencies.find((d) => d.kind === 'control' && d.to === tags[0].equipment && f.units('network').includes(d.from))?.from;
    const network = controller ? [controller] : [];
    return {
      title: 'Communications loss',
      rootCause: { equipment: controller ?? tags[0].equipment },
      timeline: [
        { atS: START, event: `${device.slice(device.indexOf(':') + 1)} stops answering (radio link down) for 5 minutes` },
        { atS: START + 300, event: 'the link is back and the device answers again' },
      ],
      expectations: tags.map((t) => ({ kind: 'stale' as const, tag: t.id, fromS: START, untilS: START + 300 })),
      durationS: 600,
      actions: [],
      drive: (t, inputs) => {
        if (t < START || t >= START + 300) return;
        inputs.offline.add(device);
        for (const n of network) inputs.networkLoss.set(n, 2);
      },
    };
  },

  'vehicle-speeding': (f) => {
    const vehicle = f.units('vehicle').find((v) => f.tag(v, ['speed'])) ?? f.units('vehicle')[0];
    if (!vehicle) return quiet('Vehicle speeding', 60, 'this site has no vehicle');
    const tag = f.tag(vehicle, ['speed']);
    return {
      title: 'Vehicle speeding on the lease road',
      rootCause: { equipment: vehicle, tag: tag?.id },
      timeline: [
        { atS: START, event: `${vehicle} accelerates to about 1.8 times its normal speed for 3 minutes` },
        { atS: START + 180, event: `${vehicle} slows back down` },
      ],
      expectations: crossing(tag, 'high', 120, 150),
      durationS: 400,
      actions: [],
      drive: (t, inputs) => {
        if (t >= START && t < START + 180) inputs.vehicleSpeed.set(vehicle, 1 + 0.8 * ramp(t, START, START + 30));
      },
    };
  },

  'cyber-intrusion': (f) => {
    const target = f.units('well').map((w) => f.tag(w, ['speed'])).find((t) => t?.binding?.protocol === 'modbus')
      ?? f.site.tags.find((t) => t.binding?.protocol === 'modbus');
    const mqttTag = f.site.tags.find((t) => t.binding?.protocol === 'mqtt' || t.binding?.protocol === 'sparkplug');
    const actions: ScenarioAction[] = [];
    const expectations: Expectation[] = [];
    if (target) {
      const value = Math.round(toEngineering(scaleFor(target), 1.6) * 100) / 100;
      for (let i = 0; i < 5; i++) actions.push({ atS: 120 + i, kind: 'modbus-write', device: deviceOf(target)!, tag: target.id, value });
      expectations.push({ kind: 'security', event: 'modbus-write', atLeast: 5, byS: 130 });
      if (measurement(target) === 'speed') expectations.push(...crossing(target, 'high', 200));
    }
    actions.push({ atS: 180, kind: 'mqtt-login-failure', device: mqttTag ? deviceOf(mqttTag)! : 'mqtt:broker', count: 30 });
    expectations.push({ kind: 'security', event: 'mqtt-login-failure', atLeast: 20, byS: 240 });
    return {
      title: 'Cyber intrusion',
      rootCause: target ? { equipment: target.equipment, tag: target.id } : undefined,
      timeline: [
        { atS: 120, event: target ? `five unexpected Modbus writes to ${deviceOf(target)} set ${target.id} to ${1.6} times normal` : 'no Modbus device to write to' },
        { atS: 180, event: 'a burst of 30 failed MQTT logins against the broker' },
      ],
      expectations,
      durationS: 400,
      actions,
      drive: () => undefined,
    };
  },
};

/** The compressor's five failed auto-restarts: 25 s runs every 100 s after the trip. */
function restarting(t: number): boolean {
  const since = t - START;
  return [100, 200, 300, 400, 500].some((at) => since >= at && since < at + 25);
}

/** Where a leak near a detector comes from: a proximity neighbour, else equipment in its area. */
function leakSource(site: Site, detector: string): string {
  // The closest neighbour: the proximity dependency with the largest transmission weight.
  const neighbour = site.dependencies
    .filter((d) => d.kind === 'proximity' && (d.from === detector || d.to === detector))
    .reduce<Dependency | undefined>((best, d) => (!best || d.transmissionWeight > best.transmissionWeight ? d : best), undefined);
  if (neighbour) return neighbour.from === detector ? neighbour.to : neighbour.from;
  const area = site.equipment.find((e) => e.id === detector)?.area;
  const near = site.equipment.find((e) => e.area === area && equipmentRole(e) !== 'detector');
  return near?.id ?? detector;
}

/** Bound tags grouped by the device that serves them. */
export function deviceTags(site: Site): Map<string, Tag[]> {
  const devices = new Map<string, Tag[]>();
  for (const tag of site.tags) {
    const device = deviceOf(tag);
    if (!device) continue;
    if (!devices.has(device)) devices.set(device, []);
    devices.get(device)!.push(tag);
  }
  return devices;
}

export function resolveScenario(site: Site, name: ScenarioName): Scenario {
  return { name, ...RESOLVERS[name](finder(site)) };
}
