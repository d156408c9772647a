import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import {
  DOUBLE,
  DuckDBConnection,
  DuckDBInstance,
  DuckDBTimestampValue,
  LIST,
  VARCHAR,
  listValue,
  type DuckDBType,
  type DuckDBValue,
} from '@duckdb/node-api';
import type { EventRow } from '../../events/row.js';
import { StoreLockedError } from '../../errors.js';
import { loadDerived, loadQuery } from '../sql-files.js';
import type { AppliedMigration, InsertOutcome, Store, StoreCapabilities } from '../store.js';
import { appendRows, stagingSelectList, stagingTableDdl } from './append.js';
import { migrate } from './migrations.js';

export interface DuckDBStoreOptions {
  /** Database file; ':memory:' for throwaway use. */
  path: string;
  /** DuckDB's memory_limit, e.g. '512MB'. */
  memoryLimit?: string;
  threads?: number;
  /** WAL size that triggers an automatic checkpoint (DuckDB's default is 16MB). */
  walAutocheckpoint?: string;
}

const STAGING = 'loopwatch_staging';

export class DuckDBStore implements Store {
  readonly engine = 'duckdb' as const;
  readonly capabilities: StoreCapabilities = { singleWriter: true };
  // one connection for writes so that staging (a temp table) and its INSERT share a session,
  // another for reads so that metric queries never wait behind an ingest batch's statements
  private writeQueue: Promise<unknown> = Promise.resolve();
  private readQueue: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly writer: DuckDBConnection,
    private readonly reader: DuckDBConnection,
    readonly path: string,
  ) {}

  static async open(options: DuckDBStoreOptions): Promise<DuckDBStore> {
    if (options.path !== ':memory:') await mkdir(path.dirname(path.resolve(options.path)), { recursive: true });
    const config: Record<string, string> = {};
    if (options.memoryLimit) config.memory_limit = options.memoryLimit;
    if (options.threads) config.threads = String(options.threads);
    let instance: DuckDBInstance;
    try {
      instance = await DuckDBInstance.fromCache(options.path, config);
    } catch (err) {
      if (/lock/i.test(String((err as Error).message))) throw new StoreLockedError(options.path, err);
      throw err;
    }
    const writer = await instance.connect();
    const reader = await instance.connect();
    // DuckDB folds the WAL into the file every 16 MB by default, which under steady ingest
    // means a checkpoint every few seconds, each costing as much as the inserts it follows.
    // A larger WAL trades a longer replay after a crash for half the insert cost; close()
    // and checkpoint() still fold it explicitly.
    const wal = options.walAutocheckpoint ?? '256MB';
    if (!/^\d+(\.\d+)?\s*[KMGT]i?B$/i.test(wal)) throw new Error(`walAutocheckpoint: expected a size such as 256MB, got ${JSON.stringify(wal)}`);
    await writer.run(`SET wal_autocheckpoint = '${wal}'`);
    return new DuckDBStore(instance, writer, reader, options.path);
  }

  async migrate(): Promise<AppliedMigration[]> {
    const applied = await this.serialized(() => migrate(this.writer));
    await this.writer.run(stagingTableDdl(STAGING));
    return applied;
  }

  insertEvents(rows: readonly EventRow[]): Promise<InsertOutcome> {
    if (rows.length === 0) return Promise.resolve({ duplicateIds: new Set() });
    return this.serialized(async () => {
      await this.writer.run(`DELETE FROM ${STAGING}`);
      const appender = await this.writer.createAppender(STAGING, 'main', 'temp');
      try {
        appendRows(appender, rows);
        appender.flushSync();
      } finally {
        appender.closeSync();
      }
      // the primary key on event_id makes a retry a no-op; RETURNING tells which rows were new.
      // The statement commits on return, and DuckDB syncs its WAL at commit: durable from here on.
      const result = await this.writer.runAndReadAll(
        `INSERT OR IGNORE INTO events SELECT ${stagingSelectList()} FROM ${STAGING} RETURNING event_id`,
      );
      const duplicateIds = new Set<string>();
      if (result.currentRowCount < rows.length) {
        const inserted = new Set(result.getColumnsJS()[0] as string[]);
        for (const r of rows) if (!inserted.has(r.event_id)) duplicateIds.add(r.event_id);
      }
      return { duplicateIds };
    });
  }

  async runQuery<T = Record<string, unknown>>(name: string, params: Record<string, unknown> = {}): Promise<T[]> {
    const sql = await loadQuery('duckdb', name);
    const { values, types } = bindParams(sql, params);
    const reader = await this.readSerialized(() => this.reader.runAndReadAll(sql, values, types));
    return reader.getRowObjectsJS().map(plainRow) as T[];
  }

  /** Rebuilds the derived tables (sql/duckdb/derived/, in order) that metric queries read. */
  async refreshDerived(): Promise<void> {
    for (const file of await loadDerived('duckdb')) {
      await this.readSerialized(() => this.reader.run(file.sql));
    }
  }

  async countEvents(): Promise<number> {
    const r = await this.readSerialized(() => this.reader.runAndReadAll('SELECT count(*)::DOUBLE AS n FROM events'));
    return Number(r.getRowObjectsJS()[0].n);
  }

  async ping(): Promise<void> {
    await this.readSerialized(() => this.reader.run('SELECT 1'));
  }

  /** Folds the WAL into the database file, so the next start replays nothing. */
  async checkpoint(): Promise<void> {
    await this.serialized(() => this.writer.run('CHECKPOINT'));
  }

  async close(): Promise<void> {
    await this.writeQueue.catch(() => undefined);
    try {
      await this.writer.run('CHECKPOINT');
    } finally {
      this.writer.closeSync();
      this.reader.closeSync();
      this.instance.closeSync();
    }
  }

  /** The writer connection runs one statement sequence at a time. */
  private serialized<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.writeQueue.then(fn, fn);
    this.writeQueue = next.catch(() => undefined);
    return next;
  }

  /** A DuckDB connection runs one query at a time; concurrent HTTP readers queue here. */
  private readSerialized<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.readQueue.then(fn, fn);
    this.readQueue = next.catch(() => undefined);
    return next;
  }
}

/** Query rows as plain JSON-safe values: counts come back as BIGINT, and JSON has no bigint. */
function plainRow(row: Record<string, unknown>): Record<string, unknown> {
  for (const key in row) row[key] = plainValue(row[key]);
  return row;
}

function plainValue(v: unknown): unknown {
  if (typeof v === 'bigint') return Number(v);
  if (Array.isArray(v)) return v.map(plainValue);
  if (v !== null && typeof v === 'object' && !(v instanceof Date)) {
    const o = v as Record<string, unknown>;
    // DuckDB MAPs arrive as {entries:[{key, value}]}-like objects or plain records: walk both
    for (const k in o) o[k] = plainValue(o[k]);
  }
  return v;
}

/** Named parameters as DuckDB values; lists get an explicit type so that an empty one binds. */
// DuckDB refuses a named parameter the statement does not use, and one query file need not
// use every cut, so only the names that occur in the text are bound.
function bindParams(
  sql: string,
  params: Record<string, unknown>,
): { values: Record<string, DuckDBValue>; types: Record<string, DuckDBType> } {
  const used = new Set([...sql.matchAll(/\$([a-z_][a-z0-9_]*)/gi)].map((m) => m[1]));
  const values: Record<string, DuckDBValue> = {};
  const types: Record<string, DuckDBType> = {};
  for (const [key, v] of Object.entries(params)) {
    if (!used.has(key)) continue;
    if (v instanceof Date) values[key] = new DuckDBTimestampValue(BigInt(v.getTime()) * 1000n);
    else if (Array.isArray(v)) {
      const numeric = v.length > 0 && v.every((x) => typeof x === 'number');
      values[key] = listValue(v as DuckDBValue[]);
      types[key] = LIST(numeric ? DOUBLE : VARCHAR);
    } else values[key] = v as DuckDBValue;
  }
  return { values, types };
}
