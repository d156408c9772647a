import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inlineParams } from '../../../src/store/duckdb/params.js';

// Parameters are written into the query text as literals (so that DuckDB folds them): every
// value must come back from the engine exactly as it went in, whatever characters it holds.
describe('inlineParams', () => {
  let instance: DuckDBInstance;
  beforeAll(async () => {
    instance = await DuckDBInstance.create(':memory:');
  });
  afterAll(() => instance.closeSync());

  async function roundTrip(sql: string, params: Record<string, unknown>): Promise<Record<string, unknown>> {
    const c = await instance.connect();
    try {
      return (await c.runAndReadAll(inlineParams(sql, params))).getRowObjectsJS()[0];
    } finally {
      c.closeSync();
    }
  }

  it('quotes strings so that no value can end the literal', async () => {
    for (const w of ["it's", "x' OR 1=1 --", "a''b", 'back\\slash', 'ünï €', '$other']) {
      expect((await roundTrip('SELECT $w AS w', { w, other: 'no' })).w).toBe(w);
    }
  });

  it('writes dates as UTC timestamps to the millisecond, numbers, booleans and NULL', async () => {
    const d = new Date(Date.UTC(2026, 10, 24, 9, 5, 7, 123));
    const r = await roundTrip('SELECT $d AS d, $i AS i, $x AS x, $b AS b, $n IS NULL AS n', { d, i: 3, x: 0.1, b: true, n: null });
    expect((r.d as Date).getTime()).toBe(d.getTime());
    expect(Number(r.i)).toBe(3);
    expect(r.x).toBe(0.1);
    expect(r.b).toBe(true);
    expect(r.n).toBe(true);
  });

  it('types lists, empty ones included', async () => {
    const r = await roundTrip("SELECT list_contains($g, 'tier') AS has, len($e) AS empty, $nums AS nums", { g: ['workflow', 'tier'], e: [], nums: [1, 2.5] });
    expect(r).toMatchObject({ has: true, nums: [1, 2.5] });
    expect(Number(r.empty)).toBe(0);
  });

  it('leaves names without a value alone and refuses values it cannot write', () => {
    expect(inlineParams('SELECT $a, $ab', { a: 1 })).toBe('SELECT 1, $ab');
    expect(() => inlineParams('SELECT $a', { a: Number.NaN })).toThrow(/finite/);
    expect(() => inlineParams('SELECT $a', { a: { x: 1 } })).toThrow(/unsupported/);
  });
});
