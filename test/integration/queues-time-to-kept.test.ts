/**
 * queues' time_to rows are kept with the derived tables' version once `now` is past the latest
 * stop of every clock they time (issue 14; src/metrics/families/queues.ts): a later run then
 * reads them back; a `now` before that latest stop computes them every time (they depend on
 * it); after new events and a refresh they are computed again and equal a store built from
 * scratch. Open items age with `now` and are queried every time.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventRow } from '../../src/events/row.js';
import { cutsSchema } from '../../src/metrics/cuts.js';
import { queuesFamily } from '../../src/metrics/families/queues.js';
import type { Store } from '../../src/store/store.js';
import { familyRun, keptStores, laterRows } from '../helpers/family-run.js';
import { forEachStore, simulatedRows, type StoreKind } from '../helpers/stores.js';

const LATE = new Date(Date.UTC(2026, 9, 30, 12));
/** Twenty minutes into the data: many clocks have not stopped yet. */
const EARLY = new Date(Date.UTC(2026, 9, 1, 0, 20));

/** The queues family's groups at `now`, and how many times each of its queries ran. */
async function queues(store: Store, now: Date): Promise<{ groups: unknown; queries: Record<string, number> }> {
  const run = await familyRun(queuesFamily, store, cutsSchema.parse({ group_by: 'workflow' }), now);
  return { groups: run.result.groups, queries: run.queries };
}

forEachStore((kind: StoreKind) =>
  describe('time_to kept between runs', () => {
    const stores = keptStores(kind, 'loopwatch-time-to-');
    let store: Store;
    let first: EventRow[];
    let late: unknown;

    beforeAll(async () => {
      store = await stores.open();
      first = simulatedRows({ seed: 31, cases: 300 });
      await store.insertEvents(first);
      await store.refreshDerived();
    }, 120_000);

    afterAll(() => stores.close());

    it('past the latest stop, a second run reads time_to back; open items are queried each time', async () => {
      const run = await queues(store, LATE);
      expect(run.queries).toEqual({ 'metrics/queues/open_items': 1, 'metrics/queues/time_to': 1, 'metrics/queues/last_stop': 1 });
      late = run.groups;
      const again = await queues(store, LATE);
      expect(again.queries).toEqual({ 'metrics/queues/open_items': 1 });
      expect(again.groups).toEqual(late);
      expect(JSON.stringify(late)).toMatch(/"time_to":\{"acknowledge":\{"n":[1-9]/);
    }, 120_000);

    it('before the latest stop, time_to is computed every time: it depends on now', async () => {
      const early = await queues(store, EARLY);
      expect(early.queries['metrics/queues/time_to']).toBe(1);
      const again = await queues(store, EARLY);
      expect(again.queries['metrics/queues/time_to']).toBe(1);
      expect(again.groups).toEqual(early.groups);
      const timeTo = (groups: unknown) => (groups as { metrics: { time_to: unknown } }[]).map((g) => g.metrics.time_to);
      expect(timeTo(early.groups)).not.toEqual(timeTo(late));
    }, 120_000);

    it('after new events and a refresh, time_to is computed again, as a store built from scratch answers', async () => {
      const later = laterRows(32, 40, 3);
      await store.insertEvents(later);
      expect((await store.refreshDerived()).mode).toBe('incremental');
      const after = await queues(store, LATE);
      expect(after.queries['metrics/queues/time_to']).toBe(1);
      expect(after.groups).not.toEqual(late);
      const whole = await stores.fromScratch([...first, ...later]);
      expect(after.groups).toEqual((await queues(whole, LATE)).groups);
      expect((await queues(store, LATE)).queries).toEqual({ 'metrics/queues/open_items': 1 });
    }, 240_000);
  }),
);
