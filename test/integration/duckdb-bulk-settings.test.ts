import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DuckDBStore } from '../../src/store/duckdb/duckdb-store.js';
import { simulatedRows, tempDir } from '../helpers/stores.js';

// A bulk write (file ingest) runs under small DuckDB memory settings: the buffer pool otherwise
// kept the blocks each write left behind, and ingest's peak RSS grew with the file (issue 14:
// 609-721 MB at 1M events, 1.5 GB at 10M, against 500 MB for any size). The store's own settings
// come back after the write.
describe('DuckDB bulk write settings', () => {
  const tmp = tempDir();
  let store: DuckDBStore | undefined;
  afterAll(async () => {
    await store?.close();
    tmp.cleanup();
  });

  it('writes with a buffer pool of at most 128 MB and a flushed allocator, then restores the store settings', async () => {
    store = await DuckDBStore.open({ path: path.join(tmp.dir, 'bulk.duckdb'), memoryLimit: '1GB', threads: 2 });
    await store.migrate();
    const writer = (store as unknown as { writer: { runAndReadAll(sql: string): Promise<{ getRowObjectsJS(): Record<string, unknown>[] }> } }).writer;
    const settings = async () =>
      (
        await writer.runAndReadAll(
          `SELECT current_setting('threads')::INTEGER AS threads, (SELECT value FROM duckdb_settings() WHERE name = 'memory_limit') AS memory_limit,
             (SELECT value FROM duckdb_settings() WHERE name = 'allocator_flush_threshold') AS flush,
             current_setting('allocator_background_threads')::BOOLEAN AS background`,
        )
      ).getRowObjectsJS()[0];
    const before = await settings();
    const during = await (store as unknown as { singleThreaded<T>(fn: () => Promise<T>): Promise<T> }).singleThreaded(settings);
    expect(during).toEqual({ threads: 1, memory_limit: '122.0 MiB', flush: '30.5 MiB', background: true });
    expect(await settings()).toEqual(before);
    // and so after a second write: the limit is not shown exactly, and setting back what was shown shrank it
    await (store as unknown as { singleThreaded<T>(fn: () => Promise<T>): Promise<T> }).singleThreaded(settings);
    expect(await settings()).toEqual(before);
    expect(before.threads).toBe(2);
  });

  it('ends a bulk load of whole row groups with its partial last write folded into the database file', async () => {
    const bulkStore = await DuckDBStore.open({ path: path.join(tmp.dir, 'load.duckdb'), memoryLimit: '1GB' });
    try {
      await bulkStore.migrate();
      const sample = simulatedRows({ seed: 5, cases: 3 });
      // one row group and a partial one
      const rows = Array.from({ length: 122_880 + 1_000 }, (_, i) => ({ ...sample[i % sample.length], event_id: `row-${i}` }));
      const writer = bulkStore.openBulkWriter({ rowsPerWrite: 122_880 });
      await writer.add(rows);
      expect(await writer.finish()).toEqual({ duplicates: 0 });
      expect(await bulkStore.countEvents()).toBe(rows.length);
      // checkpointed under the bulk settings, not later by close() under the store's own
      const wal = `${bulkStore.location}.wal`;
      expect(existsSync(wal) ? statSync(wal).size : 0).toBe(0);
    } finally {
      await bulkStore.close();
    }
  }, 60_000);
});
