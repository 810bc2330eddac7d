// The shape of a site file, as zod schemas: what an admin may write, with defaults.
// Cross-references (unknown ids, duplicates, limit order) are checked in validate.ts.

import { z } from 'zod';

const id = z.string().min(1).regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]*$/, 'use letters, digits and . _ : - only, starting with a letter or digit');
const unitInterval = z.number().min(0).max(1);
const seconds = z.number().min(0);

export const equipmentSchema = z.object({
  id,
  type: z.string().min(1),
  name: z.string().min(1).optional(),
  area: z.string().min(1),
  criticality: z.number().int().min(1).max(5).default(3),
  location: z.object({ lat: z.number().min(-90).max(90), lon: z.number().min(-180).max(180) }).strict().optional(),
  state: z.enum(['running', 'shutdown', 'maintenance']).default('running'),
}).strict();

export const dependencySchema = z.object({
  from: id,
  to: id,
  kind: z.enum(['flow', 'power', 'control', 'proximity', 'utility']),
  weight: unitInterval,
}).strict();

export const limitsSchema = z.object({
  LL: z.number().optional(),
  L: z.number().optional(),
  H: z.number().optional(),
  HH: z.number().optional(),
}).strict();

export const factorSchema = z.object({
  id,
  limits: limitsSchema.optional(),
  deadband: z.number().min(0).optional(),
  onDelay: seconds.optional(),
  offDelay: seconds.optional(),
  rateOfChange: z.number().positive().optional(),
  staleTimeout: z.number().positive().optional(),
  tripWhen: z.boolean().optional(),
  predictHorizon: z.number().positive().optional(),
  consequence: z.object({
    category: z.enum(['people', 'environment', 'asset', 'production']),
    severity: z.number().int().min(1).max(5),
  }).strict(),
}).strict();

export const bindingSchema = z.object({
  protocol: z.enum(['modbus', 'opcua', 'mqtt', 'sparkplug']),
  address: z.string().min(1),
  field: z.string().min(1).optional(),
}).strict();

export const tagSchema = z.object({
  id,
  equipment: id,
  profile: z.string().min(1),
  unit: z.string().default(''),
  binding: bindingSchema.optional(),
  factors: z.array(factorSchema).default([]),
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
  site: z.object({ id, name: z.string().min(1).optional() }).strict(),
  scoreBands: scoreBandsSchema.default({ ...DEFAULT_SCORE_BANDS }),
  equipment: z.array(equipmentSchema).min(1),
  dependencies: z.array(dependencySchema).default([]),
  tags: z.array(tagSchema).default([]),
}).strict();

export type SiteFile = z.infer<typeof siteFileSchema>;
