import { CLICKHOUSE_IDLE_SOCKET_TTL_MS, DEFAULT_CLICKHOUSE_INSERT_ATTEMPTS, DEFAULT_CLICKHOUSE_REQUEST_TIMEOUT_MS } from '../../config/defaults.js';
import { createClient, type ClickHouseClient, type ClickHouseClientConfigOptions, type ClickHouseSettings } from '@clickhouse/client';
import type { EventRow } from '../../events/row.js';
import { LoopwatchError } from '../../errors.js';
import { SerialQueue } from '../serial-queue.js';
import { ClickHouseChain } from './chain.js';
import { loadDerived, loadQuery } from '../sql-files.js';
import { refreshClickHouseDerived } from './derived.js';
import type { Query } from '../queries.js';
import { unknownQuery } from '../queries.js';
import type { AppliedMigration, CachedResult, InsertOutcome, QueryArgs, Store, StoreCapabilities, DerivedRefresh } from '../store.js';
import { readResult, writeResult } from './result-cache.js';
import { dedupToken, insertRowBinary } from './append.js';
import { bulkCopyTarget } from './copy.js';
import { storeError } from './errors.js';
import { killReads } from './interrupt.js';
import { checkPlaceholders, migrate, substitute, type Placeholders } from './migrations.js';
import { insertWithRetries } from './retry.js';
import { toQueryParams } from './params.js';
import { decodedRows, type ColumnMeta } from './rows.js';
import { prefixKey, storedIdOf, storedIdsLookups, storedIdsQuery, type LookupRow } from './stored-ids.js';
import { IdGate } from './id-gate.js';
import { encodeRows } from './row-binary.js';
import { binaryBatchLinkOfIds } from './row-text.js';
import { mergeEncoded, selectRows, type EncodedBatch } from './encoded.js';
import { duplicatesAsGiven, storedId } from '../stored-id.js';
import type { EncodedEvents, PreparedEvents } from '../prepared.js';
import { removeStaleTempFiles } from '../stale-temp.js';

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
  /**
   * Keep metric results between runs (Store.readResult/writeResult); default: with a server,
   * not with chdb, where a server's scheduled run cancelled at shutdown while these statements
   * ran left the process crashed or hung in about half the runs of
   * shutdown-during-metrics.test.ts (never without them).
   */
  keepResults?: boolean;
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

/** Lightweight updates (and DELETEs made of them) arrived in ClickHouse 25.7. */
async function supportsPatchDeletes(client: ClickHouseClient): Promise<boolean> {
  const rs = await client.query({ query: 'SELECT version() AS v', format: 'JSONEachRow' });
  const [{ v }] = await rs.json<{ v: string }>();
  const [major, minor] = v.split('.').map(Number);
  return major > 25 || (major === 25 && minor >= 7);
}

export class ClickHouseStore implements Store {
  readonly engine = 'clickhouse' as const;
  readonly capabilities: StoreCapabilities;
  private readonly placeholders: Placeholders;
  private patchDeletes: Promise<boolean> | undefined;
  private readonly refreshQueue = new SerialQueue();
  private readonly chain: ClickHouseChain;
  private readonly gate = new IdGate();

  private constructor(
    private readonly client: ClickHouseClient,
    private readonly options: ClickHouseStoreOptions,
    /** Largest id lookup in one request: parameters ride in the URL over HTTP, not over chdb. */
    private readonly lookupBudgetChars: number,
    /** chdb: the engine runs in this process and reads local files itself. */
    private readonly inProcess: boolean,
  ) {
    this.chain = new ClickHouseChain(client, options.database);
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
    // a process killed mid-insert leaves its batch file (see append.ts): gone once its writer is
    removeStaleTempFiles(/^loopwatch-insert-(\d+)-\d+\.rowbinary$/);
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
   * has acknowledged them. A batch repeating an id stores its first copy (as DuckDB does), and a
   * batch sharing an id with one this process is storing waits for it (id-gate.ts). Two
   * processes racing on one new id may both insert it: the table's ReplacingMergeTree and FINAL
   * in every query keep results exact, and each reports it new.
   */
  async insertEvents(rows: readonly EventRow[]): Promise<InsertOutcome> {
    if (rows.length === 0) return { duplicateIds: new Set() };
    const { batch, ids, stored } = firstOfEachId(rows);
    const lookupRows = batch.map((r, i) => ({ event_id: stored[i], workflow: r.workflow, ts: r.ts, type: r.type }));
    // while the engine looks the ids up (on its own thread), encode the batch and compute its
    // chain content as if every row were new, the usual case
    const { duplicateIds } = await this.store(ids, lookupRows, rows.length, async () => {
      await new Promise<void>((resolve) => setImmediate(resolve));
      return { ids: stored, ...encodeRows(batch) };
    });
    return { duplicateIds: duplicatesAsGiven(rows, duplicateIds) };
  }

  /**
   * Batches encoded by HTTP ingest's workers (src/ingest/http-prepare.ts), stored as one insert
   * (one part, one link): the same lookup, gate and link as insertEvents, nothing encoded here.
   */
  async insertPrepared(batches: readonly PreparedEvents[]): Promise<InsertOutcome> {
    const parts: EncodedEvents[] = [];
    for (const b of batches) {
      if (b.engine !== 'clickhouse') throw storeError(new Error(`a batch prepared for ${b.engine} cannot go into ClickHouse`), 'store_insert_failed', 'ClickHouse did not store a batch of prepared events');
      parts.push(b.rows);
    }
    const merged = mergeEncoded(parts);
    const lookupRows = merged.ids.map((event_id, i) => ({ event_id, workflow: merged.workflows[i], ts: merged.ts[i], type: merged.types[i] }));
    return this.store(new Set(merged.ids), lookupRows, merged.ids.length, () => Promise.resolve({ ids: merged.ids, body: Buffer.from(merged.body.buffer, merged.body.byteOffset, merged.body.byteLength), ends: merged.ends }));
  }

  /**
   * Looks up which ids are stored (stored-ids.ts), inserts only the others and resolves once
   * ClickHouse has acknowledged them, then adds the batch's chain link. `encode` runs while the
   * engine looks the ids up; when some were stored, the new rows' bytes are cut out of its bytes.
   */
  private async store(ids: ReadonlySet<string>, lookupRows: readonly LookupRow[], given: number, encode: () => Promise<EncodedBatch>): Promise<InsertOutcome> {
    let release: (() => void) | undefined;
    try {
      release = await this.gate.enter(ids);
      const lookup = this.storedIds(lookupRows);
      lookup.catch(() => undefined); // awaited below; an encoding error must not leave it unhandled
      let encoded = await encode();
      const duplicateIds = await lookup;
      if (duplicateIds.size > 0) encoded = selectRows(encoded, (id) => !duplicateIds.has(id));
      if (encoded.ids.length > 0) {
        // the content comes from the bytes sent (row-text.ts): nothing is read back
        const link = binaryBatchLinkOfIds(encoded.ids, encoded);
        await this.insertAcknowledged(encoded.body, encoded.ids.length, link.content);
        // the batch's tamper-evidence link (chain.ts): after the events, not atomically with them
        await this.chain.append(link);
      }
      return { duplicateIds };
    } catch (err) {
      throw storeError(err, 'store_insert_failed', `ClickHouse did not store a batch of ${given} events`);
    } finally {
      release?.();
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

  /** Brings the derived tables up to date with the event log (derived.ts). */
  refreshDerived(options: { full?: boolean } = {}): Promise<DerivedRefresh> {
    // two refreshes at once would build the same staging tables
    return this.refreshQueue.run(async () => {
      try {
        const files = await loadDerived('clickhouse');
        return await refreshClickHouseDerived(
          { client: this.client, database: this.database, placeholders: this.placeholders, patchDeletes: () => this.hasPatchDeletes() },
          files,
          options,
        );
      } catch (err) {
        throw storeError(err, 'refresh_failed', 'ClickHouse could not refresh the derived tables');
      }
    });
  }

  // asked of the server at the first refresh, not at open: a server that is down at startup
  // makes the store unready, not the process fail
  private hasPatchDeletes(): Promise<boolean> {
    return (this.patchDeletes ??= supportsPatchDeletes(this.client).catch((err: unknown) => {
      this.patchDeletes = undefined;
      throw err;
    }));
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

  /** Results kept between processes (result-cache.ts). */
  async readResult(family: string, key: string): Promise<CachedResult> {
    if (!(this.options.keepResults ?? !this.inProcess)) return { version: null, value: null };
    try {
      return await readResult(this.client, this.database, family, key);
    } catch (err) {
      throw storeError(err, 'query_failed', `ClickHouse could not read the stored ${family} result`);
    }
  }

  async writeResult(family: string, key: string, version: string, value: string): Promise<boolean> {
    if (!(this.options.keepResults ?? !this.inProcess)) return false;
    try {
      return await writeResult(this.client, this.database, family, key, version, value);
    } catch (err) {
      throw storeError(err, 'query_failed', `ClickHouse could not store the ${family} result`);
    }
  }

  async close(): Promise<void> {
    await this.client.close();
  }

  /** Ids among these rows already in the table (see stored-ids.ts). */
  private async storedIds(rows: readonly LookupRow[]): Promise<Set<string>> {
    const found = new Set<string>();
    const query = storedIdsQuery(this.database);
    let prefixOfId: Map<string, string> | undefined;
    for (const params of storedIdsLookups(rows, this.lookupBudgetChars)) {
      const rs = await this.client.query({ query, format: 'JSONCompactEachRow', query_params: { ...params } });
      const stored = await rs.json<[string, string | null, number, string]>();
      if (stored.length === 0) continue;
      prefixOfId ??= new Map(rows.map((r) => [r.event_id, prefixKey(r.workflow, Math.floor(r.ts / 86_400_000), r.type)]));
      for (const row of stored) {
        const id = storedIdOf(row, prefixOfId);
        if (id !== undefined) found.add(id);
      }
    }
    return found;
  }

  private async insertAcknowledged(body: Buffer, rowCount: number, content: string): Promise<void> {
    const settings = this.insertSettings(dedupToken(content));
    await insertWithRetries(this.options.insertAttempts ?? DEFAULT_CLICKHOUSE_INSERT_ATTEMPTS, `a batch of ${rowCount} events`, () =>
      insertRowBinary(this.client, this.database, body, rowCount, settings, this.inProcess),
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

/** The rows minus any repeat of an id earlier in the same batch (the same array when there is none), their ids as stored (storedId), in order and as a set. */
function firstOfEachId(rows: readonly EventRow[]): { batch: readonly EventRow[]; ids: Set<string>; stored: string[] } {
  const ids = new Set<string>();
  const stored: string[] = [];
  let repeats = false;
  for (const r of rows) {
    const id = storedId(r.event_id);
    if (ids.has(id)) repeats = true;
    else {
      ids.add(id);
      stored.push(id);
    }
  }
  if (!repeats) return { batch: rows, ids, stored };
  const seen = new Set<string>();
  return { batch: rows.filter((r) => !seen.has(storedId(r.event_id)) && seen.add(storedId(r.event_id)) !== undefined), ids, stored };
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
