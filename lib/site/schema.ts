// The shape of a site file, as zod schemas: what an admin may write, with defaults.
// Cross-references (unknown ids, duplicates, limit order) are checked in validate.ts.

import { z } from 'zod';

const id = z.string().min(1).regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]*$/, 'use letters, digits and . _ : - only, starting with a letter or digit');
const unitInterval = z.number().min(0).max(1);
const seconds = z.number().min(0);

const locationSchema = z.object({
  lat: z.number().min(-90).max(90).describe('Latitude, decimal degrees (WGS 84)'),
  lon: z.number().min(-180).max(180).describe('Longitude, decimal degrees (WGS 84)'),
}).strict();

export const equipmentSchema = z.object({
  id: id.describe('Unique equipment id, e.g. "SEP-1"'),
  type: z.string().min(1).describe('What it is: "well-rod-pump", "separator-3phase", "compressor", "h2s-detector"...'),
  name: z.string().min(1).optional().describe('Display name; defaults to the id'),
  area: z.string().min(1).describe('Plant area, e.g. "north", "cpf", "tank-battery"'),
  criticality: z.number().int().min(1).max(5).default(3).describe('1 (minor) .. 5 (critical)'),
  location: locationSchema.optional(),
  state: z.enum(['running', 'shutdown', 'maintenance']).default('running').describe('Operating state'),
}).strict();

export const dependencySchema = z.object({
  from: id.describe('Upstream equipment id: its risk can reach "to"'),
  to: id.describe('Downstream equipment id'),
  kind: z.enum(['flow', 'power', 'control', 'proximity', 'utility']).describe('What links them'),
  weight: unitInterval.describe('Transmission weight 0..1: the share of upstream risk that reaches downstream'),
}).strict();

export const limitsSchema = z.object({
  LL: z.number().optional().describe('Low-low limit (trip), tag unit'),
  L: z.number().optional().describe('Low limit (alarm), tag unit'),
  H: z.number().optional().describe('High limit (alarm), tag unit'),
  HH: z.number().optional().describe('High-high limit (trip), tag unit'),
}).strict();

export const factorSchema = z.object({
  id: id.describe('Unique within its tag, e.g. "vessel-pressure"'),
  limits: limitsSchema.optional().describe('Limits rising LL < L < H < HH; any subset'),
  deadband: z.number().min(0).optional().describe('Hysteresis in tag units: a limit clears only this far back inside'),
  onDelay: seconds.optional().describe('Seconds a condition must hold before the factor becomes active'),
  offDelay: seconds.optional().describe('Seconds a cleared condition must hold before the factor returns to normal'),
  rateOfChange: z.number().positive().optional().describe('Largest credible change per minute, tag units; faster is a factor'),
  staleTimeout: z.number().positive().optional().describe('Seconds without a reading before the tag is stale'),
  tripWhen: z.boolean().optional().describe('Boolean tags: the value that means tripped'),
  predictHorizon: z.number().positive().optional().describe('Seconds ahead to forecast a limit breach; needs limits'),
  consequence: z.object({
    category: z.enum(['people', 'environment', 'asset', 'production']),
    severity: z.number().int().min(1).max(5).describe('1 (negligible) .. 5 (catastrophic)'),
  }).strict(),
}).strict();

export const bindingSchema = z.object({
  protocol: z.enum(['modbus', 'opcua', 'mqtt', 'sparkplug']),
  address: z.string().min(1).describe('Modbus "<device>:<unitId>:<register>", OPC UA "ns=1;s=<id>", MQTT topic, or Sparkplug "spBv1.0/<group>/DDATA/<edge>/<device>"'),
  field: z.string().min(1).optional().describe('MQTT JSON field, or Sparkplug metric name'),
}).strict();

export const tagSchema = z.object({
  id: id.describe('Unique tag id, e.g. "SEP-1.PT-101"'),
  equipment: id.describe('Equipment the tag measures'),
  profile: z.string().min(1).describe('Sensor profile, e.g. "pressure" or "esp-drive.current"'),
  unit: z.string().default('').describe('Engineering unit the site works in, e.g. "bar", "degC", "m3/h"'),
  binding: bindingSchema.optional().describe('Device point the value comes from'),
  factors: z.array(factorSchema).default([]),
}).strict();

export const geofenceSchema = z.object({
  id: id.describe('Unique geofence id, e.g. "FLARE-EXCLUSION"'),
  name: z.string().min(1).optional().describe('Display name; defaults to the id'),
  kind: z.enum(['restricted', 'speed-zone', 'muster']).describe('restricted: no entry; speed-zone: its own speed limit; muster: an assembly point'),
  location: locationSchema.describe('Centre of the circle'),
  radiusM: z.number().positive().max(100000).describe('Radius in metres'),
  speedLimitKmh: z.number().positive().optional().describe('Speed limit inside, km/h; required for a speed zone'),
}).strict();

export const scoreBandsSchema = z.object({
  IV: z.number().min(0),
  III: z.number().min(0),
  II: z.number().min(0),
  I: z.number().min(0),
}).strict();

/** Score bands used when a site file gives none; see docs/risk-model.md. */
export const DEFAULT_SCORE_BANDS = { IV: 0.5, III: 1.0, II: 2.0, I: 3.0 } as const;

export const siteFileSchema = z.object({
  site: z.object({ id: id.describe('Site id'), name: z.string().min(1).optional() }).strict(),
  scoreBands: scoreBandsSchema.default({ ...DEFAULT_SCORE_BANDS }).describe('Lowest score of each warning level, rising IV < III < II < I'),
  equipment: z.array(equipmentSchema).min(1),
  dependencies: z.array(dependencySchema).default([]),
  tags: z.array(tagSchema).default([]),
  geofences: z.array(geofenceSchema).default([]).describe('Circular zones GPS-tracked vehicles are checked against'),
}).strict();

export type SiteFile = z.infer<typeof siteFileSchema>;
