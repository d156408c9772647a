import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bindParams } from '../../../src/store/duckdb/params.js';

// Values that can come from a request are bound, never written into the text (docs/sql.md):
// each must come back from the engine exactly as it went in, and the text must not hold it.
describe('bindParams', () => {
  let instance: DuckDBInstance;
  beforeAll(async () => {
    instance = await DuckDBInstance.create(':memory:');
  });
  afterAll(() => instance.closeSync());

  async function roundTrip(sql: string, params: Record<string, unknown>): Promise<Record<string, unknown>> {
    const c = await instance.connect();
    try {
      const b = bindParams(sql, params);
      return (await c.runAndReadAll(b.text, b.values, b.types)).getRowObjectsJS()[0];
    } finally {
      c.closeSync();
    }
  }

  it('binds strings, whatever characters they hold, and keeps them out of the text', async () => {
    for (const w of ['\u0000', 'cu\u0000x', "it's", "x' OR 1=1 --", "a''b", 'back\\slash', 'ünï €😀', '$other', 'z'.repeat(10_000)]) {
      expect(bindParams('SELECT $w AS w', { w }).text).toBe('SELECT $w AS w');
      expect((await roundTrip('SELECT $w AS w, $w = $w AS same', { w, other: 'no' })).w).toBe(w);
    }
  });

  it('binds dates as UTC timestamps to the millisecond; writes numbers, booleans and NULL', async () => {
    const d = new Date(Date.UTC(2026, 10, 24, 9, 5, 7, 123));
    const b = bindParams('SELECT $d AS d, $i AS i, $x AS x, $b AS b, $n IS NULL AS n', { d, i: 3, x: 0.1, b: true, n: null });
    expect(b.text).toBe('SELECT $d AS d, 3 AS i, 0.1::DOUBLE AS x, TRUE AS b, NULL IS NULL AS n');
    const r = await roundTrip('SELECT $d AS d, $i AS i, $x AS x, $b AS b, $n IS NULL AS n', { d, i: 3, x: 0.1, b: true, n: null });
    expect((r.d as Date).getTime()).toBe(d.getTime());
    expect(Number(r.i)).toBe(3);
    expect(r.x).toBe(0.1);
    expect(r.b).toBe(true);
    expect(r.n).toBe(true);
  });

  it('binds string lists, writes numeric lists and the structural names (group_by, bucket)', async () => {
    const r = await roundTrip("SELECT list_contains($group_by, 'tier') AS has, len($e) AS empty, $nums AS nums, $lanes AS lanes, $bucket AS bucket", {
      group_by: ['workflow', 'tier'],
      bucket: 'day',
      e: [],
      nums: [1, 2.5],
      lanes: ["it's", '\u0000'],
    });
    expect(r).toMatchObject({ has: true, nums: [1, 2.5], lanes: ["it's", '\u0000'], bucket: 'day' });
    expect(Number(r.empty)).toBe(0);
  });

  it('refuses a structural value outside its vocabulary, and values it cannot bind', () => {
    expect(() => bindParams('SELECT $group_by', { group_by: ["tier') OR 1=1 --"] })).toThrow(/not a known name/);
    expect(() => bindParams('SELECT $bucket', { bucket: 'day\u0000' })).toThrow(/not a known name/);
    expect(bindParams('SELECT $a, $ab', { a: 1 }).text).toBe('SELECT 1, $ab');
    expect(() => bindParams('SELECT $a', { a: Number.NaN })).toThrow(/finite/);
    expect(() => bindParams('SELECT $a', { a: { x: 1 } })).toThrow(/unsupported/);
  });
});
