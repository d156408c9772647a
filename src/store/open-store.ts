import type { Config } from '../config.js';
import { DuckDBStore } from './duckdb/duckdb-store.js';
import type { Store } from './store.js';

/** Opens the configured engine and brings its schema up to date. */
export async function openStore(config: Config): Promise<Store> {
  const store = await DuckDBStore.open({ path: config.db, memoryLimit: config.duckdbMemoryLimit });
  try {
    await store.migrate();
  } catch (err) {
    await store.close().catch(() => undefined);
    throw err;
  }
  return store;
}
