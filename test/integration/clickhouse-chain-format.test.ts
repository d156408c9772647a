import { afterAll, describe, expect, it } from 'vitest';
import type { EventRow } from '../../src/events/row.js';
import { GENESIS, batchContent, linkHash, verifyChain } from '../../src/store/chain.js';
import type { ClickHouseStore } from '../../src/store/clickhouse/clickhouse-store.js';
import { insertRowBinary } from '../../src/store/clickhouse/append.js';
import { encodeRows } from '../../src/store/clickhouse/row-binary.js';
import { dropServerDatabases, openClickHouseTestStore, rawClient, rawRowCount, simulatedRows } from '../helpers/stores.js';

// Issue 14: a ClickHouse chain link's content comes from the bytes the insert sent (row format
// 2, src/store/clickhouse/row-text.ts) instead of reading the batch back; links written before
// (format 1, SHA256 of each row's JSONEachRow computed by the engine) keep verifying by their own.
const ROWS = simulatedRows({ seed: 21, cases: 40 });
const stores: ClickHouseStore[] = [];
afterAll(async () => {
  for (const s of stores) await s.close();
  await dropServerDatabases();
});

async function fresh(): Promise<ClickHouseStore> {
  const store = await openClickHouseTestStore();
  stores.push(store);
  await store.migrate();
  return store;
}

async function command(store: ClickHouseStore, query: string): Promise<void> {
  await rawClient(store).command({ query, clickhouse_settings: { mutations_sync: '2' } });
}

/**
 * A batch stored as the code before migration 0007 stored it: the events, then a link whose
 * content is the engine's SHA256 of each stored row's JSONEachRow and whose insert names no
 * row_format (the column's default, 1, is what such a link reads as).
 */
async function storeAsFormatOne(store: ClickHouseStore, rows: EventRow[], seq: number, prevHash: string): Promise<string> {
  const client = rawClient(store);
  // the events' bytes are as before 0007 (row-binary.ts did not change them)
  await insertRowBinary(client, store.database, encodeRows(rows).body, rows.length, { insert_deduplication_token: `format-1-${seq}`, async_insert: 0 }, !process.env.CLICKHOUSE_URL);
  const ids = rows.map((r) => r.event_id).sort();
  const rs = await client.query({
    query: `SELECT event_id, lower(hex(SHA256(formatRowNoNewline('JSONEachRow', *)))) FROM ${store.database}.events FINAL WHERE event_id IN {ids:Array(String)}`,
    format: 'JSONCompactEachRow',
    query_params: { ids },
  });
  const { content, events } = batchContent(new Map(await rs.json<[string, string]>()));
  const hash = linkHash(prevHash, content, events);
  await client.insert({
    table: `${store.database}.loopwatch_chain`,
    values: [{ seq, prev_hash: prevHash, hash, content, events, event_ids: ids, created_at: Date.now() }],
    format: 'JSONEachRow',
    clickhouse_settings: { async_insert: 0 },
  });
  return hash;
}

describe('ClickHouse chain row formats', () => {
  it('verifies a chain whose first links were written with format 1 and the rest with format 2, and finds an edit in either', async () => {
    const store = await fresh();
    const old = [ROWS.slice(0, 60), ROWS.slice(60, 120)];
    const head = await storeAsFormatOne(store, old[0], 1, GENESIS);
    await storeAsFormatOne(store, old[1], 2, head);
    // a process of the new code continues the chain from the stored head
    const next = await openClickHouseTestStore({ database: store.database });
    stores.push(next);
    await next.insertEvents(ROWS.slice(120, 180));
    await next.insertEvents(ROWS.slice(180));
    const formats = await rawClient(next).query({ query: `SELECT row_format FROM ${store.database}.loopwatch_chain ORDER BY seq`, format: 'JSONCompactEachRow' });
    expect((await formats.json<[number]>()).map(([f]) => Number(f))).toEqual([1, 1, 2, 2]);
    expect(await verifyChain(next.capabilities.chain!)).toMatchObject({ ok: true, links: 4, events: ROWS.length, firstBreak: null, unchained: { count: 0 } });

    const newVictim = ROWS[130].event_id;
    await command(next, `ALTER TABLE ${store.database}.events UPDATE final_label = 'edited' WHERE event_id = '${newVictim}'`);
    let report = await verifyChain(next.capabilities.chain!);
    expect(report.firstBreak).toMatchObject({ seq: 3, reason: "the link's stored events differ from what was written" });
    expect(report.firstBreak!.eventIds).toContain(newVictim);

    const oldVictim = ROWS[70].event_id;
    await command(next, `ALTER TABLE ${store.database}.events UPDATE attrs = '{"edited":true}' WHERE event_id = '${oldVictim}'`);
    report = await verifyChain(next.capabilities.chain!);
    expect(report.firstBreak).toMatchObject({ seq: 2, reason: "the link's stored events differ from what was written" });
    expect(report.firstBreak!.eventIds).toContain(oldVictim);
  });

  it('finds a deleted event and an edited number in a format-2 link', async () => {
    const store = await fresh();
    await store.insertEvents(ROWS.slice(0, 100));
    await store.insertEvents(ROWS.slice(100));
    const moved = ROWS[150].event_id;
    await command(store, `ALTER TABLE ${store.database}.events UPDATE confidence = 0.5 WHERE event_id = '${moved}'`);
    let report = await verifyChain(store.capabilities.chain!);
    expect(report.firstBreak).toMatchObject({ seq: 2, reason: "the link's stored events differ from what was written" });
    const gone = ROWS[10].event_id;
    await command(store, `ALTER TABLE ${store.database}.events DELETE WHERE event_id = '${gone}'`);
    report = await verifyChain(store.capabilities.chain!);
    expect(report.firstBreak).toMatchObject({ seq: 1, reason: "1 of the link's events are no longer stored", eventIds: [gone] });
  });

  it("has the engine write a stored row's text as the bytes the insert sent, for edge values", async () => {
    const store = await fresh();
    const [base] = ROWS;
    const edge: EventRow[] = [
      { ...base, event_id: 'édge-\u{1F600}-' + 'x'.repeat(200), attrs: JSON.stringify({ note: 'ü'.repeat(100) + '\u0000\t\n"\\' }) },
      { ...base, event_id: 'nulls', case_id: null, workflow: null, attrs: null, risk_signals: [], rule_ids: [], tier: null },
      { ...base, event_id: 'numbers', confidence: -0, sampling_rate: 1e-300, tier: 255, sampled: false, risk_signals: ['a', 'ß', ''] },
      { ...base, event_id: 'extremes', confidence: Number.MAX_VALUE, sampled: true, ts: Date.UTC(1970, 0, 1, 0, 0, 0, 1), received_at: Date.UTC(2299, 11, 31) },
    ];
    await store.insertEvents(edge);
    const texts = await store.capabilities.chain!.rowHashes(edge.map((r) => r.event_id));
    for (const row of edge) expect(texts.get(row.event_id), row.event_id).toBe(encodeRows([row]).body.toString('hex'));
    expect(await verifyChain(store.capabilities.chain!)).toMatchObject({ ok: true, links: 1, events: edge.length });
  });
});

describe('ClickHouse inserts', () => {
  it('do not read a batch back: the duplicates lookup is the one query on the events table', async () => {
    const store = await fresh();
    const client = rawClient(store);
    const queries: string[] = [];
    const query = client.query.bind(client);
    client.query = ((params: { query: string }) => {
      queries.push(params.query);
      return query(params as Parameters<typeof query>[0]);
    }) as typeof client.query;
    await store.insertEvents(ROWS.slice(0, 100));
    await store.insertEvents(ROWS.slice(100, 200));
    expect(queries.filter((q) => q.includes(`${store.database}.events`))).toHaveLength(2);
    expect(await verifyChain(store.capabilities.chain!)).toMatchObject({ ok: true, links: 2, events: 200 });
  });

  it('store the first copy of an id a batch repeats, as DuckDB does', async () => {
    const store = await fresh();
    const [first] = ROWS;
    const repeat = { ...first, received_at: first.received_at + 1_000, final_label: 'second copy' };
    const outcome = await store.insertEvents([first, ROWS[1], repeat]);
    expect(outcome.duplicateIds.size).toBe(0);
    expect(await rawRowCount(store)).toBe(2);
    const texts = await store.capabilities.chain!.rowHashes([first.event_id]);
    expect(texts.get(first.event_id)).toBe(encodeRows([first]).body.toString('hex'));
    expect(await verifyChain(store.capabilities.chain!)).toMatchObject({ ok: true, links: 1, events: 2 });
  });

  it('of two batches in flight at once sharing an id: one stores it, the other reports it a duplicate, and the chain verifies', async () => {
    const store = await fresh();
    const a = ROWS.slice(0, 50);
    const shared = { ...a[10], received_at: a[10].received_at + 5_000 };
    const b = [...ROWS.slice(50, 100), shared];
    const [outA, outB] = await Promise.all([store.insertEvents(a), store.insertEvents(b)]);
    expect([...outA.duplicateIds]).toEqual([]);
    expect([...outB.duplicateIds]).toEqual([shared.event_id]);
    expect(await rawRowCount(store)).toBe(100);
    expect(await verifyChain(store.capabilities.chain!)).toMatchObject({ ok: true, links: 2, events: 100 });
  });
});
