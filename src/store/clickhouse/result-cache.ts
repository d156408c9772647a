import type { ClickHouseClient } from '@clickhouse/client';
import type { CachedResult } from '../store.js';

/**
 * The derived tables' version for the result cache (migration 0008): the latest row of
 * loopwatch_derived_state as text. derived.ts writes a new row, as its last step, at every
 * refresh that changes the tables (counters, chain head and time included) and none otherwise.
 */
function versionSql(db: string): string {
  return `SELECT concat(definition, '|', toString(rows), '|', received, '|', toString(chain_seq), '|', chain_hash, '|',
                        toString(full_builds), '|', toString(incremental_refreshes), '|', toString(refreshed_at)) AS version
          FROM ${db}.loopwatch_derived_state FINAL WHERE id = 1`;
}

async function rows<T>(client: ClickHouseClient, query: string, params: Record<string, string> = {}): Promise<T[]> {
  const rs = await client.query({ query, format: 'JSONEachRow', query_params: params });
  return rs.json<T>();
}

/**
 * The entry of (family, key) if it was stored for the derived tables as they are now, in one
 * statement. Bound, as every metric query is: chdb runs bound statements one at a time, and an
 * unbound one beside them made a cancelled run crash or hang the process (chdb, in-process).
 */
export async function readResult(client: ClickHouseClient, db: string, family: string, key: string): Promise<CachedResult> {
  const [r] = await rows<{ version: string; value: string | null }>(
    client,
    `SELECT v.version AS version, r.value AS value
     FROM (${versionSql(db)}) AS v
     LEFT JOIN (SELECT version, value FROM ${db}.loopwatch_results FINAL WHERE family = {family:String} AND key = {key:String}) AS r
       ON r.version = v.version`,
    { family, key },
  );
  return { version: r?.version ?? null, value: r?.value ?? null };
}

/**
 * Replaces the entry of (family, key) unless the derived tables' version is no longer
 * `version` (a refresh changed them while the value was computed: it may mix the two). One
 * INSERT … SELECT that finds the version or inserts nothing.
 */
export async function writeResult(client: ClickHouseClient, db: string, family: string, key: string, version: string, value: string): Promise<boolean> {
  const summary = await client.command({
    query: `INSERT INTO ${db}.loopwatch_results
            SELECT {family:String}, {key:String}, version, {value:String}, now64(6) FROM (${versionSql(db)}) WHERE version = {version:String}`,
    query_params: { family, key, version, value },
    // the same value stored again is a new row, not a retry of the earlier one
    clickhouse_settings: { insert_deduplicate: 0, async_insert: 0 },
  });
  if (Number(summary.summary?.written_rows ?? 0) > 0) return true;
  // chdb reports 0 rows written whatever it wrote: look
  const [r] = await rows<{ n: number }>(
    client,
    `SELECT count() AS n FROM ${db}.loopwatch_results FINAL WHERE family = {family:String} AND key = {key:String} AND version = {version:String}`,
    { family, key, version },
  );
  return Number(r.n) > 0;
}
