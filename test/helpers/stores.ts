import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createClient, type ClickHouseClient } from '@clickhouse/client';
import { describe } from 'vitest';
import type { EventRow } from '../../src/events/row.js';
import { createValidator } from '../../src/events/validate.js';
import { simulate } from '../../src/simulate/index.js';
import { Rng } from '../../src/simulate/random.js';
import { ClickHouseStore } from '../../src/store/clickhouse/clickhouse-store.js';
import { DuckDBStore } from '../../src/store/duckdb/duckdb-store.js';
import { removeStaleTempFiles } from '../../src/store/stale-temp.js';
import type { Store } from '../../src/store/store.js';

/**
 * Every engine the store suites run over (Kysely's DIALECTS). LOOPWATCH_TEST_STORES=duckdb
 * narrows the run; CLICKHOUSE_URL points the ClickHouse side at a real server instead of chdb.
 */
export const STORE_KINDS = ['duckdb', 'clickhouse'] as const;
export type StoreKind = (typeof STORE_KINDS)[number];

export function selectedStoreKinds(): StoreKind[] {
  const wanted = process.env.LOOPWATCH_TEST_STORES?.split(',').map((s) => s.trim()).filter(Boolean);
  if (!wanted) return [...STORE_KINDS];
  const unknown = wanted.filter((w) => !(STORE_KINDS as readonly string[]).includes(w));
  if (unknown.length > 0) throw new Error(`LOOPWATCH_TEST_STORES: unknown ${unknown.join(', ')}; expected ${STORE_KINDS.join(', ')}`);
  return wanted as StoreKind[];
}

/** One describe block per engine, named after it. */
export function forEachStore(fn: (kind: StoreKind) => void): void {
  for (const kind of selectedStoreKinds()) describe(kind, () => fn(kind));
}

// chdb binds one data directory per process: every ClickHouse test store of this process
// (a vitest fork runs one test file) shares it, each in its own database
let chdbDir: string | undefined;
export function sharedChdbDir(): string {
  if (!chdbDir) {
    removeStaleChdbDirs();
    const dir = mkdtempSync(path.join(tmpdir(), `loopwatch-chdb-${process.pid}-`));
    chdbDir = dir;
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  }
  return chdbDir;
}

/** Test workers are often killed rather than exited: their directories go on the next run. */
function removeStaleChdbDirs(): void {
  removeStaleTempFiles(/^loopwatch-chdb-(\d+)-/);
}

/** A temporary directory (the server helpers' tempDir pulls in the whole server; store tests need none of it). */
export function tempDir(prefix = 'loopwatch-store-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

let databases = 0;
const serverDatabases: string[] = [];

export function testDatabaseName(): string {
  return `loopwatch_test_${process.pid}_${++databases}_${Math.random().toString(36).slice(2, 8)}`;
}

/** A fresh, unmigrated ClickHouse store: chdb unless CLICKHOUSE_URL names a server. */
export async function openClickHouseTestStore(
  options: { asyncInsert?: boolean; database?: string; ttlDays?: number; keepResults?: boolean } = {},
): Promise<ClickHouseStore> {
  const database = options.database ?? testDatabaseName();
  const url = process.env.CLICKHOUSE_URL;
  if (url) serverDatabases.push(database);
  return ClickHouseStore.open({
    ...(url ? { url } : { chdbPath: sharedChdbDir() }),
    database,
    asyncInsert: options.asyncInsert,
    ttlDays: options.ttlDays,
    keepResults: options.keepResults,
  });
}

/** The ClickHouse client behind a store: for checks the Store interface does not offer. */
export function rawClient(store: ClickHouseStore): ClickHouseClient {
  return (store as unknown as { client: ClickHouseClient }).client;
}

/** Rows in the events table as stored, copies awaiting a merge included (no FINAL). */
export async function rawRowCount(store: ClickHouseStore): Promise<number> {
  const rs = await rawClient(store).query({ query: `SELECT count() AS n FROM ${store.database}.events`, format: 'JSONEachRow' });
  return Number((await rs.json<{ n: number }>())[0].n);
}

/** A fresh store of the given kind with its schema migrated; DuckDB files go under `dir`. */
export async function openTestStore(kind: StoreKind, dir: string): Promise<Store> {
  const store: Store =
    kind === 'duckdb'
      ? await DuckDBStore.open({ path: path.join(dir, `${testDatabaseName()}.duckdb`) })
      : await openClickHouseTestStore();
  await store.migrate();
  return store;
}

/** Drops the databases this process made on a real server (chdb's directory goes at exit). */
export async function dropServerDatabases(): Promise<void> {
  const url = process.env.CLICKHOUSE_URL;
  if (!url || serverDatabases.length === 0) return;
  const client = createClient({ url });
  try {
    for (const db of serverDatabases.splice(0)) await client.command({ query: `DROP DATABASE IF EXISTS ${db}` });
  } finally {
    await client.close();
  }
}

/**
 * Simulated events as stored rows, in arrival order: the simulator's ts-ordered stream with
 * arrivals shuffled within windows of `shuffleWindow` events, so late and out-of-order events
 * occur as they do from real senders. Deterministic for a seed.
 */
export function simulatedRows(options: { seed: number; cases: number; shuffleWindow?: number }): EventRow[] {
  const validate = createValidator();
  const start = new Date(Date.UTC(2026, 9, 1));
  const events: Record<string, unknown>[] = [];
  for (const batch of simulate({ seed: options.seed, cases: options.cases, start, casesPerHour: 600 }, 10_000)) events.push(...batch);
  const rng = new Rng(options.seed, 'arrival');
  const window = options.shuffleWindow ?? 50;
  for (let i = 0; i < events.length; i++) {
    const j = Math.min(events.length - 1, i + rng.int(window));
    [events[i], events[j]] = [events[j], events[i]];
  }
  const arrivalBase = start.getTime() + 90 * 86_400_000;
  return events.map((e, i) => {
    const result = validate(e, i, arrivalBase + i);
    if (!result.ok) throw new Error(`simulated event ${i} is invalid: ${result.rejected.reason}`);
    return result.row;
  });
}
