import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sendBatch } from '../../src/ingest/http-sender.js';
import { ClickHouseStore } from '../../src/store/clickhouse/clickhouse-store.js';
import { DuckDBStore } from '../../src/store/duckdb/duckdb-store.js';
import { Q } from '../../src/store/queries.js';
import { spawnServer, tempDir } from '../helpers/server.js';
import { forEachStore } from '../helpers/stores.js';

// A fixed amount of work, not a fixed time: 8 senders × 8 batches × 300 events against a
// server whose ingest queue holds about two batches, so most posts meet a full queue.
const SENDERS = 8;
const BATCHES = 8;
const SIZE = 300;
const RSS_HEADROOM_MB = 150;

function rssMb(pid: number): number {
  const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return Number(kb) / 1024;
}

function batch(s: number, b: number) {
  const base = Date.UTC(2026, 10, 22, 8);
  return Array.from({ length: SIZE }, (_, i) => ({
    event_id: `load-${s}-${b}-${i}`,
    type: 'case.created',
    ts: new Date(base + ((s * BATCHES + b) * SIZE + i) * 1000).toISOString(),
    case_id: `load-case-${s}-${b}-${i}`,
    workflow: 'finance_adjustments',
    tier: 3,
    confidence: 0.5,
    risk_signals: ['financial'],
    attrs: { note: 'x'.repeat(200) },
  }));
}

forEachStore((kind) => {
  describe('ingest under load', () => {
    const tmp = tempDir();
    afterAll(() => tmp.cleanup());

    it('keeps the server memory flat behind a full queue and loses nothing', async () => {
      const db = path.join(tmp.dir, 'load.duckdb');
      const chdb = path.join(tmp.dir, 'load.chdb');
      const config = path.join(tmp.dir, 'load.json');
      writeFileSync(config, JSON.stringify({ ingestQueueLimit: '256kb', metrics: { schedule: { intervalSeconds: 86_400 } } }));
      const engine = kind === 'duckdb' ? [] : ['--store', 'clickhouse', '--clickhouse-url', `chdb:${chdb}`];
      const { child, url } = await spawnServer(db, ['--config', config, ...engine]);
      const pid = child.pid!;
      try {
        // one batch first: the engine's and the JIT's start-up growth is not what is measured
        const warmup = batch(SENDERS, 0).map((e) => ({ ...e, event_id: `warm-${e.event_id}`, case_id: `warm-${e.case_id}` }));
        await sendBatch(warmup, { url });
        const baseline = rssMb(pid);
        let peak = baseline;
        const sampler = setInterval(() => (peak = Math.max(peak, rssMb(pid))), 50);
        let busy = 0;
        const sent: string[] = [];
        const started = performance.now();
        try {
          await Promise.all(
            Array.from({ length: SENDERS }, async (_, s) => {
              for (let b = 0; b < BATCHES; b++) {
                const events = batch(s, b);
                sent.push(...events.map((e) => e.event_id));
                await sendBatch(events, { url, onRetry: (r) => void (r.status === 429 && busy++) });
              }
            }),
          );
        } finally {
          clearInterval(sampler);
        }
        peak = Math.max(peak, rssMb(pid));
        const seconds = (performance.now() - started) / 1000;
        console.log(`[load ${kind}] ${sent.length} events in ${seconds.toFixed(1)} s, ${busy} answers 429, RSS baseline ${baseline.toFixed(0)} MB, peak ${peak.toFixed(0)} MB`);
        expect(busy).toBeGreaterThan(0);
        expect(peak).toBeLessThan(baseline + RSS_HEADROOM_MB);
        const scrape = await (await fetch(`${url}/metrics`)).text();
        expect(Number(/hitl_ingest_requests_refused_total\{reason="queue_full"\} (\d+)/.exec(scrape)?.[1])).toBe(busy);
      } finally {
        child.kill('SIGTERM');
        await new Promise((r) => (child.exitCode !== null || child.signalCode !== null ? r(null) : child.once('exit', r)));
      }
      const store = kind === 'duckdb' ? await DuckDBStore.open({ path: db }) : await ClickHouseStore.open({ chdbPath: chdb, database: 'loopwatch' });
      try {
        const ids = (await store.query(Q.allEventIds)).map((r) => r.event_id);
        expect(ids.length).toBe(SENDERS * BATCHES * SIZE + SIZE);
        expect(new Set(ids).size).toBe(ids.length);
        const counts = await store.query(Q.eventCounts);
        expect(counts.reduce((n, r) => n + Number(r.events), 0)).toBe(SENDERS * BATCHES * SIZE + SIZE);
      } finally {
        await store.close();
      }
      // bounded by its counts: 30-50 s at a load average of 17 on 2 cores, mostly senders
      // waiting out Retry-After and their backoff
    }, 180_000);
  });
});
