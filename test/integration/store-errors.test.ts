/**
 * Both stores throw the same LoopwatchError code for the same failure (StoreErrorCode in
 * src/store/store.ts), with the engine's own error as `cause`: callers (routes, commands)
 * decide on the code and never on the engine.
 *
 * store_locked (a DuckDB file held by another process) has no ClickHouse twin: many writers
 * share a server; it is tested on DuckDB alone, at the end.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, describe, expect, it } from 'vitest';
import { LoopwatchError } from '../../src/errors.js';
import { ClickHouseStore } from '../../src/store/clickhouse/clickhouse-store.js';
import { DuckDBStore } from '../../src/store/duckdb/duckdb-store.js';
import { defineQuery, Q } from '../../src/store/queries.js';
import type { Store } from '../../src/store/store.js';
import { dropServerDatabases, forEachStore, openClickHouseTestStore, openTestStore, rawClient, simulatedRows, tempDir, testDatabaseName } from '../helpers/stores.js';

/** The error a promise rejects with, for its code and cause. */
async function failure(p: Promise<unknown>): Promise<LoopwatchError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(LoopwatchError);
  return err as LoopwatchError;
}

/** Runs `fn` on the store and closes it, whatever happens. */
async function using<T>(open: Promise<Store>, fn: (s: Store) => Promise<T>): Promise<T> {
  const store = await open;
  try {
    return await fn(store);
  } finally {
    await store.close().catch(() => undefined);
  }
}

forEachStore((kind) => {
  const tmp = tempDir();
  afterAll(async () => {
    await dropServerDatabases();
    tmp.cleanup();
  });

  it('unknown_query: no query file of that name', async () => {
    const err = await using(openTestStore(kind, tmp.dir), (s) => failure(s.query(defineQuery('metrics/no_such_query'))));
    expect(err.code).toBe('unknown_query');
    expect(err.message).toContain('metrics/no_such_query');
    expect(err.cause).toBeDefined();
  });

  it('query_failed: the engine rejects the query (a parameter is missing), with its error as cause', async () => {
    const err = await using(openTestStore(kind, tmp.dir), (s) => failure(s.query(Q.caseState, {} as { case_id: string })));
    expect(err.code).toBe('query_failed');
    expect(err.message).toContain('api/case_state');
    expect(err.cause).toBeInstanceOf(Error);
  });

  it('migration_failed: a migration the engine refuses (an events table of another shape is in the way)', async () => {
    const open = async (): Promise<Store> => {
      if (kind === 'duckdb') {
        const file = path.join(tmp.dir, `${testDatabaseName()}.duckdb`);
        const db = await DuckDBInstance.create(file);
        const c = await db.connect();
        await c.run('CREATE TABLE events (x INTEGER); CREATE TABLE cases (x INTEGER)');
        c.closeSync();
        db.closeSync();
        return DuckDBStore.open({ path: file });
      }
      const store = await openClickHouseTestStore();
      await rawClient(store).command({ query: `CREATE DATABASE IF NOT EXISTS ${store.database}` });
      await rawClient(store).command({ query: `CREATE TABLE ${store.database}.events (x UInt8) ENGINE = Memory` });
      return store;
    };
    const err = await using(open(), (s) => failure(s.migrate()));
    expect(err.code).toBe('migration_failed');
    expect(err.cause).toBeDefined();
  });

  it('store_insert_failed and refresh_failed: the events table is gone from under the store', async () => {
    const store = await openTestStore(kind, tmp.dir);
    try {
      if (kind === 'duckdb') {
        // the same process shares the file's instance: a second connection sees the same tables
        const db = await DuckDBInstance.fromCache(store.location);
        const c = await db.connect();
        await c.run('DROP VIEW cases; DROP TABLE events');
        c.closeSync();
      } else {
        await rawClient(store as ClickHouseStore).command({ query: `DROP TABLE ${(store as ClickHouseStore).database}.events SYNC` });
      }
      const row = simulatedRows({ seed: 1, cases: 1 })[0];
      const insert = await failure(store.insertEvents([row]));
      expect(insert.code).toBe('store_insert_failed');
      expect(insert.cause).toBeDefined();
      const refresh = await failure(store.refreshDerived());
      expect(refresh.code).toBe('refresh_failed');
    } finally {
      await store.close().catch(() => undefined);
    }
  });

  it('store_unavailable: the engine cannot be reached or opened', async () => {
    const err =
      kind === 'duckdb'
        ? await failure(
            (() => {
              // the database's folder would have to be inside a regular file
              const file = path.join(tmp.dir, 'not-a-folder');
              writeFileSync(file, '');
              return DuckDBStore.open({ path: path.join(file, 'loopwatch.duckdb') });
            })(),
          )
        : await using(ClickHouseStore.open({ url: 'http://127.0.0.1:1', database: 'loopwatch', requestTimeoutMs: 2_000 }), (s) => failure(s.query(Q.eventCounts)));
    expect(err.code).toBe('store_unavailable');
    expect(err.cause).toBeDefined();
  });
});

describe('store_locked', () => {
  // DuckDB only: ClickHouse has no file to lock, many writers share a server
  it('is what DuckDB throws when another process holds the file', async () => {
    const tmp = tempDir();
    const file = path.join(tmp.dir, 'held.duckdb');
    const holder = spawn(
      process.execPath,
      ['--input-type=module', '-e', `import { DuckDBInstance } from '@duckdb/node-api'; const db = await DuckDBInstance.create(${JSON.stringify(file)}); await db.connect(); console.log('held'); setInterval(() => {}, 1000);`],
      { cwd: process.cwd(), stdio: ['ignore', 'pipe', 'inherit'] },
    );
    try {
      await new Promise<void>((resolve, reject) => {
        holder.stdout.on('data', (d: Buffer) => d.toString().includes('held') && resolve());
        holder.once('exit', (code) => reject(new Error(`the holding process exited with ${code}`)));
      });
      const err = await failure(DuckDBStore.open({ path: file }));
      expect(err.code).toBe('store_locked');
      expect(err.cause).toBeDefined();
    } finally {
      holder.kill();
      tmp.cleanup();
    }
  }, 30_000);
});
