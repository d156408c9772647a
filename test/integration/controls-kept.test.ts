/**
 * The controls family reads no clock: its result is kept with the derived tables' version
 * (issue 14; src/metrics/families/controls.ts) and read back while no refresh changed them;
 * after new events and a refresh it is computed again and equals a store built from scratch.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventRow } from '../../src/events/row.js';
import { cutsSchema } from '../../src/metrics/cuts.js';
import { controlsFamily } from '../../src/metrics/families/controls.js';
import type { Store } from '../../src/store/store.js';
import { familyRun, keptStores, laterRows } from '../helpers/family-run.js';
import { forEachStore, simulatedRows, type StoreKind } from '../helpers/stores.js';

const NOW = new Date(Date.UTC(2026, 9, 30, 12));

/** The controls family's result, and how many times its query ran to get it. */
async function controls(store: Store, groupBy = 'workflow'): Promise<{ result: unknown; queries: number }> {
  const run = await familyRun(controlsFamily, store, cutsSchema.parse({ group_by: groupBy, bucket: 'day' }), NOW);
  return { result: run.result, queries: run.total };
}

forEachStore((kind: StoreKind) =>
  describe('controls kept between runs', () => {
    const stores = keptStores(kind, 'loopwatch-controls-kept-');
    let store: Store;
    let first: EventRow[];
    let computed: unknown;

    beforeAll(async () => {
      store = await stores.open();
      first = simulatedRows({ seed: 41, cases: 600 });
      await store.insertEvents(first);
      await store.refreshDerived();
    }, 120_000);

    afterAll(() => stores.close());

    it('a second run over unchanged tables reads the result back: no query, the same result', async () => {
      const run = await controls(store);
      expect(run.queries).toBe(1);
      computed = run.result;
      expect((computed as { details: { total: number } }).details.total).toBeGreaterThan(0);
      const again = await controls(store);
      expect(again.queries).toBe(0);
      expect(again.result).toEqual(computed);
      // another cut is computed, not read
      expect((await controls(store, 'lane')).queries).toBe(1);
    }, 120_000);

    it('after new events and a refresh, it is computed again, as a store built from scratch answers', async () => {
      const later = laterRows(42, 600, 2);
      await store.insertEvents(later);
      expect((await store.refreshDerived()).mode).toBe('incremental');
      const after = await controls(store);
      expect(after.queries).toBe(1);
      expect(after.result).not.toEqual(computed);
      const whole = await stores.fromScratch([...first, ...later]);
      expect(after.result).toEqual((await controls(whole)).result);
      expect((await controls(store)).queries).toBe(0);
    }, 240_000);
  }),
);
