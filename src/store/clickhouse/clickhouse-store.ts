import { CLICKHOUSE_IDLE_SOCKET_TTL_MS, CLICKHOUSE_RECEIVED_MARGIN_MS, DEFAULT_CLICKHOUSE_INSERT_ATTEMPTS, DEFAULT_CLICKHOUSE_REQUEST_TIMEOUT_MS } from '../../config/defaults.js';
import { createClient, type ClickHouseClient, type ClickHouseClientConfigOptions, type ClickHouseSettings } from '@clickhouse/client';
import type { EventRow } from '../../events/row.js';
import { LoopwatchError } from '../../errors.js';
import { SerialQueue } from '../serial-queue.js';
import { ClickHouseChain } from './chain.js';
import { isAppendOnly, loadDerived, loadQuery, sortKey } from '../sql-files.js';
import type { Query } from '../queries.js';
import { unknownQuery } from '../queries.js';
import type { AppliedMigration, InsertOutcome, QueryArgs, Store, StoreCapabilities, DerivedRefresh } from '../store.js';
import { dedupToken, insertRowBinary } from './append.js';
import { bulkCopyTarget } from './copy.js';
import { storeError } from './errors.js';
import { killReads } from './interrupt.js';
import { checkPlaceholders, migrate, splitStatements, substitute, type Placeholders } from './migrations.js';
import { insertWithRetries } from './retry.js';
import { toQueryParams } from './params.js';
import { decodedRows, type ColumnMeta } from './rows.js';
import { storedIdsLookups, storedIdsQuery } from './stored-ids.js';

export interface ClickHouseStoreOptions {
  /** A ClickHouse server, e.g. http://user:password@host:8123. Exactly one of url and chdbPath. */
  url?: string;
  /** An in-process chdb engine on this directory (tests, benchmarks, single-machine trials). */
  chdbPath?: string;
  database: string;
  /** Retention by event time; 0 or absent keeps everything. */
  ttlDays?: number;
  /** Cluster name for ON CLUSTER DDL and the Distributed table (the migrations' cluster form, cluster-ddl.ts). */
  cluster?: string;
  /** async_insert=1 with wait_for_async_insert=1: for many small senders. */
  asyncInsert?: boolean;
  /** Attempts per insert on transient failures, every one with the same deduplication token. */
  insertAttempts?: number;
  requestTimeoutMs?: number;
}

// Settings every request carries. Over chdb each setting is a session-level SET, so whatever a
// request depends on is set on every request rather than assumed from an earlier one.
const COMMON_SETTINGS: ClickHouseSettings = {
  output_format_json_quote_64bit_integers: 0,
  date_time_output_format: 'iso',
  // SQL's outer joins: an unmatched side is NULL, not the type's default (DuckDB's behaviour)
  join_use_nulls: 1,
  // HTTP only (chdb ignores them): errors arrive as a status code, not mid-body; and a long
  // metric query keeps its connection alive through load balancers with idle timeouts
  wait_end_of_query: 1,
  send_progress_in_http_headers: 1,
  http_headers_progress_interval_ms: '60000',
};

// How far back before the last refresh's newest received_at the next one looks (see refreshDerived).
const RECEIVED_MARGIN_MS = CLICKHOUSE_RECEIVED_MARGIN_MS;

/** The rows an incremental refresh reads: received since `mark`, RECEIVED_MARGIN_MS back. */
function receivedWindow(mark: string): string {
  // the mark is ClickHouse's own rendering of a DateTime64, so it goes into the text as is
  return `received_at > toDateTime64('${mark}', 3, 'UTC') - toIntervalMillisecond(${RECEIVED_MARGIN_MS})`;
}

/** Lightweight updates (and DELETEs made of them) arrived in ClickHouse 25.7. */
async function supportsPatchDeletes(client: ClickHouseClient): Promise<boolean> {
  const rs = await client.query({ query: 'SELECT version() AS v', format: 'JSONEachRow' });
  const [{ v }] = await rs.json<{ v: string }>();
  const [major, minor] = v.split('.').map(Number);
  return major > 25 || (major === 25 && minor >= 7);
}

export class ClickHouseStore implements Store {
  readonly engine = 'clickhouse' as const;
  // where the derived tables stand: the log's raw row count and newest received_at then
  private derivedMark: { rows: number; received: string } | undefined;
  readonly capabilities: StoreCapabilities;
  private readonly placeholders: Placeholders;
  // asked of the server at the first refresh, not at open: a server that is down at startup
  // makes the store unready, not the process fail
  private patchDeletes: Promise<boolean> | undefined;
  private readonly refreshQueue = new SerialQueue();
  private readonly chain: ClickHouseChain;

  private constructor(
    private readonly client: ClickHouseClient,
    private readonly options: ClickHouseStoreOptions,
    /** Largest id lookup in one request: parameters ride in the URL over HTTP, not over chdb. */
    private readonly lookupBudgetChars: number,
    /** chdb: the engine runs in this process and reads local files itself. */
    private readonly inProcess: boolean,
  ) {
    this.chain = new ClickHouseChain(client, options.database, lookupBudgetChars);
    this.placeholders = { database: options.database, ttlDays: options.ttlDays ?? 0, cluster: options.cluster };
    this.capabilities = {
      bulkCopyTarget: bulkCopyTarget(client, options.database, { inProcess, cluster: Boolean(options.cluster), attempts: options.insertAttempts ?? DEFAULT_CLICKHOUSE_INSERT_ATTEMPTS }),
      chain: this.chain,
    };
  }

  get database(): string {
    return this.options.database;
  }

  get location(): string {
    const where = this.options.chdbPath !== undefined ? `chdb:${this.options.chdbPath}` : redactedUrl(this.options.url!);
    return `${where} database ${this.database}`;
  }

  static async open(options: ClickHouseStoreOptions): Promise<ClickHouseStore> {
    checkPlaceholders({ database: options.database, ttlDays: options.ttlDays ?? 0, cluster: options.cluster });
    if (Boolean(options.url) === Boolean(options.chdbPath)) {
      throw new LoopwatchError('config_invalid', 'ClickHouse store: give exactly one of url (a server) and chdbPath (in-process)');
    }
    const common = { clickhouse_settings: COMMON_SETTINGS, request_timeout: options.requestTimeoutMs ?? DEFAULT_CLICKHOUSE_REQUEST_TIMEOUT_MS };
    if (options.url) {
      // the idle socket TTL stays below the server's keep_alive_timeout (3 s by default), so a
      // request never goes out on a socket the server is closing
      const client = createClient({ url: options.url, ...common, keep_alive: { enabled: true, idle_socket_ttl: CLICKHOUSE_IDLE_SOCKET_TTL_MS } });
      return new ClickHouseStore(client, options, 256 * 1024, false);
    }
    // chdb is a development dependency: loaded only when asked for
    const { createChdbConnection } = await import('chdb/connection');
    // chdb types its connection against its own copy of @clickhouse/client-common: same shape
    const connection = createChdbConnection({ path: options.chdbPath }) as unknown as ClickHouseClientConfigOptions['connection'];
    const client = createClient({ connection, ...common });
    return new ClickHouseStore(client, options, Infinity, true);
  }

  async migrate(): Promise<AppliedMigration[]> {
    try {
      return await migrate(this.client, this.placeholders);
    } catch (err) {
      throw storeError(err, 'migration_failed', 'ClickHouse migrations failed');
    }
  }

  /**
   * Looks up which ids are stored (stored-ids.ts: within the batch's own sort-key ranges, so the
   * cost follows the batch, not the table), inserts only the others and resolves once ClickHouse
   * has acknowledged them. Two writers racing on one new id may both insert it: the table's
   * ReplacingMergeTree and FINAL in every query keep results exact, and each writer reports it new.
   */
  async insertEvents(rows: readonly EventRow[]): Promise<InsertOutcome> {
    if (rows.length === 0) return { duplicateIds: new Set() };
    try {
      const duplicateIds = await this.storedIds(rows);
      const fresh = duplicateIds.size === 0 ? rows : rows.filter((r) => !duplicateIds.has(r.event_id));
      if (fresh.length > 0) {
        await this.insertAcknowledged(fresh);
        // the batch's tamper-evidence link (chain.ts): after the events, not atomically with them
        await this.chain.append(fresh);
      }
      return { duplicateIds };
    } catch (err) {
      throw storeError(err, 'store_insert_failed', `ClickHouse did not store a batch of ${rows.length} events`);
    }
  }

  async query<P, R>(query: Query<P, R>, ...[params]: QueryArgs<P>): Promise<R[]> {
    let text: string;
    try {
      text = await loadQuery('clickhouse', query.name);
    } catch (err) {
      throw unknownQuery(query.name, err);
    }
    try {
      const rs = await this.client.query({
        query: substitute(text, this.placeholders),
        format: 'JSON',
        query_params: toQueryParams((params ?? {}) as Record<string, unknown>),
      });
      const { meta, data } = await rs.json<Record<string, unknown>>();
      return decodedRows(meta as ColumnMeta[], data) as R[];
    } catch (err) {
      throw storeError(err, 'query_failed', `query ${query.name} failed on ClickHouse`);
    }
  }

  /**
   * Brings the derived tables (sql/clickhouse/derived/, in order) up to date, as on DuckDB: the
   * first call builds every table from the whole log; later calls rebuild only the cases with
   * events received since the previous refresh (from their whole, de-duplicated history) and
   * append the new rows of append-only tables. ClickHouse has no commit-ordered row id, so
   * "since" is by received_at, reaching `RECEIVED_MARGIN_MS` back to take in batches that
   * were stamped before the previous refresh but landed after it (ingest servers stamp on
   * arrival and insert within seconds). If the log grew by more rows than that window holds
   * (a `loopwatch copy` of old history, say), the call is a full build.
   * Readers of the derived tables during an incremental refresh may see a case's rows between
   * their delete and their insert: ClickHouse has no multi-statement transactions.
   */
  refreshDerived(options: { full?: boolean } = {}): Promise<DerivedRefresh> {
    // two refreshes at once would build the same staging tables
    return this.refreshQueue.run(() =>
      this.refresh(options).catch((err: unknown) => {
        throw storeError(err, 'refresh_failed', 'ClickHouse could not refresh the derived tables');
      }),
    );
  }

  private async refresh(options: { full?: boolean }): Promise<DerivedRefresh> {
    const db = this.database;
    const files = await loadDerived('clickhouse');
    const head = await this.queryRows<{ rows: number; received: string | null }>(
      `SELECT toUInt64(count()) AS rows, toString(max(received_at)) AS received FROM ${db}.events`,
    );
    const rows = Number(head[0].rows);
    const received = head[0].received;
    const mark = this.derivedMark;
    const window = mark && receivedWindow(mark.received);
    let incremental = false;
    if (!options.full && mark && window) {
      if (rows === mark.rows && received === mark.received) return { mode: 'unchanged', cases: 0 };
      // what arrived since the last refresh, read once: it names the cases to rebuild and is
      // where the append-only tables' new rows come from
      const recent = await this.copyLatest('window_events', window);
      // more new rows than the window holds: some arrived with old received_at (a copy)
      incremental = rows - mark.rows <= recent;
    }
    let cases: number | null = null;
    if (incremental) {
      // The window reaches back past the last refresh, so it holds arrivals that refresh already
      // built in: their ids are in refresh_seen, and only cases with an unseen event are rebuilt
      // (with a 60 s schedule, a fifth of the window's cases). A refresh_seen lost with a server
      // restart is empty: every case in the window is rebuilt, which is merely more work.
      await this.client.command({ query: `CREATE TABLE IF NOT EXISTS ${db}.refresh_seen (event_id String) ENGINE = Memory` });
      await this.client.command({
        query: `CREATE OR REPLACE TABLE ${db}.delta_cases ENGINE = Memory AS
                SELECT DISTINCT case_id FROM ${db}.window_events
                WHERE case_id IS NOT NULL AND event_id NOT IN (SELECT event_id FROM ${db}.refresh_seen)`,
      });
      await this.copyLatest('delta_events', `case_id IN (SELECT case_id FROM ${db}.delta_cases)`);
      cases = Number((await this.queryRows<{ n: number }>(`SELECT toUInt64(count()) AS n FROM ${db}.delta_cases`))[0].n);
    }
    const deltaEvents = incremental ? `${db}.delta_events` : `${db}.events FINAL`;
    // A full build's tables become the derived tables; an incremental one's only feed INSERTs and
    // live for one refresh, so Memory spares them a MergeTree part's files. Patch-part deletes
    // need the block columns (see the DELETE below).
    const patchDeletes = await (this.patchDeletes ??= supportsPatchDeletes(this.client).catch((err: unknown) => {
      this.patchDeletes = undefined;
      throw err;
    }));
    const engine = (sql: string): string => {
      if (incremental) return 'Memory';
      const settings = ['allow_nullable_key = 1', ...(patchDeletes ? ['enable_block_number_column = 1', 'enable_block_offset_column = 1'] : [])];
      return `MergeTree ORDER BY ${sortKey(sql) ?? 'tuple()'} SETTINGS ${settings.join(', ')}`;
    };
    // the window may reach rows an earlier refresh appended: those are left out by id
    const newEvents = incremental
      ? `(SELECT * FROM ${db}.window_events WHERE event_id NOT IN (SELECT event_id FROM ${db}.log_events))`
      : `${db}.events FINAL`;
    for (const file of files) {
      const sql = file.sql.replaceAll('{delta_events}', deltaEvents).replaceAll('{new_events}', newEvents).replaceAll('{derived_engine}', engine(file.sql));
      for (const statement of splitStatements(substitute(sql, this.placeholders))) {
        await this.client.command({ query: statement });
      }
    }
    const existing = incremental
      ? new Set<string>()
      : new Set((await this.queryRows<{ name: string }>(`SELECT name FROM system.tables WHERE database = {db:String}`, { db })).map((t) => t.name));
    for (const file of files) {
      const table = `${db}.${file.name}`;
      if (!incremental) {
        // swap the new table in whole, then drop the old one
        await this.client.command({
          query: existing.has(file.name) ? `EXCHANGE TABLES ${table}_delta AND ${table}` : `RENAME TABLE ${table}_delta TO ${table}`,
        });
      } else if (!isAppendOnly(file.sql)) {
        // A classic lightweight DELETE is a mutation: it rewrites a mask in every part holding a
        // touched case (all of them: cases are spread over the table) and waits for running
        // merges, which made refreshes swing from 1 to 7 s. As a lightweight update it writes a
        // small patch part that reads apply at once, and merges fold in later.
        await this.client.command({
          query: `DELETE FROM ${table} WHERE case_id IN (SELECT case_id FROM ${db}.delta_cases)`,
          clickhouse_settings: patchDeletes ? { lightweight_delete_mode: 'lightweight_update' } : {},
        });
      }
      if (incremental) await this.client.command({ query: `INSERT INTO ${table} SELECT * FROM ${table}_delta` });
      await this.client.command({ query: `DROP TABLE IF EXISTS ${table}_delta` });
    }
    if (incremental) {
      for (const t of ['delta_events', 'delta_cases']) await this.client.command({ query: `DROP TABLE IF EXISTS ${db}.${t}` });
    }
    const nextMark = { rows, received: received ?? '1970-01-01 00:00:00.000' };
    // what the next refresh's window will hold of what this one has built in
    await this.client.command({
      query: `CREATE OR REPLACE TABLE ${db}.refresh_seen ENGINE = Memory AS
              SELECT event_id FROM ${incremental ? `${db}.window_events` : `${db}.events`} WHERE ${receivedWindow(nextMark.received)}`,
    });
    await this.client.command({ query: `DROP TABLE IF EXISTS ${db}.window_events` });
    this.derivedMark = nextMark;
    return incremental ? { mode: 'incremental', cases } : { mode: 'full', cases: null };
  }

  /**
   * Copies the events matching `where` into a Memory table `name` as FINAL would show them,
   * without the payload columns no derived table reads; returns how many rows matched. Rows
   * sharing a sort key (two writers racing on one id, not yet merged) are rare: only when the
   * copy holds some is it made again keeping the earliest stored, as the sort that takes costs
   * 4 times the read. FINAL itself would merge the sort keys of the whole table.
   */
  private async copyLatest(name: string, where: string): Promise<number> {
    const table = `${this.database}.${name}`;
    const read = `SELECT * EXCEPT (input, output, final_output, attrs) FROM ${this.database}.events WHERE ${where}`;
    await this.client.command({ query: `CREATE OR REPLACE TABLE ${table} ENGINE = Memory AS ${read}` });
    const [count] = await this.queryRows<{ n: number; copies: number }>(
      `SELECT toUInt64(count()) AS n, toUInt64(count() - uniqExact(workflow, toDate(ts), type, ts, event_id)) AS copies FROM ${table}`,
    );
    if (Number(count.copies) > 0) {
      await this.client.command({
        query: `CREATE OR REPLACE TABLE ${table} ENGINE = Memory AS ${read}
                ORDER BY first_stored DESC LIMIT 1 BY workflow, toDate(ts), type, ts, event_id`,
      });
    }
    return Number(count.n);
  }

  private async queryRows<T>(query: string, params: Record<string, unknown> = {}): Promise<T[]> {
    const rs = await this.client.query({ query, format: 'JSONEachRow', query_params: params });
    return rs.json<T>();
  }

  /** Exact before merges (FINAL): for readiness, tests and banners, not for hot paths. */
  async countEvents(): Promise<number> {
    const rs = await this.client.query({
      query: `SELECT count() AS n FROM ${this.database}.events FINAL`,
      format: 'JSONEachRow',
    });
    const [row] = await rs.json<{ n: number }>();
    return Number(row.n);
  }

  async ping(): Promise<void> {
    const result = await this.client.ping();
    if (!result.success) throw new LoopwatchError('store_unavailable', 'ClickHouse did not answer a ping', { cause: result.error });
  }

  async interruptReads(): Promise<void> {
    await killReads(this.client, this.database, this.options.chdbPath);
  }

  async close(): Promise<void> {
    await this.client.close();
  }

  /** Ids among these rows already in the table (see stored-ids.ts). */
  private async storedIds(rows: readonly EventRow[]): Promise<Set<string>> {
    const found = new Set<string>();
    const query = storedIdsQuery(this.database);
    for (const params of storedIdsLookups(rows, this.lookupBudgetChars)) {
      const rs = await this.client.query({ query, format: 'JSONCompactEachRow', query_params: { ...params } });
      for (const [id] of await rs.json<[string]>()) found.add(id);
    }
    return found;
  }

  private async insertAcknowledged(rows: readonly EventRow[]): Promise<void> {
    const settings = this.insertSettings(dedupToken(rows));
    await insertWithRetries(this.options.insertAttempts ?? DEFAULT_CLICKHOUSE_INSERT_ATTEMPTS, `a batch of ${rows.length} events`, () =>
      insertRowBinary(this.client, this.database, rows, settings, this.inProcess),
    );
  }

  private insertSettings(token: string): ClickHouseSettings {
    const async = this.options.asyncInsert ? 1 : 0;
    return {
      insert_deduplication_token: token,
      insert_deduplicate: 1,
      // ids within a batch are distinct, so merging equal keys while writing the part is wasted work
      optimize_on_insert: 0,
      async_insert: async,
      wait_for_async_insert: 1,
      async_insert_deduplicate: async,
      // through a Distributed table: answer only once every shard has written its rows
      ...(this.options.cluster ? { distributed_foreground_insert: 1 } : {}),
    };
  }
}

/** A server URL as it may be shown: without its password. */
function redactedUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return url;
  }
}
