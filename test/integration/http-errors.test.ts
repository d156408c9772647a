import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { createValidator } from '../../src/events/validate.js';
import { createApp } from '../../src/http/app.js';
import { HTTP_STATUS } from '../../src/http/errors.js';
import type { RunningServer } from '../../src/http/start-server.js';
import { EventWriter } from '../../src/ingest/event-writer.js';
import { createIngestMetrics } from '../../src/observability/ingest-metrics.js';
import { IngestQueue } from '../../src/ingest/ingest-queue.js';
import { createLogger } from '../../src/observability/logger.js';
import { caseScript } from '../helpers/metrics.js';
import { engineFlags, postEvents, startTestServer, tempDir } from '../helpers/server.js';
import { forEachStore } from '../helpers/stores.js';

// Every failure answers with its own code, the status the one table in src/http/errors.ts gives
// it, and a message about what failed: only a failed POST /v1/events asks for the batch again.

const events = () =>
  caseScript('e-1', Date.UTC(2026, 10, 20, 10))
    .add(0, 'case.created', { workflow: 'support_drafting', tier: 1, model_label: 'faq' })
    .add(1, 'case.triaged', { lane: 'human_review' })
    .add(5, 'review.decided', { actor_id: 'rev-1', decision: 'approve' }).events;

async function get(url: string) {
  const res = await fetch(url);
  return { status: res.status, body: (await res.json()) as { error: { code: string; message: string } } };
}

forEachStore((kind) => {
  describe('HTTP errors', () => {
    const tmp = tempDir();
    let server: RunningServer;
    beforeAll(async () => {
      server = await startTestServer(path.join(tmp.dir, 'e.duckdb'), engineFlags(kind));
      expect((await postEvents(server.url, JSON.stringify(events()))).body.rejected).toBe(0);
    });
    afterAll(async () => {
      // the last test closed the store under the server: its second close may complain
      await server?.shutdown('done').catch(() => undefined);
      tmp.cleanup();
    });

    it('an unknown family is 404 unknown_family, by the table', async () => {
      const res = await get(`${server.url}/v1/metrics/nope`);
      expect(HTTP_STATUS.unknown_family).toBe(404);
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe('unknown_family');
      expect(res.body.error.message).toMatch(/no metric family "nope"; known: quality/);
    });

    it('a bad cut is 400 invalid_cut and names the bad parameter', async () => {
      const res = await get(`${server.url}/v1/metrics?bucket=fortnight`);
      expect(HTTP_STATUS.invalid_cut).toBe(400);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('invalid_cut');
      expect(res.body.error.message).toMatch(/^invalid metric cut: bucket: /);
    });

    it('a GET /v1/metrics whose queries fail is a 5xx query_failed that says the metrics could not be computed, not to resend events', async () => {
      await server.store.close();
      const res = await get(`${server.url}/v1/metrics?group_by=lane&fresh=true`);
      expect(res.status).toBeGreaterThanOrEqual(500);
      expect(res.status).toBe(HTTP_STATUS.query_failed);
      expect(res.body.error.code).toBe('query_failed');
      expect(res.body.error.message).toMatch(/^the metrics could not be computed/);
      expect(res.body.error.message).not.toMatch(/stor|retry the same batch/);
      // a failed ingest still asks for the batch again (it is idempotent)
      const post = await postEvents(server.url, JSON.stringify(events()));
      expect(post.status).toBe(503);
      expect(post.body.error).toEqual({ code: 'store_unavailable', message: 'the events could not be stored; retry the same batch' });
    });
  });
});

describe('a server that is not ready', () => {
  const tmp = tempDir();
  let running: RunningServer;
  let notReady: Server;
  let url: string;
  beforeAll(async () => {
    running = await startTestServer(path.join(tmp.dir, 'r.duckdb'));
    // the same real parts the server runs on, answering as while it shuts down
    const app = createApp({
      store: running.store,
      writer: new EventWriter(running.store),
      validate: createValidator(),
      metrics: createIngestMetrics(),
      logger: createLogger('silent'),
      bodyLimit: '1mb',
      ingestQueue: new IngestQueue(1024 * 1024),
      isReady: () => false,
      runner: running.runner,
    });
    notReady = await new Promise<Server>((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    url = `http://127.0.0.1:${(notReady.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((r) => notReady?.close(r));
    await running?.shutdown('done');
    tmp.cleanup();
  });

  it('answers a POST with 503 not_ready, by the table, and says to go elsewhere', async () => {
    const res = await postEvents(url, JSON.stringify(events()));
    expect(HTTP_STATUS.not_ready).toBe(503);
    expect(res.status).toBe(503);
    expect(res.body.error.code).toBe('not_ready');
    expect(res.body.error.message).toMatch(/shutting down; retry against another instance/);
  });
});
