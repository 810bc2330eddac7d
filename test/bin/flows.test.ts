import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seedFlows, shippedFlows } from '../../bin/flows.js';

describe('bin/flows: seeding the runtime flow file from flows/', () => {
  let root: string, flowsDir: string, userDir: string;
  const deployed = () => JSON.parse(readFileSync(join(userDir, 'flows.json'), 'utf8')) as Array<{ id: string }>;
  const ship = (file: string, nodes: unknown[]) => writeFileSync(join(flowsDir, file), JSON.stringify(nodes));

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'oilrisk-flows-'));
    flowsDir = join(root, 'flows');
    userDir = join(root, 'user');
    mkdirSync(flowsDir);
    mkdirSync(userDir);
    ship('10-b.json', [{ id: 'b' }]);
    ship('00-a.json', [{ id: 'a' }]);
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('concatenates the shipped files in name order', () => {
    assert.deepEqual(shippedFlows(flowsDir), [{ id: 'a' }, { id: 'b' }]);
  });

  it('seeds a missing flow file, then leaves it alone', () => {
    assert.equal(seedFlows(flowsDir, userDir, 'flows.json'), 'seeded');
    assert.deepEqual(deployed().map((n) => n.id), ['a', 'b']);
    assert.equal(seedFlows(flowsDir, userDir, 'flows.json'), 'unchanged');
  });

  it('updates untouched flows when the shipped flows change', () => {
    seedFlows(flowsDir, userDir, 'flows.json');
    ship('20-c.json', [{ id: 'c' }]);
    assert.equal(seedFlows(flowsDir, userDir, 'flows.json'), 'updated');
    assert.deepEqual(deployed().map((n) => n.id), ['a', 'b', 'c']);
  });

  it('never overwrites flows a user edited, unless asked to reset', () => {
    seedFlows(flowsDir, userDir, 'flows.json');
    writeFileSync(join(userDir, 'flows.json'), JSON.stringify([{ id: 'mine' }]));
    ship('20-c.json', [{ id: 'c' }]);
    assert.equal(seedFlows(flowsDir, userDir, 'flows.json'), 'kept-user-edits');
    assert.deepEqual(deployed().map((n) => n.id), ['mine']);
    assert.equal(seedFlows(flowsDir, userDir, 'flows.json', true), 'reset');
    assert.deepEqual(deployed().map((n) => n.id), ['a', 'b', 'c']);
  });

  it('names the file that is not a flow array', () => {
    ship('30-bad.json', { id: 'x' } as unknown as unknown[]);
    assert.throws(() => shippedFlows(flowsDir), /flows\/30-bad\.json: a flow file must hold a JSON array/);
  });
});
