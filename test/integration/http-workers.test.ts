import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import { startServer, type RunningServer } from '../../src/http/start-server.js';
import { httpValidatedHere } from '../../src/ingest/http-validated.js';
import { createLogger } from '../../src/observability/logger.js';
import { verifyChain } from '../../src/store/chain.js';
import { caseCreated, reviewDecided } from '../helpers/events.js';
import { engineFlags, spawnServer, tempDir } from '../helpers/server.js';
import { forEachStore } from '../helpers/stores.js';

// POST /v1/events with its bodies prepared by worker threads (src/ingest/http-prepare-pool.ts)
// answers and stores exactly what the main thread's path does, and takes the per-event work
// off the main thread.

function server(db: string, flags: Record<string, unknown>, ingestWorkers: number): Promise<RunningServer> {
  const config = loadConfig({ env: {}, flags: { db, port: 0, host: '127.0.0.1', logLevel: 'silent', ...flags } });
  return startServer(config, createLogger('silent'), { scheduleMetrics: false, ingestWorkers });
}

async function post(url: string, body: string | Buffer, contentType = 'application/x-ndjson') {
  const res = await fetch(`${url}/v1/events`, { method: 'POST', headers: { 'content-type': contentType }, body: typeof body === 'string' ? body : new Uint8Array(body) });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/** A batch with every kind of trouble, around valid events: the answer must name each by index. */
function hostileBody(): Buffer {
  const lines = [
    JSON.stringify(caseCreated(1)),
    JSON.stringify(caseCreated(2, { tier: 9 })),
    '{"event_id": "cut-short", "type": ',
    '',
    JSON.stringify(reviewDecided(1)),
    '[1, 2, 3]',
    JSON.stringify(caseCreated(1)),
    JSON.stringify(caseCreated(3, { case_id: 'ü-ユニコード' })),
    JSON.stringify(caseCreated(4, { event_id: 'lone-\ud800-surrogate' })),
  ];
  const bad = Buffer.concat([Buffer.from('{"event_id":"bad-bytes-'), Buffer.from([0xff, 0xfe]), Buffer.from('","type":"case.created"}')]);
  return Buffer.concat([Buffer.from(`${lines.join('\n')}\n`), bad, Buffer.from(`\n${JSON.stringify(caseCreated(5))}\n`)]);
}

const many = (from: number, n: number) => Array.from({ length: n }, (_, i) => JSON.stringify(caseCreated(from + i))).join('\n');

forEachStore((kind) => {
  describe('HTTP ingest through worker threads', () => {
    const tmp = tempDir();
    afterAll(() => tmp.cleanup());

    it('answers and stores every batch as the main thread does: rejects by index, repeats, stored ids, concurrent groups, a bad body', async () => {
      const runs: { answers: unknown[]; ids: string[]; count: number }[] = [];
      for (const workers of [0, 2]) {
        const s = await server(path.join(tmp.dir, `same-${workers}.duckdb`), engineFlags(kind), workers);
        try {
          const answers: unknown[] = [];
          answers.push(await post(s.url, hostileBody()));
          // again: everything valid is a duplicate now
          answers.push(await post(s.url, hostileBody()));
          // a JSON array, and a body that is not events at all (400, nothing stored)
          answers.push(await post(s.url, JSON.stringify([caseCreated(6), caseCreated(7, { type: 'nope' })]), 'application/json'));
          answers.push(await post(s.url, '{"not json', 'application/json'));
          // concurrent batches sharing ids: each shared id counted new once, as a duplicate by the others
          const concurrent = await Promise.all([post(s.url, many(100, 300)), post(s.url, many(250, 300)), post(s.url, many(500, 300)), post(s.url, many(100, 50))]);
          const totals = concurrent.reduce((t, a) => ({ accepted: t.accepted + Number(a.body.accepted), duplicates: t.duplicates + Number(a.body.duplicates) }), { accepted: 0, duplicates: 0 });
          answers.push(totals);
          const report = await verifyChain(s.store.capabilities.chain!);
          expect(report).toMatchObject({ ok: true, firstBreak: null });
          const links = await s.store.capabilities.chain!.links();
          runs.push({ answers, ids: links.flatMap((l) => l.event_ids).sort(), count: await s.store.countEvents() });
        } finally {
          await s.shutdown('test');
        }
      }
      const [inThread, workers] = runs;
      expect(workers.answers).toEqual(inThread.answers);
      expect(workers.ids).toEqual(inThread.ids);
      expect(workers.count).toBe(inThread.count);
      // 5 valid in the hostile body (one repeat), 1 of the array, 700 distinct of the concurrent ones
      expect(workers.count).toBe(5 + 1 + 700);
      expect(workers.answers[0]).toMatchObject({ status: 200, body: { accepted: 5, duplicates: 1, rejected: 4 } });
      // a retry of the same body stores nothing and counts nothing as accepted: the id with a lone
      // surrogate (stored with U+FFFD) too
      expect(workers.answers[1]).toMatchObject({ status: 200, body: { accepted: 0, duplicates: 6, rejected: 4 } });
      expect(workers.answers[3]).toMatchObject({ status: 400, body: { error: { code: 'body_not_json' } } });
      expect(workers.answers[4]).toEqual({ accepted: 700, duplicates: 250 });
    });

    it('leaves the per-event work to the workers: the main thread validates none of the events', async () => {
      const validatedHere: number[] = [];
      for (const workers of [0, 2]) {
        const s = await server(path.join(tmp.dir, `here-${workers}.duckdb`), engineFlags(kind), workers);
        try {
          const before = httpValidatedHere.count;
          const answer = await post(s.url, many(10_000, 20_000));
          expect(answer.body).toMatchObject({ accepted: 20_000, rejected: 0 });
          validatedHere.push(httpValidatedHere.count - before);
        } finally {
          await s.shutdown('test');
        }
      }
      // without workers this thread validates every event (so the count sees this thread's
      // path); with them, none: parsing, validating and serializing are the workers'
      expect(validatedHere).toEqual([20_000, 0]);
    });
  });
});

describe('loopwatch serve', () => {
  const tmp = tempDir();
  afterAll(() => tmp.cleanup());

  it('has its ingest workers started and ready when it listens, before the first body', async () => {
    const { child, logs } = await spawnServer(path.join(tmp.dir, 'start.duckdb'), ['--ingest-workers', '2']);
    try {
      const listening = logs.map((l) => JSON.parse(l) as { msg?: string; ingestWorkers?: number }).find((l) => l.msg === 'loopwatch listening');
      expect(listening?.ingestWorkers).toBe(2);
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
  });
});
