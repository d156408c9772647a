import type { EventRow } from '../events/row.js';
import type { Query } from './queries.js';
import type { ChainReader } from './chain.js';
import type { PreparedEvents, PreparedRows } from './prepared.js';

export type { PreparedRows } from './prepared.js';

/** What a derived-table refresh did: cases is how many were rebuilt (null: all of them). */
export interface DerivedRefresh {
  mode: 'full' | 'incremental' | 'unchanged';
  cases: number | null;
}

/** What an engine can do, so callers ask the store instead of testing its name. */
export interface StoreCapabilities {
  /** Can take `loopwatch copy` chunks (see BulkCopyTarget); absent where it cannot. */
  readonly bulkCopyTarget?: BulkCopyTarget;
  /** The tamper-evidence chain of stored batches (chain.ts), for `loopwatch verify`. */
  readonly chain?: ChainReader;
}

/**
 * A chunk of events already validated and de-duplicated by another store (`loopwatch copy`), as
 * a Parquet file whose columns are EVENT_COLUMNS: timestamps as TIMESTAMP_MS (UTC), lists
 * never NULL, JSON as text.
 */
export interface ParquetChunk {
  file: string;
  rows: number;
  /** A deduplication token: the same for every send of the same rows, and only for them. */
  token: string;
}

/** A store that takes a history in bulk, chunk by chunk, with a resumable checkpoint per source. */
export interface BulkCopyTarget {
  /** The last checkpoint of a copy from `source`, if any. */
  readCopyProgress(source: string): Promise<{ position: string; copied: number } | null>;
  writeCopyProgress(source: string, position: string, copied: number): Promise<void>;
  /** Resolves once the chunk is durable; the same chunk sent again stores nothing more. */
  insertParquet(chunk: ParquetChunk): Promise<void>;
}

/**
 * The codes of the LoopwatchError (src/errors.ts) both stores throw for the same failure, with
 * the engine's own error as `cause`.
 */
export type StoreErrorCode =
  /** No query file of that name (or no declaration of it). */
  | 'unknown_query'
  /** A query the engine rejected or could not finish. */
  | 'query_failed'
  /** A migration could not be applied; the ones before it stay applied. */
  | 'migration_failed'
  /** Events could not be stored; none of the batch is reported stored, and a retry is safe. */
  | 'store_insert_failed'
  /** The derived tables could not be brought up to date; the previous ones stay readable. */
  | 'refresh_failed'
  /** The engine does not answer (server down, connection refused). */
  | 'store_unavailable'
  /** The database file is held by another process (DuckDB). */
  | 'store_locked';

export interface InsertOutcome {
  /** Ids of the given rows that were already stored: a retry, reported and not counted again. */
  duplicateIds: ReadonlySet<string>;
}

/**
 * Large loads (file ingest): rows are added as they are validated and written many at a time,
 * with at most one write in flight. Nothing is durable before `finish` resolves.
 */
export interface BulkWriter {
  /** Takes rows; resolves when the caller may add more (a full write has been handed over). */
  add(rows: readonly EventRow[]): Promise<void>;
  /**
   * Takes rows already serialized by prepareStagedRows (worker threads do that part): the same
   * as add() with those rows. Present where the engine stages rows as text (DuckDB).
   */
  addPrepared?(rows: PreparedRows): Promise<void>;
  /** Writes what is left; resolves once every added row is durable, with how many were duplicates (stored before or repeated). */
  finish(): Promise<{ duplicates: number }>;
  /** Drops what is not written yet (after a failure). */
  abort(): Promise<void>;
}

export interface AppliedMigration {
  version: number;
  name: string;
}

/**
 * The one seam between Loopwatch and a database engine. Implementations live in
 * src/store/<engine>/ with the same file names, and their SQL in sql/<engine>/.
 */
export interface Store {
  readonly engine: 'duckdb' | 'clickhouse';
  readonly capabilities: StoreCapabilities;
  /** Where the data lives, for messages (a file, or a server and database; no password). */
  readonly location: string;
  /** Applies pending migrations, in order, and records them; returns those applied now. */
  migrate(): Promise<AppliedMigration[]>;
  /**
   * Stores rows whose event_ids are distinct within the call. Resolves only once the rows
   * are durable; rows whose event_id is already stored are left untouched.
   */
  insertEvents(rows: readonly EventRow[]): Promise<InsertOutcome>;
  /**
   * Stores batches a worker already serialized for this engine (src/store/prepared.ts): the
   * rows whose ids are not stored yet (a repeated id: its first copy), in one write; resolves
   * once they are durable, with the ids that were stored before.
   */
  insertPrepared(batches: readonly PreparedEvents[]): Promise<InsertOutcome>;
  /** A writer for large loads, where the engine has a faster path than insertEvents. */
  openBulkWriter?(options: { rowsPerWrite: number }): BulkWriter;
  /**
   * Runs a declared query (src/store/queries.ts: sql/<engine>/<name>.sql) with its named
   * parameters; rows come back decoded (numbers, plain objects, arrays, Date).
   */
  query<P, R>(query: Query<P, R>, ...params: QueryArgs<P>): Promise<R[]>;
  /**
   * Brings the derived tables the metric queries read (case_facts, ...) up to date with the
   * event log: incrementally where the engine can, fully on the first call or with `full`.
   */
  refreshDerived(options?: { full?: boolean }): Promise<DerivedRefresh>;
  /** Counts stored events (for readiness, tests and the demo's banner). */
  countEvents(): Promise<number>;
  /** Cheap round trip proving the engine answers. */
  ping(): Promise<void>;
  /**
   * Stops the metric queries and derived-table refreshes running now (they reject); inserts go
   * on. For a cancelled metric run and for shutdown: the engines run queries on native threads,
   * and a process that exits while one runs waits for it (DuckDB, chdb).
   */
  interruptReads(): Promise<void>;
  /**
   * A metric family's result as an earlier run (of any process) stored it for the derived
   * tables as they are now, and their current version (null before their first refresh).
   */
  readResult(family: string, key: string): Promise<CachedResult>;
  /**
   * Stores a family's result, computed from the derived tables at `version`, for `key` (what
   * else it depends on); not stored, and false, when a refresh has changed them since.
   */
  writeResult(family: string, key: string, version: string, value: string): Promise<boolean>;
  close(): Promise<void>;
}

/** What readResult found: `value` only if it was stored for the derived tables' `version`. */
export interface CachedResult {
  version: string | null;
  value: string | null;
}

/** A query that takes no parameters may be called without them. */
export type QueryArgs<P> = Record<never, never> extends P ? [params?: P] : [params: P];

/** What the copy needs of its source: an engine's read-only view of a stored history (src/store/<engine>/copy.ts). */
export interface CopySource {
  /** Names the source in the target's checkpoints, e.g. duckdb:/absolute/path. */
  readonly id: string;
  readSnapshot(): Promise<Snapshot>;
  /** Writes source rows [lo, hi) as a Parquet chunk file; returns how many there were. */
  exportChunk(file: string, lo: number, hi: number): Promise<number>;
  close(): void;
}

export interface Snapshot {
  total: number;
  /** One past the highest row position: the copy's end for this run. */
  end: number;
  /** The first stored event's id: tells this file from another one later put at the same path. */
  origin: string;
}
