import { DEFAULT_SEND_ATTEMPTS, SEND_RETRY_BASE_MS, SEND_RETRY_MAX_MS } from '../config/defaults.js';
import { gzipSync } from 'node:zlib';
import type { BatchResult } from './batch-result.js';

export interface SendOptions {
  /** Base URL of a Loopwatch server, e.g. http://127.0.0.1:8080 */
  url: string;
  gzip?: boolean;
  /** Attempts per batch on network errors and 5xx; retries are safe because event_id is idempotent. */
  attempts?: number;
}

/** Posts one batch as NDJSON and returns the server's answer, retrying with backoff when it may not have been stored. */
export async function sendBatch(events: readonly unknown[], options: SendOptions): Promise<BatchResult> {
  let body: Buffer = Buffer.from(events.map((e) => JSON.stringify(e)).join('\n'));
  const headers: Record<string, string> = { 'content-type': 'application/x-ndjson' };
  if (options.gzip) {
    body = gzipSync(body);
    headers['content-encoding'] = 'gzip';
  }
  const attempts = options.attempts ?? DEFAULT_SEND_ATTEMPTS;
  let lastError: unknown;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    try {
      const res = await fetch(new URL('/v1/events', options.url), { method: 'POST', headers, body: new Uint8Array(body) });
      const answer = (await res.json()) as BatchResult & { error?: { message: string } };
      if (res.status < 500) {
        if (res.status >= 400 && res.status !== 422) throw new Error(`server refused the batch: ${res.status} ${answer.error?.message}`);
        return answer;
      }
      lastError = new Error(`server answered ${res.status}: ${answer.error?.message}`);
    } catch (err) {
      if (err instanceof Error && err.message.startsWith('server refused')) throw err;
      lastError = err;
    }
    await new Promise((r) => setTimeout(r, Math.min(SEND_RETRY_MAX_MS, SEND_RETRY_BASE_MS * 2 ** attempt)));
  }
  throw new Error(`batch not stored after ${attempts} attempts`, { cause: lastError });
}
