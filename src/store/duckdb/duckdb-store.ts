import { DEFAULT_DUCKDB_READERS, DEFAULT_DUCKDB_WAL_AUTOCHECKPOINT } from '../../config/defaults.js';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import type { EventRow } from '../../events/row.js';
import type { Query } from '../queries.js';
import { unknownQuery } from '../queries.js';
import { SerialQueue } from '../serial-queue.js';
import { isAppendOnly, loadDerived, loadQuery } from '../sql-files.js';
import type { AppliedMigration, DerivedRefresh, InsertOutcome, QueryArgs, Store, StoreCapabilities } from '../store.js';
import { openError, storeError } from './errors.js';
import { Staging } from './append.js';
import { migrate } from './migrations.js';
import { appendLink, duckdbChainReader, sortsAlike } from './chain.js';
import { bindParams } from './params.js';
import { decodedRows } from './rows.js';

export interface DuckDBStoreOptions {
  /** Database file; ':memory:' for throwaway use. */
  path: string;
  /** DuckDB's memory_limit, e.g. '512MB'. */
  memoryLimit?: string;
  threads?: number;
  /** WAL size that triggers an automatic checkpoint (DuckDB's default is 16MB). */
  walAutocheckpoint?: string;
  /** Connections that run metric queries side by side (default 2). */
  readers?: number;
}

let storesOpened = 0;

const STAGING = 'loopwatch_staging';

export class DuckDBStore implements Store {
  readonly engine = 'duckdb' as const;
  // no bulk copy target: `loopwatch copy` goes from DuckDB to ClickHouse only
  readonly capabilities: StoreCapabilities = { chain: duckdbChainReader((fn) => this.read(fn)) };

  get location(): string {
    return this.path;
  }
  // One connection for writes so that staging (a temp table) and its INSERT share a session;
  // one that refreshes the derived tables; a few that run metric queries. The derived tables
  // live in an in-memory database attached to the instance, so every reader sees them, and
  // MVCC lets readers go on with the previous version while a refresh is under way.
  private readonly writeQueue = new SerialQueue();
  private readonly refreshQueue = new SerialQueue();
  private readonly readers: { connection: DuckDBConnection; queue: SerialQueue }[];
  // where the derived tables stand in the event log (see refreshDerived)
  private derivedMark: { lastRowid: bigint; count: bigint } | undefined;
  // the last link of the tamper-evidence chain, once read (only the writer adds links)
  private chainHead: { seq: number; hash: string } | undefined;
  private readonly staging = new Staging(STAGING);

  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly writer: DuckDBConnection,
    private readonly refresher: DuckDBConnection,
    readers: DuckDBConnection[],
    private readonly derivedDb: string,
    readonly path: string,
  ) {
    this.readers = readers.map((connection) => ({ connection, queue: new SerialQueue() }));
  }

  static async open(options: DuckDBStoreOptions): Promise<DuckDBStore> {
    const config: Record<string, string> = {};
    if (options.memoryLimit) config.memory_limit = options.memoryLimit;
    if (options.threads) config.threads = String(options.threads);
    let instance: DuckDBInstance;
    try {
      if (options.path !== ':memory:') await mkdir(path.dirname(path.resolve(options.path)), { recursive: true });
      instance = await DuckDBInstance.fromCache(options.path, config);
    } catch (err) {
      throw openError(options.path, err);
    }
    const writer = await instance.connect();
    const refresher = await instance.connect();
    const readers = await Promise.all(Array.from({ length: Math.max(1, options.readers ?? DEFAULT_DUCKDB_READERS) }, () => instance.connect()));
    // an instance from the cache may be shared by several stores of one process: each gets its own
    const derivedDb = `loopwatch_derived_${process.pid}_${++storesOpened}`;
    const mainDb = (await writer.runAndReadAll('SELECT current_database()')).getRows()[0][0] as string;
    await writer.run(`ATTACH ':memory:' AS ${derivedDb}`);
    for (const c of [refresher, ...readers]) await c.run(`SET search_path = '${derivedDb}.main,"${mainDb.replace(/'/g, "''")}".main'`);
    // DuckDB folds the WAL into the file every 16 MB by default, which under steady ingest
    // means a checkpoint every few seconds, each costing as much as the inserts it follows.
    // A larger WAL trades a longer replay after a crash for half the insert cost; close()
    // and checkpoint() still fold it explicitly.
    const wal = options.walAutocheckpoint ?? DEFAULT_DUCKDB_WAL_AUTOCHECKPOINT;
    if (!/^\d+(\.\d+)?\s*[KMGT]i?B$/i.test(wal)) throw new Error(`walAutocheckpoint: expected a size such as 256MB, got ${JSON.stringify(wal)}`);
    await writer.run(`SET wal_autocheckpoint = '${wal}'`);
    return new DuckDBStore(instance, writer, refresher, readers, derivedDb, options.path);
  }

  async migrate(): Promise<AppliedMigration[]> {
    const applied = await this.writeQueue.run(() => migrate(this.writer));
    await this.writer.run(this.staging.ddl());
    return applied;
  }

  async insertEvents(rows: readonly EventRow[]): Promise<InsertOutcome> {
    if (rows.length === 0) return { duplicateIds: new Set() };
    try {
      return await this.insert(rows);
    } catch (err) {
      throw storeError(err, 'store_insert_failed', `DuckDB did not store a batch of ${rows.length} events`);
    }
  }

  private insert(rows: readonly EventRow[]): Promise<InsertOutcome> {
    return this.writeQueue.run(async () => {
      // a batch may repeat an id: its first copy is the one stored, as the key used to keep
      const batch = firstOfEachId(rows);
      await this.staging.stage(this.writer, batch);
      // one anti-join per batch skips the ids already stored (the writer is the only one, so
      // nothing can slip in between); RETURNING tells which rows were new, read only when some
      // were not (the usual batch is all new: no id crosses back to JS).
      // The new rows and their chain link (chain.ts) commit together, and DuckDB syncs its WAL
      // at commit: durable from here on, and a crash before leaves neither.
      await this.writer.run('BEGIN TRANSACTION');
      let link: { seq: number; hash: string } | undefined;
      let inserted: string[] | null = null;
      try {
        const result = await this.writer.runAndReadAll(
          `INSERT INTO events SELECT * FROM ${this.staging.staged(true)} s WHERE s.event_id NOT IN (SELECT event_id FROM events) RETURNING event_id`,
        );
        const count = result.currentRowCount;
        if (count < batch.length) inserted = (result.getColumnsJS()[0] ?? []) as string[];
        if (count > 0) link = await appendLink(this.writer, inserted, this.staging.staged(false), this.chainHead, sortsAlike(batch.map((r) => r.event_id)));
        await this.writer.run('COMMIT');
      } catch (err) {
        this.chainHead = undefined;
        await this.writer.run('ROLLBACK').catch(() => undefined);
        throw err;
      }
      if (link) this.chainHead = link;
      const duplicateIds = new Set<string>();
      if (inserted !== null) {
        const fresh = new Set(inserted);
        for (const r of rows) if (!fresh.has(r.event_id)) duplicateIds.add(r.event_id);
      }
      return { duplicateIds };
    });
  }

  async query<P, R>(query: Query<P, R>, ...[params]: QueryArgs<P>): Promise<R[]> {
    let sql: string;
    try {
      sql = await loadQuery('duckdb', query.name);
    } catch (err) {
      throw unknownQuery(query.name, err);
    }
    const bound = bindParams(sql, (params ?? {}) as Record<string, unknown>);
    try {
      return decodedRows(await this.read((c) => (Object.keys(bound.values).length === 0 ? c.runAndReadAll(bound.text) : c.runAndReadAll(bound.text, bound.values, bound.types)))) as R[];
    } catch (err) {
      throw storeError(err, 'query_failed', `query ${query.name} failed on DuckDB`);
    }
  }

  /**
   * Brings the derived tables (sql/duckdb/derived/, in order) up to date with the event log.
   * Every derived row belongs to one case and depends only on that case's events, so after the
   * first full build only the cases with events appended since the last refresh are rebuilt:
   * each file computes `<table>_delta` from `delta_events` (those cases' whole histories) and
   * the delta replaces the cases' old rows. The job's cost then follows the new events, not
   * the history. `events` is append-only, so its rowids grow in commit order and the last
   * rowid seen marks where the next refresh starts; if rows ever went missing (the count grew
   * by less than the rows above the mark), the next refresh is a full build. A file marked
   * `-- loopwatch: append-only` instead reads `new_events` (the rows above the mark) and its
   * delta is appended: for tables of events that belong to no case (line stops) or that
   * queries need without a case's other events.
   */
  async refreshDerived(options: { full?: boolean } = {}): Promise<DerivedRefresh> {
    try {
      return await this.refresh(options);
    } catch (err) {
      throw storeError(err, 'refresh_failed', 'DuckDB could not refresh the derived tables');
    }
  }

  private async refresh(options: { full?: boolean }): Promise<DerivedRefresh> {
    const files = await loadDerived('duckdb');
    const c = this.refresher;
    const derived = this.derivedDb;
    // one refresh at a time: the deltas are the refresher connection's temp tables
    return this.refreshQueue.run(async () => {
      // one snapshot: events committed while this runs wait for the next refresh, none are lost
      await c.run('BEGIN TRANSACTION');
      try {
        const mark = this.derivedMark;
        const head = await c.runAndReadAll(
          `SELECT coalesce(max(rowid), -1), count(*), count(*) FILTER (WHERE rowid > ${mark?.lastRowid ?? -1n}) FROM events`,
        );
        const [lastRowid, count, appended] = head.getRows()[0] as [bigint, bigint, bigint];
        // every row counted last time is still there: the count grew by exactly the new rows
        const incremental = !options.full && mark !== undefined && count - mark.count === appended;
        let cases: number | null = null;
        if (incremental && lastRowid === mark.lastRowid) {
          await c.run('COMMIT');
          return { mode: 'unchanged', cases: 0 };
        }
        // the scratch objects are created and dropped inside the transaction: a failed refresh
        // rolls them back with everything else
        if (incremental) {
          await c.run(
            `CREATE TEMP TABLE delta_cases AS
               SELECT case_id, min(rowid) AS first_rowid FROM events
               WHERE rowid > ${mark.lastRowid} AND case_id IS NOT NULL GROUP BY case_id;
             INSERT INTO ${derived}.case_rowids SELECT * FROM delta_cases ANTI JOIN ${derived}.case_rowids USING (case_id)`,
          );
          // A case's events sit at or after its first row, and the cases that get events now
          // are mostly recent: reading from the earliest first row of the touched cases scans
          // the tail of the log, not all of it (one old case reopened costs a longer scan).
          const range = await c.runAndReadAll(
            `SELECT count(*), min(r.first_rowid) FROM delta_cases d JOIN ${derived}.case_rowids r USING (case_id)`,
          );
          const [n, from] = range.getRows()[0] as [bigint, bigint];
          cases = Number(n);
          await c.run(
            `CREATE TEMP TABLE delta_events AS
               SELECT * FROM events WHERE rowid >= ${from} AND case_id IN (SELECT case_id FROM delta_cases)`,
          );
        } else {
          await c.run(
            `CREATE OR REPLACE TABLE ${derived}.case_rowids AS
               SELECT case_id, min(rowid) AS first_rowid FROM events WHERE case_id IS NOT NULL GROUP BY case_id;
             CREATE TEMP VIEW delta_events AS SELECT * FROM events`,
          );
        }
        // append-only tables read the rows stored since the last refresh (all of them in full)
        await c.run(`CREATE TEMP VIEW new_events AS SELECT * FROM events WHERE rowid > ${incremental ? mark.lastRowid : -1n}`);
        // every file reads the deltas of the files before it, so they are merged only at the end
        for (const file of files) await c.run(file.sql);
        for (const file of files) {
          const table = file.name;
          await c.run(
            !incremental
              ? `CREATE OR REPLACE TABLE ${derived}.${table} AS FROM ${table}_delta`
              : isAppendOnly(file.sql)
                ? `INSERT INTO ${derived}.${table} SELECT * FROM ${table}_delta`
                : `DELETE FROM ${derived}.${table} WHERE case_id IN (SELECT case_id FROM delta_cases);
                   INSERT INTO ${derived}.${table} SELECT * FROM ${table}_delta`,
          );
        }
        for (const file of files) await c.run(`DROP TABLE ${file.name}_delta`);
        await c.run('DROP VIEW new_events');
        await c.run(incremental ? 'DROP TABLE delta_cases; DROP TABLE delta_events' : 'DROP VIEW delta_events');
        await c.run('COMMIT');
        this.derivedMark = { lastRowid, count };
        return incremental ? { mode: 'incremental', cases: cases ?? 0 } : { mode: 'full', cases: null };
      } catch (err) {
        await c.run('ROLLBACK').catch(() => undefined);
        throw err;
      }
    });
  }

  async countEvents(): Promise<number> {
    const r = await this.read((c) => c.runAndReadAll('SELECT count(*)::DOUBLE AS n FROM events'));
    return Number(r.getRowObjectsJS()[0].n);
  }

  async ping(): Promise<void> {
    await this.read((c) => c.run('SELECT 1'));
  }

  async interruptReads(): Promise<void> {
    // interrupt() stops what a connection runs now and is a no-op on an idle one; the writer
    // is left alone, so batches in flight are still stored
    for (const c of [this.refresher, ...this.readers.map((r) => r.connection)]) c.interrupt();
  }

  /** Folds the WAL into the database file, so the next start replays nothing. */
  async checkpoint(): Promise<void> {
    await this.writeQueue.run(() => this.writer.run('CHECKPOINT'));
  }

  async close(): Promise<void> {
    await this.writeQueue.idle();
    try {
      await this.writer.run('CHECKPOINT');
    } finally {
      await this.refreshQueue.idle();
      await Promise.all(this.readers.map((r) => r.queue.idle()));
      await this.writer.run(`DETACH ${this.derivedDb}`).catch(() => undefined);
      this.writer.closeSync();
      this.refresher.closeSync();
      for (const r of this.readers) r.connection.closeSync();
      this.instance.closeSync();
    }
  }

  /** A DuckDB connection runs one query at a time: a query goes to the reader with the shortest queue. */
  private read<T>(fn: (c: DuckDBConnection) => Promise<T>): Promise<T> {
    const reader = this.readers.reduce((a, b) => (b.queue.pending < a.queue.pending ? b : a));
    return reader.queue.run(() => fn(reader.connection));
  }
}

/** The rows minus any repeat of an id earlier in the same batch (the same array when there is none). */
function firstOfEachId(rows: readonly EventRow[]): readonly EventRow[] {
  const seen = new Set<string>();
  for (const r of rows) seen.add(r.event_id);
  if (seen.size === rows.length) return rows;
  seen.clear();
  return rows.filter((r) => !seen.has(r.event_id) && seen.add(r.event_id) !== undefined);
}
