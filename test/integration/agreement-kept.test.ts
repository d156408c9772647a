/**
 * Agreement's result (the reviewers family's, quality's clock-free rows) is kept in the database between processes (issue 14, src/metrics/result-cache.ts):
 * a later run over derived tables no refresh has changed, with the same cut and settings, reads
 * it back instead of querying and bootstrapping again; once events arrive (or the cut, the
 * settings change) it is computed again, and equals what a store built from scratch answers.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventRow } from '../../src/events/row.js';
import { cutsSchema, type Cuts } from '../../src/metrics/cuts.js';
import { defaultMetricsConfig } from '../../src/config/metrics.js';
import type { MetricsConfig } from '../../src/config/metrics.js';
import { agreementFamily } from '../../src/metrics/families/agreement.js';
import { reviewersFamily } from '../../src/metrics/families/reviewers.js';
import { qualityFamily } from '../../src/metrics/families/quality.js';
import type { MetricFamily } from '../../src/metrics/family.js';
import { DuckDBStore } from '../../src/store/duckdb/duckdb-store.js';
import type { Store } from '../../src/store/store.js';
import { familyRun } from '../helpers/family-run.js';
import { forEachStore, openClickHouseTestStore, openTestStore, simulatedRows, tempDir, testDatabaseName, type StoreKind } from '../helpers/stores.js';
import { runCli } from '../helpers/server.js';

const NOW = new Date(Date.UTC(2026, 9, 5, 12));
const BY_WORKFLOW = cutsSchema.parse({ group_by: 'workflow' });

/** Agreement's groups for a cut, and how many times its query ran to get them. */
function agreement(store: Store, cuts: Cuts = BY_WORKFLOW, config: MetricsConfig = defaultMetricsConfig()): Promise<{ groups: unknown; queries: number }> {
  return familyGroups(agreementFamily, store, cuts, config);
}

/** A family's groups for a cut, and how many of its queries ran to get them. */
async function familyGroups(family: MetricFamily, store: Store, cuts: Cuts = BY_WORKFLOW, config: MetricsConfig = defaultMetricsConfig()): Promise<{ groups: unknown; queries: number }> {
  const run = await familyRun(family, store, cuts, NOW, config);
  return { groups: run.result.groups, queries: run.total };
}

/** Compares to 12 significant digits, as derived-persisted.test.ts does. */
function roundFloats(v: unknown): unknown {
  if (typeof v === 'number') return Number.isInteger(v) ? v : Number(v.toPrecision(12));
  if (Array.isArray(v)) return v.map(roundFloats);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, roundFloats(x)]));
  return v;
}

forEachStore((kind: StoreKind) =>
  describe('agreement kept between processes', () => {
    const tmp = tempDir('loopwatch-kept-');
    const file = path.join(tmp.dir, 'kept.duckdb');
    const database = testDatabaseName();
    const reopen = async (): Promise<Store> => {
      const store = kind === 'duckdb' ? await DuckDBStore.open({ path: file }) : await openClickHouseTestStore({ database, keepResults: true });
      await store.migrate();
      return store;
    };
    let first: EventRow[];
    let later: EventRow[];
    let computed: unknown;
    const open: Store[] = [];
    const keep = (s: Store) => (open.push(s), s);

    beforeAll(async () => {
      const rows = simulatedRows({ seed: 17, cases: 300, shuffleWindow: 100 });
      const half = Math.floor(rows.length / 2);
      first = rows.slice(0, half);
      later = rows.slice(half).map((r) => ({ ...r, received_at: r.received_at + 3_600_000 }));
      const store = await reopen();
      await store.insertEvents(first);
      await store.refreshDerived();
      const run = await agreement(store);
      expect(run.queries).toBe(1);
      computed = run.groups;
      await store.close();
    }, 120_000);

    afterAll(async () => {
      for (const s of open) await s.close().catch(() => undefined);
      tmp.cleanup();
    });

    it('a later process over unchanged tables reads the result back: no query, the same numbers', async () => {
      const store = keep(await reopen());
      expect((await store.refreshDerived()).mode).toBe('unchanged');
      const again = await agreement(store);
      expect(again.queries).toBe(0);
      expect(again.groups).toEqual(computed);
      // and the result has what the bootstrap costs: intervals
      expect(JSON.stringify(again.groups)).toContain('"ci95":[');
    }, 120_000);

    it('another cut or other settings are computed, not read', async () => {
      const store = open[0];
      expect((await agreement(store, cutsSchema.parse({ group_by: 'lane' }))).queries).toBe(1);
      const config = defaultMetricsConfig();
      config.agreement = { ...config.agreement!, bootstrap: { ...config.agreement!.bootstrap, replicates: 0 } };
      const unbootstrapped = await agreement(store, BY_WORKFLOW, config);
      expect(unbootstrapped.queries).toBe(1);
      expect(unbootstrapped.groups).not.toEqual(computed);
      expect(JSON.stringify(unbootstrapped.groups)).not.toContain("\"ci95\":[");
      // each is kept beside the others
      expect((await agreement(store, BY_WORKFLOW, config)).queries).toBe(0);
      expect((await agreement(store)).queries).toBe(0);
    }, 120_000);

    it("the reviewers family's result is kept alike", async () => {
      const store = open[0];
      const computed = await familyGroups(reviewersFamily, store);
      expect(computed.queries).toBe(3);
      const again = await familyGroups(reviewersFamily, store);
      expect(again.queries).toBe(0);
      expect(again.groups).toEqual(computed.groups);
    }, 120_000);

    it("quality's queries that read no clock are kept alike (by day too); stop-the-line runs every time", async () => {
      const store = open[0];
      const byDay = cutsSchema.parse({ group_by: 'workflow', bucket: 'day' });
      const computed = await familyGroups(qualityFamily, store, byDay);
      expect(computed.queries).toBe(6);
      const again = await familyGroups(qualityFamily, store, byDay);
      expect(again.queries).toBe(1);
      expect(again.groups).toEqual(computed.groups);
    }, 120_000);

    it('once events arrived and the tables were refreshed, it is computed again, as a store built from scratch answers', async () => {
      const store = open[0];
      const reviewersBefore = await familyGroups(reviewersFamily, store);
      const qualityBefore = await familyGroups(qualityFamily, store);
      await store.insertEvents(later);
      expect((await store.refreshDerived()).mode).toBe('incremental');
      const after = await agreement(store);
      expect(after.queries).toBe(1);
      expect(after.groups).not.toEqual(computed);
      const whole = keep(await openTestStore(kind, tmp.dir));
      await whole.insertEvents([...first, ...later]);
      await whole.refreshDerived();
      expect(after.groups).toEqual((await agreement(whole)).groups);
      const reviewers = await familyGroups(reviewersFamily, store);
      expect(reviewers.queries).toBe(3);
      expect(reviewers.groups).not.toEqual(reviewersBefore.groups);
      // sums over rows in another order (a table built in pieces) may differ in the last bit
      expect(roundFloats(reviewers.groups)).toEqual(roundFloats((await familyGroups(reviewersFamily, whole)).groups));
      const quality = await familyGroups(qualityFamily, store);
      expect(quality.queries).toBe(6);
      expect(quality.groups).not.toEqual(qualityBefore.groups);
      expect(roundFloats(quality.groups)).toEqual(roundFloats((await familyGroups(qualityFamily, whole)).groups));
      // the new result is the one kept now
      expect((await agreement(store)).queries).toBe(0);
    }, 240_000);

    it('a result computed while a refresh changed the tables is not kept', async () => {
      const store = open[0];
      const { version } = await store.readResult('test', 'k');
      expect(version).not.toBeNull();
      const extra = simulatedRows({ seed: 18, cases: 20 }).map((r) => ({ ...r, event_id: `x-${r.event_id}`, case_id: r.case_id && `x-${r.case_id}` }));
      await store.insertEvents(extra);
      expect((await store.refreshDerived()).mode).toBe('incremental');
      expect(await store.writeResult('test', 'k', version!, '{"stale":true}')).toBe(false);
      const now = await store.readResult('test', 'k');
      expect(now.value).toBeNull();
      expect(now.version).not.toBe(version);
      expect(await store.writeResult('test', 'k', now.version!, '{"fresh":true}')).toBe(true);
      expect((await store.readResult('test', 'k')).value).toBe('{"fresh":true}');
    }, 120_000);

    it.runIf(kind === 'duckdb')('two CLI reports, processes of their own: the second reads agreement back, the JSON is the same', async () => {
      for (const s of open.splice(0)) await s.close();
      const runs = [0, 1].map(() => runCli(['report', '--json', '--family', 'agreement', '--db', file]));
      for (const run of runs) expect(run.status, run.stderr).toBe(0);
      const [a, b] = runs.map((r) => JSON.parse(r.stdout) as { families: { agreement: { groups: unknown } } });
      expect(b.families.agreement.groups).toEqual(a.families.agreement.groups);
      // what the CLI kept is what a run of the library reads back
      const store = keep(await reopen());
      const read = await agreement(store);
      expect(read.queries).toBe(0);
      expect(read.groups).toEqual(a.families.agreement.groups);
    }, 120_000);
  }),
);
