// The demo runtime with the simulator: vehicle GPS fixes and the site's geofences travel from the
// trackers' MQTT messages through the shipped flow into QuestDB, for the field operations board.

import assert from 'node:assert/strict';
import mqtt from 'mqtt';
import { startRuntime, type RuntimeHandle } from '../support/runtime.js';
import { QuestDbTestServer, startQuestDb } from '../support/questdb-server.js';
import { eventually } from '../support/poll.js';

describe('vehicle GPS in the demo runtime (integration; needs npm run build)', function () {
  this.timeout(120_000);
  let server: QuestDbTestServer;
  let runtime: RuntimeHandle | undefined;

  before(async () => {
    server = await startQuestDb();
    runtime = await startRuntime({
      env: { OILRISK_SIM: 'on', OILRISK_SIM_SCENARIO: 'vehicle-speeding', OILRISK_SIM_SPEED: '10', OILRISK_SIM_SEED: '1', QUESTDB_ADDR: server.address },
    });
  });

  after(async () => {
    await runtime?.stop();
    await server.stop();
  });

  it('writes the geofences and every vehicle\'s fixes, and flags the speeding one (vehicle-speeding at 10x)', async () => {
    const context = () => `runtime output:\n${runtime?.output().slice(-3000) ?? ''}`;

    const geofences = await eventually(() => server.rows('oilrisk_geofences'), (rows) => rows.length >= 5, 'the demo geofences in QuestDB', { context });
    assert.deepEqual(geofences.map((g) => g.geofence).sort(), ['CPF-YARD', 'FLARE-EXCLUSION', 'LEASE-ROADS', 'MP-CPF-W', 'SOUTH-PAD']);
    const flare = geofences.find((g) => g.geofence === 'FLARE-EXCLUSION')!;
    assert.deepEqual([flare.kind, flare.radius_m], ['restricted', 150]);

    // The scenario drives its vehicle at about 1.8 times its speed from 60 simulated seconds in.
    const fixes = await eventually(
      () => server.rows('oilrisk_gps'),
      (rows) => new Set(rows.map((r) => r.vehicle)).size === 3 && rows.some((r) => r.violation === 'speeding'),
      'fixes of the three vehicles, one of them speeding',
      { limitMs: 60_000, context },
    );
    const speeding = fixes.filter((r) => r.violation === 'speeding');
    assert.deepEqual([...new Set(speeding.map((r) => r.vehicle))], ['VEH-1']);
    for (const r of speeding) assert.ok((r.speed_kmh as number) > 30, `speeding at ${String(r.speed_kmh)} km/h`);
    // Every fix is on the lease road, and the vehicles are spread along it.
    assert.ok(fixes.every((r) => typeof r.geofence === 'string' && r.violation !== 'geofence'));
    const latest = new Map(fixes.map((r) => [r.vehicle, `${String(r.lat)},${String(r.lon)}`]));
    assert.equal(new Set(latest.values()).size, 3, `three positions: ${[...latest.values()].join(' ')}`);
  });

  it('trips a vehicle that enters the flare exclusion zone through the risk engine, and records the breach', async () => {
    // A tracker reports VEH-2 at the flare stack, as the field's trackers publish.
    const broker = /embedded MQTT broker at (mqtt:\/\/[\d.:]+)/.exec(runtime!.output())?.[1];
    assert.ok(broker, 'the runtime names its embedded broker');
    const context = () => `runtime output:\n${runtime?.output().slice(-3000) ?? ''}`;
    const tracker = await mqtt.connectAsync(broker);
    try {
      const ts = Date.now();
      await tracker.publishAsync('oilrisk/field/gps/VEH-2', JSON.stringify({ ts, lat: 31.8496, lon: -102.2952, heading: 90, speed: 8 }));
      const state = await eventually(
        async () => (await (await fetch(`${runtime!.url}/oilrisk/api/risk/VEH-2`)).json()) as { level: string; rootCause?: { tag?: string; factor?: string } },
        (s) => s.rootCause?.tag === 'VEH-2.ZONE',
        'VEH-2 raised by its restricted-zone trip',
        { context },
      );
      assert.equal(state.rootCause?.factor, 'restricted-zone');
      assert.ok(['I', 'II', 'III'].includes(state.level), `level ${state.level}`);
      const breach = await eventually(
        () => server.rows('oilrisk_gps').filter((r) => r.vehicle === 'VEH-2' && r.violation === 'geofence'),
        (rows) => rows.length > 0,
        'the breach in the gps table',
        { context },
      );
      assert.equal(breach[0].geofence, 'FLARE-EXCLUSION');
      const zone = await eventually(
        () => server.rows('oilrisk_readings').filter((r) => r.tag === 'VEH-2.ZONE' && r.value === 1),
        (rows) => rows.length > 0,
        'the zone trip in the readings table',
        { context },
      );
      assert.equal(zone[0].source, 'gps:FLARE-EXCLUSION');
    } finally {
      await tracker.endAsync();
    }
  });
});
