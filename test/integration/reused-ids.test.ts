import { afterAll, describe, expect, it } from 'vitest';
import { verifyChain } from '../../src/store/chain.js';
import { ClickHouseStore } from '../../src/store/clickhouse/clickhouse-store.js';
import type { EventRow } from '../../src/events/row.js';
import type { Store } from '../../src/store/store.js';
import { forEachStore, openTestStore, rawClient, simulatedRows, tempDir } from '../helpers/stores.js';

// An id a sender reuses under another workflow, type or UTC day is another event on both engines
// (docs/scaling.md, "Looking up stored ids"): stored, chained and verified; a retry of either is a
// duplicate and writes nothing.
const DAY = 86_400_000;
const ROWS = simulatedRows({ seed: 21, cases: 12 });
const FIRST = ROWS.slice(0, 60);

/** Events of the second half carrying the first half's ids, under another day, workflow or type. */
function reusing(): EventRow[] {
  return ROWS.slice(60, 120).map((r, i) => {
    const borrowed = FIRST[i];
    const row = { ...r, event_id: borrowed.event_id };
    if (i % 3 === 0) return { ...row, workflow: borrowed.workflow, type: borrowed.type, ts: borrowed.ts + 2 * DAY, case_id: borrowed.case_id };
    // the same prefix would make it a retry of the borrowed event: another day then
    const same = row.workflow === borrowed.workflow && row.type === borrowed.type && Math.floor(row.ts / DAY) === Math.floor(borrowed.ts / DAY);
    return same ? { ...row, ts: row.ts + DAY } : row;
  });
}

/** SQL straight on the engine, as someone with access to the database would run it. */
async function raw(store: Store, duckdb: string, clickhouse: (db: string) => string): Promise<void> {
  if (store instanceof ClickHouseStore) {
    await rawClient(store).command({ query: clickhouse(store.database), clickhouse_settings: { mutations_sync: '2' } });
  } else {
    await (store as unknown as { writer: { run(sql: string): Promise<unknown> } }).writer.run(duckdb);
  }
}

async function count(store: Store, id: string): Promise<number> {
  if (store instanceof ClickHouseStore) {
    const rs = await rawClient(store).query({ query: `SELECT count() AS n FROM ${store.database}.events FINAL WHERE event_id = {id:String}`, query_params: { id }, format: 'JSONEachRow' });
    return Number((await rs.json<{ n: number }>())[0].n);
  }
  const r = await (store as unknown as { writer: { runAndReadAll(sql: string): Promise<{ getRows(): unknown[][] }> } }).writer.runAndReadAll(
    `SELECT count(*)::INTEGER FROM events WHERE event_id = '${id.replace(/'/g, "''")}'`,
  );
  return Number(r.getRows()[0][0]);
}

forEachStore((kind) => describe('ids reused under another workflow, type or day', () => {
  const tmp = tempDir();
  const stores: Store[] = [];
  afterAll(async () => {
    for (const s of stores) await s.close();
    tmp.cleanup();
  });

  it('stores them as other events, takes their retries as duplicates and verifies the chain', async () => {
    const store = await openTestStore(kind, tmp.dir);
    stores.push(store);
    const second = reusing();
    expect((await store.insertEvents(FIRST)).duplicateIds.size).toBe(0);
    // the second batch also holds events of the first batch's prefixes under their own ids
    const mixed = [...second, ...ROWS.slice(120, 160)];
    expect((await store.insertEvents(mixed)).duplicateIds.size).toBe(0);
    expect((await store.insertEvents(FIRST)).duplicateIds.size).toBe(FIRST.length);
    expect((await store.insertEvents(mixed)).duplicateIds.size).toBe(mixed.length);
    expect(await count(store, FIRST[0].event_id)).toBe(2);
    const report = await verifyChain(store.capabilities.chain!);
    expect(report).toMatchObject({ ok: true, links: 2, events: FIRST.length + mixed.length, firstBreak: null, unchained: { count: 0 } });
  });

  it('reports a deleted or edited row of a reused id at its link, and tells two links of the same ids apart', async () => {
    const store = await openTestStore(kind, tmp.dir);
    stores.push(store);
    // the same ids twice, the second time a day later: two links naming exactly the same ids
    const again = FIRST.map((r) => ({ ...r, ts: r.ts + DAY, received_at: r.received_at + DAY }));
    await store.insertEvents(FIRST);
    await store.insertEvents(again);
    expect(await verifyChain(store.capabilities.chain!)).toMatchObject({ ok: true, links: 2, events: 2 * FIRST.length });
    const victim = FIRST[5];
    const day = new Date(victim.ts).toISOString().slice(0, 10);
    await raw(
      store,
      `UPDATE events SET attrs = '{"edited":true}' WHERE event_id = '${victim.event_id}' AND ts::DATE = DATE '${day}'`,
      (db) => `ALTER TABLE ${db}.events UPDATE attrs = '{"edited":true}' WHERE event_id = '${victim.event_id}' AND toDate(ts) = '${day}'`,
    );
    let report = await verifyChain(store.capabilities.chain!);
    expect(report.firstBreak).toMatchObject({ seq: 1, reason: "the link's stored events differ from what was written" });
    await raw(
      store,
      `DELETE FROM events WHERE event_id = '${victim.event_id}' AND ts::DATE = DATE '${day}'`,
      (db) => `ALTER TABLE ${db}.events DELETE WHERE event_id = '${victim.event_id}' AND toDate(ts) = '${day}'`,
    );
    report = await verifyChain(store.capabilities.chain!);
    expect(report.ok).toBe(false);
    expect(report.firstBreak!.seq).toBe(1);
  });
}));
