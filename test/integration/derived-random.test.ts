/**
 * An incremental refresh after any sequence of appends leaves exactly the rows a full build of
 * the same log makes, and a full build made a slice of cases at a time (issue 14: bounded
 * memory) makes exactly the rows of one made at once: random logs (seed, size, how late events
 * arrive), random cut points between refreshes and random slice sizes, compared row by row,
 * table by table, as multisets.
 */
import path from 'node:path';
import fc from 'fast-check';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, describe, expect, it } from 'vitest';
import { DERIVED_SCHEMA, FULL_BUILD } from '../../src/store/duckdb/derived.js';
import { DuckDBStore } from '../../src/store/duckdb/duckdb-store.js';
import { simulatedRows, tempDir } from '../helpers/stores.js';
import type { EventRow } from '../../src/events/row.js';

const tmp = tempDir('loopwatch-derived-random-');
afterAll(() => tmp.cleanup());
let files = 0;

async function openStore(): Promise<{ store: DuckDBStore; file: string }> {
  const file = path.join(tmp.dir, `s${files++}.duckdb`);
  const store = await DuckDBStore.open({ path: file });
  await store.migrate();
  return { store, file };
}

/** Every derived table's rows in `a` and not in `b` and the reverse, as multisets: [] when equal. */
async function differences(a: string, b: string): Promise<string[]> {
  const instance = await DuckDBInstance.create(':memory:');
  const c = await instance.connect();
  try {
    await c.run(`ATTACH '${a}' AS a (READ_ONLY); ATTACH '${b}' AS b (READ_ONLY)`);
    const tables = (
      await c.runAndReadAll(
        `SELECT table_name FROM duckdb_tables() WHERE database_name = 'a' AND schema_name = '${DERIVED_SCHEMA}' AND table_name <> 'refresh_state' ORDER BY 1`,
      )
    )
      .getRows()
      .map((r) => String(r[0]));
    expect(tables.length).toBeGreaterThan(5);
    const out: string[] = [];
    for (const t of tables) {
      const [onlyA, onlyB] = (
        await c.runAndReadAll(
          `SELECT (SELECT count(*) FROM (FROM a.${DERIVED_SCHEMA}.${t} EXCEPT ALL FROM b.${DERIVED_SCHEMA}.${t})),
                  (SELECT count(*) FROM (FROM b.${DERIVED_SCHEMA}.${t} EXCEPT ALL FROM a.${DERIVED_SCHEMA}.${t}))`,
        )
      ).getRows()[0];
      if (Number(onlyA) + Number(onlyB) > 0) out.push(`${t}: ${onlyA} rows only in the first, ${onlyB} only in the second`);
    }
    return out;
  } finally {
    c.closeSync();
    instance.closeSync();
  }
}

const logs = new Map<string, EventRow[]>();
function log(seed: number, cases: number, shuffleWindow: number): EventRow[] {
  const key = `${seed}/${cases}/${shuffleWindow}`;
  if (!logs.has(key)) logs.set(key, simulatedRows({ seed, cases, shuffleWindow }));
  // insertEvents may stamp rows: each store gets copies
  return logs.get(key)!.map((r) => ({ ...r }));
}

describe('derived tables after random appends (DuckDB)', () => {
  it('an incremental refresh after every append equals a full build, sliced or not', async () => {
    const slice = FULL_BUILD.sliceEvents;
    try {
      await fc.assert(
        fc.asyncProperty(
          fc.record({
            seed: fc.integer({ min: 1, max: 10_000 }),
            cases: fc.integer({ min: 20, max: 120 }),
            shuffleWindow: fc.integer({ min: 0, max: 400 }),
            // where the log is cut between refreshes, as fractions of it
            cuts: fc.uniqueArray(fc.double({ min: 0.01, max: 0.99, noNaN: true }), { minLength: 1, maxLength: 5 }),
            sliceEvents: fc.integer({ min: 1, max: 400 }),
          }),
          async ({ seed, cases, shuffleWindow, cuts, sliceEvents }) => {
            const rows = log(seed, cases, shuffleWindow);
            const at = [0, ...[...cuts].sort((x, y) => x - y).map((f) => Math.floor(f * rows.length)), rows.length];
            const stepwise = await openStore();
            const modes: string[] = [];
            for (let i = 1; i < at.length; i++) {
              await stepwise.store.insertEvents(rows.slice(at[i - 1], at[i]));
              FULL_BUILD.sliceEvents = slice;
              modes.push((await stepwise.store.refreshDerived()).mode);
            }
            await stepwise.store.close();
            expect(modes[0]).toBe('full');
            expect(modes.slice(1).every((m) => m === 'incremental' || m === 'unchanged')).toBe(true);
            // the same log at once, built in slices of a few events
            const whole = await openStore();
            await whole.store.insertEvents(rows);
            FULL_BUILD.sliceEvents = sliceEvents;
            expect((await whole.store.refreshDerived()).mode).toBe('full');
            await whole.store.close();
            expect(await differences(stepwise.file, whole.file)).toEqual([]);
          },
        ),
        { numRuns: 6, seed: Number(process.env.FC_SEED ?? 14), endOnFailure: true },
      );
    } finally {
      FULL_BUILD.sliceEvents = slice;
    }
  }, 300_000);

  it('a full build lowers DuckDB memory_limit while it runs and puts it back after', async () => {
    const file = path.join(tmp.dir, `limit${files++}.duckdb`);
    const store = await DuckDBStore.open({ path: file, memoryLimit: '1GB' });
    await store.migrate();
    // the store's own instance (DuckDBStore opens it through the cache): the setting is the instance's
    const side = await (await DuckDBInstance.fromCache(file, { memory_limit: '1GB' })).connect();
    const limit = async () => String((await side.runAndReadAll("SELECT current_setting('memory_limit')")).getRows()[0][0]);
    const slice = FULL_BUILD.sliceEvents;
    try {
      await store.insertEvents(log(5, 40, 50));
      const before = await limit();
      const during: string[] = [];
      FULL_BUILD.sliceEvents = 40;
      const build = store.refreshDerived({ full: true });
      // sampled while the slices run
      const sampling = (async () => {
        let done = false;
        void build.finally(() => (done = true));
        while (!done) {
          during.push(await limit());
          await new Promise((r) => setTimeout(r, 5));
        }
      })();
      expect((await build).mode).toBe('full');
      await sampling;
      expect(before).toMatch(/^9\d\d\.\d MiB$/);
      expect(during).toContain('238.4 MiB');
      expect(await limit()).toBe(before);
    } finally {
      FULL_BUILD.sliceEvents = slice;
      side.closeSync();
      await store.close();
    }
  }, 60_000);

  // at 10M events the bounded build ran out of memory in every slice size and the refresh failed
  // (after 5 minutes of halving): a bounded build that cannot fit must still build
  it('a full build that runs out of memory under the lowered limit is built under the instance limit', async () => {
    const a = await openStore();
    const b = await openStore();
    const limit = FULL_BUILD.memoryLimit;
    try {
      const rows = log(7, 60, 50);
      await a.store.insertEvents(rows);
      await b.store.insertEvents(rows);
      expect((await a.store.refreshDerived({ full: true })).mode).toBe('full');
      FULL_BUILD.memoryLimit = '1MB';
      expect((await b.store.refreshDerived({ full: true })).mode).toBe('full');
    } finally {
      FULL_BUILD.memoryLimit = limit;
      await a.store.close();
      await b.store.close();
    }
    expect(await differences(a.file, b.file)).toEqual([]);
  }, 120_000);
});
