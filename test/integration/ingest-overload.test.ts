import { afterAll, describe, expect, it } from 'vitest';
import { sendBatch } from '../../src/ingest/http-sender.js';
import { Q } from '../../src/store/queries.js';
import { engineFlags, startTestServer, tempDir } from '../helpers/server.js';
import { forEachStore } from '../helpers/stores.js';
import path from 'node:path';

function batch(tag: string, b: number, size: number) {
  const base = Date.UTC(2026, 10, 22, 8);
  return Array.from({ length: size }, (_, i) => ({
    event_id: `${tag}-${b}-${i}`,
    type: 'case.created',
    ts: new Date(base + (b * size + i) * 1000).toISOString(),
    case_id: `${tag}-case-${b}-${i}`,
    workflow: 'finance_adjustments',
    tier: 3,
    confidence: 0.5,
    risk_signals: ['financial'],
  }));
}

forEachStore((kind) => {
  describe('a bounded ingest queue', () => {
    const tmp = tempDir();
    afterAll(() => tmp.cleanup());

    it('answers 429 with Retry-After and a JSON code when the queue is full, and stores what it accepted', async () => {
      // 1kb of queue: one batch of ~40 KB is admitted alone, the ones that arrive meanwhile are not
      const server = await startTestServer(path.join(tmp.dir, 'full.duckdb'), { ...engineFlags(kind), ingestQueueLimit: '1kb' });
      try {
        const answers = await Promise.all(
          Array.from({ length: 16 }, async (_, b) => {
            const events = batch('full', b, 200);
            const res = await fetch(`${server.url}/v1/events`, {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify(events),
            });
            return { b, status: res.status, retryAfter: res.headers.get('retry-after'), body: (await res.json()) as any };
          }),
        );
        const refused = answers.filter((a) => a.status === 429);
        const taken = answers.filter((a) => a.status === 200);
        expect(refused.length).toBeGreaterThan(0);
        expect(taken.length).toBeGreaterThan(0);
        expect(refused.length + taken.length).toBe(16);
        for (const a of refused) {
          expect(Number(a.retryAfter)).toBeGreaterThanOrEqual(1);
          expect(Number.isInteger(Number(a.retryAfter))).toBe(true);
          expect(a.body.error.code).toBe('ingest_queue_full');
          expect(a.body.error.message).toMatch(/retry/);
        }
        const stored = new Set((await server.store.query(Q.allEventIds)).map((r) => r.event_id));
        expect(stored.size).toBe(taken.length * 200);
        for (const a of taken) expect(stored.has(`full-${a.b}-0`)).toBe(true);
        for (const a of refused) expect(stored.has(`full-${a.b}-0`)).toBe(false);
        const scrape = await (await fetch(`${server.url}/metrics`)).text();
        expect(scrape).toMatch(new RegExp(`hitl_ingest_requests_refused_total\\{reason="queue_full"\\} ${refused.length}\\b`));
      } finally {
        await server.shutdown('test');
      }
    });

    it("our sender retries 429s with the same ids until every event is stored exactly once", async () => {
      const server = await startTestServer(path.join(tmp.dir, 'retry.duckdb'), { ...engineFlags(kind), ingestQueueLimit: '1kb' });
      try {
        let retries = 0;
        const sent: string[] = [];
        const results = await Promise.all(
          Array.from({ length: 8 }, async (_, s) => {
            const out = [];
            for (let b = 0; b < 4; b++) {
              const events = batch(`retry-${s}`, b, 150);
              sent.push(...events.map((e) => e.event_id));
              out.push(await sendBatch(events, { url: server.url, onRetry: (r) => void (r.status === 429 && retries++) }));
            }
            return out;
          }),
        );
        expect(retries).toBeGreaterThan(0);
        const flat = results.flat();
        // a retry after a 429 is a first delivery: nothing was stored, so nothing is a duplicate
        expect(flat.reduce((n, r) => n + r.accepted, 0)).toBe(sent.length);
        expect(flat.reduce((n, r) => n + r.duplicates, 0)).toBe(0);
        const ids = (await server.store.query(Q.allEventIds)).map((r) => r.event_id);
        expect(ids.length).toBe(sent.length);
        expect(new Set(ids)).toEqual(new Set(sent));
        const counts = await server.store.query(Q.eventCounts);
        expect(counts.reduce((n, r) => n + Number(r.events), 0)).toBe(sent.length);
      } finally {
        await server.shutdown('test');
      }
    });
  });
});
