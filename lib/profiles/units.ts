// Engineering units and the conversions between them, so a profile's native unit (psi, degF)
// can feed a tag the site keeps in another (bar, degC). Linear: base = value * factor + offset.

interface UnitDefinition {
  dimension: string;
  factor: number;
  offset?: number;
}

const UNITS: Record<string, UnitDefinition> = {
  // pressure, base Pa
  Pa: { dimension: 'pressure', factor: 1 },
  kPa: { dimension: 'pressure', factor: 1e3 },
  MPa: { dimension: 'pressure', factor: 1e6 },
  bar: { dimension: 'pressure', factor: 1e5 },
  mbar: { dimension: 'pressure', factor: 100 },
  psi: { dimension: 'pressure', factor: 6894.757293168361 },
  // temperature, base K
  K: { dimension: 'temperature', factor: 1 },
  degC: { dimension: 'temperature', factor: 1, offset: 273.15 },
  degF: { dimension: 'temperature', factor: 5 / 9, offset: 273.15 - (32 * 5) / 9 },
  // length, base m
  m: { dimension: 'length', factor: 1 },
  mm: { dimension: 'length', factor: 1e-3 },
  cm: { dimension: 'length', factor: 1e-2 },
  ft: { dimension: 'length', factor: 0.3048 },
  in: { dimension: 'length', factor: 0.0254 },
  // volumetric flow, base m3/s
  'm3/s': { dimension: 'flow', factor: 1 },
  'm3/h': { dimension: 'flow', factor: 1 / 3600 },
  'm3/d': { dimension: 'flow', factor: 1 / 86400 },
  'bbl/d': { dimension: 'flow', factor: 0.158987294928 / 86400 },
  'L/min': { dimension: 'flow', factor: 1e-3 / 60 },
  // speed (vibration velocity and vehicles), base m/s
  'm/s': { dimension: 'speed', factor: 1 },
  'mm/s': { dimension: 'speed', factor: 1e-3 },
  'in/s': { dimension: 'speed', factor: 0.0254 },
  'km/h': { dimension: 'speed', factor: 1 / 3.6 },
  mph: { dimension: 'speed', factor: 0.44704 },
  // force, base N
  N: { dimension: 'force', factor: 1 },
  kN: { dimension: 'force', factor: 1e3 },
  lbf: { dimension: 'force', factor: 4.4482216152605 },
  klbf: { dimension: 'force', factor: 4448.2216152605 },
  // metal loss rate, base mm/y
  'mm/y': { dimension: 'corrosion-rate', factor: 1 },
  mpy: { dimension: 'corrosion-rate', factor: 0.0254 },
  // time, base s
  s: { dimension: 'time', factor: 1 },
  ms: { dimension: 'time', factor: 1e-3 },
  min: { dimension: 'time', factor: 60 },
  h: { dimension: 'time', factor: 3600 },
  // fractions, base 1
  '%': { dimension: 'fraction', factor: 1e-2 },
  ppm: { dimension: 'fraction', factor: 1e-6 },
  // frequency, base Hz
  Hz: { dimension: 'frequency', factor: 1 },
  rpm: { dimension: 'frequency', factor: 1 / 60 },
  spm: { dimension: 'frequency', factor: 1 / 60 },
};

/** Unit spellings people write in site files, mapped to the names above. */
const ALIASES: Record<string, string> = {
  '°C': 'degC', C: 'degC', '°F': 'degF', F: 'degF', 'm³/h': 'm3/h', 'm³/d': 'm3/d', bpd: 'bbl/d',
  'l/min': 'L/min', barg: 'bar', psig: 'psi', percent: '%',
};

export function canonicalUnit(unit: string): string {
  return ALIASES[unit] ?? unit;
}

export function isKnownUnit(unit: string): boolean {
  return canonicalUnit(unit) in UNITS;
}

/** True when a value in `from` can be expressed in `to` (same unit, or same dimension). */
export function canConvert(from: string, to: string): boolean {
  const a = canonicalUnit(from);
  const b = canonicalUnit(to);
  if (a === b) return true;
  return a in UNITS && b in UNITS && UNITS[a].dimension === UNITS[b].dimension;
}

/** `value` in `from` expressed in `to`; an empty or identical unit passes the value through. */
export function convertUnit(value: number, from: string, to: string): number {
  const a = canonicalUnit(from);
  const b = canonicalUnit(to);
  if (a === b || a === '' || b === '') return value;
  const source = UNITS[a];
  const target = UNITS[b];
  if (!source || !target || source.dimension !== target.dimension) {
    throw new RangeError(`oilrisk/profiles: cannot convert ${from} to ${to}`);
  }
  const base = value * source.factor + (source.offset ?? 0);
  return (base - (target.offset ?? 0)) / target.factor;
}
