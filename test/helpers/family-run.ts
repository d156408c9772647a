import { pino } from 'pino';
import { defaultMetricsConfig, type MetricsConfig } from '../../src/config/metrics.js';
import type { Cuts } from '../../src/metrics/cuts.js';
import type { FamilyResult, MetricFamily } from '../../src/metrics/family.js';
import { MetricsRunner } from '../../src/metrics/runner.js';
import type { EventRow } from '../../src/events/row.js';
import type { Store } from '../../src/store/store.js';
import { openClickHouseTestStore, openTestStore, simulatedRows, tempDir, type StoreKind } from './stores.js';

export interface FamilyRun {
  /** The family's result as JSON gives it back, without its duration. */
  result: FamilyResult & { groups: unknown };
  /** How many times each of the family's own queries (metrics/<family>/...) ran. */
  queries: Record<string, number>;
  /** Their sum. */
  total: number;
}

/**
 * One family computed by the runner over the derived tables as they are (no refresh) at `now`,
 * counting the family's own queries: the tests of kept results (src/metrics/result-cache.ts)
 * tell a result read back from one computed by whether its queries ran.
 */
export async function familyRun(family: MetricFamily, store: Store, cuts: Cuts, now: Date, config: MetricsConfig = defaultMetricsConfig()): Promise<FamilyRun> {
  const queries: Record<string, number> = {};
  const counting = new Proxy(store, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (prop === 'query') {
        return (q: { name: string }, ...args: unknown[]) => {
          if (q.name.startsWith(`metrics/${family.name}/`)) queries[q.name] = (queries[q.name] ?? 0) + 1;
          return (value as (...a: unknown[]) => unknown).apply(target, [q, ...args]);
        };
      }
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
  const runner = new MetricsRunner({ store: counting, families: [family], config, logger: pino({ level: 'silent' }), clock: () => now });
  const snap = await runner.compute(cuts, { refresh: false });
  const { duration_ms: _ms, ...result } = snap.families[family.name];
  return { result: JSON.parse(JSON.stringify(result)), queries, total: Object.values(queries).reduce((a, b) => a + b, 0) };
}

const DAY_MS = 86_400_000;

/**
 * The stores of a test of kept results, all closed by close(): open() the store under test (on
 * ClickHouse with kept results on: chdb keeps none unless asked, ClickHouseStoreOptions), and
 * fromScratch() a store that got `rows` alone, for the answer a kept result must equal.
 */
export function keptStores(kind: StoreKind, prefix: string): { open(): Promise<Store>; fromScratch(rows: readonly EventRow[]): Promise<Store>; close(): Promise<void> } {
  const tmp = tempDir(prefix);
  const opened: Store[] = [];
  const keep = (s: Store) => (opened.push(s), s);
  return {
    async open() {
      const store = keep(kind === 'duckdb' ? await openTestStore(kind, tmp.dir) : await openClickHouseTestStore({ keepResults: true }));
      if (kind !== 'duckdb') await store.migrate();
      return store;
    },
    async fromScratch(rows) {
      const store = keep(await openTestStore(kind, tmp.dir));
      await store.insertEvents([...rows]);
      await store.refreshDerived();
      return store;
    },
    async close() {
      for (const s of opened) await s.close().catch(() => undefined);
      tmp.cleanup();
    },
  };
}

/** Simulated events of new cases `days` after the simulator's start: ids and case ids of their own. */
export function laterRows(seed: number, cases: number, days: number): EventRow[] {
  return simulatedRows({ seed, cases }).map((r) => ({
    ...r,
    event_id: `later-${r.event_id}`,
    case_id: r.case_id && `later-${r.case_id}`,
    ts: r.ts + days * DAY_MS,
    received_at: r.received_at + days * DAY_MS,
  }));
}
