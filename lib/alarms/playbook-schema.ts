// The shape of a playbook file (the response methods): contacts per role, muster points and
// playbooks per risk type with a response per warning level. Cross-references: playbook-parse.ts.

import { z } from 'zod';

const id = z.string().min(1).regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]*$/, 'use letters, digits and . _ : - only, starting with a letter or digit');
const role = z.string().min(1).regex(/^[a-z][a-z0-9-]*$/, 'a role is lower-case letters, digits and dashes, e.g. "operator", "emergency-command"');

export const contactSchema = z.object({
  name: z.string().min(1),
  phone: z.string().min(3).optional(),
  email: z.email().optional(),
  radio: z.string().min(1).optional(),
}).strict().refine((c) => c.phone || c.email || c.radio, { message: 'a contact needs a phone, email or radio channel to be reached on' });

export const musterPointSchema = z.object({
  id,
  name: z.string().min(1),
  /** Site areas that muster here when a response names no muster point. */
  areas: z.array(z.string().min(1)).default([]),
  location: z.object({ lat: z.number().min(-90).max(90), lon: z.number().min(-180).max(180) }).strict().optional(),
}).strict();

export const responseSchema = z.object({
  steps: z.array(z.string().min(1)).min(1, 'a response needs at least one step'),
  roles: z.array(role).min(1, 'name at least one responsible role'),
  muster: z.array(id).default([]),
}).strict();

export const matchSchema = z.object({
  factors: z.array(z.string().min(1)).default([]),
  profiles: z.array(z.string().min(1)).default([]),
  equipmentTypes: z.array(z.string().min(1)).default([]),
  categories: z.array(z.enum(['people', 'environment', 'asset', 'production'])).default([]),
  /** The playbook for alarms no other playbook matches. */
  default: z.boolean().default(false),
}).strict();

export const playbookSchema = z.object({
  id,
  title: z.string().min(1),
  match: matchSchema,
  responses: z.object({
    I: responseSchema.optional(),
    II: responseSchema.optional(),
    III: responseSchema.optional(),
    IV: responseSchema.optional(),
  }).strict(),
}).strict();

export const playbookFileSchema = z.object({
  contacts: z.record(role, z.array(contactSchema).min(1, 'list at least one contact for the role')),
  musterPoints: z.array(musterPointSchema).default([]),
  playbooks: z.array(playbookSchema).min(1, 'define at least one playbook'),
}).strict();

export type PlaybookFile = z.infer<typeof playbookFileSchema>;
export type Playbook = z.infer<typeof playbookSchema>;
export type PlaybookContact = z.infer<typeof contactSchema>;
export type MusterPoint = z.infer<typeof musterPointSchema>;
export type PlaybookLevelResponse = z.infer<typeof responseSchema>;
