import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DuckDBStore } from '../../src/store/duckdb/duckdb-store.js';
import { simulatedRows, tempDir } from '../helpers/stores.js';

// The DuckDB writer stages a batch as NDJSON for read_json (append.ts), skips ids already stored
// without a primary key, and keeps the batch's order.
describe('DuckDB staging by event type', () => {
  const tmp = tempDir();
  let store: DuckDBStore | undefined;
  afterAll(async () => {
    await store?.close();
    tmp.cleanup();
  });
  const rows = simulatedRows({ seed: 21, cases: 40 });
  const stored = async () =>
    (await (store as unknown as { writer: { runAndReadAll(sql: string): Promise<{ getRowObjectsJS(): Record<string, unknown>[] }> } }).writer.runAndReadAll(
      `SELECT event_id, type, tier, lane, attrs, epoch_ms(ts)::DOUBLE AS ts FROM events ORDER BY rowid`,
    )).getRowObjectsJS();

  it('stores a batch of every type in its order, once per id, a repeat within the batch or later a duplicate', async () => {
    store = await DuckDBStore.open({ path: path.join(tmp.dir, 'staging.duckdb') });
    await store.migrate();
    const types = new Set(rows.map((r) => r.type));
    expect(types.size).toBeGreaterThan(5);
    const first = await store.insertEvents([...rows.slice(0, 200), rows[3]]);
    expect(first.duplicateIds.size).toBe(0);
    const second = await store.insertEvents(rows.slice(100));
    expect([...second.duplicateIds].sort()).toEqual(rows.slice(100, 200).map((r) => r.event_id).sort());
    const got = await stored();
    expect(got.map((r) => r.event_id)).toEqual(rows.map((r) => r.event_id));
    expect(got.map((r) => r.ts)).toEqual(rows.map((r) => r.ts));
  });

  it('keeps a value outside the columns of its type (a row no validator made) instead of dropping it', async () => {
    const odd = { ...rows.find((r) => r.type === 'case.closed')!, event_id: 'odd-1', tier: 2, lane: 'human_review' };
    await store!.insertEvents([odd, { ...rows[0], event_id: 'odd-2' }]);
    const got = (await stored()).filter((r) => String(r.event_id).startsWith('odd-'));
    expect(got).toMatchObject([{ event_id: 'odd-1', type: 'case.closed', tier: 2, lane: 'human_review' }, { event_id: 'odd-2' }]);
  });
});
