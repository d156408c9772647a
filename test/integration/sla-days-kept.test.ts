/**
 * The days with events, which the SLA family builds its business calendar around, are kept in
 * the database with the derived tables' version (issue 14; src/metrics/sla/data-calendar.ts):
 * a later run over unchanged tables does not scan the log for them again, while the breaches
 * query (it depends on the clock) runs every time; after new events on new days and a refresh
 * they are read again, and the SLA numbers equal those of a store built from scratch.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventRow } from '../../src/events/row.js';
import { cutsSchema } from '../../src/metrics/cuts.js';
import { slaFamily } from '../../src/metrics/families/sla.js';
import type { Store } from '../../src/store/store.js';
import { familyRun, keptStores, laterRows } from '../helpers/family-run.js';
import { forEachStore, simulatedRows, type StoreKind } from '../helpers/stores.js';

const NOW = new Date(Date.UTC(2026, 9, 20, 12));

/** The SLA family's groups, and how many times each of its own queries ran to get them. */
async function sla(store: Store): Promise<{ groups: unknown; queries: Record<string, number> }> {
  const run = await familyRun(slaFamily, store, cutsSchema.parse({ group_by: 'workflow' }), NOW);
  return { groups: run.result.groups, queries: run.queries };
}

forEachStore((kind: StoreKind) =>
  describe('the SLA calendar days kept between runs', () => {
    const stores = keptStores(kind, 'loopwatch-sla-days-');
    let store: Store;
    let first: EventRow[];
    let computed: unknown;

    beforeAll(async () => {
      store = await stores.open();
      first = simulatedRows({ seed: 21, cases: 300 });
      await store.insertEvents(first);
      await store.refreshDerived();
    }, 120_000);

    afterAll(() => stores.close());

    it('a second run over unchanged tables does not read the days again; breaches are computed each time', async () => {
      const run = await sla(store);
      expect(run.queries).toEqual({ 'metrics/sla/event_days': 1, 'metrics/sla/breaches': 1 });
      computed = run.groups;
      const again = await sla(store);
      expect(again.queries).toEqual({ 'metrics/sla/breaches': 1 });
      expect(again.groups).toEqual(computed);
    }, 120_000);

    it('after events on later days and a refresh, the days are read again and the numbers are those of a store built from scratch', async () => {
      // new cases twelve days on (a Tuesday): days the kept list does not hold
      const later = laterRows(22, 40, 12);
      await store.insertEvents(later);
      expect((await store.refreshDerived()).mode).toBe('incremental');
      const after = await sla(store);
      expect(after.queries['metrics/sla/event_days']).toBe(1);
      expect(after.groups).not.toEqual(computed);
      const whole = await stores.fromScratch([...first, ...later]);
      expect(after.groups).toEqual((await sla(whole)).groups);
      expect((await sla(store)).queries).toEqual({ 'metrics/sla/breaches': 1 });
    }, 240_000);
  }),
);
