import type { DuckDBConnection } from '@duckdb/node-api';
import type { CachedResult } from '../store.js';

/**
 * The derived tables' version for the result cache (migration 0007): their refresh_state row
 * as text. derived.ts rewrites that row in the transaction of every refresh that changes the
 * tables (counters, chain head and time included) and leaves it alone otherwise, so the text
 * changes exactly when what the metric queries read can have changed. NULL before the first
 * refresh: nothing is cached then.
 */
function versionSql(derivedSchema: string): string {
  return `(SELECT CASE WHEN count(*) = 1 THEN any_value(concat_ws('|', definition, last_rowid, events, coalesce(last_event_id, '-'),
            chain_seq, coalesce(chain_hash, '-'), full_builds, incremental_refreshes, strftime(refreshed_at, '%Y-%m-%dT%H:%M:%S.%f'))) END
           FROM ${derivedSchema}.refresh_state)`;
}

/** The entry of (family, key) if it was stored for the derived tables as they are now. */
export async function readResult(c: DuckDBConnection, derivedSchema: string, family: string, key: string): Promise<CachedResult> {
  const rows = (
    await c.runAndReadAll(
      `WITH v AS (SELECT ${versionSql(derivedSchema)} AS version)
       SELECT v.version, (SELECT max(r.value) FROM loopwatch_results r WHERE r.family = $family AND r.key = $key AND r.version = v.version) AS value
       FROM v`,
      { family, key },
    )
  ).getRowObjectsJS();
  return { version: (rows[0]?.version as string | null) ?? null, value: (rows[0]?.value as string | null) ?? null };
}

/** Entries kept per family: one per cut asked for lately (a server answers many). */
const KEEP_PER_FAMILY = 32;

/**
 * Replaces the entry of (family, key), in one transaction, unless a refresh has changed the
 * derived tables since `version` was read (then the value may mix two versions: dropped).
 */
export async function writeResult(c: DuckDBConnection, derivedSchema: string, family: string, key: string, version: string, value: string): Promise<boolean> {
  await c.run('BEGIN TRANSACTION');
  try {
    if ((await c.runAndReadAll(`SELECT ${versionSql(derivedSchema)} IS NOT DISTINCT FROM $version AS same`, { version })).getRowObjectsJS()[0].same !== true) {
      await c.run('ROLLBACK');
      return false;
    }
    await c.run('DELETE FROM loopwatch_results WHERE family = $family AND key = $key', { family, key });
    await c.run('INSERT INTO loopwatch_results VALUES ($family, $key, $version, $value, now()::TIMESTAMP)', { family, key, version, value });
    await c.run(
      `DELETE FROM loopwatch_results WHERE family = $family AND key NOT IN
         (SELECT key FROM loopwatch_results WHERE family = $family ORDER BY stored_at DESC LIMIT ${KEEP_PER_FAMILY})`,
      { family },
    );
    await c.run('COMMIT');
    return true;
  } catch (err) {
    await c.run('ROLLBACK').catch(() => undefined);
    throw err;
  }
}
