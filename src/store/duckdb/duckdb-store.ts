import { DEFAULT_DUCKDB_READERS, DEFAULT_DUCKDB_WAL_AUTOCHECKPOINT } from '../../config/defaults.js';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from './node-api.js';
import type { EventRow } from '../../events/row.js';
import type { Query } from '../queries.js';
import { unknownQuery } from '../queries.js';
import { SerialQueue } from '../serial-queue.js';
import { loadDerived, loadQuery } from '../sql-files.js';
import { DERIVED_SCHEMA, refreshDuckDBDerived } from './derived.js';
import type { PreparedEvents } from '../prepared.js';
import type { AppliedMigration, BulkWriter, CachedResult, DerivedRefresh, InsertOutcome, QueryArgs, Store, StoreCapabilities } from '../store.js';
import { openError, storeError } from './errors.js';
import { StagedFile, insertStaged, removeStaleStagingFiles } from './append.js';
import { duplicatesAsGiven } from '../stored-id.js';
import { DuckDBBulkWriter } from './bulk.js';
import { migrate } from './migrations.js';
import { appendStagedLink, duckdbChainReader } from './chain.js';
import { bindParams } from './params.js';
import { decodedRows } from './rows.js';
import { readResult, writeResult } from './result-cache.js';

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

/**
 * DuckDB's settings while a bulk write runs (singleThreaded). Measured on file ingest, whole
 * process: the blocks each write leaves in the buffer pool grew it by ~40 MB per million events
 * up to the limit (peak RSS 604-619 MB at 1M events and 892 MB at 3M under 256MB), and DuckDB's
 * allocator kept what it had freed until 128 MB of it piled up. At 128MB with its allocator
 * flushed at 32 MB and purged by a background thread: 513 MB at 1M, flat from 1M to 3M.
 */
export const BULK_SETTINGS: Readonly<Record<string, string>> = {
  threads: '1',
  memory_limit: '128MB',
  allocator_flush_threshold: '32MB',
  allocator_background_threads: 'true',
};

export class DuckDBStore implements Store {
  readonly engine = 'duckdb' as const;
  // no bulk copy target: `loopwatch copy` goes from DuckDB to ClickHouse only
  readonly capabilities: StoreCapabilities = { chain: duckdbChainReader((fn) => this.read(fn)) };

  get location(): string {
    return this.path;
  }
  // One connection for writes so that staging (a temp table) and its INSERT share a session;
  // one that refreshes the derived tables; a few that run metric queries. The derived tables
  // live in the database file (schema loopwatch_derived, kept between processes: derived.ts),
  // and MVCC lets readers go on with the previous version while a refresh is under way.
  private readonly writeQueue = new SerialQueue();
  private readonly refreshQueue = new SerialQueue();
  private readonly readers: { connection: DuckDBConnection; queue: SerialQueue }[];
  // the last link of the tamper-evidence chain, once read (only the writer adds links)
  private chainHead: { seq: number; hash: string } | undefined;

  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly writer: DuckDBConnection,
    private readonly refresher: DuckDBConnection,
    readers: DuckDBConnection[],
    private readonly mainDb: string,
    readonly path: string,
    /** The settings the instance was opened with (memory_limit, threads). */
    private readonly config: Readonly<Record<string, string>> = {},
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
    removeStaleStagingFiles();
    const writer = await instance.connect();
    const refresher = await instance.connect();
    const readers = await Promise.all(Array.from({ length: Math.max(1, options.readers ?? DEFAULT_DUCKDB_READERS) }, () => instance.connect()));
    const mainDb = (await writer.runAndReadAll('SELECT current_database()')).getRows()[0][0] as string;
    // DuckDB folds the WAL into the file every 16 MB by default, which under steady ingest
    // means a checkpoint every few seconds, each costing as much as the inserts it follows.
    // A larger WAL trades a longer replay after a crash for half the insert cost; close()
    // and checkpoint() still fold it explicitly.
    const wal = options.walAutocheckpoint ?? DEFAULT_DUCKDB_WAL_AUTOCHECKPOINT;
    if (!/^\d+(\.\d+)?\s*[KMGT]i?B$/i.test(wal)) throw new Error(`walAutocheckpoint: expected a size such as 256MB, got ${JSON.stringify(wal)}`);
    await writer.run(`SET wal_autocheckpoint = '${wal}'`);
    return new DuckDBStore(instance, writer, refresher, readers, mainDb, options.path, config);
  }

  async migrate(): Promise<AppliedMigration[]> {
    const applied = await this.writeQueue.run(() => migrate(this.writer));
    // the derived tables' schema exists from migration 0004 on: metric queries name its tables
    // unqualified (case_facts, ...), then the log's (events)
    const main = `"${this.mainDb.replace(/"/g, '""')}"`;
    for (const c of [this.refresher, ...this.readers.map((r) => r.connection)]) {
      await c.run(`SET search_path = '${`${main}.${DERIVED_SCHEMA},${main}.main`.replace(/'/g, "''")}'`);
    }
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

  private async insert(rows: readonly EventRow[]): Promise<InsertOutcome> {
    // staged before the write queue: the next batch is serialized while one is being written
    const file = new StagedFile();
    try {
      for (const r of rows) file.add(r);
      file.seal();
    } catch (err) {
      file.remove();
      throw err;
    }
    return { duplicateIds: duplicatesAsGiven(rows, await this.writeStaged(file)) };
  }

  /**
   * Batches serialized by HTTP ingest's workers (prepareStagedRows) in one transaction: the
   * same staging, duplicate lookup and chain link as insertEvents, without a row's text made here.
   */
  async insertPrepared(batches: readonly PreparedEvents[]): Promise<InsertOutcome> {
    const file = new StagedFile();
    try {
      for (const b of batches) {
        if (b.engine !== 'duckdb') throw new Error(`a batch prepared for ${b.engine} cannot go into DuckDB`);
        file.addPrepared(b.rows);
      }
      file.seal();
    } catch (err) {
      file.remove();
      throw storeError(err, 'store_insert_failed', 'DuckDB did not store a batch of prepared events');
    }
    if (file.rows === 0 && file.repeats === 0) {
      file.remove();
      return { duplicateIds: new Set() };
    }
    return { duplicateIds: await this.writeStaged(file) };
  }

  /** Many rows per transaction, staged as they come (file ingest); see DuckDBBulkWriter. */
  openBulkWriter(options: { rowsPerWrite: number }): BulkWriter {
    return new DuckDBBulkWriter(
      (file) => this.writeStaged(file),
      options.rowsPerWrite,
      (fn) => this.singleThreaded(fn),
      () => this.checkpoint(),
    );
  }

  /**
   * Runs `fn` with DuckDB under BULK_SETTINGS (one thread, a small buffer pool), then gives back
   * the settings it had. They are the instance's: bulk writes (file ingest) only, where nothing
   * else runs queries. The limit keeps the buffer pool, which otherwise fills up with the blocks
   * just written (10M events peaked at 1.4 GB), within issue 14's 500 MB for an ingest of any size.
   */
  private async singleThreaded<T>(fn: () => Promise<T>): Promise<T> {
    const quote = (v: string) => `'${v.replace(/'/g, "''")}'`;
    await this.writer.run(Object.entries(BULK_SETTINGS).map(([n, v]) => `SET ${n} = ${quote(v)}`).join('; '));
    try {
      return await fn();
    } finally {
      // back to what the store was opened with: DuckDB shows a limit rounded (1GB as
      // 953.6 MiB), and setting back what it showed shrank the limit a little at every write
      await this.writer.run(Object.keys(BULK_SETTINGS).map((n) => (this.config[n] === undefined ? `RESET ${n}` : `SET ${n} = ${quote(this.config[n])}`)).join('; '));
    }
  }

  /**
   * Stores a staged file's rows not stored yet and their chain link in one transaction; DuckDB
   * syncs its WAL at commit, so they are durable once this resolves, and a crash before leaves
   * neither. Returns the ids that were stored before. Removes the file.
   */
  private writeStaged(file: StagedFile): Promise<Set<string>> {
    return this.writeQueue.run(async () => {
      let link: { seq: number; hash: string } | undefined;
      let duplicates: Set<string>;
      try {
        await this.writer.run('BEGIN TRANSACTION');
        try {
          const staged = await insertStaged(this.writer, file);
          duplicates = staged.duplicates;
          if (duplicates.size < file.rows) link = await appendStagedLink(this.writer, staged.stored, file.sortsAlike, this.chainHead);
          await this.writer.run('COMMIT');
        } catch (err) {
          this.chainHead = undefined;
          await this.writer.run('ROLLBACK').catch(() => undefined);
          throw err;
        }
      } catch (err) {
        throw storeError(err, 'store_insert_failed', `DuckDB did not store a batch of ${file.rows} events`);
      } finally {
        file.remove();
      }
      if (link) this.chainHead = link;
      return duplicates;
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

  /** Brings the derived tables up to date with the event log (derived.ts). */
  async refreshDerived(options: { full?: boolean } = {}): Promise<DerivedRefresh> {
    try {
      const files = await loadDerived('duckdb');
      // one refresh at a time: the deltas are the refresher connection's temp tables
      return await this.refreshQueue.run(() => refreshDuckDBDerived(this.refresher, this.derivedSchema, files, options));
    } catch (err) {
      throw storeError(err, 'refresh_failed', 'DuckDB could not refresh the derived tables');
    }
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

  /** Results kept between processes (result-cache.ts): read on a reader, written by the writer. */
  async readResult(family: string, key: string): Promise<CachedResult> {
    try {
      return await this.read((c) => readResult(c, this.derivedSchema, family, key));
    } catch (err) {
      throw storeError(err, 'query_failed', `DuckDB could not read the stored ${family} result`);
    }
  }

  async writeResult(family: string, key: string, version: string, value: string): Promise<boolean> {
    try {
      return await this.writeQueue.run(() => writeResult(this.writer, this.derivedSchema, family, key, version, value));
    } catch (err) {
      throw storeError(err, 'query_failed', `DuckDB could not store the ${family} result`);
    }
  }

  /** The quoted schema that holds the derived tables. */
  private get derivedSchema(): string {
    return `"${this.mainDb.replace(/"/g, '""')}".${DERIVED_SCHEMA}`;
  }

  /** Folds the WAL into the database file, so the next start replays nothing. */
  async checkpoint(): Promise<void> {
    await this.writeQueue.run(() => this.writer.run('CHECKPOINT'));
  }

  async close(): Promise<void> {
    await this.writeQueue.idle();
    // a refresh writes to the file too: its transaction ends before the last checkpoint
    await this.refreshQueue.idle();
    try {
      await this.writer.run('CHECKPOINT');
    } finally {
      await Promise.all(this.readers.map((r) => r.queue.idle()));
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
