import { gzipSync } from 'node:zlib';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/http/start-server.js';
import { caseCreated, reviewDecided } from '../helpers/events.js';
import { engineFlags, postEvents, startTestServer, tempDir } from '../helpers/server.js';
import { forEachStore } from '../helpers/stores.js';
import { Q } from '../../src/store/queries.js';

forEachStore((kind) => describe('POST /v1/events on a real server and store', () => {
  const tmp = tempDir();
  const db = path.join(tmp.dir, 'loopwatch.duckdb');
  let server: RunningServer;

  beforeAll(async () => {
    server = await startTestServer(db, { bodyLimit: '64kb', ...engineFlags(kind) });
  });
  afterAll(async () => {
    await server?.shutdown('test done');
    tmp.cleanup();
  });

  it('accepts one JSON object and stores its typed columns', async () => {
    const res = await postEvents(server.url, JSON.stringify(caseCreated(1, { ticket_url: 'https://t/1' })));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ accepted: 1, duplicates: 0, rejected: 0, errors: [] });
    const [row] = await server.store.query(Q.eventCounts);
    expect(row).toMatchObject({ workflow: 'support_drafting', type: 'case.created' });
  });

  it('accepts a JSON array and reports a retry as duplicates, not errors', async () => {
    const batch = [caseCreated(2), reviewDecided(2)];
    const first = await postEvents(server.url, JSON.stringify(batch));
    expect(first.body).toMatchObject({ accepted: 2, duplicates: 0, rejected: 0 });
    const before = await server.store.countEvents();
    const retry = await postEvents(server.url, JSON.stringify(batch));
    expect(retry.status).toBe(200);
    expect(retry.body).toMatchObject({ accepted: 0, duplicates: 2, rejected: 0 });
    expect(await server.store.countEvents()).toBe(before);
  });

  it('counts an event repeated inside one batch once', async () => {
    const e = caseCreated(3);
    const res = await postEvents(server.url, JSON.stringify([e, e, e]));
    expect(res.body).toMatchObject({ accepted: 1, duplicates: 2, rejected: 0 });
  });

  it('stores the valid events of a batch and rejects the bad ones with index and reason', async () => {
    const good1 = caseCreated(10);
    const bad = { ...caseCreated(11), tier: 7 };
    const good2 = reviewDecided(10);
    const missing = { ...reviewDecided(11), decision: undefined };
    const body = [good1, bad, good2, missing].map((e) => JSON.stringify(e)).join('\n') + '\n{not json\n';
    const res = await postEvents(server.url, body, { 'content-type': 'application/x-ndjson' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ accepted: 2, duplicates: 0, rejected: 3 });
    const byIndex = Object.fromEntries(res.body.errors.map((e: any) => [e.index, e]));
    expect(byIndex[1].event_id).toBe('t-created-11');
    expect(byIndex[1].issues[0].field).toBe('tier');
    expect(byIndex[3].issues).toEqual([{ field: 'decision', message: 'required field is missing' }]);
    expect(byIndex[4].reason).toMatch(/line 5: not valid JSON/);
    // the good ones are durable and queryable
    const again = await postEvents(server.url, JSON.stringify([good1, good2]));
    expect(again.body).toMatchObject({ accepted: 0, duplicates: 2 });
  });

  it('answers 422 when not one event of the batch is usable', async () => {
    const res = await postEvents(server.url, JSON.stringify([{ type: 'case.created' }]));
    expect(res.status).toBe(422);
    expect(res.body.rejected).toBe(1);
    expect(res.body.errors[0].issues.map((i: any) => i.field)).toEqual(expect.arrayContaining(['event_id', 'ts', 'case_id', 'workflow', 'tier']));
  });

  it('takes gzip-compressed NDJSON', async () => {
    const body = gzipSync([caseCreated(20), caseCreated(21)].map((e) => JSON.stringify(e)).join('\n'));
    const res = await postEvents(server.url, body, { 'content-type': 'application/x-ndjson', 'content-encoding': 'gzip' });
    expect(res.body).toMatchObject({ accepted: 2, rejected: 0 });
  });

  it('refuses a body that is not JSON with a clear 400', async () => {
    const res = await postEvents(server.url, '{"event_id": ');
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('body_not_json');
    expect(res.body.error.message).toMatch(/application\/x-ndjson/);
  });

  it('refuses an oversize body with 413, before and after gzip', async () => {
    const big = JSON.stringify(Array.from({ length: 400 }, (_, i) => caseCreated(1000 + i)));
    expect(big.length).toBeGreaterThan(64 * 1024);
    const plain = await postEvents(server.url, big);
    expect(plain.status).toBe(413);
    expect(plain.body.error.code).toBe('body_too_large');
    // compresses far below the limit, but the limit applies to what it inflates to
    const zipped = gzipSync(big);
    expect(zipped.length).toBeLessThan(64 * 1024);
    const res = await postEvents(server.url, zipped, { 'content-encoding': 'gzip' });
    expect(res.status).toBe(413);
  });

  it('serves health, readiness, summary and Prometheus metrics', async () => {
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    const ready = await fetch(`${server.url}/readyz`);
    expect(await ready.json()).toEqual({ status: 'ready', store: kind });
    const summary = (await (await fetch(`${server.url}/v1/summary`)).json()) as any;
    expect(summary.events).toBe(await server.store.countEvents());
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    expect(metrics).toMatch(/hitl_ingest_events_total\{result="duplicate",source="http"\} [1-9]/);
    expect(metrics).toMatch(/hitl_ingest_events_total\{result="rejected",source="http"\} [1-9]/);
  });

  it('derives case state from event time, not arrival order', async () => {
    // the close arrives before the reopen that happened earlier, and a later close last
    const base = Date.UTC(2026, 10, 21, 8);
    const at = (m: number) => new Date(base + m * 60_000).toISOString();
    const events = [
      { event_id: 'ooo-close-2', type: 'case.closed', ts: at(30), case_id: 'ooo', outcome: 'approved' },
      { event_id: 'ooo-reopen', type: 'case.reopened', ts: at(20), case_id: 'ooo', reason_code: 'factual_error' },
      { event_id: 'ooo-close-1', type: 'case.closed', ts: at(10), case_id: 'ooo', outcome: 'rejected' },
      { event_id: 'ooo-created', type: 'case.created', ts: at(0), case_id: 'ooo', workflow: 'it_access_requests', tier: 3 },
    ];
    for (const e of events) expect((await postEvents(server.url, JSON.stringify(e))).body.accepted).toBe(1);
    const res = await fetch(`${server.url}/v1/cases/ooo`);
    const body = (await res.json()) as any;
    expect(body.case).toMatchObject({ state: 'closed', outcome: 'approved', reopens: 1, workflow: 'it_access_requests', tier: 3 });
    expect(body.events.map((e: any) => e.event_id)).toEqual(['ooo-created', 'ooo-close-1', 'ooo-reopen', 'ooo-close-2']);
    expect((await fetch(`${server.url}/v1/cases/nope`)).status).toBe(404);
  });
}));
