// Copies every non-TypeScript file of nodes/ and plugins/ (editor .html, locales/, icons/)
// beside the compiled .js in dist/, where Node-RED looks for them. No file is listed by hand.
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';

const roots = ['nodes', 'plugins'];
let copied = 0;

function walk(dir) {
  for (const entry of readdirSync(dir)) {
    const source = join(dir, entry);
    if (entry === 'node_modules') continue;
    if (statSync(source).isDirectory()) {
      // A folder with its own package.json is a separate package (a third-party plugin example).
      if (dir === 'plugins' && existsSync(join(source, 'package.json'))) continue;
      walk(source);
    } else if (!entry.endsWith('.ts')) {
      cpSync(source, join('dist', source));
      copied++;
    }
  }
}

for (const root of roots) if (existsSync(root)) walk(root);
console.log(`copy-assets: ${copied} file(s) copied to dist/`);

// Node-RED's import menu reads examples/ of an installed package; the flows that `npm start`
// deploys are the same files, kept once in flows/.
mkdirSync('examples', { recursive: true });
for (const stale of readdirSync('examples').filter((f) => f.endsWith('.json'))) rmSync(join('examples', stale));
for (const file of readdirSync('flows').filter((f) => f.endsWith('.json'))) {
  cpSync(join('flows', file), join('examples', file));
}
