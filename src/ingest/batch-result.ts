import type { RejectedEvent } from '../events/validate.js';

/** The answer to one batch, over HTTP and in the file summary. */
export interface BatchResult {
  accepted: number;
  duplicates: number;
  rejected: number;
  errors: RejectedEvent[];
}

export function emptyResult(): BatchResult {
  return { accepted: 0, duplicates: 0, rejected: 0, errors: [] };
}

export function addResult(into: BatchResult, from: BatchResult, keepErrors = true): BatchResult {
  into.accepted += from.accepted;
  into.duplicates += from.duplicates;
  into.rejected += from.rejected;
  if (keepErrors) into.errors.push(...from.errors);
  return into;
}

/**
 * "12 accepted, 3 duplicates, 0 rejected": every command that sends or loads events says all
 * three, so a run whose events were all stored before never reads as a successful load.
 */
export function describeResult(r: Pick<BatchResult, 'accepted' | 'duplicates' | 'rejected'>): string {
  return `${r.accepted} accepted, ${r.duplicates} duplicates, ${r.rejected} rejected`;
}
