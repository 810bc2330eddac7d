// The site file as a JSON Schema, for editors (YAML language server, VS Code) to complete
// keys and flag mistakes while an admin types; generated from the zod schema, never by hand.

import { z } from 'zod';
import { siteFileSchema } from './schema.js';

export const SITE_SCHEMA_ID = 'https://oilrisk.example/schemas/site.schema.json';

export function siteJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(siteFileSchema, { io: 'input', target: 'draft-2020-12' }) as Record<string, unknown>;
  return { ...schema, $id: SITE_SCHEMA_ID, title: 'oilrisk site file', description: 'Equipment, dependencies, tags and risk factors of one oil and gas site; see docs/site-model.md.' };
}
