// The Risk tab of the demo flow as `npm start` deploys it: the shipped inject node's H2S
// excursion goes through oilrisk-risk and shows on the risk API.

import assert from 'node:assert/strict';
import { startRuntime, type RuntimeHandle } from '../support/runtime.js';

async function json<T>(res: Response): Promise<T> {
  const text = await res.text();
  try { return JSON.parse(text) as T; } catch { throw new Error(`expected JSON, got ${res.status}: ${text.slice(0, 200)}`); }
}

interface Explanation { level: string; rootCause?: { equipment: string; tag?: string }; factors: Array<{ state: string }> }

describe('risk tab of the demo flow', function () {
  this.timeout(60_000);
  let runtime: RuntimeHandle | undefined;

  afterEach(async () => {
    if (runtime) await runtime.stop();
    runtime = undefined;
  });

  it('raises the H2S detector when the shipped inject node is pressed', async () => {
    runtime = await startRuntime();
    const url = runtime.url;
    // The site node loads its file after the flows start: ask until the engine knows the detector.
    let before: Response | undefined;
    for (let attempt = 0; attempt < 100; attempt++) {
      before = await fetch(`${url}/oilrisk/api/risk/GD-H2S-1`);
      if (before.status === 200) break;
      await new Promise((ok) => setImmediate(ok));
    }
    assert.equal(before!.status, 200, runtime.output());
    assert.equal((await json<Explanation>(before!)).level, 'normal');

    const pressed = await fetch(`${url}/inject/oilrisk.risk.inject.h2s`, { method: 'POST' });
    assert.equal(pressed.status, 200, await pressed.text());
    let after: Explanation | undefined;
    for (let attempt = 0; attempt < 100 && (!after || after.level === 'normal'); attempt++) {
      after = await json<Explanation>(await fetch(`${url}/oilrisk/api/risk/GD-H2S-1`));
    }
    assert.equal(after!.level, 'I', JSON.stringify(after));
    assert.deepEqual(after!.rootCause, { equipment: 'GD-H2S-1', tag: 'GD-H2S-1.AT-901', factor: 'h2s' });
    assert.deepEqual(after!.factors.map((f) => f.state), ['highhigh']);

    const all = await json<{ counts: Record<string, number>; equipment: Array<{ equipment: string }> }>(await fetch(`${url}/oilrisk/api/risk`));
    assert.ok(all.counts.I >= 1);
    assert.ok(all.equipment.some((e) => e.equipment === 'SEP-1'));
  });
});
