import type { ChildProcess } from 'node:child_process';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Rng } from '../../src/simulate/random.js';
import { ClickHouseStore } from '../../src/store/clickhouse/clickhouse-store.js';
import { DuckDBStore } from '../../src/store/duckdb/duckdb-store.js';
import { Q } from '../../src/store/queries.js';
import type { Store } from '../../src/store/store.js';
import { spawnServer, tempDir } from '../helpers/server.js';
import { forEachStore, type StoreKind } from '../helpers/stores.js';

// A storm, where durability.test.ts has one kill: the server is SIGKILLed KILLS times at
// seeded moments while SENDERS senders stream BATCHES batches, restarted each time on the
// same files, and every batch not acknowledged is resent with the same ids. At the end the
// store must hold exactly the events sent: none lost, none twice.
const SEED = 13;
const KILLS = 6;
const BATCHES = 32;
const SIZE = 300;
const SENDERS = 4;

function batch(b: number) {
  const base = Date.UTC(2026, 10, 22, 8);
  return Array.from({ length: SIZE }, (_, i) => ({
    event_id: `storm-${b}-${i}`,
    type: 'case.created',
    ts: new Date(base + (b * SIZE + i) * 1000).toISOString(),
    case_id: `storm-case-${b}-${i}`,
    workflow: 'finance_adjustments',
    tier: 3,
    confidence: 0.5,
    risk_signals: ['financial'],
  }));
}

// chdb runs inside the server process, so SIGKILL takes the engine down with it, as for DuckDB
function engine(kind: StoreKind, dir: string): { db: string; args: string[]; reopen: () => Promise<Store> } {
  const db = path.join(dir, 'storm.duckdb');
  const chdb = path.join(dir, 'storm.chdb');
  return kind === 'duckdb'
    ? { db, args: [], reopen: () => DuckDBStore.open({ path: db }) }
    : { db, args: ['--store', 'clickhouse', '--clickhouse-url', `chdb:${chdb}`], reopen: () => ClickHouseStore.open({ chdbPath: chdb, database: 'loopwatch' }) };
}

const exited = (child: ChildProcess) =>
  new Promise((r) => (child.exitCode !== null || child.signalCode !== null ? r(null) : child.once('exit', r)));

forEachStore((kind) => {
  describe('crash storm', () => {
    const tmp = tempDir();
    afterAll(() => tmp.cleanup());

    it(`keeps exactly the events sent through ${KILLS} SIGKILLs at random moments of a long ingest`, async () => {
      const target = engine(kind, tmp.dir);
      const rng = new Rng(SEED, `storm-${kind}`);
      // kill k comes once `thresholds[k]` batches are acknowledged, plus a random delay, so
      // every kill lands mid-ingest whatever the machine's speed, with batches in flight
      const thresholds = Array.from({ length: KILLS }, () => 2 + rng.int(BATCHES - 8)).sort((a, b) => a - b);
      const delays = Array.from({ length: KILLS }, () => rng.int(150));
      let server = await spawnServer(target.db, target.args);
      let up: Promise<void> = Promise.resolve();
      let kills = 0;
      let restarting = false;
      const pending = Array.from({ length: BATCHES }, (_, b) => b);
      const acked = new Set<number>();
      let duplicates = 0;
      let resends = 0;
      const started = performance.now();

      const storm = async () => {
        restarting = true;
        await new Promise((r) => setTimeout(r, delays[kills]));
        let markUp!: () => void;
        up = new Promise((r) => (markUp = r));
        server.child.kill('SIGKILL');
        await exited(server.child);
        expect(server.child.signalCode).toBe('SIGKILL');
        kills++;
        server = await spawnServer(target.db, target.args);
        restarting = false;
        markUp();
      };

      const sender = async () => {
        while (acked.size < BATCHES) {
          const b = pending.shift();
          if (b === undefined) {
            await new Promise((r) => setTimeout(r, 20));
            continue;
          }
          await up;
          const events = batch(b);
          let ok = false;
          try {
            const res = await fetch(`${server.url}/v1/events`, {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify(events),
            });
            const answer = (await res.json()) as { accepted: number; duplicates: number };
            if (res.status === 200) {
              expect(answer.accepted + answer.duplicates).toBe(SIZE);
              duplicates += answer.duplicates;
              ok = true;
            }
          } catch {
            // connection cut by the kill: not acknowledged
          }
          if (!ok) {
            resends++;
            pending.unshift(b);
            await new Promise((r) => setTimeout(r, 50));
            continue;
          }
          acked.add(b);
          if (kills < KILLS && !restarting && acked.size >= thresholds[kills]) void storm();
        }
      };
      await Promise.all(Array.from({ length: SENDERS }, sender));
      // a kill that was due as the last batch came in still runs, so the count is exact
      while (restarting || kills < KILLS) {
        if (!restarting) void storm();
        await up;
        await new Promise((r) => setTimeout(r, 10));
      }
      server.child.kill('SIGTERM');
      await exited(server.child);

      const store = await target.reopen();
      await store.migrate();
      try {
        const ids = (await store.query(Q.allEventIds)).map((r) => r.event_id);
        const counted = (await store.query(Q.eventCounts)).reduce((n, r) => n + Number(r.events), 0);
        const sent = new Set(Array.from({ length: BATCHES }, (_, b) => batch(b).map((e) => e.event_id)).flat());
        console.log(
          `[storm ${kind}] ${kills} SIGKILLs, ${sent.size} events sent, ${ids.length} stored, ${counted} counted, ` +
            `${resends} batches resent (${duplicates} events found already stored), ${((performance.now() - started) / 1000).toFixed(1)} s`,
        );
        expect(kills).toBe(KILLS);
        expect(ids.length).toBe(sent.size);
        expect(counted).toBe(sent.size);
        expect(new Set(ids)).toEqual(sent);
      } finally {
        await store.close();
      }
      // bounded by its counts; the time is mostly the six restarts (about 20 s per engine on a
      // quiet machine, 80-125 s at a load average of 17 on 2 cores)
    }, 240_000);
  });
});
