import assert from 'node:assert/strict';
import fc from 'fast-check';
import { encodeRows, toRows, checkTablePrefix, schemaSql, siteRows, type TableRow } from '../../../lib/questdb/index.js';
import { parseIlpLine, splitIlpLines } from '../../support/questdb-server.js';

const TS = Date.UTC(2026, 0, 2, 3, 4, 5, 678);

function parse(lines: Buffer[]) {
  const body = Buffer.concat(lines).toString('utf8');
  return splitIlpLines(body).map((l) => parseIlpLine(l, 'n'));
}

describe('lib/questdb line protocol', () => {
  it('writes symbols before fields, booleans as 0/1 and the timestamp in ns from ms', () => {
    const { rows } = toRows('readings', { tag: 'SEP-1.PT-101', value: true, quality: 'good', ts: TS, source: 'modbus:rtu:1:0' }, { equipmentOfTag: () => 'SEP-1' });
    const { lines, errors } = encodeRows(rows, 'oilrisk_');
    assert.deepEqual(errors, []);
    assert.equal(lines[0].toString(), `oilrisk_readings,tag=SEP-1.PT-101,equipment=SEP-1,quality=good value=1,source="modbus:rtu:1:0" ${TS}000000\n`);
  });

  it('escapes spaces, commas, =, quotes, backslashes, newlines and unicode so that they read back unchanged', () => {
    fc.assert(fc.property(fc.string({ unit: 'grapheme', minLength: 1 }), fc.string({ unit: 'grapheme' }), (symbol, text) => {
      const row: TableRow = { table: 'security_events', ts: TS, values: { device: symbol, kind: 'failed-login', severity: 'high', detail: text } };
      const { lines, errors } = encodeRows([row], 'oilrisk_');
      assert.deepEqual(errors, []);
      const parsed = parse(lines);
      assert.equal(parsed.length, 1);
      const columns = Object.fromEntries(parsed[0].columns.map(([k, v]) => [k, v.value]));
      assert.equal(columns.device, symbol);
      assert.equal(columns.detail, text);
      assert.equal(parsed[0].ts, TS * 1000);
    }));
  });

  it('reads back a batch with tricky values line by line', () => {
    const tricky = ['a b', 'c,d', 'e=f', 'g"h', 'i\nj', 'k\\', 'Ölfeld ☢ 井'];
    const rows: TableRow[] = tricky.map((t, i) => ({ table: 'alarm_events', ts: TS + i, values: { alarm: t, equipment: t, state: 'unacknowledged', previous: 'normal', level: 'II', reason: t, consequential: i % 2 === 0 } }));
    const parsed = parse(encodeRows(rows, 'oilrisk_').lines);
    assert.deepEqual(parsed.map((p) => p.columns.find(([k]) => k === 'alarm')![1].value), tricky);
    assert.deepEqual(parsed.map((p) => p.columns.find(([k]) => k === 'reason')![1].value), tricky);
  });

  for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
    it(`rejects ${bad} naming the table and column, and keeps the other rows`, () => {
      const rows: TableRow[] = [
        { table: 'risk', ts: TS, values: { equipment: 'SEP-1', level: 'II', score: bad } },
        { table: 'risk', ts: TS, values: { equipment: 'SEP-2', level: 'IV', score: 0.2 } },
      ];
      const { lines, errors } = encodeRows(rows, 'plant_');
      assert.equal(lines.length, 1);
      assert.equal(errors.length, 1);
      assert.match(errors[0], /table "plant_risk" column "score"/);
      assert.match(errors[0], new RegExp(String(bad)));
    });
  }

  it('rejects a non-integer LONG and a text in a number column', () => {
    const { errors } = encodeRows([
      { table: 'kpi', ts: TS, values: { window_min: 1.5 } },
      { table: 'gps', ts: TS, values: { vehicle: 'T-1', lat: '51' as unknown as number, lon: 3 } },
    ], 'oilrisk_');
    assert.match(errors[0], /column "window_min": expected an integer/);
    assert.match(errors[1], /column "lat": expected a number/);
  });

  it('refuses a table prefix that QuestDB cannot name', () => {
    assert.throws(() => checkTablePrefix('my prefix'), /table prefix "my prefix"/);
    assert.equal(checkTablePrefix('plant_a_'), 'plant_a_');
  });
});

describe('lib/questdb records to rows', () => {
  it('maps a risk explanation to risk, factor and path rows', () => {
    const { rows, errors } = toRows('risk', [{
      equipment: 'SEP-1', primary: 0.1, secondary: 0.5, total: 0.55, consequence: 4, score: 2.2, level: 'II', ts: TS,
      rootCause: { equipment: 'WELL-1', tag: 'WELL-1.PT', factor: 'high' },
      factors: [{ tag: 'SEP-1.PT', factor: 'high', state: 'high', likelihood: 0.1, since: TS }],
      paths: [{ path: ['WELL-1', 'SEP-1'], weight: 0.5 }],
    }]);
    assert.deepEqual(errors, []);
    assert.deepEqual(rows.map((r) => r.table), ['risk', 'factors', 'risk_paths']);
    assert.equal(rows[2].values.path, 'WELL-1 > SEP-1');
    assert.equal(rows[2].values.rank, 1);
    assert.equal(rows[0].values.root_equipment, 'WELL-1');
  });

  it('reports a bad record by topic and index and maps the others', () => {
    const { rows, errors } = toRows('alarm', [
      { alarm: 'A', equipment: 'SEP-1', state: 'unacknowledged', previous: 'normal', level: 'I', ts: TS },
      { alarm: 'B', equipment: 'SEP-2', state: 'normal', previous: 'acknowledged', ts: TS },
      42,
    ]);
    assert.equal(rows.length, 1);
    assert.equal(rows[0].values.priority, 'urgent');
    assert.deepEqual(errors, ['oilrisk/questdb: alarm payload[1] lacks "level"', 'oilrisk/questdb: alarm payload[2] is not a record']);
  });

  it('maps a site to tag rows with the first limited factor, dependency rows and geofence rows, all encodable', () => {
    const rows = siteRows({
      id: 's', name: 's', scoreBands: { IV: 1, III: 2, II: 3, I: 4 },
      equipment: [{ id: 'W-1', type: 'well', name: 'W-1', area: 'north', criticality: 3, state: 'running' }, { id: 'SEP-1', type: 'separator', name: 'SEP-1', area: 'cpf', criticality: 4, state: 'running' }],
      dependencies: [{ from: 'W-1', to: 'SEP-1', kind: 'flow', transmissionWeight: 0.6 }],
      tags: [{ id: 'W-1.PT', equipment: 'W-1', profile: 'pressure', unit: 'bar', factors: [{ id: 'comms', consequence: { category: 'asset', severity: 1 } }, { id: 'p', limits: { L: 2, HH: 90 }, consequence: { category: 'asset', severity: 3 } }] }],
      geofences: [
        { id: 'YARD', name: 'Yard', kind: 'speed-zone', location: { lat: 31.85, lon: -102.3 }, radiusM: 400, speedLimitKmh: 15 },
        { id: 'FLARE', name: 'Flare', kind: 'restricted', location: { lat: 31.84, lon: -102.29 }, radiusM: 150 },
      ],
    }, TS);
    assert.deepEqual(rows, [
      { table: 'tags', ts: TS, values: { tag: 'W-1.PT', equipment: 'W-1', unit: 'bar', limit_ll: undefined, limit_l: 2, limit_h: undefined, limit_hh: 90 } },
      { table: 'dependencies', ts: TS, values: { source: 'W-1', target: 'SEP-1', kind: 'flow', weight: 0.6 } },
      { table: 'geofences', ts: TS, values: { geofence: 'YARD', kind: 'speed-zone', lat: 31.85, lon: -102.3, radius_m: 400, speed_limit_kmh: 15 } },
      { table: 'geofences', ts: TS, values: { geofence: 'FLARE', kind: 'restricted', lat: 31.84, lon: -102.29, radius_m: 150, speed_limit_kmh: undefined } },
    ]);
    assert.deepEqual(encodeRows(rows, 'oilrisk_').errors, []);
  });

  it('names the topics it knows when the topic is unknown', () => {
    assert.match(toRows('weather', [])!.errors[0], /msg.topic "weather".*readings, risk, alarm/);
  });
});

describe('lib/questdb DDL', () => {
  it('creates every table with TIMESTAMP(ts), PARTITION BY DAY, TTL, WAL and DEDUP keys that QuestDB SQL accepts', async () => {
    const { parseToAst } = (await import('@questdb/sql-parser')) as unknown as { parseToAst(sql: string): { ast: Array<Record<string, unknown>>; errors: unknown[] } };
    for (const sql of schemaSql({ prefix: 'oilrisk_', ttlDays: 30 })) {
      const { ast, errors } = parseToAst(sql);
      assert.deepEqual(errors, [], sql);
      assert.equal(ast[0].timestamp, 'ts');
      assert.equal(ast[0].partitionBy, 'DAY');
      assert.equal(ast[0].wal, true);
      assert.deepEqual(ast[0].ttl, { value: 30, unit: 'DAYS' });
      assert.ok((ast[0].dedupKeys as string[]).includes('ts'));
    }
  });
});
