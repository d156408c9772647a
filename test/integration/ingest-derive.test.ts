/**
 * `loopwatch ingest` ends by bringing the derived tables up to date (issue 14), so the first
 * report after it rebuilds nothing; a failure of that step keeps the stored events; and
 * --no-derive leaves the build to the report, which then answers the same.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simulate } from '../../src/simulate/index.js';
import { runCli, tempDir } from '../helpers/server.js';
import { forEachStore, type StoreKind } from '../helpers/stores.js';

function engineArgs(kind: StoreKind, db: string): string[] {
  return kind === 'duckdb' ? ['--db', db] : ['--db', db, '--store', 'clickhouse', '--clickhouse-url', `chdb:${db}.chdb`];
}

/** The report as JSON, less what differs from run to run. */
function report(kind: StoreKind, db: string): { refresh_mode: string; rest: unknown } {
  const run = runCli(['report', '--json', '--group-by', 'workflow', ...engineArgs(kind, db)]);
  expect(run.status, run.stderr).toBe(0);
  const { refresh_mode, ...rest } = JSON.parse(run.stdout);
  return { refresh_mode, rest: stable(rest) };
}

/** Drops times, durations and refresh counts; sums over rows in another order may differ in the last bit. */
function stable(v: unknown): unknown {
  if (typeof v === 'number') return Number.isInteger(v) ? v : Number(v.toPrecision(12));
  if (Array.isArray(v)) return v.map(stable);
  if (v && typeof v === 'object') {
    return Object.fromEntries(
      Object.entries(v)
        .filter(([k]) => !['generated_at', 'duration_ms', 'refresh_ms', 'refreshed_cases'].includes(k))
        .map(([k, x]) => [k, stable(x)]),
    );
  }
  return v;
}

forEachStore((kind) =>
  describe('loopwatch ingest brings the derived tables up to date', () => {
    const tmp = tempDir();
    const file = path.join(tmp.dir, 'events.ndjson');
    const more = path.join(tmp.dir, 'more.ndjson');
    afterAll(() => tmp.cleanup());

    beforeAll(() => {
      const events = [...simulate({ seed: 7, cases: 300, start: new Date(Date.UTC(2026, 9, 1)), casesPerHour: 600 }, 10_000)].flat();
      const half = Math.floor(events.length / 2);
      writeFileSync(file, events.slice(0, half).map((e) => JSON.stringify(e)).join('\n'));
      writeFileSync(more, events.slice(half).map((e) => JSON.stringify(e)).join('\n'));
    });

    it('so the first report after an ingest rebuilds nothing, and answers as one that built them', () => {
      const db = path.join(tmp.dir, 'derived.duckdb');
      const run = runCli(['ingest', file, ...engineArgs(kind, db), '--no-progress']);
      expect(run.status, run.stderr).toBe(0);
      expect(run.stdout).toMatch(/^derived tables: built in \d+\.\d s$/m);
      const after = report(kind, db);
      expect(after.refresh_mode).toBe('unchanged');

      // more events: the ingest refreshes incrementally, and the report still finds them up to date
      const again = runCli(['ingest', more, ...engineArgs(kind, db), '--no-progress']);
      expect(again.status, again.stderr).toBe(0);
      expect(again.stdout).toMatch(/^derived tables: refreshed \(\d[\d,]* cases\) in \d+\.\d s$/m);
      const both = report(kind, db);
      expect(both.refresh_mode).toBe('unchanged');

      // the same files with --no-derive: the report builds the tables, with the same numbers
      const lazy = path.join(tmp.dir, 'lazy.duckdb');
      for (const f of [file, more]) {
        const r = runCli(['ingest', f, ...engineArgs(kind, lazy), '--no-progress', '--no-derive']);
        expect(r.status, r.stderr).toBe(0);
        expect(r.stdout).not.toMatch(/derived tables/);
      }
      const built = report(kind, lazy);
      expect(built.refresh_mode).toBe('full');
      expect(both.rest).toEqual(built.rest);
    }, 300_000);

    // a real failure: an object of another kind where the build puts a table
    it.runIf(kind === 'duckdb')('a failed refresh keeps the stored events, says so, and the next report builds the tables', async () => {
      const db = path.join(tmp.dir, 'broken.duckdb');
      const first = runCli(['ingest', file, '--db', db, '--no-progress', '--no-derive']);
      expect(first.status, first.stderr).toBe(0);
      const block = async (sql: string) => {
        const instance = await DuckDBInstance.create(db);
        const c = await instance.connect();
        await c.run(sql);
        c.closeSync();
        instance.closeSync();
      };
      await block('CREATE VIEW loopwatch_derived.case_rowids AS SELECT 1 AS x');
      const run = runCli(['ingest', more, '--db', db, '--no-progress']);
      expect(run.status, run.stderr).toBe(0);
      expect(run.stdout).toMatch(/\(ndjson\): [\d,]+ accepted, 0 duplicates, 0 rejected/);
      expect(run.stderr).toMatch(/derived tables: refresh failed, the events above are stored and the next report builds them: .*case_rowids/);

      await block('DROP VIEW loopwatch_derived.case_rowids');
      const instance = await DuckDBInstance.create(db);
      const c = await instance.connect();
      const stored = Number((await c.runAndReadAll('SELECT count(*) FROM events')).getRows()[0][0]);
      c.closeSync();
      instance.closeSync();
      const lines = (f: string) => readFileSync(f, 'utf8').split('\n').length;
      expect(stored).toBe(lines(file) + lines(more));
      expect(report(kind, db).refresh_mode).toBe('full');
    }, 300_000);
  }),
);
