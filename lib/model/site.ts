// The site model: equipment, the dependencies between them, tags and their risk factors.
// It is what an admin edits (YAML or JSON) and what the risk engine, alarms and simulator share.

export type OperatingState = 'running' | 'shutdown' | 'maintenance';

export type DependencyKind = 'flow' | 'power' | 'control' | 'proximity' | 'utility';

export type ConsequenceCategory = 'people' | 'environment' | 'asset' | 'production';

export interface GeoLocation {
  lat: number;
  lon: number;
}

export interface Equipment {
  id: string;
  /** What it is in the plant: "well-rod-pump", "separator-3phase", "compressor", "h2s-detector", ... */
  type: string;
  name: string;
  area: string;
  /** 1 (minor) .. 5 (critical): how much this equipment matters to the plant. */
  criticality: number;
  location?: GeoLocation;
  state: OperatingState;
}

export interface Dependency {
  /** Upstream equipment: its risk can be transmitted to `to`. */
  from: string;
  to: string;
  kind: DependencyKind;
  /** Share of the upstream risk that reaches the downstream equipment, 0..1. */
  transmissionWeight: number;
}

export interface DeviceBinding {
  protocol: 'modbus' | 'opcua' | 'mqtt' | 'sparkplug';
  /** Protocol-specific address: "unit:register" for Modbus, a node id for OPC UA, a topic (and JSON field) for MQTT. */
  address: string;
  /** Optional JSON field or Sparkplug metric name within the message. */
  field?: string;
}

export interface Limits {
  LL?: number;
  L?: number;
  H?: number;
  HH?: number;
}

export interface Consequence {
  category: ConsequenceCategory;
  /** 1 (negligible) .. 5 (catastrophic). */
  severity: number;
}

export interface RiskFactor {
  /** Unique within its tag: "high-pressure", "h2s", "comms". */
  id: string;
  limits?: Limits;
  /** Hysteresis in engineering units: a limit clears only when the value is back inside by this much. */
  deadband?: number;
  /** Seconds a condition must hold before the factor becomes active. */
  onDelay?: number;
  /** Seconds a cleared condition must hold before the factor returns to normal. */
  offDelay?: number;
  /** Largest credible change per minute, in engineering units; faster is a factor of its own. */
  rateOfChange?: number;
  /** Seconds without a reading before the tag is stale (bad quality, comms-loss factor). */
  staleTimeout?: number;
  /** For boolean tags: the value that means "tripped". */
  tripWhen?: boolean;
  /** Forecast horizon in seconds for predicted breach; absent disables prediction. */
  predictHorizon?: number;
  consequence: Consequence;
}

export interface Tag {
  id: string;
  equipment: string;
  /** Sensor profile name (a built-in or a plugin's): "pressure", "h2s-ppm", ... */
  profile: string;
  unit: string;
  binding?: DeviceBinding;
  factors: RiskFactor[];
}

export type GeofenceKind = 'restricted' | 'speed-zone' | 'muster';

/**
 * A circular zone vehicles are checked against: entering a restricted zone is a violation, a
 * speed zone has its own limit, a muster point is where people gather in an emergency.
 */
export interface Geofence {
  id: string;
  name: string;
  kind: GeofenceKind;
  location: GeoLocation;
  radiusM: number;
  /** Speed limit inside, km/h; a speed zone always has one. */
  speedLimitKmh?: number;
}

/** Lower bounds of the score for each warning level; score >= band means that level. */
export interface ScoreBands {
  IV: number;
  III: number;
  II: number;
  I: number;
}

export interface Site {
  id: string;
  name: string;
  equipment: Equipment[];
  dependencies: Dependency[];
  tags: Tag[];
  scoreBands: ScoreBands;
  /** Zones the GPS-tracked vehicles are checked against; none when absent. */
  geofences?: Geofence[];
}
