import { LoopwatchError, StoreLockedError } from '../../errors.js';
import type { StoreErrorCode } from '../store.js';

/**
 * A DuckDB failure as the LoopwatchError both stores throw for it (see StoreErrorCode): a file
 * another process holds is store_locked, one that cannot be opened store_unavailable; anything
 * else takes the code of what was being done. A LoopwatchError passes through unchanged.
 */
export function storeError(err: unknown, code: StoreErrorCode, message: string): LoopwatchError {
  if (err instanceof LoopwatchError) return err;
  return new LoopwatchError(code, `${message}: ${firstLine(err)}`, { cause: err });
}

/** The engine's own words, first line only: a CLI user sees what failed without the stack. */
export function firstLine(err: unknown): string {
  return String((err as Error)?.message ?? err).split('\n')[0];
}

/** Why a database file could not be opened. */
export function openError(file: string, err: unknown): LoopwatchError {
  // DuckDB says "Could not set lock on file ... Conflicting lock is held in ..."
  if (/lock/i.test(String((err as Error)?.message))) return new StoreLockedError(file, err);
  return storeError(err, 'store_unavailable', `DuckDB could not open ${file}`);
}
