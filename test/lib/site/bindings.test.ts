import assert from 'node:assert/strict';
import { checkBinding, closest, didYouMean, editDistance, parsePath } from '../../../lib/site/index.js';

describe('site/bindings', () => {
  it('accepts the address forms of every protocol', () => {
    for (const binding of [
      { protocol: 'modbus', address: 'rtu-north:1:0' },
      { protocol: 'modbus', address: 'tank-battery:247:65535' },
      { protocol: 'opcua', address: 'ns=1;s=SEP-1.PT-101' },
      { protocol: 'opcua', address: 'ns=2;i=1001' },
      { protocol: 'mqtt', address: 'oilrisk/field/gas/GD-H2S-1', field: 'ppm' },
      { protocol: 'sparkplug', address: 'spBv1.0/oilfield/DDATA/edge-1/wip-1', field: 'Pump/DischargePressure' },
      { protocol: 'sparkplug', address: 'spBv1.0/oilfield/NDATA/edge-1', field: 'Node/Uptime' },
    ] as const) {
      assert.equal(checkBinding(binding).problem, undefined, JSON.stringify(binding));
    }
  });

  it('gives one key to one device point however it is written', () => {
    assert.equal(checkBinding({ protocol: 'modbus', address: 'rtu-north:001:0010' }).key, checkBinding({ protocol: 'modbus', address: 'rtu-north:1:10' }).key);
    assert.notEqual(checkBinding({ protocol: 'mqtt', address: 't/a', field: 'x' }).key, checkBinding({ protocol: 'mqtt', address: 't/a', field: 'y' }).key);
  });

  it('says how to write an address it refuses', () => {
    const problems = [
      checkBinding({ protocol: 'modbus', address: 'rtu-north:1:70000' }).problem,
      checkBinding({ protocol: 'opcua', address: 'ns=1,s=X' }).problem,
      checkBinding({ protocol: 'mqtt', address: 'oilrisk/+/gas' }).problem,
      checkBinding({ protocol: 'mqtt', address: '/oilrisk/gas' }).problem,
      checkBinding({ protocol: 'sparkplug', address: 'spBv1.0/oilfield/DCMD/edge-1/wip-1', field: 'm' }).problem,
    ];
    assert.match(problems[0]!, /register 70000 is above 65535/);
    assert.match(problems[1]!, /should look like "ns=1;s=SEP-1.PT-101"/);
    assert.match(problems[2]!, /no wildcards/);
    assert.match(problems[3]!, /no leading or trailing "\/"/);
    assert.match(problems[4]!, /DDATA/);
  });
});

describe('site/suggest and paths', () => {
  it('measures edit distance', () => {
    assert.equal(editDistance('kitten', 'sitting'), 3);
    assert.equal(editDistance('', 'abc'), 3);
    assert.equal(editDistance('same', 'same'), 0);
  });

  it('suggests only a close name', () => {
    assert.equal(closest('WEL-01', ['WELL-01', 'MAN-1']), 'WELL-01');
    assert.equal(closest('compressor', ['WELL-01', 'MAN-1']), undefined);
    assert.equal(didYouMean('running', ['running']), '', 'no suggestion of the same name');
  });

  it('reads a formatted path back into keys and indexes', () => {
    assert.deepEqual(parsePath('tags[3].factors[0].limits'), ['tags', 3, 'factors', 0, 'limits']);
    assert.deepEqual(parsePath('scoreBands.II'), ['scoreBands', 'II']);
    assert.equal(parsePath('(top)'), undefined);
    assert.equal(parsePath('line 3, column 4'), undefined);
  });
});
