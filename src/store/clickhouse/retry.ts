import { CLICKHOUSE_RETRY_BASE_MS, CLICKHOUSE_RETRY_MAX_MS } from '../../config/defaults.js';
import { LoopwatchError } from '../../errors.js';

// ClickHouse error codes worth a retry: timeouts, overload, a replica or Keeper hiccup, and the
// "did my insert land?" case (UNKNOWN_STATUS_OF_INSERT) the deduplication token exists for.
const RETRYABLE_CODES = new Set(['3', '32', '159', '164', '202', '209', '210', '242', '252', '319', '425', '999']);
const RETRYABLE_NODE = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'UND_ERR_SOCKET']);

export function isRetryable(err: unknown): boolean {
  const e = err as { code?: unknown; message?: unknown; cause?: unknown };
  if (typeof e?.code === 'string' && (RETRYABLE_CODES.has(e.code) || RETRYABLE_NODE.has(e.code))) return true;
  if (typeof e?.message === 'string' && /socket hang up|timeout/i.test(e.message)) return true;
  return e?.cause !== undefined && e.cause !== err && isRetryable(e.cause);
}

/**
 * Sends an insert until ClickHouse acknowledges it, at most `attempts` times with backoff.
 * Every attempt must carry the same insert_deduplication_token: an attempt whose answer was
 * lost may have landed, and the token makes ClickHouse drop the second copy.
 */
export async function insertWithRetries(attempts: number, what: string, send: () => Promise<unknown>): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await send();
      return;
    } catch (err) {
      if (attempt >= attempts || !isRetryable(err)) {
        throw new LoopwatchError('store_insert_failed', `ClickHouse did not acknowledge ${what}`, { cause: err });
      }
      await new Promise((r) => setTimeout(r, Math.min(CLICKHOUSE_RETRY_MAX_MS, CLICKHOUSE_RETRY_BASE_MS * 2 ** (attempt - 1)) * (0.5 + Math.random())));
    }
  }
}
