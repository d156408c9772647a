/**
 * The derived tables are kept in the database between processes (issue 14): a store opened
 * later on the same file or database (the CLI's report after an ingest, a restarted server)
 * goes on from where the last refresh left off instead of rebuilding from the whole log; what
 * arrives later is built in incrementally and answers as a build from scratch; and a log
 * rewritten under the tables is noticed and rebuilt in full.
 */
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventRow } from '../../src/events/row.js';
import { cutsSchema, type Cuts } from '../../src/metrics/cuts.js';
import { defaultMetricsConfig } from '../../src/config/metrics.js';
import { FAMILIES } from '../../src/metrics/registry.js';
import { MetricsRunner } from '../../src/metrics/runner.js';
import { DuckDBStore } from '../../src/store/duckdb/duckdb-store.js';
import type { Store } from '../../src/store/store.js';
import { forEachStore, openClickHouseTestStore, openTestStore, rawClient, simulatedRows, tempDir, testDatabaseName, type StoreKind } from '../helpers/stores.js';
import type { ClickHouseStore } from '../../src/store/clickhouse/clickhouse-store.js';
import { runCli } from '../helpers/server.js';

const NOW = new Date(Date.UTC(2026, 9, 5, 12));
const CUTS: Cuts[] = [cutsSchema.parse({ group_by: 'workflow' }), cutsSchema.parse({ group_by: 'lane,reviewer', bucket: 'day' })];

async function everyFamily(store: Store, cuts = CUTS): Promise<unknown[]> {
  const runner = new MetricsRunner({ store, families: FAMILIES, config: defaultMetricsConfig(), logger: pino({ level: 'silent' }), clock: () => NOW });
  const out: unknown[] = [];
  for (const cut of cuts) {
    const snap = await runner.compute(cut, { refresh: false });
    out.push(Object.fromEntries(Object.entries(snap.families).map(([name, f]) => [name, { ...f, duration_ms: 0 }])));
  }
  return roundFloats(out) as unknown[];
}

/** Sums over rows in another order may differ in the last bit: compare to 12 significant digits. */
function roundFloats(v: unknown): unknown {
  if (typeof v === 'number') return Number.isInteger(v) ? v : Number(v.toPrecision(12));
  if (Array.isArray(v)) return v.map(roundFloats);
  if (v && typeof v === 'object' && !(v instanceof Date)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, roundFloats(x)]));
  return v;
}

/** A store that answers from scratch: the rows stored at once, every table built in full. */
async function fromScratch(kind: StoreKind, dir: string, rows: readonly EventRow[]): Promise<Store> {
  const store = await openTestStore(kind, dir);
  await store.insertEvents(rows);
  expect((await store.refreshDerived()).mode).toBe('full');
  return store;
}

forEachStore((kind: StoreKind) =>
  describe('derived tables kept between processes', () => {
    const tmp = tempDir('loopwatch-persisted-');
    const file = path.join(tmp.dir, 'kept.duckdb');
    const database = testDatabaseName();
    // every call opens a new store on the same DuckDB file or ClickHouse database
    const reopen = async (): Promise<Store> => {
      const store = kind === 'duckdb' ? await DuckDBStore.open({ path: file }) : await openClickHouseTestStore({ database });
      await store.migrate();
      return store;
    };
    let rows: EventRow[];
    let first: EventRow[];
    let later: EventRow[];
    let store: Store | undefined;
    const scratch: Store[] = [];

    beforeAll(async () => {
      rows = simulatedRows({ seed: 31, cases: 400, shuffleWindow: 200 });
      const half = Math.floor(rows.length / 2);
      // the second half arrives an hour later, as between scheduled runs
      first = rows.slice(0, half);
      later = rows.slice(half).map((r) => ({ ...r, received_at: r.received_at + 3_600_000 }));
      const builder = await reopen();
      await builder.insertEvents(first);
      expect(await builder.refreshDerived()).toEqual({ mode: 'full', cases: null });
      await builder.close();
    }, 120_000);

    afterAll(async () => {
      await store?.close();
      for (const s of scratch) await s.close();
      tmp.cleanup();
    });

    it('a store opened later on the same database finds the tables up to date: no rebuild', async () => {
      store = await reopen();
      expect(await store.refreshDerived()).toEqual({ mode: 'unchanged', cases: 0 });
      const whole = await fromScratch(kind, tmp.dir, first);
      scratch.push(whole);
      expect(await everyFamily(store, CUTS.slice(0, 1))).toEqual(await everyFamily(whole, CUTS.slice(0, 1)));
      await store.close();
      store = undefined;
    }, 120_000);

    it.runIf(kind === 'duckdb')('the CLI report, a process of its own, does not rebuild them either', () => {
      const run = runCli(['report', '--json', '--db', file]);
      expect(run.status, run.stderr).toBe(0);
      expect(JSON.parse(run.stdout).refresh_mode).toBe('unchanged');
    }, 120_000);

    it('events that arrive later are built in incrementally by the next process, as a build from scratch answers', async () => {
      store = await reopen();
      await store.insertEvents(later);
      await store.close();
      store = await reopen();
      const refresh = await store.refreshDerived();
      expect(refresh.mode).toBe('incremental');
      expect(refresh.cases).toBeGreaterThan(0);
      expect(refresh.cases).toBeLessThan(400);
      const whole = await fromScratch(kind, tmp.dir, [...first, ...later]);
      scratch.push(whole);
      expect(await everyFamily(store)).toEqual(await everyFamily(whole));
    }, 240_000);

    it('a log rewritten under the tables (events of some cases removed) is rebuilt in full', async () => {
      const gone = [...new Set(rows.map((r) => r.case_id).filter((c): c is string => c !== null))].slice(0, 40);
      await store!.close();
      store = undefined;
      if (kind === 'duckdb') {
        const c = await (await DuckDBInstance.fromCache(file)).connect();
        await c.run(`DELETE FROM events WHERE case_id IN (${gone.map((g) => `'${g}'`).join(', ')})`);
        c.closeSync();
        store = await reopen();
      } else {
        store = await reopen();
        await rawClient(store as ClickHouseStore).command({
          query: `ALTER TABLE ${database}.events DELETE WHERE case_id IN {gone:Array(String)}`,
          query_params: { gone },
          clickhouse_settings: { mutations_sync: '2' },
        });
      }
      expect(await store.refreshDerived()).toEqual({ mode: 'full', cases: null });
      const kept = [...first, ...later].filter((r) => !gone.includes(r.case_id as string));
      const whole = await fromScratch(kind, tmp.dir, kept);
      scratch.push(whole);
      expect(await everyFamily(store, CUTS.slice(0, 1))).toEqual(await everyFamily(whole, CUTS.slice(0, 1)));
      // and the next refresh goes on incrementally from the rebuilt tables
      expect(await store.refreshDerived()).toEqual({ mode: 'unchanged', cases: 0 });
    }, 240_000);
  }),
);

describe('derived SQL', () => {
  it('reads none of the payload columns an incremental refresh leaves out of delta_events', async () => {
    const { loadDerived } = await import('../../src/store/sql-files.js');
    const { UNREAD_COLUMNS: PAYLOAD_COLUMNS } = await import('../../src/store/duckdb/derived.js');
    for (const file of await loadDerived('duckdb')) {
      const code = file.sql.replace(/--.*$/gm, '');
      for (const column of PAYLOAD_COLUMNS.split(', ')) expect(code, `${file.name} reads ${column}`).not.toMatch(new RegExp(`\\b${column}\\b`));
    }
  });
});
