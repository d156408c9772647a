import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ClickHouseStore } from '../../src/store/clickhouse/clickhouse-store.js';
import { DuckDBStore } from '../../src/store/duckdb/duckdb-store.js';
import { Q } from '../../src/store/queries.js';
import type { Store } from '../../src/store/store.js';
import { spawnServer, tempDir } from '../helpers/server.js';
import { forEachStore, simulatedRows, type StoreKind } from '../helpers/stores.js';

// Real work, not a hook: the first scheduled run builds the derived tables from scratch and
// computes every family over 30,000 simulated cases (~180,000 events), which takes well over
// GRACE_S + MARGIN_MS on 2 cores, so a shutdown that waits for the run misses the bound.
const CASES = 30_000;
const GRACE_S = 1;
/** Past the grace: closing the database and the process exiting. */
const MARGIN_MS = 4_000;

function target(kind: StoreKind, dir: string): { db: string; args: string[]; open: () => Promise<Store> } {
  const db = path.join(dir, 'slow.duckdb');
  const chdb = path.join(dir, 'slow.chdb');
  return kind === 'duckdb'
    ? { db, args: [], open: () => DuckDBStore.open({ path: db }) }
    : { db, args: ['--store', 'clickhouse', '--clickhouse-url', `chdb:${chdb}`], open: () => ClickHouseStore.open({ chdbPath: chdb, database: 'loopwatch' }) };
}

async function waitFor(check: () => boolean, ms: number, what: string): Promise<void> {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

forEachStore((kind) => {
  describe('SIGTERM during a long metric run', () => {
    const tmp = tempDir();
    afterAll(() => tmp.cleanup());

    it('cancels the run and exits 0 within the grace period, keeping every acknowledged event', { timeout: 300_000 }, async () => {
      const t = target(kind, tmp.dir);
      const seed = await t.open();
      await seed.migrate();
      const rows = simulatedRows({ seed: 13, cases: CASES });
      for (let i = 0; i < rows.length; i += 50_000) await seed.insertEvents(rows.slice(i, i + 50_000));
      await seed.close();
      const config = path.join(tmp.dir, 'config.json');
      writeFileSync(config, JSON.stringify({ shutdownGraceSeconds: GRACE_S }));

      const { child, url, logs } = await spawnServer(t.db, ['--config', config, ...t.args]);
      const exited = new Promise<{ code: number | null; signal: string | null; at: number }>((r) =>
        child.once('exit', (code, signal) => r({ code, signal, at: Date.now() })),
      );
      try {
        await waitFor(() => logs.some((l) => l.includes('metrics run started')), 30_000, 'the metric run to start');
        // an event acknowledged while the run is going must survive the shutdown
        const late = { event_id: 'late-ack-1', type: 'case.created', ts: '2026-10-02T00:00:00Z', case_id: 'late-case', workflow: 'support_replies', tier: 2 };
        const res = await fetch(`${url}/v1/events`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify([late]) });
        expect(res.status).toBe(200);
        expect(logs.some((l) => l.includes('metrics computed'))).toBe(false);
        const sent = Date.now();
        child.kill('SIGTERM');
        const bound = GRACE_S * 1000 + MARGIN_MS;
        const outcome = await Promise.race([exited, new Promise<null>((r) => setTimeout(() => r(null), bound + 20_000))]);
        expect(outcome, `still running ${bound + 20_000} ms after SIGTERM`).not.toBeNull();
        expect(outcome!.at - sent).toBeLessThan(bound);
        expect(outcome!.code, logs.slice(-8).join('\n')).toBe(0);
        expect(logs.some((l) => l.includes('metrics run cancelled'))).toBe(true);
        expect(logs.some((l) => l.includes('metrics computed'))).toBe(false);
      } finally {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
        await exited;
      }

      const store = await t.open();
      const ids = new Set((await store.query(Q.allEventIds)).map((r) => r.event_id));
      await store.close();
      expect(ids.size).toBe(rows.length + 1);
      expect(ids.has('late-ack-1')).toBe(true);
    });
  });
});
