import { spawnSync } from 'node:child_process';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ClickHouseStore } from '../../src/store/clickhouse/clickhouse-store.js';
import { selectedStoreKinds, sharedChdbDir, testDatabaseName } from '../helpers/stores.js';

// chdb inserts go through a file per batch in the temporary directory; a process killed
// mid-insert (the crash tests do it on purpose) left its file there for good
describe.skipIf(!selectedStoreKinds().includes('clickhouse') || Boolean(process.env.CLICKHOUSE_URL))('ClickHouse (chdb) batch files', () => {
  it('removes the batch files of processes that are gone when a store opens, and keeps a live one', async () => {
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout;
    const stale = path.join(tmpdir(), `loopwatch-insert-${dead}-7.rowbinary`);
    const live = path.join(tmpdir(), `loopwatch-insert-${process.pid}-999999.rowbinary`);
    for (const f of [stale, live]) writeFileSync(f, 'x');
    const store = await ClickHouseStore.open({ chdbPath: sharedChdbDir(), database: testDatabaseName() });
    await store.close();
    expect([existsSync(stale), existsSync(live)]).toEqual([false, true]);
    rmSync(live);
  });
});
