// Seeds the runtime's flow file from the shipped flows in flows/, without ever overwriting
// what a user changed in the editor: a shipped update replaces the deployed flows only while
// they are still exactly what was seeded last time.

import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

interface SeedState {
  sourceHash: string;
  deployedHash: string;
}

export type SeedOutcome = 'seeded' | 'updated' | 'kept-user-edits' | 'unchanged' | 'reset';

const hash = (text: string) => createHash('sha256').update(text).digest('hex');

export function shippedFlows(flowsDir: string): unknown[] {
  const files = readdirSync(flowsDir).filter((f) => f.endsWith('.json')).sort();
  return files.flatMap((f) => {
    const parsed: unknown = JSON.parse(readFileSync(join(flowsDir, f), 'utf8'));
    if (!Array.isArray(parsed)) throw new Error(`flows/${f}: a flow file must hold a JSON array of nodes`);
    return parsed;
  });
}

export function seedFlows(flowsDir: string, userDir: string, flowFile: string, reset = false): SeedOutcome {
  const target = join(userDir, flowFile);
  const stateFile = join(userDir, '.oilrisk-seed.json');
  const source = JSON.stringify(shippedFlows(flowsDir), null, 2);
  const state: SeedState | undefined = existsSync(stateFile) ? JSON.parse(readFileSync(stateFile, 'utf8')) as SeedState : undefined;
  const write = (outcome: SeedOutcome): SeedOutcome => {
    writeFileSync(target, source);
    writeFileSync(stateFile, JSON.stringify({ sourceHash: hash(source), deployedHash: hash(source) } satisfies SeedState));
    return outcome;
  };
  if (reset) return write('reset');
  if (!existsSync(target)) return write('seeded');
  const deployed = readFileSync(target, 'utf8');
  if (state && hash(source) === state.sourceHash) return 'unchanged';
  if (state && hash(deployed) === state.deployedHash) return write('updated');
  return 'kept-user-edits';
}
