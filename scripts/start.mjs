// `npm start`: builds when any source is newer than the last build, then starts the runtime.
import { execSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const STAMP = 'dist/bin/oilrisk.js';
const SOURCES = ['lib', 'nodes', 'plugins', 'sim', 'bin', 'settings.ts', 'tsconfig.json', 'tsconfig.build.json', 'flows'];

function newest(path) {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let latest = stat.mtimeMs;
  for (const entry of readdirSync(path)) {
    if (entry === 'node_modules') continue;
    latest = Math.max(latest, newest(join(path, entry)));
  }
  return latest;
}

const built = existsSync(STAMP) ? statSync(STAMP).mtimeMs : 0;
if (!built || SOURCES.some((s) => newest(s) > built)) {
  console.log('oilrisk: building...');
  try {
    execSync('npm run build --silent', { stdio: 'inherit' });
  } catch {
    console.error('oilrisk: the build failed (errors above); fix them and run npm start again');
    process.exit(1);
  }
}
const { main } = await import('../dist/bin/oilrisk.js');
await main();
