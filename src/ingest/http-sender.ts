import {
  DEFAULT_SEND_ATTEMPTS,
  DEFAULT_SEND_OVERLOAD_PATIENCE_MS,
  SEND_RETRY_AFTER_MAX_MS,
  SEND_RETRY_BASE_MS,
  SEND_RETRY_MAX_MS,
} from '../config/defaults.js';
import { gzipSync } from 'node:zlib';
import type { BatchResult } from './batch-result.js';

export interface SendOptions {
  /** Base URL of a Loopwatch server, e.g. http://127.0.0.1:8080 */
  url: string;
  /** Sent with every attempt, e.g. the Authorization of a server that asks for tokens. */
  headers?: Record<string, string>;
  gzip?: boolean;
  /** Attempts per batch on network errors and 5xx; retries are safe because event_id is idempotent. */
  attempts?: number;
  /** How long to keep resending while the server answers 429 (busy); 429s do not use up `attempts`. */
  overloadPatienceMs?: number;
  /** Told of each retry before its wait: the status (undefined for a network error) and the wait. */
  onRetry?: (retry: { status?: number; waitMs: number; attempt: number }) => void;
}

/**
 * Posts one batch as NDJSON and returns the server's answer. The same bytes, hence the same
 * event ids, go out on every attempt, so a retry never counts an event twice: on 429 (busy:
 * nothing stored) and on 5xx or a lost connection (maybe stored: the resend finds duplicates).
 */
export async function sendBatch(events: readonly unknown[], options: SendOptions): Promise<BatchResult> {
  let body: Buffer = Buffer.from(events.map((e) => JSON.stringify(e)).join('\n'));
  const headers: Record<string, string> = { ...options.headers, 'content-type': 'application/x-ndjson' };
  if (options.gzip) {
    body = gzipSync(body);
    headers['content-encoding'] = 'gzip';
  }
  const attempts = options.attempts ?? DEFAULT_SEND_ATTEMPTS;
  const busyUntil = Date.now() + (options.overloadPatienceMs ?? DEFAULT_SEND_OVERLOAD_PATIENCE_MS);
  let failures = 0;
  let tries = 0;
  let lastError: unknown;
  for (;;) {
    tries++;
    let status: number | undefined;
    let retryAfterMs = 0;
    try {
      const res = await fetch(new URL('/v1/events', options.url), { method: 'POST', headers, body: new Uint8Array(body) });
      status = res.status;
      const answer = await readAnswer(res);
      if (status === 200 || status === 422) return answer as BatchResult;
      const message = `server answered ${status}: ${answer.error?.message ?? 'no message'}`;
      if (status !== 429 && status < 500) throw new RefusedError(`server refused the batch: ${status} ${answer.error?.message}`);
      lastError = new Error(message);
      retryAfterMs = retryAfter(res.headers.get('retry-after'));
    } catch (err) {
      if (err instanceof RefusedError) throw err;
      lastError = err;
    }
    if (status === 429) {
      if (Date.now() >= busyUntil) throw new Error(`batch not stored: the server stayed busy (429) for ${Math.round((options.overloadPatienceMs ?? DEFAULT_SEND_OVERLOAD_PATIENCE_MS) / 1000)} s`, { cause: lastError });
    } else if (++failures >= attempts) {
      throw new Error(`batch not stored after ${attempts} attempts`, { cause: lastError });
    }
    const waitMs = backoff(tries, retryAfterMs);
    options.onRetry?.({ status, waitMs, attempt: tries });
    await new Promise((r) => setTimeout(r, waitMs));
  }
}

class RefusedError extends Error {}

async function readAnswer(res: Response): Promise<Partial<BatchResult> & { error?: { message?: string } }> {
  const text = await res.text();
  try {
    return JSON.parse(text);
  } catch {
    // a proxy's HTML error page: the status alone decides what happens next
    return { error: { message: text.slice(0, 200) } };
  }
}

/**
 * Capped exponential backoff times 1-1.5 jitter (senders turned away together come back
 * spread out), never shorter than the server's Retry-After.
 */
function backoff(tries: number, retryAfterMs: number): number {
  const exp = Math.min(SEND_RETRY_MAX_MS, SEND_RETRY_BASE_MS * 2 ** (tries - 1));
  return Math.max(exp, retryAfterMs) * (1 + Math.random() / 2);
}

/** Retry-After as delay-seconds or an HTTP date, in ms; 0 when absent or unreadable. */
function retryAfter(header: string | null): number {
  if (!header) return 0;
  const seconds = Number(header);
  const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(header) - Date.now();
  return Number.isFinite(ms) ? Math.min(SEND_RETRY_AFTER_MAX_MS, Math.max(0, ms)) : 0;
}
