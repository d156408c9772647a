import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { sendBatch } from '../../src/ingest/http-sender.js';

// A scripted peer, not a Loopwatch server: only it can answer 429 and 503 on cue, so the
// sender's timing and what it resends can be checked exactly (the real server is in
// test/integration/ingest-overload.test.ts).
let server: Server | undefined;
afterEach(() => new Promise<void>((r) => (server ? server.close(() => r()) : r())));

async function scripted(answers: { status: number; retryAfter?: string }[]) {
  const bodies: { at: number; body: string }[] = [];
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      bodies.push({ at: performance.now(), body });
      const a = answers[Math.min(bodies.length - 1, answers.length - 1)];
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (a.retryAfter) headers['retry-after'] = a.retryAfter;
      res.writeHead(a.status, headers);
      res.end(a.status === 200 ? JSON.stringify({ accepted: 1, duplicates: 0, rejected: 0, errors: [] }) : JSON.stringify({ error: { code: 'x', message: 'busy' } }));
    });
  });
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', () => r()));
  return { url: `http://127.0.0.1:${(server!.address() as AddressInfo).port}`, bodies };
}

describe('sendBatch under overload', () => {
  it('waits at least Retry-After after a 429 and resends the same batch', async () => {
    const peer = await scripted([{ status: 429, retryAfter: '1' }, { status: 503, retryAfter: '1' }, { status: 200 }]);
    const seen: number[] = [];
    const answer = await sendBatch([{ event_id: 'same-id-1' }], { url: peer.url, onRetry: (r) => seen.push(r.status ?? 0) });
    expect(answer.accepted).toBe(1);
    expect(seen).toEqual([429, 503]);
    expect(peer.bodies.length).toBe(3);
    expect(new Set(peer.bodies.map((b) => b.body))).toEqual(new Set(['{"event_id":"same-id-1"}']));
    expect(peer.bodies[1].at - peer.bodies[0].at).toBeGreaterThanOrEqual(990);
    expect(peer.bodies[2].at - peer.bodies[1].at).toBeGreaterThanOrEqual(990);
  });

  it('keeps retrying a busy server past the attempt budget for failures', async () => {
    const peer = await scripted([...Array(4).fill({ status: 429, retryAfter: "0" }), { status: 200 }]);
    const answer = await sendBatch([{ event_id: 'busy' }], { url: peer.url, attempts: 2 });
    expect(answer.accepted).toBe(1);
    expect(peer.bodies.length).toBe(5);
  });

  it('gives up after its attempts when the server keeps failing', async () => {
    const peer = await scripted([{ status: 503 }]);
    await expect(sendBatch([{ event_id: 'down' }], { url: peer.url, attempts: 2 })).rejects.toThrow(/not stored after 2 attempts/);
  });
});
