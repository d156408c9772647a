import type { DuckDBConnection } from '@duckdb/node-api';
import { definitionHash, type DerivedState } from '../derived-state.js';
import { isAppendOnly, type MigrationFile } from '../sql-files.js';
import type { DerivedRefresh } from '../store.js';
import { timedStatement as timed } from '../derived-trace.js';

/** The schema of the database file that holds the derived tables and their refresh_state. */
export const DERIVED_SCHEMA = 'loopwatch_derived';

// Event columns no derived file reads (checked by derived-persisted.test.ts): the payloads are
// most of a row's bytes, and every VARCHAR column copied into delta_events costs its share.
export const UNREAD_COLUMNS = 'input, output, final_output, attrs, received_at, prompt_version, model_action, rule_ids, gate_id, from_level';

/**
 * How a full build bounds its memory (issue 14: one pass over the whole log peaked at 1.1 GB).
 * It builds the cases in slices of about `sliceEvents` events, each slice as an incremental
 * refresh would rebuild them, under DuckDB's memory_limit lowered to `memoryLimit` (spilling to
 * its temp directory beyond it). Tests make the slices small to run many of them.
 */
export const FULL_BUILD = { sliceEvents: 250_000, memoryLimit: '250MB' };

interface DuckDBDerivedState extends DerivedState {
  lastRowid: bigint;
  lastEventId: string | null;
}

async function readState(c: DuckDBConnection, schema: string): Promise<DuckDBDerivedState | undefined> {
  const rows = (await c.runAndReadAll(`SELECT * FROM ${schema}.refresh_state`)).getRowObjects();
  if (rows.length !== 1) return undefined;
  const r = rows[0];
  return {
    definition: r.definition as string,
    lastRowid: r.last_rowid as bigint,
    events: Number(r.events),
    lastEventId: r.last_event_id as string | null,
    chainSeq: Number(r.chain_seq),
    chainHash: r.chain_hash as string | null,
    fullBuilds: Number(r.full_builds),
    incrementalRefreshes: Number(r.incremental_refreshes),
  };
}

async function one<T extends unknown[]>(c: DuckDBConnection, sql: string): Promise<T | undefined> {
  return (await timed(sql, () => c.runAndReadAll(sql))).getRows()[0] as T | undefined;
}

const run = (c: DuckDBConnection, sql: string) => timed(sql, () => c.run(sql));

const sqlString = (s: string | null) => (s === null ? 'NULL' : `'${s.replace(/'/g, "''")}'`);

/** The chain's last link, and the hash of link `seq` (undefined when there is none). */
async function chainAt(c: DuckDBConnection, seq: number): Promise<{ headSeq: number; headHash: string | null; hashAt: string | null }> {
  const head = await one<[bigint, string]>(c, 'SELECT seq, hash FROM loopwatch_chain ORDER BY seq DESC LIMIT 1');
  const at = seq > 0 ? await one<[string]>(c, `SELECT hash FROM loopwatch_chain WHERE seq = ${seq}`) : undefined;
  return { headSeq: head ? Number(head[0]) : 0, headHash: head ? head[1] : null, hashAt: at ? at[0] : null };
}

/**
 * Brings the derived tables in `schema` (the quoted "db".loopwatch_derived) up to date with the
 * event log, on connection `c` (whose search path names the schema, then main), in one
 * transaction: readers keep the previous version until it commits, and a failed refresh leaves
 * the tables and their state as they were.
 *
 * Every derived row belongs to one case and depends only on that case's events, so after the
 * first full build only the cases with events appended since the last refresh are rebuilt:
 * each file computes `<table>_delta` from `delta_events` (those cases' whole histories) and the
 * delta replaces the cases' old rows. `events` is append-only, so its rowids grow in commit
 * order and the highest rowid seen marks where the next refresh starts. The mark is persisted
 * (refresh_state) with a fingerprint of the log below it: the count of events, the event at the
 * mark and the tamper-evidence chain's last link. If any no longer matches (events deleted,
 * rows renumbered, the log reloaded) or the derived SQL changed, the refresh is a full build.
 * A full build is the same per-case rebuild over slices of all cases (buildAll). A file marked
 * `-- loopwatch: append-only` instead reads `new_events` (the rows above the mark) and its
 * delta is appended: for tables of events that belong to no case (line stops).
 */
export async function refreshDuckDBDerived(
  c: DuckDBConnection,
  schema: string,
  files: readonly MigrationFile[],
  options: { full?: boolean },
): Promise<DerivedRefresh> {
  // A slice's memory follows its cases' events, which the slice size only estimates: a full
  // build that fails under the lowered limit is done once more under the instance's own limit
  // (at 10M events one ran out of memory at every slice size; DuckDB may report the failure as
  // the aborted transaction of a later statement, so any failure of a bounded build counts).
  // Bounded memory is worth a retry, never a failed build.
  const attempt = { full: false };
  try {
    return await refreshOnce(c, schema, files, options, attempt, true);
  } catch (err) {
    if (!attempt.full) throw err;
  }
  return refreshOnce(c, schema, files, options, { full: false }, false);
}

async function refreshOnce(
  c: DuckDBConnection,
  schema: string,
  files: readonly MigrationFile[],
  options: { full?: boolean },
  attempt: { full: boolean },
  bounded: boolean,
): Promise<DerivedRefresh> {
  const definition = definitionHash(files);
  // put back after the transaction ends: a statement in an aborted one fails
  let restore = async (): Promise<void> => undefined;
  // one snapshot: events committed while this runs wait for the next refresh, none are lost
  await run(c, 'BEGIN TRANSACTION');
  try {
    const state = await readState(c, schema);
    const mark = state?.lastRowid ?? -1n;
    const [lastRowid, count, below] = (await one<[bigint, bigint, bigint]>(
      c,
      `SELECT coalesce(max(rowid), -1), count(*), count(*) FILTER (WHERE rowid <= ${mark}) FROM events`,
    ))!;
    const chain = await chainAt(c, state?.chainSeq ?? 0);
    let incremental = false;
    if (!options.full && state && state.definition === definition && (await tablesExist(c, files))) {
      const atMark = mark >= 0n ? await one<[string]>(c, `SELECT event_id FROM events WHERE rowid = ${mark}`) : undefined;
      incremental =
        Number(below) === state.events &&
        (atMark?.[0] ?? null) === state.lastEventId &&
        chain.hashAt === state.chainHash &&
        chain.headSeq >= state.chainSeq;
    }
    if (incremental && lastRowid === mark) {
      await run(c, 'COMMIT');
      return { mode: 'unchanged', cases: 0 };
    }
    const perCase = files.filter((f) => !isAppendOnly(f.sql));
    const appended = files.filter((f) => isAppendOnly(f.sql));
    // the scratch objects are created and dropped inside the transaction: a failed refresh
    // rolls them back with everything else
    const cases = incremental ? await rebuildTouched(c, schema, perCase, mark, lastRowid) : null;
    if (!incremental) {
      attempt.full = true;
      if (bounded) restore = await lowerMemoryLimit(c, FULL_BUILD.memoryLimit);
      await buildAll(c, schema, perCase, lastRowid, FULL_BUILD.sliceEvents);
    }
    // append-only tables read the rows stored since the last refresh (all of them in full)
    await run(c, `CREATE TEMP VIEW new_events AS SELECT * FROM events WHERE rowid > ${incremental ? mark : -1n}`);
    await runFiles(c, schema, appended, incremental ? 'insert' : 'create');
    await run(c, 'DROP VIEW new_events');
    const last = lastRowid >= 0n ? await one<[string]>(c, `SELECT event_id FROM events WHERE rowid = ${lastRowid}`) : undefined;
    await run(
      c,
      `DELETE FROM ${schema}.refresh_state;
       INSERT INTO ${schema}.refresh_state VALUES (
         ${sqlString(definition)}, ${lastRowid}, ${count}, ${sqlString(last?.[0] ?? null)}, ${chain.headSeq}, ${sqlString(chain.headHash)},
         ${(state?.fullBuilds ?? 0) + (incremental ? 0 : 1)}, ${(state?.incrementalRefreshes ?? 0) + (incremental ? 1 : 0)}, now()::TIMESTAMP)`,
    );
    await run(c, 'COMMIT');
    await restore();
    return incremental ? { mode: 'incremental', cases: cases ?? 0 } : { mode: 'full', cases: null };
  } catch (err) {
    await run(c, 'ROLLBACK').catch(() => undefined);
    await restore().catch(() => undefined);
    throw err;
  }
}

/**
 * Rebuilds the per-case tables' rows of the cases with events above `mark`; returns how many.
 * Only those cases' events are read, and only the columns the derived files read: a case's
 * events sit at or after its first row, and the cases that get events now are mostly recent,
 * so reading from the earliest first row of the touched cases scans the tail of the log, not
 * all of it (one old case reopened costs a longer scan).
 */
async function rebuildTouched(c: DuckDBConnection, schema: string, files: readonly MigrationFile[], mark: bigint, lastRowid: bigint): Promise<number> {
  // `since`: the case's first row, from case_rowids for cases seen before (they have rows to
  // replace), else its first new row
  await run(
    c,
    `CREATE TEMP TABLE delta_cases AS
       SELECT d.case_id, coalesce(r.first_rowid, d.first_rowid) AS since, r.case_id IS NOT NULL AS known
       FROM (SELECT case_id, min(rowid) AS first_rowid FROM events WHERE rowid > ${mark} AND case_id IS NOT NULL GROUP BY case_id) d
       LEFT JOIN ${schema}.case_rowids r USING (case_id);
     INSERT INTO ${schema}.case_rowids SELECT case_id, since FROM delta_cases WHERE NOT known`,
  );
  const [n, known, from] = (await one<[bigint, bigint, bigint | null]>(c, `SELECT count(*), count(*) FILTER (WHERE known), min(since) FROM delta_cases`))!;
  await rebuildCases(c, schema, files, from ?? lastRowid + 1n, lastRowid, known > 0n);
  await run(c, 'DROP TABLE delta_cases');
  return Number(n);
}

/**
 * Rebuilds the per-case tables' rows of the cases in delta_cases (case_id, known) from their
 * events, all of which lie in rowids `from` to `to`: the known cases' old rows are deleted
 * first (when `replace`; a case first seen now has none, and each DELETE reads a whole table's
 * case_id column), then each file's rows go straight into its table.
 */
async function rebuildCases(c: DuckDBConnection, schema: string, files: readonly MigrationFile[], from: bigint, to: bigint, replace: boolean): Promise<void> {
  await run(
    c,
    `CREATE TEMP TABLE delta_events AS
       SELECT * EXCLUDE (${UNREAD_COLUMNS}) FROM events
       WHERE rowid BETWEEN ${from} AND ${to} AND case_id IN (SELECT case_id FROM delta_cases)`,
  );
  if (replace) for (const f of files) await run(c, `DELETE FROM ${schema}.${f.name} WHERE case_id IN (SELECT case_id FROM delta_cases WHERE known)`);
  await runFiles(c, schema, files, 'insert');
  await run(c, 'DROP TABLE delta_events');
}

/**
 * Builds the per-case tables from the whole log a slice of `sliceEvents` rows at a time, then
 * the cases whose events fall in more than one slice, which the slices leave out, from all
 * their events (as an incremental refresh rebuilds cases). One pass over every event at once
 * held the whole log's aggregates and joins in memory (1.1 GB at 1M events); a slice holds a
 * slice's, and its scans read only its rows. A case's events are mostly close together in the
 * log, so few cases span two slices. Same transaction throughout: readers see the previous
 * tables until the whole build commits.
 */
async function buildAll(c: DuckDBConnection, schema: string, files: readonly MigrationFile[], lastRowid: bigint, sliceEvents: number): Promise<void> {
  const width = BigInt(Math.max(1, sliceEvents));
  await run(
    c,
    `CREATE TEMP TABLE build_cases AS
       SELECT case_id, min(rowid) AS first_rowid, max(rowid) AS last_rowid FROM events WHERE case_id IS NOT NULL GROUP BY case_id;
     CREATE OR REPLACE TABLE ${schema}.case_rowids AS SELECT case_id, first_rowid FROM build_cases;
     CREATE TEMP TABLE delta_cases AS
       SELECT case_id, false AS known, first_rowid, last_rowid FROM build_cases WHERE first_rowid // ${width} <> last_rowid // ${width}`,
  );
  // one slice at least (an empty log's creates the tables)
  for (let start = 0n; start === 0n || start <= lastRowid; start += width) {
    // a view, not a copy: copying a slice's events into a table cost more than the files' own
    // scans of it (DuckDB reads only the columns each file names, of the slice's rows)
    await run(
      c,
      `CREATE OR REPLACE TEMP VIEW delta_events AS
         SELECT * EXCLUDE (${UNREAD_COLUMNS}) FROM events
         WHERE rowid >= ${start} AND rowid < ${start + width} AND case_id IS NOT NULL AND case_id NOT IN (SELECT case_id FROM delta_cases)`,
    );
    await runFiles(c, schema, files, start === 0n ? 'create' : 'insert');
  }
  await run(c, 'DROP VIEW delta_events');
  const [from, to] = (await one<[bigint | null, bigint | null]>(c, 'SELECT min(first_rowid), max(last_rowid) FROM delta_cases'))!;
  if (from !== null && to !== null) await rebuildCases(c, schema, files, from, to, false);
  await run(c, 'DROP TABLE delta_cases; DROP TABLE build_cases');
}

const HEADER = /CREATE OR REPLACE TEMP TABLE (\w+)_delta AS/;

/**
 * Runs the derived files in order over the current delta_events (or new_events), each into its
 * table: `create` replaces the table with the file's rows, `insert` appends them. A file whose
 * `<table>_delta` a later file reads keeps it as a temp table until all have run; the others'
 * rows go straight into their tables (a temp copy of a wide table cost as much as the query).
 */
async function runFiles(c: DuckDBConnection, schema: string, files: readonly MigrationFile[], mode: 'create' | 'insert'): Promise<void> {
  const kept: string[] = [];
  for (const [i, file] of files.entries()) {
    const table = `${schema}.${file.name}`;
    const header = HEADER.exec(file.sql);
    if (header?.[1] !== file.name) throw new Error(`derived file ${file.version}_${file.name} does not start with CREATE OR REPLACE TEMP TABLE ${file.name}_delta AS`);
    const into = mode === 'create' ? `CREATE OR REPLACE TABLE ${table} AS` : `INSERT INTO ${table}`;
    if (files.slice(i + 1).some((later) => later.sql.includes(`${file.name}_delta`))) {
      await run(c, file.sql);
      await run(c, `${into} SELECT * FROM ${file.name}_delta`);
      kept.push(file.name);
    } else {
      await run(c, file.sql.replace(HEADER, into));
    }
  }
  for (const name of kept) await run(c, `DROP TABLE ${name}_delta`);
}

/** DuckDB's sizes as current_setting renders them ('953.6 MiB'), in bytes. */
export function byteSize(text: string): number {
  const m = /^\s*([\d.]+)\s*([KMGT]?i?B|bytes)?\s*$/i.exec(text);
  if (!m) return Number.NaN;
  const unit = (m[2] ?? 'B').toUpperCase();
  const power = 'BKMGT'.indexOf(unit[0] === 'B' ? 'B' : unit[0]);
  return Number(m[1]) * (unit.includes('I') ? 1024 : 1000) ** power;
}

/**
 * Lowers the instance's memory_limit to `limit` unless it is lower already; returns what puts
 * it back. Beyond the limit DuckDB spills to its temp directory (next to the database file).
 * The setting is the instance's: queries running beside a full build share the lower limit.
 */
async function lowerMemoryLimit(c: DuckDBConnection, limit: string): Promise<() => Promise<void>> {
  const [prior] = (await one<[string]>(c, "SELECT current_setting('memory_limit')"))!;
  if (!(byteSize(prior) > byteSize(limit))) return async () => undefined;
  try {
    await run(c, `SET memory_limit = ${sqlString(limit)}`);
  } catch {
    // more than that is in use and cannot be let go now: build under the usual limit
    return async () => undefined;
  }
  // DuckDB shows the limit cut to one decimal ('953.6 MiB' for 1GB): the middle of that step
  // shows as the same text again, and is within 0.05 of a unit of what was set
  const back = /^(\d+\.\d)\s*(\S+)$/.exec(prior.trim());
  const restored = back ? `${back[1]}5 ${back[2]}` : prior;
  return async () => {
    await run(c, `SET memory_limit = ${sqlString(restored)}`);
  };
}

/** Every derived table is there (someone may have dropped one; then only a full build restores it). */
async function tablesExist(c: DuckDBConnection, files: readonly MigrationFile[]): Promise<boolean> {
  const rows = await c.runAndReadAll(
    `SELECT table_name FROM duckdb_tables() WHERE schema_name = '${DERIVED_SCHEMA}' AND database_name = current_database()`,
  );
  const present = new Set(rows.getRows().map((r) => r[0] as string));
  return ['case_rowids', ...files.map((f) => f.name)].every((t) => present.has(t));
}

/** The refresh state as stored, for tests and logs: how many full builds and incremental refreshes so far. */
export async function derivedCounters(c: DuckDBConnection, schema: string): Promise<{ fullBuilds: number; incrementalRefreshes: number } | undefined> {
  const s = await readState(c, schema);
  return s && { fullBuilds: s.fullBuilds, incrementalRefreshes: s.incrementalRefreshes };
}
