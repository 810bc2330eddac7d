import assert from 'node:assert';
import { CoolingQueue } from '../../../lib/grafana/index.js';

describe('lib/grafana cooling queue', () => {
  it('runs jobs one at a time in order', async () => {
    const queue = new CoolingQueue();
    const order: string[] = [];
    let running = 0;
    const job = (name: string) => async () => {
      running++;
      assert.strictEqual(running, 1);
      await Promise.resolve();
      order.push(name);
      running--;
    };
    const outcomes = await Promise.all([queue.push(job('a')), queue.push(job('b')), queue.push(job('c'))]);
    assert.deepStrictEqual(order, ['a', 'b', 'c']);
    assert.ok(outcomes.every((o) => o.ok));
  });

  it('fails fast during the cool-down after a transient failure, then calls again', async () => {
    let now = 0;
    const queue = new CoolingQueue({ coolDownMs: 1000, now: () => now });
    let calls = 0;
    const down = async () => { calls++; throw new Error('unreachable'); };
    const first = await queue.push(down);
    const second = await queue.push(down);
    assert.deepStrictEqual([first.ok, !first.ok && first.skipped, second.ok, !second.ok && second.skipped], [false, false, false, true]);
    assert.strictEqual(calls, 1);
    now = 1000;
    assert.deepStrictEqual(await queue.push(async () => { calls++; }), { ok: true });
    assert.strictEqual(calls, 2);
  });

  it('does not cool down on a failure that is not transient', async () => {
    const queue = new CoolingQueue({}, (err) => err.message === 'down');
    let calls = 0;
    await queue.push(async () => { calls++; throw new Error('bad request'); });
    await queue.push(async () => { calls++; });
    assert.strictEqual(calls, 2);
  });

  it('refuses jobs beyond its capacity instead of growing', async () => {
    const queue = new CoolingQueue({ capacity: 2 });
    let release!: () => void;
    const blocked = new Promise<void>((ok) => { release = ok; });
    const running = queue.push(() => blocked);
    const waiting = [queue.push(async () => undefined), queue.push(async () => undefined)];
    const refused = await queue.push(async () => undefined);
    assert.ok(!refused.ok && refused.skipped && /queue full/.test(refused.error.message));
    assert.strictEqual(queue.pending, 3);
    release();
    await Promise.all([running, ...waiting]);
    assert.strictEqual(queue.pending, 0);
  });

  it('calls the skip hook of a job it does not run, and refuses jobs once closed', async () => {
    let now = 0;
    const queue = new CoolingQueue({ coolDownMs: 1000, now: () => now }, () => true);
    const skipped: string[] = [];
    await queue.push(async () => { throw new Error('down'); }, () => skipped.push('first'));
    await queue.push(async () => undefined, () => skipped.push('cooling'));
    now = 2000;
    queue.close();
    const refused = await queue.push(async () => undefined, () => skipped.push('closed'));
    assert.ok(!refused.ok && /queue closed/.test(refused.error.message));
    assert.deepStrictEqual(skipped, ['cooling', 'closed']);
  });
});
