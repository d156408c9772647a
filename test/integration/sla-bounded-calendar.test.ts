import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventRow } from '../../src/events/row.js';
import { cutsSchema } from '../../src/metrics/cuts.js';
import { slaFamily } from '../../src/metrics/families/sla.js';
import { defaultMetricsConfig } from '../../src/config/metrics.js';
import { FAMILIES } from '../../src/metrics/registry.js';
import { MetricsRunner } from '../../src/metrics/runner.js';
import { calendarForData } from '../../src/metrics/sla/data-calendar.js';
import { ClickHouseStore } from '../../src/store/clickhouse/clickhouse-store.js';
import type { Store } from '../../src/store/store.js';
import { caseScript, toRows } from '../helpers/metrics.js';
import { forEachStore, openTestStore, rawClient, tempDir } from '../helpers/stores.js';

// Issue 13: one event dated 9999-12-31 made the business calendar run day by day over eight
// thousand years (2 million working periods, 40 s and 6 GB per run). The calendar must follow
// the days that hold data. Work is measured by the periods built, never by wall time.

const NOW = new Date(Date.UTC(2026, 10, 24, 12));

/** A few ordinary cases of one workflow on Mon 23 Nov 2026, with every clock kind started. */
function ordinaryRows(): EventRow[] {
  const events: Record<string, unknown>[] = [];
  for (const [i, lane] of ['human_review', 'dual_review', 'approval'].entries()) {
    const s = caseScript(`c${i}`).add(0, 'case.created', { workflow: 'support_drafting', tier: 3 }).add(1, 'case.triaged', { lane });
    s.add(5, 'review.assigned', { actor_id: `r${i}`, level: 1 }).add(20 + i * 600, 'review.decided', { actor_id: `r${i}`, decision: 'approve' });
    if (i !== 1) s.add(21 + i * 600, 'case.closed', { outcome: 'executed' });
    events.push(...s.events);
  }
  return toRows(events);
}

/**
 * Cases of another workflow whose events are all on one far day: stored before the contract
 * refused such timestamps (it may refuse them now), so written as rows, past the validator.
 */
function farRows(id: string, ts: number): EventRow[] {
  const s = caseScript(id).add(0, 'case.created', { workflow: 'it_access_requests', tier: 2 }).add(1, 'case.triaged', { lane: 'human_review' });
  s.add(2, 'review.assigned', { actor_id: 'rx', level: 1 });
  return toRows(s.events).map((r, i) => ({ ...r, ts: ts + i * 60_000 }));
}

async function storeWith(kind: Parameters<typeof openTestStore>[0], rows: EventRow[]) {
  const tmp = tempDir('loopwatch-sla-span-');
  const store = await openTestStore(kind, tmp.dir);
  await store.insertEvents(rows);
  await store.refreshDerived();
  return {
    store,
    async close() {
      if (store instanceof ClickHouseStore) await rawClient(store).command({ query: `DROP DATABASE IF EXISTS ${store.database}` });
      await store.close();
      tmp.cleanup();
    },
  };
}

const sla = (store: Store) =>
  slaFamily.compute({ store, cuts: cutsSchema.parse({ group_by: 'workflow' }), config: defaultMetricsConfig(), now: NOW });

forEachStore((kind) => {
  describe('an event in year 9999 (and one in year 1)', () => {
    let plain: Awaited<ReturnType<typeof storeWith>>;
    let hostile: Awaited<ReturnType<typeof storeWith>>;
    beforeAll(async () => {
      plain = await storeWith(kind, ordinaryRows());
      hostile = await storeWith(kind, [
        ...ordinaryRows(),
        ...farRows('far-future', Date.UTC(9999, 11, 31, 10)),
        // year 1 on DuckDB; ClickHouse's DateTime64 stores what it can of it
        ...farRows('far-past', Date.parse('0001-01-01T10:00:00Z')),
      ]);
    });
    afterAll(async () => {
      await plain?.close();
      await hostile?.close();
    });

    it('builds the business calendar around the days with data, not over the years between them', async () => {
      const policy = defaultMetricsConfig().sla;
      const ordinary = await calendarForData(plain.store, policy, NOW);
      const withFarDays = await calendarForData(hostile.store, policy, NOW);
      // two more days with data add at most two more spans of the ordinary calendar's size;
      // day by day from year 1 to 9999 it was over two million periods
      expect(withFarDays.length).toBeLessThanOrEqual(3 * ordinary.length);
      expect(ordinary.length).toBeLessThan(100);
    });

    it('leaves the SLA outcomes of the ordinary cases as they were', async () => {
      const before = await sla(plain.store);
      const after = await sla(hostile.store);
      const ordinaryGroup = (r: typeof before) => r.groups.filter((g) => g.key.workflow === 'support_drafting');
      expect(ordinaryGroup(after)).toEqual(ordinaryGroup(before));
      expect(ordinaryGroup(before)).toHaveLength(1);
    });

    it('computes every family of a metric run', async () => {
      const runner = new MetricsRunner({ store: hostile.store, families: FAMILIES, config: defaultMetricsConfig(), logger: pino({ level: 'silent' }), clock: () => NOW });
      const snapshot = await runner.compute(cutsSchema.parse({ group_by: 'workflow' }), { refresh: true });
      expect(Object.keys(snapshot.families).sort()).toEqual(FAMILIES.map((f) => f.name).sort());
    });
  });
});
