// Validation of sensor profiles as plugins supply them: a third-party package is input from
// outside the core, so its profiles are checked once, with the path of anything wrong.

import { z } from 'zod';
import { factorSchema } from '../site/schema.js';
import type { SensorProfile } from './types.js';

const name = z.string().min(1).regex(/^[a-z0-9][a-z0-9-]*$/, 'use lower-case letters, digits and - only');
const linear = { scale: z.number().refine((v) => v !== 0 && Number.isFinite(v), 'must be a finite, non-zero number').optional(), offset: z.number().optional() };

const layoutSchema = z.object({
  type: z.enum(['int16', 'uint16', 'int32', 'uint32', 'float32', 'float64']),
  byteOrder: z.enum(['big', 'little']).optional(),
  wordOrder: z.enum(['big', 'little']).optional(),
  ...linear,
  bit: z.number().int().min(0).max(63).optional(),
  bitLength: z.number().int().min(1).max(32).optional(),
}).strict().superRefine((layout, ctx) => {
  if (layout.bit === undefined) return;
  if (layout.type.startsWith('float')) ctx.addIssue({ code: 'custom', path: ['bit'], message: 'bit fields need an integer type' });
  const width = layout.type.endsWith('16') ? 16 : 32;
  if (layout.bit + (layout.bitLength ?? 1) > width) ctx.addIssue({ code: 'custom', path: ['bit'], message: `bit field does not fit in ${layout.type}` });
});

const channelSchema = z.object({
  name,
  description: z.string().optional(),
  unit: z.string(),
  range: z.object({ min: z.number(), max: z.number() }).strict().refine((r) => r.min <= r.max, 'min must not exceed max').optional(),
  modbus: layoutSchema.optional(),
  opcua: z.object({
    dataType: z.enum(['Boolean', 'SByte', 'Byte', 'Int16', 'UInt16', 'Int32', 'UInt32', 'Int64', 'UInt64', 'Float', 'Double', 'String']),
    ...linear,
  }).strict().optional(),
  mqtt: z.object({ field: z.string().min(1), ...linear }).strict().optional(),
  expectedPeriod: z.number().positive().optional(),
  defaultFactors: z.array(factorSchema).optional(),
}).strict();

export const profileSchema = z.object({
  name,
  description: z.string().optional(),
  vendor: z.string().optional(),
  channels: z.array(channelSchema).min(1),
}).strict().superRefine((profile, ctx) => {
  const seen = new Set<string>();
  profile.channels.forEach((channel, i) => {
    if (seen.has(channel.name)) ctx.addIssue({ code: 'custom', path: ['channels', i, 'name'], message: `duplicate channel "${channel.name}"` });
    seen.add(channel.name);
  });
});

/** The profile, or an Error naming the profile and the path of the first problems. */
export function parseProfile(input: unknown, origin = 'plugin'): SensorProfile {
  const result = profileSchema.safeParse(input);
  if (result.success) return result.data as SensorProfile;
  const label = typeof (input as { name?: unknown })?.name === 'string' ? `"${(input as { name: string }).name}"` : '(unnamed)';
  const problems = result.error.issues.slice(0, 3).map((issue) => `${issue.message} (${issue.path.join('.') || 'profile'})`);
  throw new Error(`oilrisk/profiles: profile ${label} from ${origin} is invalid: ${problems.join('; ')}`);
}
