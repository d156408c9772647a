import { rmSync } from 'node:fs';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EVENT_COLUMNS, type EventRow } from '../../src/events/row.js';
import { createValidator } from '../../src/events/validate.js';
import { ClickHouseStore } from '../../src/store/clickhouse/clickhouse-store.js';
import { migrationFiles, splitStatements, substitute } from '../../src/store/clickhouse/migrations.js';
import { clusterMigrations } from '../../src/store/clickhouse/cluster-ddl.js';
import { copyEvents } from '../../src/store/copy.js';
import { DuckDBStore } from '../../src/store/duckdb/duckdb-store.js';
import { loadMigrations } from '../../src/store/sql-files.js';
import type { Store } from '../../src/store/store.js';
import { CONTRACT_ONLY } from '../helpers/limits.js';
import { caseCreated, reviewDecided } from '../helpers/events.js';
import { defineQuery, Q } from '../../src/store/queries.js';
import {
  dropServerDatabases,
  forEachStore,
  openClickHouseTestStore,
  openTestStore,
  rawClient,
  rawRowCount,
  simulatedRows,
  tempDir,
} from '../helpers/stores.js';

// events dated from the real clock beside a pinned received_at: the time window is not under test here
const validate = createValidator(CONTRACT_ONLY);
function rows(events: Record<string, unknown>[], receivedAt = Date.UTC(2026, 10, 21)): EventRow[] {
  return events.map((e, i) => {
    const r = validate(e, i, receivedAt + i);
    if (!r.ok) throw new Error(r.rejected.reason);
    return r.row;
  });
}

const tmp = tempDir();
afterAll(async () => {
  await dropServerDatabases();
  tmp.cleanup();
});

describe('ClickHouse migrations', () => {
  it('apply in order, are recorded, and do nothing the second time', async () => {
    const store = await openClickHouseTestStore();
    try {
      const applied = await store.migrate();
      expect(applied.map((m) => m.version)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
      expect(applied[0].name).toBe('events');
      expect(await store.migrate()).toEqual([]);
      expect(await store.countEvents()).toBe(0);
    } finally {
      await store.close();
    }
  });

  it('parse in their cluster variant, with ReplicatedMergeTree and Distributed tables ON CLUSTER', async () => {
    const store = await openClickHouseTestStore();
    try {
      // derived from the single-node migrations (src/store/clickhouse/cluster-ddl.ts), one per version
      const single = await loadMigrations('clickhouse');
      const files = await migrationFiles(true);
      expect(files.map((f) => f.version)).toEqual(single.map((f) => f.version));
      const statements: string[] = [];
      for (const f of files) {
        const sql = substitute(f.sql, { database: 'lw', ttlDays: 90, cluster: 'analytics' });
        statements.push(...splitStatements(sql));
      }
      expect(statements.length).toBe(9);
      for (const statement of statements) {
        // formatQuery parses without executing: no cluster or Keeper needed
        const rs = await rawClient(store).query({ query: 'SELECT formatQuery({q:String}) AS f', query_params: { q: statement }, format: 'JSONEachRow' });
        const [{ f }] = await rs.json<{ f: string }>();
        expect(f).toContain('ON CLUSTER analytics');
      }
      const text = statements.join('\n');
      expect(text).toContain("ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/lw/events_local', '{replica}', first_stored)");
      expect(text).toContain('ENGINE = Distributed(analytics, lw, events_local, cityHash64(coalesce(case_id, event_id)))');
      // bookkeeping is replicated whole to every node; ALTERs reach the shards' local tables
      expect(text).toContain("ReplicatedReplacingMergeTree('/clickhouse/tables/loopwatch/lw/loopwatch_copy_progress', '{shard}-{replica}', updated_at)");
      expect(text).toContain("ReplicatedReplacingMergeTree('/clickhouse/tables/loopwatch/lw/loopwatch_derived_state', '{shard}-{replica}', refreshed_at)");
      expect(text).toContain('ALTER TABLE lw.events_local ON CLUSTER analytics DROP PROJECTION');
      expect(text).not.toContain('non_replicated_deduplication_window');
    } finally {
      await store.close();
    }
  });

  it('have no cluster form for a statement kind the derivation does not know, and say which', () => {
    const file = { version: 99, name: 'odd', sql: 'CREATE TABLE IF NOT EXISTS {database}.t (x UInt8) ENGINE = Memory;' };
    expect(() => clusterMigrations([file])).toThrow(/migration 99 \(odd\): no cluster form/);
    const insert = { version: 98, name: 'seed', sql: "INSERT INTO {database}.t VALUES (1);" };
    expect(() => clusterMigrations([insert])).toThrow(/no cluster form for the statement "INSERT INTO/);
  });

  it('drop events older than the configured retention at merges', async () => {
    const store = await openClickHouseTestStore({ ttlDays: 30 });
    try {
      await store.migrate();
      const now = Date.now();
      const old = caseCreated(1, { ts: new Date(now - 400 * 86_400_000).toISOString() });
      const recent = caseCreated(2, { ts: new Date(now - 86_400_000).toISOString() });
      await store.insertEvents(rows([old, recent]));
      await rawClient(store).command({ query: `OPTIMIZE TABLE ${store.database}.events FINAL` });
      expect(await store.query(Q.allEventIds)).toEqual([{ event_id: 't-created-2' }]);
    } finally {
      await store.close();
    }
  });
});

describe('inserts and duplicates', () => {
  forEachStore((kind) => {
    let store: Store;
    beforeAll(async () => {
      store = await openTestStore(kind, tmp.dir);
    });
    afterAll(() => store.close());

    it('reports a retried batch as duplicates, and the ids of a batch already stored precisely', async () => {
      const first = rows([caseCreated(1), caseCreated(2), reviewDecided(1)]);
      expect((await store.insertEvents(first)).duplicateIds.size).toBe(0);
      const retry = await store.insertEvents(first);
      expect([...retry.duplicateIds].sort()).toEqual(['t-created-1', 't-created-2', 't-decided-1']);
      const mixed = rows([caseCreated(2), caseCreated(3), reviewDecided(1), reviewDecided(3)]);
      const outcome = await store.insertEvents(mixed);
      expect([...outcome.duplicateIds].sort()).toEqual(['t-created-2', 't-decided-1']);
      expect(await store.countEvents()).toBe(5);
    });

    it('finds the duplicates of a batch spread over days and types, events without a workflow among them', async () => {
      const day = 86_400_000;
      const spread = rows(
        Array.from({ length: 40 }, (_, i) =>
          i % 4 === 3
            ? { event_id: `t-incident-${i}`, type: 'incident.reported', ts: new Date(Date.UTC(2026, 9, 1) + i * day).toISOString(), severity: 'sev2' }
            : i % 2 === 0
              ? caseCreated(100 + i, { ts: new Date(Date.UTC(2026, 9, 1) + i * day).toISOString() })
              : reviewDecided(100 + i, { ts: new Date(Date.UTC(2026, 9, 1) + i * day + 3_600_000).toISOString(), workflow: 'it_access_requests' }),
        ),
      );
      const stored = spread.filter((_, i) => i % 3 === 0);
      expect((await store.insertEvents(stored)).duplicateIds.size).toBe(0);
      const outcome = await store.insertEvents(spread);
      expect([...outcome.duplicateIds].sort()).toEqual(stored.map((r) => r.event_id).sort());
      expect([...outcome.duplicateIds].filter((id) => id.startsWith('t-incident-')).length).toBeGreaterThan(0);
      const again = await store.insertEvents(spread);
      expect(again.duplicateIds.size).toBe(spread.length);
    });

    it('keeps the first stored copy of an event (its received_at)', async () => {
      const [original] = rows([caseCreated(10)], Date.UTC(2026, 10, 21, 12));
      await store.insertEvents([original]);
      await store.insertEvents([{ ...original, received_at: original.received_at + 60_000 }]);
      const events = await store.query(Q.caseEvents, { case_id: 'case-10' });
      expect(events.map((e) => e.received_at.getTime())).toEqual([original.received_at]);
    });

    it('refuses an unknown query name', async () => {
      await expect(store.query(defineQuery('no_such_query'))).rejects.toThrow();
    });
  });
});

describe('ClickHouse insert retries', () => {
  it('re-sends a batch whose acknowledgement was lost, and ClickHouse drops the copy by its token', async () => {
    const store = await openClickHouseTestStore();
    try {
      await store.migrate();
      const client = rawClient(store);
      let calls = 0;
      // the first attempt lands, then the connection "drops" before the answer. The events go as
      // RowBinary (append.ts): the body of an exec to a server, an INSERT ... SELECT from a file
      // over chdb; the batch's chain link (chain.ts) is a plain insert, not intercepted
      const landsThenDrops = <P extends { query: string }, R>(send: (params: P) => Promise<R>) =>
        (async (params: P) => {
          const result = await send(params);
          if (!new RegExp(`^INSERT INTO ${store.database}\\.events `).test(params.query)) return result;
          if (++calls === 1) throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
          return result;
        }) as typeof send;
      client.exec = landsThenDrops(client.exec.bind(client)) as typeof client.exec;
      client.command = landsThenDrops(client.command.bind(client));
      const batch = rows([caseCreated(1), caseCreated(2), caseCreated(3)]);
      expect((await store.insertEvents(batch)).duplicateIds.size).toBe(0);
      expect(calls).toBe(2);
      expect(await rawRowCount(store)).toBe(3); // without FINAL: no second copy was ever written
    } finally {
      await store.close();
    }
  });

  it('keeps results exact while two writers\' copies of one event wait for a merge', async () => {
    const store = await openClickHouseTestStore();
    try {
      await store.migrate();
      const [original] = rows([caseCreated(1)], Date.UTC(2026, 10, 21, 12));
      await store.insertEvents([original]);
      // a second writer that looked the id up before the first one's insert landed
      const racer = { ...original, received_at: original.received_at + 5_000 };
      await rawClient(store).insert({
        table: `${store.database}.events`,
        values: [racer],
        format: 'JSONEachRow',
        clickhouse_settings: { insert_deduplication_token: 'racer' },
      });
      expect(await rawRowCount(store)).toBe(2);
      expect(await store.countEvents()).toBe(1);
      const events = await store.query(Q.caseEvents, { case_id: 'case-1' });
      expect(events.map((e) => e.received_at.getTime())).toEqual([original.received_at]);
      expect(await store.query(Q.eventCounts)).toMatchObject([{ type: 'case.created', events: 1 }]);
    } finally {
      await store.close();
    }
  });

  it('names the error code and keeps the cause when ClickHouse refuses a batch', async () => {
    const store = await openClickHouseTestStore();
    try {
      await store.migrate();
      const [row] = rows([caseCreated(1)]);
      const bad = { ...row, tier: 'not a number' } as unknown as EventRow;
      await expect(store.insertEvents([bad])).rejects.toMatchObject({ code: 'store_insert_failed', cause: expect.anything() });
      await expect(store.query(defineQuery('no_such_query'))).rejects.toMatchObject({ code: 'unknown_query' });
    } finally {
      await store.close();
    }
  });
});

describe('the cases view', () => {
  it('gives the same rows on DuckDB and ClickHouse for events that arrive out of order', async () => {
    const t = (h: number) => new Date(Date.UTC(2026, 10, 20, h)).toISOString();
    const events = [
      { event_id: 'o-6', type: 'case.reopened', ts: t(16), case_id: 'c-o', reason_code: 'other' },
      { event_id: 'o-5', type: 'case.closed', ts: t(15), case_id: 'c-o', outcome: 'approved', final_label: 'refund' },
      { event_id: 'o-4', type: 'review.decided', ts: t(14), case_id: 'c-o', actor_id: 'r2', decision: 'approve', level: 2 },
      { event_id: 'o-3', type: 'case.escalated', ts: t(13), case_id: 'c-o', from_level: 1, to_level: 2, trigger: 'policy', reason_code: 'needs_specialist' },
      { event_id: 'o-2', type: 'case.triaged', ts: t(12), case_id: 'c-o', lane: 'human_review' },
      caseCreated(0, { event_id: 'o-1', case_id: 'c-o', ts: t(11) }),
      { event_id: 'p-2', type: 'case.closed', ts: t(12), case_id: 'c-p', outcome: 'executed' },
      { event_id: 'p-1', type: 'case.triaged', ts: t(11), case_id: 'c-p', lane: 'auto_approve' },
    ];
    const duck = await openTestStore('duckdb', tmp.dir);
    const click = await openTestStore('clickhouse', tmp.dir);
    try {
      // one at a time, newest first: every event arrives after the ones that follow it
      for (const r of rows(events)) {
        await duck.insertEvents([r]);
        await click.insertEvents([r]);
      }
      for (const case_id of ['c-o', 'c-p']) {
        const fromDuck = await duck.query(Q.caseState, { case_id });
        const fromClick = await click.query(Q.caseState, { case_id });
        // ClickHouse has no Nullable(Array): a list never set reads as []
        expect(fromClick).toEqual(fromDuck.map((r) => ({ ...r, risk_signals: r.risk_signals ?? [] })));
        expect(await click.query(Q.caseEvents, { case_id })).toEqual(await duck.query(Q.caseEvents, { case_id }));
      }
      const [open] = await click.query(Q.caseState, { case_id: 'c-o' });
      expect(open).toMatchObject({ state: 'open', max_level: 2 });
    } finally {
      await duck.close();
      await click.close();
    }
  });
});

describe('copy from an embedded DuckDB file', () => {
  // every column of every event, in one shape for both engines: times as epoch ms, an absent
  // list as [] (ClickHouse has no Nullable(Array))
  const columns = EVENT_COLUMNS.map(([c]) => c);
  function canonical(row: Record<string, unknown>): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [col, kind] of EVENT_COLUMNS) {
      const v = row[col];
      if (kind === 'varchar_list') out[col] = v ?? [];
      else if (typeof v === 'bigint') out[col] = Number(v);
      else out[col] = v;
    }
    return out;
  }
  async function duckdbEvents(file: string): Promise<Record<string, unknown>[]> {
    const instance = await DuckDBInstance.create(file, { access_mode: 'READ_ONLY' });
    const conn = await instance.connect();
    try {
      const list = EVENT_COLUMNS.map(([c, kind]) => (kind === 'timestamp' ? `epoch_ms("${c}") AS "${c}"` : `"${c}"`)).join(', ');
      const r = await conn.runAndReadAll(`SELECT ${list} FROM events ORDER BY event_id`);
      return (r.getRowObjectsJS() as Record<string, unknown>[]).map(canonical);
    } finally {
      conn.closeSync();
      instance.closeSync();
    }
  }
  async function clickhouseEvents(store: ClickHouseStore): Promise<Record<string, unknown>[]> {
    const list = columns.map((c) => (c === 'ts' || c === 'received_at' ? `toUnixTimestamp64Milli(${c}) AS ${c}` : c)).join(', ');
    const rs = await rawClient(store).query({ query: `SELECT ${list} FROM ${store.database}.events FINAL ORDER BY event_id`, format: 'JSONEachRow' });
    return (await rs.json<Record<string, unknown>>()).map(canonical);
  }
  async function embeddedFile(name: string, data: EventRow[]): Promise<string> {
    const file = path.join(tmp.dir, name);
    const source = await DuckDBStore.open({ path: file });
    await source.migrate();
    for (let i = 0; i < data.length; i += 1000) await source.insertEvents(data.slice(i, i + 1000));
    await source.close();
    return file;
  }
  const merges = (store: ClickHouseStore, verb: 'STOP' | 'START') =>
    rawClient(store).command({ query: `SYSTEM ${verb} MERGES ${store.database}.events` });

  it('gives ClickHouse the same events as DuckDB, column for column', async () => {
    const file = await embeddedFile('same-events.duckdb', simulatedRows({ seed: 4, cases: 600 }));
    const target = await openClickHouseTestStore();
    try {
      await target.migrate();
      const result = await copyEvents({ duckdbPath: file }, target, { chunkSize: 700 });
      const fromDuck = await duckdbEvents(file);
      expect(result).toMatchObject({ done: true, copied: fromDuck.length, total: fromDuck.length, resumedAt: 0 });
      expect(result.chunks).toBe(Math.ceil(fromDuck.length / 700));
      expect(await clickhouseEvents(target)).toEqual(fromDuck);
      expect(await rawRowCount(target)).toBe(fromDuck.length);
    } finally {
      await target.close();
    }
  });

  it('stops midway, resumes from its checkpoint, and duplicates nothing', async () => {
    const data = simulatedRows({ seed: 3, cases: 800 });
    const file = await embeddedFile('embedded.duckdb', data);
    const target = await openClickHouseTestStore();
    try {
      await target.migrate();
      // merges stopped: every row any insert wrote stays visible to a count without FINAL
      await merges(target, 'STOP');
      // events a ClickHouse ingest server already took
      await target.insertEvents(data.slice(0, 100));
      const seen: number[] = [];
      const first = await copyEvents({ duckdbPath: file }, target, { chunkSize: 1000, maxChunks: 2, onProgress: (p) => seen.push(p.copied) });
      expect(first).toMatchObject({ done: false, copied: 2000, chunks: 2, total: data.length, resumedAt: 0 });
      expect(seen).toEqual([0, 1000, 2000]);

      // the third chunk lands, then the copy dies before its checkpoint is written
      const bulk = target.capabilities.bulkCopyTarget!;
      const write = bulk.writeCopyProgress;
      bulk.writeCopyProgress = async () => {
        throw new Error('killed between the insert and the checkpoint');
      };
      await expect(copyEvents({ duckdbPath: file }, target, { chunkSize: 1000, maxChunks: 1 })).rejects.toThrow('killed');
      bulk.writeCopyProgress = write;
      expect(await rawRowCount(target)).toBe(100 + 3000);

      // resumed: the third chunk is sent again with the same token and ClickHouse drops it
      const second = await copyEvents({ duckdbPath: file }, target, { chunkSize: 1000 });
      expect(second).toMatchObject({ done: true, copied: data.length, resumedAt: 2000 });
      expect(await target.countEvents()).toBe(data.length);
      // the 100 events ingest had taken are stored twice until a merge, never counted twice
      expect(await rawRowCount(target)).toBe(data.length + 100);
      const ids = (await target.query(Q.allEventIds)).map((r) => r.event_id);
      expect(ids).toEqual(data.map((r) => r.event_id).sort());

      await merges(target, 'START');
      await rawClient(target).command({ query: `OPTIMIZE TABLE ${target.database}.events FINAL` });
      expect(await rawRowCount(target)).toBe(data.length);
      expect(await target.countEvents()).toBe(data.length);
      // the copy kept the first stored copy of each event: ingest's rows arrived later
      expect(await clickhouseEvents(target)).toEqual(await duckdbEvents(file));

      const again = await copyEvents({ duckdbPath: file }, target, { chunkSize: 1000 });
      expect(again).toMatchObject({ done: true, chunks: 0, copied: data.length });
    } finally {
      await target.close();
    }
  });

  it('starts over when the file at the same path is another one', async () => {
    const file = await embeddedFile('replaced.duckdb', simulatedRows({ seed: 5, cases: 200 }));
    const target = await openClickHouseTestStore();
    try {
      await target.migrate();
      await copyEvents({ duckdbPath: file }, target, { chunkSize: 500, maxChunks: 1 });
      rmSync(file);
      const other = simulatedRows({ seed: 6, cases: 200 });
      await embeddedFile('replaced.duckdb', other);
      const result = await copyEvents({ duckdbPath: file }, target, { chunkSize: 500 });
      expect(result).toMatchObject({ done: true, resumedAt: 0, copied: other.length, restartReason: expect.stringContaining('another file') });
      const ids = new Set((await target.query(Q.allEventIds)).map((r) => r.event_id));
      for (const r of other) expect(ids.has(r.event_id)).toBe(true);
    } finally {
      await target.close();
    }
  });
});
