import type { ClickHouseClient } from '@clickhouse/client';
import { LoopwatchError } from '../../errors.js';
import { loadMigrations, type MigrationFile } from '../sql-files.js';
import { clusterMigrations } from './cluster-ddl.js';
import { splitStatements } from './statements.js';

export { splitStatements };
import type { AppliedMigration } from '../store.js';

/** Values the SQL files may name as {database}, {ttl_days} and {cluster}: configuration, never data. */
export interface Placeholders {
  database: string;
  ttlDays: number;
  cluster?: string;
}

// ClickHouse's own macros, expanded by the server in ReplicatedMergeTree paths
const SERVER_MACROS = new Set(['shard', 'replica', 'uuid', 'table']);
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Checks configuration once, so that substitution can only ever paste safe tokens. */
export function checkPlaceholders(p: Placeholders): void {
  const problems: string[] = [];
  if (!IDENTIFIER.test(p.database)) problems.push(`clickhouseDatabase: ${JSON.stringify(p.database)} is not a plain identifier`);
  if (!Number.isSafeInteger(p.ttlDays) || p.ttlDays < 0 || p.ttlDays > 36_500) {
    problems.push(`clickhouseTtlDays: expected a whole number of days from 0 (keep forever) to 36500, got ${p.ttlDays}`);
  }
  if (p.cluster !== undefined && !IDENTIFIER.test(p.cluster)) {
    problems.push(`clickhouseCluster: ${JSON.stringify(p.cluster)} is not a plain identifier`);
  }
  if (problems.length > 0) throw new LoopwatchError('config_invalid', problems.join('; '));
}

/**
 * Replaces {database}, {ttl_days} and {cluster}. Query parameters ({name:Type}) have a colon and
 * are left to ClickHouse; any other bare {word} is a mistake in a SQL file and throws.
 */
export function substitute(sql: string, p: Placeholders): string {
  return sql.replace(/\{([a-z_]+)\}/g, (whole, name: string) => {
    if (name === 'database') return p.database;
    if (name === 'ttl_days') return String(p.ttlDays);
    if (name === 'cluster') {
      if (!p.cluster) throw new LoopwatchError('sql_placeholder', 'a cluster SQL file names {cluster}, but no cluster is configured');
      return p.cluster;
    }
    if (SERVER_MACROS.has(name)) return whole;
    throw new LoopwatchError('sql_placeholder', `unknown placeholder ${whole} in a ClickHouse SQL file`);
  });
}

/** Migration files of the deployment shape: sql/clickhouse/migrations/, or their cluster form. */
export async function migrationFiles(cluster: boolean): Promise<MigrationFile[]> {
  const files = await loadMigrations('clickhouse');
  return cluster ? clusterMigrations(files) : files;
}

function bootstrap(p: Placeholders): string[] {
  const onCluster = p.cluster ? ` ON CLUSTER ${p.cluster}` : '';
  // on a cluster the bookkeeping is replicated to every node (no {shard} in the path), so
  // whichever node a process talks to knows which migrations ran
  const engine = p.cluster
    ? `ReplicatedReplacingMergeTree('/clickhouse/tables/loopwatch/${p.database}/loopwatch_migrations', '{shard}-{replica}')`
    : 'ReplacingMergeTree';
  return [
    `CREATE DATABASE IF NOT EXISTS ${p.database}${onCluster}`,
    `CREATE TABLE IF NOT EXISTS ${p.database}.loopwatch_migrations${onCluster} (
       version UInt32, name String, applied_at DateTime64(3, 'UTC') DEFAULT now64(3)
     ) ENGINE = ${engine} ORDER BY version`,
  ];
}

/**
 * Applies the numbered files not yet recorded. ClickHouse DDL is not transactional, so every
 * statement is written to be idempotent (IF NOT EXISTS): a run cut short is simply run again.
 * Two processes migrating at once both succeed; the record table keeps one row per version.
 */
export async function migrate(client: ClickHouseClient, p: Placeholders): Promise<AppliedMigration[]> {
  checkPlaceholders(p);
  for (const statement of bootstrap(p)) await client.command({ query: statement });
  const rs = await client.query({
    query: `SELECT version FROM ${p.database}.loopwatch_migrations FINAL`,
    format: 'JSONEachRow',
  });
  const done = new Set((await rs.json<{ version: number }>()).map((r) => Number(r.version)));
  const applied: AppliedMigration[] = [];
  for (const m of await migrationFiles(Boolean(p.cluster))) {
    if (done.has(m.version)) continue;
    try {
      for (const statement of splitStatements(substitute(m.sql, p))) await client.command({ query: statement });
      await client.insert({
        table: `${p.database}.loopwatch_migrations`,
        values: [{ version: m.version, name: m.name }],
        format: 'JSONEachRow',
        clickhouse_settings: { insert_deduplication_token: `loopwatch-migration-${m.version}`, async_insert: 0 },
      });
    } catch (err) {
      throw new LoopwatchError('migration_failed', `ClickHouse migration ${m.version} (${m.name}) failed`, { cause: err });
    }
    applied.push({ version: m.version, name: m.name });
  }
  return applied;
}
