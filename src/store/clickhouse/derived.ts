import { CLICKHOUSE_RECEIVED_MARGIN_MS } from '../../config/defaults.js';
import type { ClickHouseClient } from '@clickhouse/client';
import { definitionHash, type DerivedState } from '../derived-state.js';
import { isAppendOnly, sortKey, type MigrationFile } from '../sql-files.js';
import type { DerivedRefresh } from '../store.js';
import { splitStatements, substitute, type Placeholders } from './migrations.js';
import { timedStatement as timed } from '../derived-trace.js';

// How far back before the last refresh's newest received_at the next one looks (see refresh).
const RECEIVED_MARGIN_MS = CLICKHOUSE_RECEIVED_MARGIN_MS;

interface ClickHouseDerivedState extends DerivedState {
  rows: number;
  /** The log's newest received_at at the mark, as ClickHouse renders it. */
  received: string;
}

/** The rows an incremental refresh reads: received since `mark`, RECEIVED_MARGIN_MS back. */
function receivedWindow(mark: string): string {
  // the mark is ClickHouse's own rendering of a DateTime64, so it goes into the text as is
  return `received_at > toDateTime64('${mark}', 3, 'UTC') - toIntervalMillisecond(${RECEIVED_MARGIN_MS})`;
}

export interface DerivedContext {
  client: ClickHouseClient;
  database: string;
  placeholders: Placeholders;
  /** Whether the server has lightweight updates (DELETEs as patch parts, 25.7 on). */
  patchDeletes: () => Promise<boolean>;
}

/**
 * Brings the derived tables (sql/clickhouse/derived/, in order, kept in the database) up to
 * date, as on DuckDB: a full build from the whole log, or a rebuild of only the cases with
 * events received since the previous refresh (from their whole, de-duplicated history) with the
 * new rows of append-only tables appended. ClickHouse has no commit-ordered row id, so "since"
 * is by received_at, reaching RECEIVED_MARGIN_MS back to take in batches that were stamped
 * before the previous refresh but landed after it (ingest servers stamp on arrival and insert
 * within seconds). Where the last refresh left off is persisted (loopwatch_derived_state), so
 * a later process goes on from there; the refresh is a full build when there is no such mark,
 * when the derived SQL changed, when a derived table is missing, when the tamper-evidence
 * chain's link at the mark changed (the log was reloaded), when the log holds fewer rows than
 * at the mark (events deleted or expired under the tables), or when it grew by more rows than
 * the window holds (a `loopwatch copy` of old history, say).
 * Readers of the derived tables during an incremental refresh may see a case's rows between
 * their delete and their insert: ClickHouse has no multi-statement transactions.
 */
export async function refreshClickHouseDerived(
  ctx: DerivedContext,
  files: readonly MigrationFile[],
  options: { full?: boolean },
): Promise<DerivedRefresh> {
  const { database: db } = ctx;
  const command = (query: string, settings = {}) => timed(query, () => ctx.client.command({ query, clickhouse_settings: settings }));
  const definition = definitionHash(files);
  const head = await queryRows<{ rows: number; received: string | null }>(
    ctx,
    `SELECT toUInt64(count()) AS rows, toString(max(received_at)) AS received FROM ${db}.events`,
  );
  const rows = Number(head[0].rows);
  const received = head[0].received;
  const state = await readState(ctx);
  const chain = await chainAt(ctx, state?.chainSeq ?? 0);
  const valid = !options.full && state !== undefined && state.definition === definition && chain.hashAt === state.chainHash && (await tablesExist(ctx, files));
  let incremental = false;
  if (valid) {
    if (rows === state.rows && received === state.received) return { mode: 'unchanged', cases: 0 };
    // what arrived since the last refresh, read once: it names the cases to rebuild and is
    // where the append-only tables' new rows come from
    const recent = await copyLatest(ctx, 'window_events', receivedWindow(state.received));
    // fewer rows than at the mark: events were deleted (or expired) under the derived tables;
    // more new rows than the window holds: some arrived with old received_at (a copy)
    incremental = rows >= state.rows && rows - state.rows <= recent;
  }
  let cases: number | null = null;
  if (incremental) {
    // The window reaches back past the last refresh, so it holds arrivals that refresh already
    // built in: their ids are in refresh_seen, and only cases with an unseen event are rebuilt
    // (with a 60 s schedule, a fifth of the window's cases). It is kept with the tables, so a
    // new process does not rebuild the window's cases again; a missing one is merely more work.
    await command(`CREATE TABLE IF NOT EXISTS ${db}.refresh_seen (event_id String) ENGINE = MergeTree ORDER BY tuple()`);
    await command(
      `CREATE OR REPLACE TABLE ${db}.delta_cases ENGINE = Memory AS
       SELECT DISTINCT case_id FROM ${db}.window_events
       WHERE case_id IS NOT NULL AND event_id NOT IN (SELECT event_id FROM ${db}.refresh_seen)`,
    );
    await copyLatest(ctx, 'delta_events', `case_id IN (SELECT case_id FROM ${db}.delta_cases)`);
    cases = Number((await queryRows<{ n: number }>(ctx, `SELECT toUInt64(count()) AS n FROM ${db}.delta_cases`))[0].n);
  }
  const deltaEvents = incremental ? `${db}.delta_events` : `${db}.events FINAL`;
  // A full build's tables become the derived tables; an incremental one's only feed INSERTs and
  // live for one refresh, so Memory spares them a MergeTree part's files. Patch-part deletes
  // need the block columns (see the DELETE below).
  const patchDeletes = await ctx.patchDeletes();
  const engine = (sql: string): string => {
    if (incremental) return 'Memory';
    const settings = ['allow_nullable_key = 1', ...(patchDeletes ? ['enable_block_number_column = 1', 'enable_block_offset_column = 1'] : [])];
    return `MergeTree ORDER BY ${sortKey(sql) ?? 'tuple()'} SETTINGS ${settings.join(', ')}`;
  };
  // the window may reach rows an earlier refresh appended: those are left out by id
  const newEvents = incremental ? `(SELECT * FROM ${db}.window_events WHERE event_id NOT IN (SELECT event_id FROM ${db}.log_events))` : `${db}.events FINAL`;
  for (const file of files) {
    const sql = file.sql.replaceAll('{delta_events}', deltaEvents).replaceAll('{new_events}', newEvents).replaceAll('{derived_engine}', engine(file.sql));
    for (const statement of splitStatements(substitute(sql, ctx.placeholders))) await command(statement);
  }
  const existing = incremental ? new Set<string>() : await tableNames(ctx);
  for (const file of files) {
    const table = `${db}.${file.name}`;
    if (!incremental) {
      // swap the new table in whole, then drop the old one
      await command(existing.has(file.name) ? `EXCHANGE TABLES ${table}_delta AND ${table}` : `RENAME TABLE ${table}_delta TO ${table}`);
    } else if (!isAppendOnly(file.sql)) {
      // A classic lightweight DELETE is a mutation: it rewrites a mask in every part holding a
      // touched case (all of them: cases are spread over the table) and waits for running
      // merges, which made refreshes swing from 1 to 7 s. As a lightweight update it writes a
      // small patch part that reads apply at once, and merges fold in later.
      await command(`DELETE FROM ${table} WHERE case_id IN (SELECT case_id FROM ${db}.delta_cases)`, patchDeletes ? { lightweight_delete_mode: 'lightweight_update' } : {});
    }
    if (incremental) await command(`INSERT INTO ${table} SELECT * FROM ${table}_delta`);
    await command(`DROP TABLE IF EXISTS ${table}_delta`);
  }
  if (incremental) for (const t of ['delta_events', 'delta_cases']) await command(`DROP TABLE IF EXISTS ${db}.${t}`);
  const mark = received ?? '1970-01-01 00:00:00.000';
  // what the next refresh's window will hold of what this one has built in
  await command(
    `CREATE OR REPLACE TABLE ${db}.refresh_seen ENGINE = MergeTree ORDER BY tuple() AS
     SELECT event_id FROM ${incremental ? `${db}.window_events` : `${db}.events`} WHERE ${receivedWindow(mark)}`,
  );
  await command(`DROP TABLE IF EXISTS ${db}.window_events`);
  // last: a refresh cut short before this line is done again in full by the next one
  await ctx.client.command({
    query: `INSERT INTO ${db}.loopwatch_derived_state
            SELECT 1, {definition:String}, {rows:UInt64}, {received:String}, {chain_seq:UInt64}, {chain_hash:String},
                   {full_builds:UInt64}, {incremental_refreshes:UInt64}, now64(6)`,
    query_params: {
      definition,
      rows,
      received: mark,
      chain_seq: chain.headSeq,
      chain_hash: chain.headHash ?? '',
      full_builds: (state?.fullBuilds ?? 0) + (incremental ? 0 : 1),
      incremental_refreshes: (state?.incrementalRefreshes ?? 0) + (incremental ? 1 : 0),
    },
    // two refreshes may write the same row: neither is a retry of the other
    clickhouse_settings: { insert_deduplicate: 0, async_insert: 0 },
  });
  return incremental ? { mode: 'incremental', cases } : { mode: 'full', cases: null };
}

async function readState(ctx: DerivedContext): Promise<ClickHouseDerivedState | undefined> {
  const [r] = await queryRows<Record<string, string | number>>(
    ctx,
    `SELECT definition, toUInt64(rows) AS rows, received, toUInt64(chain_seq) AS chain_seq, chain_hash,
            toUInt64(full_builds) AS full_builds, toUInt64(incremental_refreshes) AS incremental_refreshes
     FROM ${ctx.database}.loopwatch_derived_state FINAL WHERE id = 1`,
  );
  if (!r) return undefined;
  return {
    definition: String(r.definition),
    rows: Number(r.rows),
    received: String(r.received),
    events: Number(r.rows),
    chainSeq: Number(r.chain_seq),
    chainHash: r.chain_hash === '' ? null : String(r.chain_hash),
    fullBuilds: Number(r.full_builds),
    incrementalRefreshes: Number(r.incremental_refreshes),
  };
}

/** The chain's last link, and the hash of link `seq` (null when there is none). */
async function chainAt(ctx: DerivedContext, seq: number): Promise<{ headSeq: number; headHash: string | null; hashAt: string | null }> {
  const [head] = await queryRows<{ seq: number; hash: string }>(ctx, `SELECT seq, hash FROM ${ctx.database}.loopwatch_chain ORDER BY seq DESC LIMIT 1`);
  const [at] = seq > 0 ? await queryRows<{ hash: string }>(ctx, `SELECT hash FROM ${ctx.database}.loopwatch_chain WHERE seq = {seq:UInt64} LIMIT 1`, { seq }) : [];
  return { headSeq: head ? Number(head.seq) : 0, headHash: head?.hash ?? null, hashAt: at?.hash ?? null };
}

async function tableNames(ctx: DerivedContext): Promise<Set<string>> {
  const rows = await queryRows<{ name: string }>(ctx, `SELECT name FROM system.tables WHERE database = {db:String}`, { db: ctx.database });
  return new Set(rows.map((t) => t.name));
}

async function tablesExist(ctx: DerivedContext, files: readonly MigrationFile[]): Promise<boolean> {
  const names = await tableNames(ctx);
  return files.every((f) => names.has(f.name));
}

/**
 * Copies the events matching `where` into a Memory table `name` as FINAL would show them,
 * without the payload columns no derived table reads; returns how many rows matched. Rows
 * sharing a sort key (two writers racing on one id, not yet merged) are rare: only when the
 * copy holds some is it made again keeping the earliest stored, as the sort that takes costs
 * 4 times the read. FINAL itself would merge the sort keys of the whole table.
 */
async function copyLatest(ctx: DerivedContext, name: string, where: string): Promise<number> {
  const table = `${ctx.database}.${name}`;
  const read = `SELECT * EXCEPT (input, output, final_output, attrs) FROM ${ctx.database}.events WHERE ${where}`;
  await timed(read, () => ctx.client.command({ query: `CREATE OR REPLACE TABLE ${table} ENGINE = Memory AS ${read}` }));
  const [count] = await queryRows<{ n: number; copies: number }>(
    ctx,
    `SELECT toUInt64(count()) AS n, toUInt64(count() - uniqExact(workflow, toDate(ts), type, ts, event_id)) AS copies FROM ${table}`,
  );
  if (Number(count.copies) > 0) {
    await ctx.client.command({
      query: `CREATE OR REPLACE TABLE ${table} ENGINE = Memory AS ${read}
              ORDER BY first_stored DESC LIMIT 1 BY workflow, toDate(ts), type, ts, event_id`,
    });
  }
  return Number(count.n);
}

async function queryRows<T>(ctx: DerivedContext, query: string, params: Record<string, unknown> = {}): Promise<T[]> {
  return timed(query, async () => (await ctx.client.query({ query, format: 'JSONEachRow', query_params: params })).json<T>());
}

