import type { EventRow } from '../events/row.js';
import type { ValidationResult, Validator } from '../events/validate.js';
import type { BatchResult } from './batch-result.js';
import type { EventWriter } from './event-writer.js';
import { UnparseableRecord } from './unparseable.js';

export interface IngestContext {
  validate: Validator;
  writer: EventWriter;
  /** Clock for received_at, injectable so that tests can pin it. */
  now?: () => number;
}

/**
 * Validates a batch, stores its valid events and answers for every one of them. Bad events
 * are reported with their index (offset by `firstIndex` for files read in batches) and never
 * block the good ones. Resolves after the valid events are durable.
 */
export async function ingestBatch(records: readonly unknown[], ctx: IngestContext, firstIndex = 0): Promise<BatchResult> {
  const { rows, errors } = validateRecords(records, ctx, firstIndex);
  const duplicates = await ctx.writer.write(rows);
  return { accepted: rows.length - duplicates, duplicates, rejected: errors.length, errors };
}

/** The rows of the valid records and the rejection of each other one, in the records' order. */
export function validateRecords(
  records: readonly unknown[],
  ctx: Pick<IngestContext, 'validate' | 'now'>,
  firstIndex = 0,
): { rows: EventRow[]; errors: BatchResult['errors'] } {
  const receivedAt = (ctx.now ?? Date.now)();
  const rows: EventRow[] = [];
  const errors: BatchResult['errors'] = [];
  for (let i = 0; i < records.length; i++) {
    const record = records[i];
    const index = firstIndex + i;
    if (record instanceof UnparseableRecord) {
      errors.push({ index, reason: record.message, issues: [{ field: '(event)', message: record.message }] });
      continue;
    }
    const result = validateSafely(ctx.validate, record, index, receivedAt);
    if (result.ok) rows.push(result.row);
    else errors.push(result.rejected);
  }
  return { rows, errors };
}

/**
 * The validator's limits are meant to catch every hostile shape; should one still make it
 * throw, that event alone is rejected: an exception here would fail the batch, and the client,
 * told to retry the same batch, would fail the same way forever.
 */
function validateSafely(validate: Validator, record: unknown, index: number, receivedAt: number): ValidationResult {
  try {
    return validate(record, index, receivedAt);
  } catch (err) {
    const message = `could not be validated (${err instanceof Error ? err.message : String(err)})`;
    return { ok: false, rejected: { index, reason: `(event): ${message}`, issues: [{ field: '(event)', message }] } };
  }
}
