// `npm run bench [-- GROUP...]`: runs every bench/<group>.bench.ts, or only the groups named.
// A group module exports `run(reporter)`; each measures its baseline in the same run.

import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { format } from 'node:util';
import { printTable, reporter, type BenchReporter } from './report.js';

interface BenchGroup {
  run(reporter: BenchReporter): Promise<void> | void;
}

// stdout carries the JSON lines alone: whatever libraries print (OPC UA, Node-RED) goes to stderr.
for (const method of ['log', 'info', 'debug', 'warn'] as const) {
  console[method] = (...args: unknown[]) => { process.stderr.write(format(...args) + '\n'); };
}

async function main(): Promise<void> {
  const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
  const groups = readdirSync(__dirname)
    .filter((f) => f.endsWith('.bench.ts'))
    .map((f) => f.replace(/\.bench\.ts$/, ''))
    .filter((g) => wanted.length === 0 || wanted.includes(g))
    .sort();
  const unknown = wanted.filter((w) => !groups.includes(w));
  if (unknown.length) {
    console.error(`bench: no group named ${unknown.join(', ')}; groups are files bench/<group>.bench.ts`);
    process.exitCode = 2;
    return;
  }
  for (const group of groups) {
    process.stderr.write(`bench: ${group}...\n`);
    const mod = (await import(pathToFileURL(join(__dirname, `${group}.bench.ts`)).href)) as BenchGroup;
    await mod.run(reporter);
  }
  printTable();
}

main().catch((err: Error) => {
  console.error(`bench: ${err.stack ?? err.message}`);
  process.exitCode = 1;
});
