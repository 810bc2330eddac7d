import assert from 'node:assert/strict';
import {
  BUILTIN_PROFILES, ProfileRegistry, builtinRegistry, canConvert, convertUnit, decodeJsonChannel, decodeModbusChannel,
  decodeOpcuaChannel, encodeRegisters, getChannel, getProfile, parseProfile,
} from '../../../lib/profiles/index.js';

function near(actual: unknown, expected: number, tolerance = 1e-9): void {
  assert.ok(typeof actual === 'number' && Math.abs(actual - expected) <= tolerance, `${String(actual)} is not ${expected}`);
}

describe('lib/profiles units', () => {
  it('converts within a dimension, including offset scales', () => {
    near(convertUnit(100, 'degC', 'degF'), 212);
    assert.ok(Math.abs(convertUnit(32, 'degF', 'degC')) < 1e-9);
    assert.ok(Math.abs(convertUnit(1, 'bar', 'psi') - 14.5038) < 1e-4);
    assert.ok(Math.abs(convertUnit(1, 'm3/d', 'bbl/d') - 6.28981) < 1e-4);
    assert.equal(convertUnit(5, '°C', 'degC'), 5);
    assert.equal(convertUnit(7, 'deg', 'deg'), 7);
  });

  it('refuses to convert across dimensions', () => {
    assert.equal(canConvert('bar', 'degC'), false);
    assert.throws(() => convertUnit(1, 'bar', 'degC'), /cannot convert bar to degC/);
  });
});

describe('lib/profiles built-ins', () => {
  it('ships every profile the site model names, each valid', () => {
    const names = BUILTIN_PROFILES.map((p) => p.name);
    for (const name of ['pressure', 'temperature', 'level', 'flow', 'h2s-ppm', 'lel-percent', 'vibration', 'rod-pump-controller',
      'esp-drive', 'tank-radar-level', 'gps-tracker', 'network-device-health']) {
      assert.ok(names.includes(name), name);
      assert.doesNotThrow(() => parseProfile(getProfile(name), 'builtin'));
    }
  });

  it('round-trips every channel with a Modbus layout through encode and decode', () => {
    for (const profile of BUILTIN_PROFILES) {
      for (const channel of profile.channels) {
        if (!channel.modbus) continue;
        const sample = channel.modbus.bit !== undefined ? true : (channel.range ? (channel.range.min + channel.range.max) / 2 : 12);
        const decoded = decodeModbusChannel(channel, encodeRegisters(channel.modbus, sample), 0);
        assert.equal(decoded.quality, 'good', `${profile.name}.${channel.name}`);
        if (typeof sample === 'number') near(decoded.value, sample, Math.max(channel.modbus.scale ?? 1, Math.abs(sample) * 1e-6));
        else assert.equal(decoded.value, sample);
      }
    }
  });

  it('grades values outside the physical range bad, keeping the value', () => {
    const pressure = getChannel('pressure');
    const decoded = decodeModbusChannel(pressure, encodeRegisters(pressure.modbus!, 900), 0);
    assert.equal(decoded.quality, 'bad');
    assert.equal(decoded.value, 900);
    assert.match(decoded.reason!, /outside the physical range -1..700/);
  });

  it('converts to the tag unit after the range check', () => {
    const decoded = decodeModbusChannel(getChannel('temperature'), [1000], 0, 'degF');
    assert.equal(decoded.quality, 'good');
    near(decoded.value, 212);
    assert.equal(decodeModbusChannel(getChannel('temperature'), [1000], 0, 'bar').quality, 'bad');
  });

  it('reads the rod pump status word bits', () => {
    const running = getChannel('rod-pump-controller.running');
    const fault = getChannel('rod-pump-controller', 'fault');
    assert.equal(decodeModbusChannel(running, [0b01], 0).value, true);
    assert.equal(decodeModbusChannel(fault, [0b01], 0).value, false);
  });

  it('decodes OPC UA variants by type, including Int64 word pairs', () => {
    assert.deepEqual(decodeOpcuaChannel(getChannel('pressure'), 12.5), { value: 12.5, quality: 'good' });
    assert.equal(decodeOpcuaChannel(getChannel('network-device-health.uptime'), [1, 5]).value, 2 ** 32 + 5);
    assert.equal(decodeOpcuaChannel(getChannel('network-device-health.rssi'), -60.5).quality, 'bad');
    assert.equal(decodeOpcuaChannel(getChannel('rod-pump-controller.running'), 1).value, true);
    assert.match(decodeOpcuaChannel(getChannel('rod-pump-controller.running'), 2).reason!, /expected a boolean \(or 0\/1\), got 2/);
    assert.match(decodeOpcuaChannel(getChannel('pressure'), true).reason!, /expected a number, got true/);
    assert.match(decodeOpcuaChannel(getChannel('pressure'), { x: 1 }).reason!, /not a number or boolean/);
  });

  it('decodes JSON numbers, numeric strings and booleans; rejects the rest', () => {
    assert.equal(decodeJsonChannel(getChannel('h2s-ppm'), '4.5').value, 4.5);
    assert.equal(decodeJsonChannel(getChannel('rod-pump-controller.fault'), true).value, true);
    assert.equal(decodeJsonChannel(getChannel('h2s-ppm'), 'high').quality, 'bad');
    assert.equal(decodeJsonChannel(getChannel('h2s-ppm'), null).quality, 'bad');
    assert.equal(decodeJsonChannel(getChannel('h2s-ppm'), false).value, null, 'a boolean is no gas concentration');
    assert.equal(decodeJsonChannel(getChannel('rod-pump-controller.fault'), 0).value, false);
  });
});

describe('lib/profiles registry', () => {
  it('resolves "profile", "profile.channel" and a separate channel name', () => {
    const registry = builtinRegistry();
    assert.equal(registry.resolve('esp-drive')!.channel.name, 'frequency');
    assert.equal(registry.resolve('esp-drive.current')!.channel.name, 'current');
    assert.equal(registry.resolve('esp-drive', 'motor-temperature')!.channel.name, 'motor-temperature');
    assert.equal(registry.resolve('esp-drive.nope'), undefined);
    assert.equal(registry.resolve('nope'), undefined);
  });

  it('accepts a plugin profile and rejects an invalid one with its path', () => {
    const registry = new ProfileRegistry();
    registry.add({ name: 'corrosion-probe', channels: [{ name: 'rate', unit: 'mpy', modbus: { type: 'uint16', scale: 0.01 } }] });
    assert.ok(registry.has('corrosion-probe'));
    assert.throws(() => registry.add({ name: 'bad-one', channels: [{ name: 'x', unit: '', modbus: { type: 'float32', bit: 2 } }] }, 'acme-sensors'),
      /profile "bad-one" from acme-sensors is invalid: bit fields need an integer type \(channels.0.modbus.bit\)/);
    assert.throws(() => registry.add(42), /profile \(unnamed\)/);
  });
});

describe('lib/profiles channel choice', () => {
  it('picks the channel in the tag unit when the profile name alone is given', () => {
    const registry = builtinRegistry();
    assert.equal(registry.resolve('rod-pump-controller', { unit: 'kN' })!.channel.name, 'load');
    assert.equal(registry.resolve('rod-pump-controller', { unit: 'spm' })!.channel.name, 'spm');
    assert.equal(registry.resolve('esp-drive', { unit: 'degF' })!.channel.name, 'motor-temperature');
    assert.equal(registry.resolve('esp-drive', { channel: 'Motor/Current', unit: 'A' })!.channel.name, 'current');
    assert.equal(getChannel('esp-drive', { unit: 'psi' }).name, 'intake-pressure');
  });
});
