import type { Config } from '../config/config.js';
import { DuckDBStore } from './duckdb/duckdb-store.js';
import type { CopySource } from './store.js';
import type { Store } from './store.js';

/** Opens the configured engine and brings its schema up to date. */
export async function openStore(config: Config): Promise<Store> {
  const store = config.store === 'clickhouse' ? await openClickHouse(config) : await DuckDBStore.open({ path: config.db, memoryLimit: config.duckdbMemoryLimit });
  try {
    await store.migrate();
  } catch (err) {
    await store.close().catch(() => undefined);
    throw err;
  }
  return store;
}

/** Loaded on use: an embedded deployment never loads the ClickHouse client. */
export async function openClickHouse(config: Config, url = config.clickhouseUrl!) {
  const { ClickHouseStore } = await import('./clickhouse/clickhouse-store.js');
  const target = url.startsWith('chdb:') ? { chdbPath: url.slice('chdb:'.length) } : { url };
  return ClickHouseStore.open({
    ...target,
    database: config.clickhouseDatabase,
    ttlDays: config.clickhouseTtlDays,
    cluster: config.clickhouseCluster,
    asyncInsert: config.clickhouseAsyncInsert,
  });
}

/** The source of `loopwatch copy` (only a DuckDB file so far), opened read-only by its engine. */
export async function openCopySource(from: { duckdbPath: string }): Promise<CopySource> {
  const { openCopySource: openDuckDB } = await import('./duckdb/copy.js');
  return openDuckDB(from.duckdbPath);
}
