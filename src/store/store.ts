import type { EventRow } from '../events/row.js';

/** What an engine can do, so callers ask the store instead of testing its name. */
/** What a derived-table refresh did: cases is how many were rebuilt (null: all of them). */
export interface DerivedRefresh {
  mode: 'full' | 'incremental' | 'unchanged';
  cases: number | null;
}

export interface StoreCapabilities {
  /** One process may write (DuckDB); many stateless writers are fine (ClickHouse). */
  readonly singleWriter: boolean;
}

export interface InsertOutcome {
  /** Ids of the given rows that were already stored: a retry, reported and not counted again. */
  duplicateIds: ReadonlySet<string>;
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
  /** Applies pending migrations, in order, and records them; returns those applied now. */
  migrate(): Promise<AppliedMigration[]>;
  /**
   * Stores rows whose event_ids are distinct within the call. Resolves only once the rows
   * are durable; rows whose event_id is already stored are left untouched.
   */
  insertEvents(rows: readonly EventRow[]): Promise<InsertOutcome>;
  /** Runs a named query file (sql/<engine>/<name>.sql) with named parameters. */
  runQuery<T = Record<string, unknown>>(name: string, params?: Record<string, unknown>): Promise<T[]>;
  /**
   * Brings the derived tables the metric queries read (case_facts, ...) up to date with the
   * event log: incrementally where the engine can, fully on the first call or with `full`.
   */
  refreshDerived(options?: { full?: boolean }): Promise<DerivedRefresh>;
  /** Counts stored events (for readiness, tests and the demo's banner). */
  countEvents(): Promise<number>;
  /** Cheap round trip proving the engine answers. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
