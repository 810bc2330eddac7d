import assert from 'node:assert/strict';
import { BUILTIN_PROFILES, ProfileRegistry, decodeModbusChannel } from '../../../lib/profiles/index.js';
import registerBuiltins, { SENSOR_PLUGIN_TYPE } from '../../../plugins/oilrisk-sensors.js';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const plugin = require('../../../plugins/oilrisk-sensor-corrosion/corrosion.js') as ((RED: unknown) => void) & { CORROSION_PROBE: unknown };

describe('example plugin: corrosion probe', () => {
  it('registers a valid oilrisk-sensor profile', () => {
    const registered: Array<{ id: string; definition: { type: string; profiles: unknown[] } }> = [];
    plugin({ plugins: { registerPlugin: (id: string, definition: { type: string; profiles: unknown[] }) => registered.push({ id, definition }) } });
    assert.equal(registered.length, 1);
    assert.equal(registered[0].definition.type, 'oilrisk-sensor');
    const registry = new ProfileRegistry();
    registry.add(registered[0].definition.profiles[0], registered[0].id);
    assert.deepEqual(registry.get('corrosion-probe')!.channels.map((c) => c.name), ['corrosion-rate', 'metal-loss', 'probe-life', 'probe-fault']);
  });

  it('decodes the transmitter register map, converting mpy to mm/y', () => {
    const registry = new ProfileRegistry([plugin.CORROSION_PROBE as never]);
    // 7.50 mpy, 0.123456 mm (123456 nm = 0x0001E240, low word first), 42.0 % life, fault bit set.
    const registers = [750, 0xe240, 0x0001, 420, 0b1];
    const rate = registry.resolve('corrosion-probe.corrosion-rate')!.channel;
    assert.deepEqual(decodeModbusChannel(rate, registers, 0), { value: 7.5, quality: 'good' });
    assert.ok(Math.abs((decodeModbusChannel(rate, registers, 0, 'mm/y').value as number) - 0.1905) < 1e-9);
    assert.ok(Math.abs((decodeModbusChannel(registry.resolve('corrosion-probe.metal-loss')!.channel, registers, 1).value as number) - 0.123456) < 1e-12);
    assert.ok(Math.abs((decodeModbusChannel(registry.resolve('corrosion-probe.probe-life')!.channel, registers, 3).value as number) - 42) < 1e-9);
    assert.equal(decodeModbusChannel(registry.resolve('corrosion-probe.probe-fault')!.channel, registers, 4).value, true);
  });
});

describe('built-in sensor plugin', () => {
  it('registers every built-in profile as an oilrisk-sensor plugin, like a third-party package', () => {
    const registered: Array<[string, { type: string; profiles: readonly unknown[] }]> = [];
    registerBuiltins({ plugins: { registerPlugin: (id: string, definition: { type: string; profiles: readonly unknown[] }) => registered.push([id, definition]) } } as never);
    assert.equal(registered.length, 1);
    assert.equal(registered[0][1].type, SENSOR_PLUGIN_TYPE);
    assert.equal(registered[0][1].profiles, BUILTIN_PROFILES);
  });
});
