import { copyFileSync } from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { verifyChain } from '../../src/store/chain.js';
import { ClickHouseStore } from '../../src/store/clickhouse/clickhouse-store.js';
import { DuckDBStore } from '../../src/store/duckdb/duckdb-store.js';
import type { Store } from '../../src/store/store.js';
import { ROOT } from '../helpers/server.js';
import { forEachStore, openTestStore, rawClient, simulatedRows, tempDir } from '../helpers/stores.js';

// Tamper evidence (docs/security.md): every stored batch is a link of a hash chain that
// `loopwatch verify` recomputes from the stored events.
const ROWS = simulatedRows({ seed: 13, cases: 60 });
const BATCHES = [ROWS.slice(0, 150), ROWS.slice(150, 300), ROWS.slice(300)];

/** SQL straight on the engine, as someone with access to the database would run it. */
async function raw(store: Store, duckdb: string, clickhouse: (db: string) => string): Promise<void> {
  if (store instanceof ClickHouseStore) {
    await rawClient(store).command({ query: clickhouse(store.database), clickhouse_settings: { mutations_sync: '2' } });
  } else {
    await (store as unknown as { writer: { run(sql: string): Promise<unknown> } }).writer.run(duckdb);
  }
}

forEachStore((kind) => describe('hash chain of stored batches', () => {
  const tmp = tempDir();
  const stores: Store[] = [];
  afterAll(async () => {
    for (const s of stores) await s.close();
    tmp.cleanup();
  });

  async function filled(): Promise<Store> {
    const store = await openTestStore(kind, tmp.dir);
    stores.push(store);
    for (const b of BATCHES) await store.insertEvents(b);
    return store;
  }
  const victim = BATCHES[1][7].event_id;

  it('verifies a clean store; a retried batch adds no link, a partly new one a consistent link', async () => {
    const store = await filled();
    expect((await store.insertEvents(BATCHES[1])).duplicateIds.size).toBe(BATCHES[1].length);
    let report = await verifyChain(store.capabilities.chain!);
    expect(report).toMatchObject({ ok: true, links: 3, events: ROWS.length, firstBreak: null, unchained: { count: 0 } });
    const extra = simulatedRows({ seed: 14, cases: 3 });
    await store.insertEvents([...BATCHES[0].slice(0, 5), ...extra]);
    report = await verifyChain(store.capabilities.chain!);
    expect(report).toMatchObject({ ok: true, links: 4, events: ROWS.length + extra.length });
  });

  it('verifies batches whose ids sort differently by code point and by UTF-16 unit, each alone and mixed', async () => {
    const store = await openTestStore(kind, tmp.dir);
    stores.push(store);
    const rows = simulatedRows({ seed: 15, cases: 4 });
    // U+FF21 sorts after U+1D4B3 by UTF-16 unit (JavaScript) but before it by code point (DuckDB)
    const ids = ['\uFF21-a', '\u{1D4B3}-b', 'plain-c', '\uE000-d'];
    await store.insertEvents(rows.slice(0, 4).map((r, i) => ({ ...r, event_id: ids[i] })));
    await store.insertEvents(rows.slice(4, 8).map((r, i) => ({ ...r, event_id: `${ids[i]}-2` })).concat(rows.slice(8, 10)));
    await store.insertEvents(rows.slice(10));
    const report = await verifyChain(store.capabilities.chain!);
    expect(report).toMatchObject({ ok: true, links: 3, events: rows.length, firstBreak: null });
  });

  it('reports an altered column at its link', async () => {
    const store = await filled();
    await raw(
      store,
      `UPDATE events SET attrs = '{"edited":true}' WHERE event_id = '${victim}'`,
      (db) => `ALTER TABLE ${db}.events UPDATE attrs = '{"edited":true}' WHERE event_id = '${victim}'`,
    );
    const report = await verifyChain(store.capabilities.chain!);
    expect(report.ok).toBe(false);
    expect(report.firstBreak).toMatchObject({ seq: 2, reason: "the link's stored events differ from what was written" });
    expect(report.firstBreak!.eventIds).toContain(victim);
  });

  it('reports a deleted event by its id', async () => {
    const store = await filled();
    await raw(store, `DELETE FROM events WHERE event_id = '${victim}'`, (db) => `ALTER TABLE ${db}.events DELETE WHERE event_id = '${victim}'`);
    const report = await verifyChain(store.capabilities.chain!);
    expect(report.ok).toBe(false);
    expect(report.firstBreak).toMatchObject({ seq: 2, reason: "1 of the link's events are no longer stored", eventIds: [victim] });
  });

  it('reports an edited chain row', async () => {
    const store = await filled();
    await raw(store, `UPDATE loopwatch_chain SET events = events + 1 WHERE seq = 2`, (db) => `ALTER TABLE ${db}.loopwatch_chain UPDATE events = events + 1 WHERE seq = 2`);
    let report = await verifyChain(store.capabilities.chain!);
    expect(report.firstBreak).toMatchObject({ seq: 2, reason: 'the link row was altered' });
    await raw(store, `DELETE FROM loopwatch_chain WHERE seq = 1`, (db) => `ALTER TABLE ${db}.loopwatch_chain DELETE WHERE seq = 1`);
    report = await verifyChain(store.capabilities.chain!);
    expect(report.firstBreak).toMatchObject({ seq: 1, reason: 'a link is missing' });
  });
}));

describe('loopwatch verify', () => {
  const tmp = tempDir();
  afterAll(() => tmp.cleanup());
  const verify = (db: string) => spawnSync(process.execPath, [path.join(ROOT, 'bin/loopwatch.js'), 'verify', '--db', db], { cwd: ROOT, encoding: 'utf8' });

  it('says OK with counts, then names the first broken link with exit code 2', async () => {
    const store = (await openTestStore('duckdb', tmp.dir)) as DuckDBStore;
    await store.migrate();
    for (const b of BATCHES) await store.insertEvents(b);
    const db = store.path;
    await store.close();
    let run = verify(db);
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe(`OK: 3 links, ${ROWS.length} events chained\n`);
    expect(run.status).toBe(0);
    const reopened = await DuckDBStore.open({ path: db });
    await raw(reopened, `UPDATE events SET final_label = 'tampered' WHERE event_id = '${BATCHES[2][0].event_id}'`, () => '');
    await reopened.close();
    run = verify(db);
    expect(run.status).toBe(2);
    expect(run.stdout).toMatch(/^BROKEN at link 3: the link's stored events differ from what was written\n {2}expected content [0-9a-f]{64}\n {2}found {4}content [0-9a-f]{64}\n {2}events: /);
    expect(run.stdout).toMatch(/FAILED: 3 links/);
  });
});

// Migration 0006 versions the row hash: a store written before it (row hash 1, the engine's
// to_json of each row) keeps verifying, and links added since (row hash 2) are checked their way.
describe('a store written with the first row-hash definition', () => {
  const tmp = tempDir();
  let store: DuckDBStore | undefined;
  afterAll(async () => {
    await store?.close();
    tmp.cleanup();
  });
  const run = (sql: string) => (store as unknown as { writer: { run(sql: string): Promise<unknown> } }).writer.run(sql);

  it('verifies after the migration, links new batches with version 2, and detects an edit in either', async () => {
    const db = path.join(tmp.dir, 'v1.duckdb');
    copyFileSync(path.join(ROOT, 'test/fixtures/stores/chain-v1.duckdb'), db);
    store = await DuckDBStore.open({ path: db });
    await store.migrate();
    const chain = store.capabilities.chain!;
    expect(await verifyChain(chain)).toMatchObject({ ok: true, links: 2, events: 69, firstBreak: null });
    const extra = simulatedRows({ seed: 22, cases: 5 });
    await store.insertEvents(extra);
    expect(await verifyChain(chain)).toMatchObject({ ok: true, links: 3, events: 69 + extra.length, firstBreak: null });
    expect((await chain.links()).map((l) => l.row_hash)).toEqual([1, 1, 2]);

    await run(`UPDATE events SET final_label = 'tampered' WHERE event_id = '${extra[3].event_id}'`);
    let report = await verifyChain(chain);
    expect(report.firstBreak).toMatchObject({ seq: 3, reason: "the link's stored events differ from what was written" });
    await run(`DELETE FROM events WHERE event_id = '${extra[3].event_id}'`);
    report = await verifyChain(chain);
    expect(report.firstBreak).toMatchObject({ seq: 3, reason: "1 of the link's events are no longer stored", eventIds: [extra[3].event_id] });

    const old = ((await chain.links())[1].event_ids)[4];
    await run(`UPDATE events SET attrs = '{"edited":true}' WHERE event_id = '${old}'`);
    report = await verifyChain(chain);
    expect(report.firstBreak).toMatchObject({ seq: 2, reason: "the link's stored events differ from what was written" });
    expect(report.firstBreak!.eventIds).toContain(old);
  });
});
