import type { RejectedEvent, Validator } from '../events/validate.js';
import type { PreparedEvents } from '../store/prepared.js';
import { serializeRows } from '../store/serialize-rows.js';
import { parseEventsBody } from './http-body.js';
import { httpValidatedHere } from './http-validated.js';
import { validateRecords } from './ingest-batch.js';

export type PrepareEngine = PreparedEvents['engine'];

/** A request body validated and its valid events serialized for the engine. */
export interface PreparedBody {
  valid: number;
  /** Every rejected event with its index and reason, in index order. */
  errors: RejectedEvent[];
  prepared: PreparedEvents;
}

/**
 * POST /v1/events's per-event work, the same whichever thread runs it: the body parsed
 * (http-body.ts: a BodyError for a body that is not events at all), every record validated
 * (ingest-batch.ts: the same reasons and indexes) and the valid rows serialized as the engine
 * stores them.
 */
export function prepareBody(
  body: Buffer,
  contentType: string | undefined,
  validate: Validator,
  engine: PrepareEngine,
  receivedAt: number,
  buffers?: (bytes: number) => Uint8Array,
): PreparedBody {
  const records = parseEventsBody(body, contentType, validate.limits);
  httpValidatedHere.add(records.length);
  const { rows, errors } = validateRecords(records, { validate, now: () => receivedAt });
  return { valid: rows.length, errors, prepared: serializeRows(rows, engine, buffers) };
}
