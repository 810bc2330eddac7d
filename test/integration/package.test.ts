// What `npm pack` ships: the compiled nodes, the example flows, README and licence; never
// tests, sources, the data folder or a secret.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../support/runtime.js';

interface PackedFile { path: string }

describe('npm package contents', function () {
  this.timeout(60_000);
  let files: string[];

  before(() => {
    // --ignore-scripts: the test suite has already built dist/; prepack would rebuild it.
    const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: PACKAGE_ROOT, encoding: 'utf8' });
    files = (JSON.parse(out) as Array<{ files: PackedFile[] }>)[0].files.map((f) => f.path);
  });

  it('ships every node listed in package.json with its editor file, and the example flows', () => {
    const pkg = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { 'node-red': { nodes: Record<string, string>; plugins: Record<string, string> } };
    for (const file of [...Object.values(pkg['node-red'].nodes), ...Object.values(pkg['node-red'].plugins)]) {
      assert.ok(files.includes(file), `${file} is not packed`);
      assert.ok(files.includes(file.replace(/\.js$/, '.html')), `${file.replace(/\.js$/, '.html')} is not packed`);
    }
    for (const required of ['README.md', 'LICENSE', 'package.json', 'examples/00-site.json']) assert.ok(files.includes(required), `${required} is not packed`);
  });

  it('ships no tests, sources, data folder or secrets', () => {
    const unwanted = files.filter((f) =>
      f.startsWith('test/') || f.startsWith('bench/') || f.startsWith('.oilrisk') || f.startsWith('.ci/') ||
      f.includes('credential') || f.includes('flows_cred') || (f.endsWith('.ts') && !f.endsWith('.d.ts')) || f.includes('node_modules/'));
    assert.deepEqual(unwanted, []);
  });
});
