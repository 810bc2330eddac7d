// The demo field's limits and forecast horizons against the simulator's normal production:
// an operator watching the demo must not be warned of breaches that never come.

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { RiskEngine } from '../../../lib/risk/index.js';
import { loadSiteFile } from '../../../lib/site/index.js';
import { replayScenario } from '../../../sim/index.js';

const ROOT = join(__dirname, '..', '..', '..');
const FALSE_ALARM_STATES = new Set(['predicted', 'low', 'lowlow', 'high', 'highhigh']);

describe('sim: the demo field in normal production', function () {
  this.timeout(120_000);

  it('raises no predicted breach and crosses no limit band in 12 simulated hours', async () => {
    const loaded = await loadSiteFile(join(ROOT, 'sites', 'demo-field.yaml'));
    assert.ok(loaded.ok);
    const site = loaded.site;
    const inService = new Set(site.equipment.filter((e) => e.state === 'running').map((e) => e.id));
    const warnings: string[] = [];
    for (const seed of [1, 2]) {
      const engine = new RiskEngine(site);
      for (const batch of replayScenario(site, 'normal', { durationS: 6 * 3600, stepS: 1, seed })) {
        if (!batch.length) continue;
        const now = Math.max(...batch.map((r) => r.ts));
        for (const change of [...engine.ingest(batch).changes, ...engine.tick(now)]) {
          for (const f of change.factors) {
            if (inService.has(change.equipment) && FALSE_ALARM_STATES.has(f.state) && !f.suppressed) warnings.push(`seed ${seed}: ${f.tag} ${f.state}`);
          }
        }
      }
    }
    assert.deepEqual([...new Set(warnings)], []);
  });
});
