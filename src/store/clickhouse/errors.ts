import { LoopwatchError } from '../../errors.js';
import type { StoreErrorCode } from '../store.js';

// Node's and the client's words for a server that cannot be reached, as opposed to one that
// answered with an error
const UNREACHABLE = /ECONNREFUSED|ENOTFOUND|EHOSTUNREACH|ECONNRESET|ETIMEDOUT|EAI_AGAIN|socket hang up|Timeout error/i;

/**
 * A ClickHouse failure as the LoopwatchError both stores throw for it (see StoreErrorCode): an
 * unreachable server is store_unavailable whatever was asked of it; anything else takes the
 * code of what was being done. A LoopwatchError passes through unchanged.
 */
export function storeError(err: unknown, code: StoreErrorCode, message: string): LoopwatchError {
  if (err instanceof LoopwatchError) return err;
  const text = `${(err as { code?: string })?.code ?? ''} ${(err as Error)?.message ?? String(err)}`;
  if (UNREACHABLE.test(text)) return new LoopwatchError('store_unavailable', `ClickHouse cannot be reached (${message}): ${firstLine(err)}`, { cause: err });
  return new LoopwatchError(code, `${message}: ${firstLine(err)}`, { cause: err });
}

/** The engine's own words, first line only: a CLI user sees what failed without the stack. */
export function firstLine(err: unknown): string {
  return String((err as Error)?.message ?? err).split('\n')[0];
}
