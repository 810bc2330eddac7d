// The cyber-intrusion scenario over the wire: the simulator's intruder writes to an RTU over
// Modbus TCP and tries wrong MQTT passwords; the RTU and the embedded broker report both.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import mqtt from 'mqtt';
import type { SecurityEvent } from '../../lib/model/index.js';
import { parseSite } from '../../lib/site/index.js';
import { SECURITY_TOPIC, startBroker, startSimulator } from '../../sim/index.js';

describe('field devices: cyber intrusion over the wire', function () {
  this.timeout(30_000);

  it('reports unexpected Modbus writes and a burst of failed MQTT logins on the security topic', async () => {
    const parsed = parseSite(readFileSync(join(__dirname, '..', 'lib', 'sim', 'small-field.yaml'), 'utf8'));
    assert.ok(parsed.ok);
    const broker = await startBroker({ username: 'field', password: 'secret' });
    const watcher = await mqtt.connectAsync(broker.url, { username: 'field', password: 'secret' });
    const events: SecurityEvent[] = [];
    watcher.on('message', (_topic, payload) => events.push(...(JSON.parse(payload.toString()) as SecurityEvent[])));
    await watcher.subscribeAsync(SECURITY_TOPIC);
    const sim = await startSimulator(parsed.site, {
      seed: 2, scenario: 'cyber-intrusion', speed: 100, tickMs: 100, mqttUrl: broker.url, protocols: ['modbus', 'mqtt'],
    });
    try {
      const until = Date.now() + 20_000;
      const count = (kind: string) => events.filter((e) => e.kind === kind).length;
      while ((count('modbus-write') < 5 || count('mqtt-login-failure') < 20) && Date.now() < until) await new Promise((ok) => setTimeout(ok, 100));
      const writes = events.filter((e) => e.kind === 'modbus-write');
      assert.ok(writes.length >= 5, `${writes.length} Modbus writes reported`);
      assert.ok(writes.every((w) => w.source === 'modbus:rtu-north' && w.device === 'modbus:rtu-north'), JSON.stringify(writes[0]));
      assert.ok(count('mqtt-login-failure') >= 20, `${count('mqtt-login-failure')} failed logins reported`);
      // The RTU took the written speed set point: the pump speeds up past its H limit.
      assert.ok(sim.field.perUnit('WELL-1.SPM')! > 1.3, `speed ${sim.field.perUnit('WELL-1.SPM')} pu`);
    } finally {
      await sim.close();
      await watcher.endAsync();
      await broker.close();
    }
  });
});
