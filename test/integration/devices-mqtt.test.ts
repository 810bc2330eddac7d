// What the simulator publishes over MQTT, read by a plain client on the embedded broker:
// JSON documents per bound topic and a Sparkplug B edge node (NBIRTH, DBIRTH, then DDATA).

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { get as sparkplug } from 'sparkplug-payload';
import { parseSite } from '../../lib/site/index.js';
import { startBroker, startSimulator } from '../../sim/index.js';

const codec = sparkplug('spBv1.0')!;

interface Metric { name: string; value: unknown }

describe('field devices: MQTT JSON and Sparkplug B publications', function () {
  this.timeout(20_000);

  it('publishes the bound fields as JSON and a Sparkplug B device after its births', async () => {
    const parsed = parseSite(readFileSync(join(__dirname, '..', 'lib', 'sim', 'small-field.yaml'), 'utf8'));
    assert.ok(parsed.ok);
    const broker = await startBroker();
    const watcher = await mqtt.connectAsync(broker.url);
    const seen: Array<{ topic: string; payload: Buffer }> = [];
    watcher.on('message', (topic, payload) => seen.push({ topic, payload }));
    await watcher.subscribeAsync(['spBv1.0/#', 'field/#']);
    const sim = await startSimulator(parsed.site, { seed: 4, tickMs: 200, mqttUrl: broker.url, protocols: ['mqtt'] });
    try {
      const until = Date.now() + 10_000;
      const count = (topic: string) => seen.filter((m) => m.topic === topic).length;
      while ((count('spBv1.0/field/DDATA/edge-1/GD-2') < 2 || count('field/gps/TRK-1') < 2) && Date.now() < until) await new Promise((ok) => setTimeout(ok, 50));

      const sparkplugMessages = seen.filter((m) => m.topic.startsWith('spBv1.0/'));
      assert.deepEqual(sparkplugMessages.slice(0, 3).map((m) => m.topic), [
        'spBv1.0/field/NBIRTH/edge-1', 'spBv1.0/field/DBIRTH/edge-1/GD-2', 'spBv1.0/field/DDATA/edge-1/GD-2',
      ]);
      const decoded = sparkplugMessages.map((m) => codec.decodePayload(m.payload) as { seq: unknown; metrics: Metric[] });
      assert.deepEqual(decoded.slice(0, 4).map((d) => Number(d.seq)), [0, 1, 2, 3], 'one sequence per edge node, from its birth');
      assert.equal(decoded[0].metrics[0].name, 'bdSeq');
      const lel = decoded[2].metrics.find((m) => m.name === 'lel');
      assert.equal(typeof lel?.value, 'number');
      assert.ok((lel!.value as number) >= 0 && (lel!.value as number) < 10, `LEL ${String(lel?.value)} % is background`);

      const gps = JSON.parse(seen.find((m) => m.topic === 'field/gps/TRK-1')!.payload.toString()) as Record<string, number>;
      assert.deepEqual(Object.keys(gps).sort(), ['heading', 'lat', 'lon', 'speed', 'ts']);
      assert.ok(Math.abs(gps.lat - 31.95) < 0.02 && Math.abs(gps.lon + 102.18) < 0.02, `${gps.lat}, ${gps.lon} near the site`);
      const gas = JSON.parse(seen.find((m) => m.topic === 'field/gas/GD-1')!.payload.toString()) as Record<string, number>;
      assert.deepEqual(Object.keys(gas).sort(), ['h2s', 'ts']);
    } finally {
      await sim.close();
      await watcher.endAsync();
      await broker.close();
    }
  });
});
