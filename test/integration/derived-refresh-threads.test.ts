/**
 * An incremental refresh of the derived tables is some thirty small statements over a few
 * thousand cases, where DuckDB's parallel operators cost more CPU to set up than they save
 * (issue 14: the steady metric job). It runs on one thread and gives the instance its threads
 * back when it ends, committed or not; a full build keeps every thread.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDBStore } from '../../src/store/duckdb/duckdb-store.js';
import { simulatedRows, tempDir } from '../helpers/stores.js';
import path from 'node:path';

describe('DuckDB incremental refresh threads', () => {
  const tmp = tempDir('loopwatch-refresh-threads-');
  let store: DuckDBStore;
  let statements: { sql: string; threads: number }[] = [];
  const rows = simulatedRows({ seed: 14, cases: 120 });
  const half = Math.floor(rows.length / 2);
  // read on another connection of the instance: the setting is the instance's
  const threads = async () =>
    Number((await (store as unknown as { writer: DuckDBConnection }).writer.runAndReadAll("SELECT current_setting('threads')::INTEGER")).getRows()[0][0]);

  beforeAll(async () => {
    store = await DuckDBStore.open({ path: path.join(tmp.dir, 'threads.duckdb'), threads: 2 });
    await store.migrate();
    // the refresher connection as it is, each statement seen with the threads it ran under
    const c = (store as unknown as { refresher: DuckDBConnection }).refresher;
    const run = c.run.bind(c);
    c.run = (async (sql: string, ...rest: unknown[]) => {
      statements.push({ sql, threads: await threads() });
      return (run as (...a: unknown[]) => unknown)(sql, ...rest);
    }) as typeof c.run;
  });
  afterAll(async () => {
    await store.close();
    tmp.cleanup();
  });

  it('builds in full on every thread, refreshes on one, and puts the threads back', async () => {
    await store.insertEvents(rows.slice(0, half));
    expect((await store.refreshDerived()).mode).toBe('full');
    expect(statements.filter((s) => /CREATE TEMP TABLE build_cases/.test(s.sql)).map((s) => s.threads)).toEqual([2]);
    expect(await threads()).toBe(2);

    statements = [];
    await store.insertEvents(rows.slice(half));
    expect((await store.refreshDerived()).mode).toBe('incremental');
    const work = statements.filter((s) => /delta_events|_delta AS|^COMMIT/.test(s.sql.trim()));
    expect(work.length).toBeGreaterThan(5);
    expect(new Set(work.map((s) => s.threads))).toEqual(new Set([1]));
    expect(await threads()).toBe(2);
  });

  it('puts the threads back after a refresh that fails', async () => {
    await store.insertEvents(simulatedRows({ seed: 15, cases: 20 }));
    const c = (store as unknown as { refresher: DuckDBConnection }).refresher;
    const run = c.run;
    c.run = (async (sql: string, ...rest: unknown[]) => {
      if (/CREATE OR REPLACE TEMP TABLE case_facts_delta/.test(sql)) throw new Error('refresh interrupted');
      return (run as (...a: unknown[]) => unknown)(sql, ...rest);
    }) as typeof c.run;
    await expect(store.refreshDerived()).rejects.toThrow();
    c.run = run;
    expect(await threads()).toBe(2);
    expect((await store.refreshDerived()).mode).toBe('incremental');
  });
});
