import { createValidator } from '../../src/events/validate.js';
import { CONTRACT_ONLY } from './limits.js';
import type { EventRow } from '../../src/events/row.js';
import { cutsSchema } from '../../src/metrics/cuts.js';
import type { FamilyResult, MetricFamily } from '../../src/metrics/family.js';
import { defaultMetricsConfig, type MetricsConfig } from '../../src/config/metrics.js';
import { ClickHouseStore } from '../../src/store/clickhouse/clickhouse-store.js';
import type { Store } from '../../src/store/store.js';
import { openTestStore, rawClient, tempDir, type StoreKind } from './stores.js';

/** Validates hand-written events (failing loudly on a bad one) into rows. */
export function toRows(events: readonly Record<string, unknown>[], receivedAt = Date.UTC(2026, 10, 24)): EventRow[] {
  // fixtures pin received_at and span days past it: the time window is not what they test
  const validate = createValidator(CONTRACT_ONLY);
  return events.map((e, i) => {
    const r = validate(e, i, receivedAt);
    if (!r.ok) throw new Error(`test event ${i} is invalid: ${r.rejected.reason}`);
    return r.row;
  });
}

export interface MetricsFixture {
  store: Store;
  /** Refreshes derived tables and computes one family for a cut given as query-string-like values. */
  compute(family: MetricFamily, cuts?: Record<string, unknown>, options?: { now?: Date; config?: MetricsConfig }): Promise<FamilyResult>;
  /** compute(family), also returning the parameters the family bound to the query `queryName` (to run it again by hand: plans, rows read). */
  computeCapturing(family: MetricFamily, queryName: string): Promise<{ result: FamilyResult; params: Record<string, unknown> }>;
  close(): Promise<void>;
}

/**
 * A real store holding exactly these events: a DuckDB file, or a database of its own in the
 * process's chdb (or CLICKHOUSE_URL's server) for `clickhouse`.
 */
export async function metricsFixture(events: readonly Record<string, unknown>[], kind: StoreKind = 'duckdb'): Promise<MetricsFixture> {
  const tmp = tempDir('loopwatch-metrics-');
  const store = await openTestStore(kind, tmp.dir);
  await store.insertEvents(toRows(events));
  const fixture: MetricsFixture = {
    store,
    async compute(family, cuts = {}, options = {}) {
      await store.refreshDerived();
      return family.compute({
        store,
        cuts: cutsSchema.parse(cuts),
        config: options.config ?? defaultMetricsConfig(),
        now: options.now ?? new Date(Date.UTC(2026, 10, 24, 12)),
      });
    },
    async computeCapturing(family, queryName) {
      let params: Record<string, unknown> | undefined;
      const query = store.query.bind(store);
      store.query = (async (q: { name: string }, p?: Record<string, unknown>) => {
        if (q.name === queryName) params = p;
        return query(q as never, p as never);
      }) as typeof store.query;
      try {
        const result = await fixture.compute(family);
        if (!params) throw new Error(`${family.name} did not run the query ${queryName}`);
        return { result, params };
      } finally {
        store.query = query;
      }
    },
    async close() {
      // chdb's directory goes at exit, but a server (CLICKHOUSE_URL) keeps what is not dropped
      if (store instanceof ClickHouseStore) await rawClient(store).command({ query: `DROP DATABASE IF EXISTS ${store.database}` });
      await store.close();
      tmp.cleanup();
    },
  };
  return fixture;
}

/** A builder for one case's events at minute offsets from a base time, for readable scenarios. */
export function caseScript(caseId: string, base = Date.UTC(2026, 10, 23, 9)) {
  let seq = 0;
  const events: Record<string, unknown>[] = [];
  const at = (minutes: number) => new Date(base + minutes * 60_000).toISOString();
  const add = (minutes: number, type: string, fields: Record<string, unknown> = {}) => {
    events.push({ event_id: `${caseId}-${++seq}`, type, ts: at(minutes), case_id: caseId, ...fields });
    return api;
  };
  const api = { add, events, at };
  return api;
}
