/**
 * The derived tables are rebuilt only for the cases that received events since the last
 * refresh. That must never change a number: a store refreshed after every chunk of arrivals
 * answers every family exactly as a store that saw all events at once and built everything.
 */
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventRow } from '../../src/events/row.js';
import { cutsSchema, type Cuts } from '../../src/metrics/cuts.js';
import { defaultMetricsConfig } from '../../src/config/metrics.js';
import { FAMILIES } from '../../src/metrics/registry.js';
import { MetricsRunner } from '../../src/metrics/runner.js';
import type { DerivedRefresh, Store } from '../../src/store/store.js';
import type { ClickHouseStore } from '../../src/store/clickhouse/clickhouse-store.js';
import { loadDerived, sortKey } from '../../src/store/sql-files.js';
import { forEachStore, openClickHouseTestStore, openTestStore, rawClient, rawRowCount, selectedStoreKinds, simulatedRows, tempDir, type StoreKind } from '../helpers/stores.js';

const NOW = new Date(Date.UTC(2026, 9, 5, 12));
const CUTS: Cuts[] = [
  cutsSchema.parse({ group_by: 'workflow' }),
  cutsSchema.parse({ group_by: 'lane,reviewer', bucket: 'day' }),
  cutsSchema.parse({ group_by: 'tier', workflow: 'refunds' }),
];

async function everyFamily(store: Store): Promise<unknown[]> {
  const runner = new MetricsRunner({
    store,
    families: FAMILIES,
    config: defaultMetricsConfig(),
    logger: pino({ level: 'silent' }),
    clock: () => NOW,
  });
  const out: unknown[] = [];
  for (const cuts of CUTS) {
    const snap = await runner.compute(cuts, { refresh: false });
    out.push(Object.fromEntries(Object.entries(snap.families).map(([name, f]) => [name, { ...f, duration_ms: 0 }])));
  }
  return roundFloats(out) as unknown[];
}

/** Sums over rows in another order may differ in the last bit: compare to 12 significant digits. */
function roundFloats(v: unknown): unknown {
  if (typeof v === 'number') return Number.isInteger(v) ? v : Number(v.toPrecision(12));
  if (Array.isArray(v)) return v.map(roundFloats);
  if (v && typeof v === 'object' && !(v instanceof Date)) {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, roundFloats(x)]));
  }
  return v;
}

// chunks an hour apart; and a minute apart, inside ClickHouse's look-back window, where a
// refresh sees again arrivals the one before it built in
for (const spacingMs of [3_600_000, 60_000])
forEachStore((kind: StoreKind) => describe(`incremental refresh of the derived tables, arrivals ${spacingMs / 60_000} min apart`, () => {
  const tmp = tempDir('loopwatch-incremental-');
  let rows: EventRow[];
  let stepwise: Store;
  let whole: Store;
  const refreshes: DerivedRefresh[] = [];

  beforeAll(async () => {
    // arrivals shuffled within 200 events: chunks cut cases in half, late events reopen them
    rows = simulatedRows({ seed: 17, cases: 600, shuffleWindow: 200 });
    stepwise = await openTestStore(kind, tmp.dir);
    whole = await openTestStore(kind, tmp.dir);
    const chunks = 6;
    const size = Math.ceil(rows.length / chunks);
    // each chunk arrives an hour after the one before, as between scheduled runs (ClickHouse
    // finds new events by received_at, looking a few minutes back)
    rows.forEach((r, i) => (r.received_at += Math.floor(i / size) * spacingMs));
    for (let i = 0; i < chunks; i++) {
      await stepwise.insertEvents(rows.slice(i * size, (i + 1) * size));
      refreshes.push(await stepwise.refreshDerived());
    }
    await whole.insertEvents(rows);
    await whole.refreshDerived();
  }, 120_000);

  afterAll(async () => {
    await stepwise?.close();
    await whole?.close();
    tmp.cleanup();
  });

  it('builds everything once, then only the cases that received events', () => {
    expect(refreshes[0]).toEqual({ mode: 'full', cases: null });
    for (const r of refreshes.slice(1)) {
      expect(r.mode).toBe('incremental');
      expect(r.cases).toBeGreaterThan(0);
      // a chunk touches far fewer than all 600 cases
      expect(r.cases).toBeLessThan(600);
    }
  });

  it('answers every family, for several cuts, exactly as a full build of the same events', async () => {
    expect(await everyFamily(stepwise)).toEqual(await everyFamily(whole));
  }, 120_000);

  it('does nothing when no event arrived, and a retried batch adds none', async () => {
    expect(await stepwise.refreshDerived()).toEqual({ mode: 'unchanged', cases: 0 });
    const retry = await stepwise.insertEvents(rows.slice(0, 500));
    expect(retry.duplicateIds.size).toBe(500);
    expect(await stepwise.refreshDerived()).toEqual({ mode: 'unchanged', cases: 0 });
  });

  it('a full refresh on request gives the same answers as the incremental ones', async () => {
    const before = await everyFamily(stepwise);
    expect(await stepwise.refreshDerived({ full: true })).toEqual({ mode: 'full', cases: null });
    expect(await everyFamily(stepwise)).toEqual(before);
  }, 120_000);
}));

// Two ingest servers racing on one id both pass their lookup and both insert; the table keeps
// both rows until a merge, and every read must keep only the earliest stored, as FINAL does.
describe.runIf(selectedStoreKinds().includes('clickhouse'))('ClickHouse', () => {
  describe('incremental refresh over an id stored twice, before the merge', () => {
    let raced: ClickHouseStore;
    let clean: ClickHouseStore;

    beforeAll(async () => {
      const rows = simulatedRows({ seed: 23, cases: 120 });
      const half = Math.floor(rows.length / 2);
      raced = await openClickHouseTestStore();
      clean = await openClickHouseTestStore();
      for (const store of [raced, clean]) await store.migrate();
      // merges would fold the copies away before the refresh reads them
      await rawClient(raced).command({ query: `SYSTEM STOP MERGES ${raced.database}.events` });
      await raced.insertEvents(rows.slice(0, half));
      expect((await raced.refreshDerived()).mode).toBe('full');
      const later = rows.slice(half).map((r) => ({ ...r, received_at: r.received_at + 3_600_000 }));
      await raced.insertEvents(later);
      // the second writer's copies: same id, type and time, other content, stored later
      const decided = later.filter((r) => r.type === 'review.decided' && r.decision === 'approve');
      const copies = decided.map((r) => ({ ...r, decision: 'override' as const, reason_code: 'wrong_label', received_at: r.received_at + 1_000 }));
      // a second writer that looked the ids up before the first one's insert landed
      await rawClient(raced).insert({
        table: `${raced.database}.events`,
        values: copies,
        format: 'JSONEachRow',
        clickhouse_settings: { insert_deduplication_token: 'racer' },
      });
      await clean.insertEvents(rows.slice(0, half));
      await clean.insertEvents(later);
      await clean.refreshDerived();
    }, 120_000);

    afterAll(async () => {
      await raced?.close();
      await clean?.close();
    });

    it('holds the copies unmerged, and counts each event once as the earliest stored', async () => {
      expect(await rawRowCount(raced)).toBeGreaterThan(await raced.countEvents());
      const refresh = await raced.refreshDerived();
      expect(refresh.mode).toBe('incremental');
      expect(await everyFamily(raced)).toEqual(await everyFamily(clean));
    }, 120_000);

    it('runs two refreshes asked for at once one after the other', async () => {
      const rows = simulatedRows({ seed: 29, cases: 30 }).map((r) => ({ ...r, received_at: r.received_at + 7_200_000 }));
      await raced.insertEvents(rows);
      const modes = (await Promise.all([raced.refreshDerived(), raced.refreshDerived()])).map((r) => r.mode);
      expect(modes).toEqual(['incremental', 'unchanged']);
    }, 60_000);

    it('rebuilds only the cases with an event the last refresh had not seen, though its window reaches back', async () => {
      const batch = simulatedRows({ seed: 31, cases: 8 }).map((r) => ({ ...r, received_at: r.received_at + 7_260_000 }));
      await raced.insertEvents(batch);
      const refresh = await raced.refreshDerived();
      expect(refresh.mode).toBe('incremental');
      // the batch of the test before arrived a minute earlier, inside the window: not rebuilt
      expect(refresh.cases).toBe(new Set(batch.flatMap((r) => (r.case_id ? [r.case_id] : []))).size);
    }, 60_000);

    it('sorts each derived table by the column its time windows filter on', async () => {
      const files = await loadDerived('clickhouse');
      const rs = await rawClient(raced).query({
        query: `SELECT name, sorting_key FROM system.tables WHERE database = {db:String}`,
        format: 'JSONEachRow',
        query_params: { db: raced.database },
      });
      const keys = Object.fromEntries((await rs.json<{ name: string; sorting_key: string }>()).map((t) => [t.name, t.sorting_key]));
      for (const f of files) expect([f.name, keys[f.name]]).toEqual([f.name, sortKey(f.sql) ?? '']);
      expect(keys.case_features).toBe('created_at');
    });
  });
});
