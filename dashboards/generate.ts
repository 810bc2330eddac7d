// `npm run dashboards`: writes the dashboards built in dashboards/src to dashboards/generated,
// removing files of dashboards that no longer exist.

import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderDashboards } from './src/catalogue.js';

const out = join(__dirname, 'generated');
mkdirSync(out, { recursive: true });
const rendered = renderDashboards();
for (const file of readdirSync(out)) if (file.endsWith('.json') && !rendered.has(file)) rmSync(join(out, file));
for (const [file, text] of rendered) writeFileSync(join(out, file), text);
console.log(`dashboards: ${rendered.size} written to ${out}`);
