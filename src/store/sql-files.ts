import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { expandFragments, loadFragments, type Fragment } from './sql-fragments.js';

/** sql/ at the project root: two levels above src/store/. */
export const SQL_ROOT = fileURLToPath(new URL('../../sql/', import.meta.url));

export interface MigrationFile {
  version: number;
  name: string;
  sql: string;
}

/** Numbered migration files (0001_events.sql, ...) of one engine, in version order. */
export function loadMigrations(engineDir: string): Promise<MigrationFile[]> {
  return loadNumbered(path.join(SQL_ROOT, engineDir, 'migrations'));
}

/** Numbered statements that rebuild derived tables (case_facts, ...) before a metric run. */
export function loadDerived(engineDir: string): Promise<MigrationFile[]> {
  return loadNumbered(path.join(SQL_ROOT, engineDir, 'derived'));
}

/** Numbered SQL files (0001_name.sql, ...) of a folder, in version order. */
export async function loadNumbered(dir: string): Promise<MigrationFile[]> {
  const files = (await readdir(dir)).filter((f) => /^\d{4}_[a-z0-9_]+\.sql$/.test(f)).sort();
  return Promise.all(
    files.map(async (f) => ({
      version: Number(f.slice(0, 4)),
      name: f.slice(5, -4),
      sql: await readFile(path.join(dir, f), 'utf8'),
    })),
  );
}

/**
 * A derived file marked `-- loopwatch: append-only` builds a table of events that is appended
 * to (from the events stored since the last refresh) rather than rebuilt per case.
 */
export function isAppendOnly(sql: string): boolean {
  return /^--\s*loopwatch:\s*append-only\b/m.test(sql);
}

/**
 * A ClickHouse derived file may name its table's sort key, `-- loopwatch: sort by created_at`:
 * the column the metric queries' time windows filter on, so that a window reads its own
 * granules only (DuckDB's zone maps do this without being told).
 */
export function sortKey(sql: string): string | null {
  return /^--\s*loopwatch:\s*sort by ([a-z_]+)\s*$/m.exec(sql)?.[1] ?? null;
}

const queryCache = new Map<string, Promise<string>>();
const fragmentCache = new Map<string, Promise<Map<string, Fragment>>>();

/** The cut fragments of one engine (sql/cut/<engine>.sql), read once. */
export function engineFragments(engineDir: string): Promise<Map<string, Fragment>> {
  let fragments = fragmentCache.get(engineDir);
  if (!fragments) {
    fragments = loadFragments(SQL_ROOT, engineDir);
    fragmentCache.set(engineDir, fragments);
  }
  return fragments;
}

/**
 * The text of a named query file, e.g. `metrics/quality/false_accept_rate` for
 * sql/duckdb/metrics/quality/false_accept_rate.sql, with its `{{cut.*(...)}}` includes expanded
 * (src/store/sql-fragments.ts, docs/sql.md); names are checked, not trusted.
 */
export function loadQuery(engineDir: string, name: string): Promise<string> {
  if (!/^[a-z0-9_]+(\/[a-z0-9_]+)*$/.test(name)) throw new Error(`invalid query name ${JSON.stringify(name)}`);
  const key = `${engineDir}/${name}`;
  let text = queryCache.get(key);
  if (!text) {
    const file = `sql/${engineDir}/${name}.sql`;
    text = Promise.all([readFile(path.join(SQL_ROOT, engineDir, `${name}.sql`), 'utf8'), engineFragments(engineDir)]).then(
      ([raw, fragments]) => expandFragments(raw, fragments, file),
    );
    queryCache.set(key, text);
  }
  return text;
}
