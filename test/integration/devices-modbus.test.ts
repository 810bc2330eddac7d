// The simulated RTUs over Modbus TCP, read with a plain modbus-serial client and decoded with
// the same lib/profiles layouts ingestion uses: every demo-site register holds the model's value.

import assert from 'node:assert/strict';
import { join } from 'node:path';
import ModbusRTU from 'modbus-serial';
import { decodeModbusChannel, getChannel } from '../../lib/profiles/index.js';
import type { Site } from '../../lib/model/index.js';
import { loadSiteFile } from '../../lib/site/index.js';
import { parseModbusAddress, startSimulator, type Simulator } from '../../sim/index.js';

const ROOT = join(__dirname, '..', '..');

describe('field devices: the simulated Modbus RTUs', function () {
  this.timeout(20_000);
  let site: Site;
  let sim: Simulator;
  const client = new ModbusRTU();

  before(async () => {
    const loaded = await loadSiteFile(join(ROOT, 'sites', 'demo-field.yaml'));
    assert.ok(loaded.ok);
    site = loaded.site;
    // One step at start and none during the test: the registers hold still while read.
    sim = await startSimulator(site, { seed: 3, protocols: ['modbus'], tickMs: 600_000 });
  });

  after(async () => {
    await new Promise<void>((ok) => client.close(() => ok()));
    await sim.close();
  });

  it('serves every bound register in the layout of its sensor profile', async () => {
    const tags = site.tags.filter((t) => t.binding?.protocol === 'modbus');
    assert.ok(tags.length > 40);
    for (const [device, port] of Object.entries(sim.modbus)) {
      if (client.isOpen) await new Promise<void>((ok) => client.close(() => ok()));
      await client.connectTCP('127.0.0.1', { port });
      for (const tag of tags.filter((t) => parseModbusAddress(t.binding!.address)!.device === device)) {
        const address = parseModbusAddress(tag.binding!.address)!;
        client.setID(address.unitId);
        const { data } = await client.readHoldingRegisters(address.register, 4);
        const channel = getChannel(tag.profile, tag.binding!.field);
        const decoded = decodeModbusChannel(channel, data, 0, tag.unit);
        const model = sim.field.value(tag.id);
        assert.equal(decoded.quality, 'good', `${tag.id}: ${decoded.reason}`);
        if (typeof model === 'boolean') assert.equal(decoded.value, model, tag.id);
        else assert.ok(Math.abs((decoded.value as number) - (model as number)) <= (channel.modbus?.scale ?? 0) / 2 + 1e-3 * Math.abs(model as number), `${tag.id}: ${String(decoded.value)} vs ${String(model)}`);
      }
    }
  });

  it('answers an unknown unit with an exception and records writes as unexpected', async () => {
    const [device, port] = Object.entries(sim.modbus)[0];
    if (client.isOpen) await new Promise<void>((ok) => client.close(() => ok()));
    await client.connectTCP('127.0.0.1', { port });
    client.setID(99);
    await assert.rejects(client.readHoldingRegisters(0, 2), (err: { modbusCode?: number }) => err.modbusCode === 2);
    sim.field.takeSecurityEvents();
    const unit = site.tags.map((t) => parseModbusAddress(t.binding?.address ?? '')).find((a) => a?.device === device)!.unitId;
    client.setID(unit);
    await client.writeRegister(99, 1234);
    const events = sim.field.takeSecurityEvents();
    assert.equal(events.length, 1);
    assert.equal(events[0].kind, 'modbus-write');
    assert.equal(events[0].source, `modbus:${device}`);
  });
});
