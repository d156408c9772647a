import type { DuckDBConnection } from '@duckdb/node-api';
import { definitionHash, type DerivedState } from '../derived-state.js';
import { isAppendOnly, type MigrationFile } from '../sql-files.js';
import type { DerivedRefresh } from '../store.js';

/** The schema of the database file that holds the derived tables and their refresh_state. */
export const DERIVED_SCHEMA = 'loopwatch_derived';

// Event columns no derived file reads (checked by derived-persisted.test.ts).
export const PAYLOAD_COLUMNS = 'input, output, final_output, attrs';

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
  return (await c.runAndReadAll(sql)).getRows()[0] as T | undefined;
}

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
 * A file marked `-- loopwatch: append-only` instead reads `new_events` (the rows above the
 * mark) and its delta is appended: for tables of events that belong to no case (line stops).
 */
export async function refreshDuckDBDerived(
  c: DuckDBConnection,
  schema: string,
  files: readonly MigrationFile[],
  options: { full?: boolean },
): Promise<DerivedRefresh> {
  const definition = definitionHash(files);
  // one snapshot: events committed while this runs wait for the next refresh, none are lost
  await c.run('BEGIN TRANSACTION');
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
      await c.run('COMMIT');
      return { mode: 'unchanged', cases: 0 };
    }
    let cases: number | null = null;
    // the scratch objects are created and dropped inside the transaction: a failed refresh
    // rolls them back with everything else
    if (incremental) {
      await c.run(
        `CREATE TEMP TABLE delta_cases AS
           SELECT case_id, min(rowid) AS first_rowid FROM events
           WHERE rowid > ${mark} AND case_id IS NOT NULL GROUP BY case_id;
         INSERT INTO ${schema}.case_rowids SELECT * FROM delta_cases ANTI JOIN ${schema}.case_rowids USING (case_id)`,
      );
      // A case's events sit at or after its first row, and the cases that get events now are
      // mostly recent: reading from the earliest first row of the touched cases scans the tail
      // of the log, not all of it (one old case reopened costs a longer scan).
      const [n, from] = (await one<[bigint, bigint]>(c, `SELECT count(*), min(r.first_rowid) FROM delta_cases d JOIN ${schema}.case_rowids r USING (case_id)`))!;
      cases = Number(n);
      // without the payload columns no derived file reads: they are most of a row's bytes
      await c.run(
        `CREATE TEMP TABLE delta_events AS
           SELECT * EXCLUDE (${PAYLOAD_COLUMNS}) FROM events
           WHERE rowid >= ${from ?? lastRowid + 1n} AND case_id IN (SELECT case_id FROM delta_cases)`,
      );
    } else {
      await c.run(
        `CREATE OR REPLACE TABLE ${schema}.case_rowids AS
           SELECT case_id, min(rowid) AS first_rowid FROM events WHERE case_id IS NOT NULL GROUP BY case_id;
         CREATE TEMP VIEW delta_events AS SELECT * FROM events`,
      );
    }
    // append-only tables read the rows stored since the last refresh (all of them in full)
    await c.run(`CREATE TEMP VIEW new_events AS SELECT * FROM events WHERE rowid > ${incremental ? mark : -1n}`);
    // every file reads the deltas of the files before it, so they are merged only at the end
    for (const file of files) await c.run(file.sql);
    for (const file of files) {
      const table = file.name;
      await c.run(
        !incremental
          ? `CREATE OR REPLACE TABLE ${schema}.${table} AS FROM ${table}_delta`
          : isAppendOnly(file.sql)
            ? `INSERT INTO ${schema}.${table} SELECT * FROM ${table}_delta`
            : `DELETE FROM ${schema}.${table} WHERE case_id IN (SELECT case_id FROM delta_cases);
               INSERT INTO ${schema}.${table} SELECT * FROM ${table}_delta`,
      );
    }
    for (const file of files) await c.run(`DROP TABLE ${file.name}_delta`);
    await c.run('DROP VIEW new_events');
    await c.run(incremental ? 'DROP TABLE delta_cases; DROP TABLE delta_events' : 'DROP VIEW delta_events');
    const last = lastRowid >= 0n ? await one<[string]>(c, `SELECT event_id FROM events WHERE rowid = ${lastRowid}`) : undefined;
    await c.run(
      `DELETE FROM ${schema}.refresh_state;
       INSERT INTO ${schema}.refresh_state VALUES (
         ${sqlString(definition)}, ${lastRowid}, ${count}, ${sqlString(last?.[0] ?? null)}, ${chain.headSeq}, ${sqlString(chain.headHash)},
         ${(state?.fullBuilds ?? 0) + (incremental ? 0 : 1)}, ${(state?.incrementalRefreshes ?? 0) + (incremental ? 1 : 0)}, now()::TIMESTAMP)`,
    );
    await c.run('COMMIT');
    return incremental ? { mode: 'incremental', cases: cases ?? 0 } : { mode: 'full', cases: null };
  } catch (err) {
    await c.run('ROLLBACK').catch(() => undefined);
    throw err;
  }
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
