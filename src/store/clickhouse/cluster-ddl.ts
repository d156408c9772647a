import { LoopwatchError } from '../../errors.js';
import type { MigrationFile } from '../sql-files.js';
import { splitStatements } from './statements.js';

/**
 * The cluster form of the single-node migrations, derived instead of kept as a second copy of
 * every DDL file (which drifted: a column added to one had to be added to the other by hand).
 *
 * A table whose migration says `-- loopwatch: cluster shard by <expr>` becomes `<name>_local`,
 * a Replicated*MergeTree on every shard, with a Distributed table `<name>` over it sharded by
 * <expr>; every insert and query keeps naming `<name>`. Any other table is small bookkeeping,
 * replicated whole to every node (no {shard} in its Keeper path), so whichever node a process
 * reaches knows the same state. Views are created on every node; ALTERs go to the local tables.
 * A statement of another kind has no known cluster form and throws, so a new kind of migration
 * is noticed here rather than on a customer's cluster.
 */
export function clusterMigrations(files: readonly MigrationFile[]): MigrationFile[] {
  const sharded = new Set<string>();
  return files.map((file) => {
    const shardBy = /^--\s*loopwatch:\s*cluster shard by (.+?)\s*$/m.exec(file.sql)?.[1];
    const statements = splitStatements(file.sql).map((s) => clusterStatement(s, shardBy, sharded, file));
    return { ...file, sql: statements.join(';\n\n') + ';\n' };
  });
}

const CREATE_TABLE = /^CREATE TABLE IF NOT EXISTS \{database\}\.([a-z_]+) \(/;
const CREATE_VIEW = /^CREATE VIEW IF NOT EXISTS \{database\}\.([a-z_]+) AS\b/;
const ALTER_TABLE = /^ALTER TABLE \{database\}\.([a-z_]+) /;
const ENGINE = /ENGINE = ([A-Za-z]*MergeTree)(?:\(([^)]*)\))?/;

function clusterStatement(statement: string, shardBy: string | undefined, sharded: Set<string>, file: MigrationFile): string {
  const table = CREATE_TABLE.exec(statement);
  if (table) {
    const name = table[1];
    const local = shardBy ? `${name}_local` : name;
    const keeperPath = shardBy ? `/clickhouse/tables/{shard}/{database}/${local}` : `/clickhouse/tables/loopwatch/{database}/${local}`;
    const replica = shardBy ? '{replica}' : '{shard}-{replica}';
    if (!ENGINE.test(statement)) throw noClusterForm(file, 'a CREATE TABLE without a MergeTree engine');
    const replicated = statement
      .replace(CREATE_TABLE, `CREATE TABLE IF NOT EXISTS {database}.${local} ON CLUSTER {cluster} (`)
      .replace(ENGINE, (_all, engine: string, args: string | undefined) => {
        const rest = args?.trim() ? `, ${args.trim()}` : '';
        return `ENGINE = Replicated${engine}('${keeperPath}', '${replica}'${rest})`;
      })
      // replicated tables deduplicate retried inserts through Keeper; this setting is for the
      // single-node table only
      .replace(/\s*non_replicated_deduplication_window\s*=\s*\d+\s*,/, '')
      .replace(/,\s*non_replicated_deduplication_window\s*=\s*\d+/, '');
    if (!shardBy) return replicated;
    sharded.add(name);
    const distributed =
      `CREATE TABLE IF NOT EXISTS {database}.${name} ON CLUSTER {cluster} AS {database}.${local}\n` +
      `ENGINE = Distributed({cluster}, {database}, ${local}, ${shardBy})`;
    return `${replicated};\n\n${distributed}`;
  }
  const view = CREATE_VIEW.exec(statement);
  if (view) return statement.replace(CREATE_VIEW, `CREATE VIEW IF NOT EXISTS {database}.${view[1]} ON CLUSTER {cluster} AS`);
  const alter = ALTER_TABLE.exec(statement);
  if (alter) {
    const target = sharded.has(alter[1]) ? `${alter[1]}_local` : alter[1];
    return statement.replace(ALTER_TABLE, `ALTER TABLE {database}.${target} ON CLUSTER {cluster} `);
  }
  throw noClusterForm(file, `the statement ${JSON.stringify(statement.slice(0, 60))}`);
}

function noClusterForm(file: MigrationFile, what: string): LoopwatchError {
  return new LoopwatchError('migration_failed', `ClickHouse migration ${file.version} (${file.name}): no cluster form for ${what}`);
}
