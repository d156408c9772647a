import type { DuckDBConnection } from '@duckdb/node-api';
import { loadMigrations } from '../sql-files.js';
import type { AppliedMigration } from '../store.js';
import { storeError } from './errors.js';

/** Applies the numbered files of sql/duckdb/migrations/ not yet recorded, each in its own transaction. */
export async function migrate(conn: DuckDBConnection): Promise<AppliedMigration[]> {
  await conn.run(`CREATE TABLE IF NOT EXISTS loopwatch_migrations (
    version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_at TIMESTAMP NOT NULL DEFAULT now()::TIMESTAMP)`);
  const done = new Set(
    (await conn.runAndReadAll('SELECT version FROM loopwatch_migrations')).getRowObjectsJS().map((r) => Number(r.version)),
  );
  const applied: AppliedMigration[] = [];
  for (const m of await loadMigrations('duckdb')) {
    if (done.has(m.version)) continue;
    await conn.run('BEGIN TRANSACTION');
    try {
      await conn.run(m.sql);
      await conn.run('INSERT INTO loopwatch_migrations (version, name) VALUES ($version, $name)', {
        version: m.version,
        name: m.name,
      });
      await conn.run('COMMIT');
    } catch (err) {
      await conn.run('ROLLBACK').catch(() => undefined);
      throw storeError(err, 'migration_failed', `DuckDB migration ${m.version} (${m.name}) failed`);
    }
    applied.push({ version: m.version, name: m.name });
  }
  return applied;
}
