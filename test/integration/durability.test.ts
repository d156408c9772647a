import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ClickHouseStore } from '../../src/store/clickhouse/clickhouse-store.js';
import { DuckDBStore } from '../../src/store/duckdb/duckdb-store.js';
import type { Store } from '../../src/store/store.js';
import { spawnServer, tempDir } from '../helpers/server.js';
import { forEachStore, type StoreKind } from '../helpers/stores.js';
import { Q } from '../../src/store/queries.js';
import { verifyChain } from '../../src/store/chain.js';

function batch(b: number, size: number) {
  const base = Date.UTC(2026, 10, 22, 8);
  return Array.from({ length: size }, (_, i) => ({
    event_id: `kill-${b}-${i}`,
    type: 'case.created',
    ts: new Date(base + (b * size + i) * 1000).toISOString(),
    case_id: `kill-case-${b}-${i}`,
    workflow: 'finance_adjustments',
    tier: 3,
    confidence: 0.5,
    risk_signals: ['financial'],
  }));
}

// ClickHouse runs as chdb inside the server process, so the SIGKILL takes the engine down with
// it, as it does DuckDB; a ClickHouse server (CLICKHOUSE_URL) would live on and prove nothing here.
// The database files go under `dir` either way: this process never opened chdb elsewhere.
function serverStore(kind: StoreKind, dir: string): { db: string; args: string[]; reopen: () => Promise<Store> } {
  const db = path.join(dir, 'kill.duckdb');
  const chdb = path.join(dir, 'kill.chdb');
  return kind === 'duckdb'
    ? { db, args: [], reopen: () => DuckDBStore.open({ path: db }) }
    : { db, args: ['--store', 'clickhouse', '--clickhouse-url', `chdb:${chdb}`], reopen: () => ClickHouseStore.open({ chdbPath: chdb, database: 'loopwatch' }) };
}

forEachStore((kind) => {
  describe('durability of acknowledged events', () => {
    const tmp = tempDir();
    afterAll(() => tmp.cleanup());

    it('keeps every acknowledged event when the server is killed with SIGKILL right after acknowledging', async () => {
      const target = serverStore(kind, tmp.dir);
      const { child, url } = await spawnServer(target.db, target.args);
      const acknowledged: string[] = [];
      const sent = new Set<string>();
      let killed = false;
      // several senders keep batches in flight; the first acknowledgement after the warm-up
      // triggers SIGKILL, so the kill lands while other batches are mid-write
      const sender = async (s: number) => {
        for (let b = 0; !killed; b++) {
          const events = batch(s * 1000 + b, 2000);
          for (const e of events) sent.add(e.event_id);
          try {
            const res = await fetch(`${url}/v1/events`, {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify(events),
            });
            if (res.status !== 200) continue;
            const answer = (await res.json()) as { accepted: number };
            expect(answer.accepted).toBe(events.length);
            acknowledged.push(...events.map((e) => e.event_id));
            if (acknowledged.length >= 20_000 && !killed) {
              killed = true;
              child.kill('SIGKILL');
            }
          } catch {
            return; // connection cut by the kill: this batch was never acknowledged
          }
        }
      };
      await Promise.all([0, 1, 2, 3].map(sender));
      await new Promise((r) => (child.exitCode !== null || child.signalCode !== null ? r(null) : child.once('exit', r)));
      expect(child.signalCode).toBe('SIGKILL');

      // reopen the same files the way a restarted server would, WAL replay included
      const store = await target.reopen();
      await store.migrate();
      const stored = new Set(
        (await store.query(Q.allEventIds)).map((r) => r.event_id),
      );
      // the kill breaks no link of the tamper-evidence chain (docs/security.md); on ClickHouse a
      // batch killed between its events and its link leaves them unchained, which is no break
      const chain = await verifyChain(store.capabilities.chain!);
      await store.close();
      expect(chain.firstBreak).toBeNull();
      if (kind === 'duckdb') expect(chain.unchained.count).toBe(0);
      const missing = acknowledged.filter((id) => !stored.has(id));
      expect(acknowledged.length).toBeGreaterThanOrEqual(20_000);
      expect(missing).toEqual([]);
      // nothing appears that was never sent
      expect([...stored].filter((id) => !sent.has(id))).toEqual([]);
    });
  });
});
