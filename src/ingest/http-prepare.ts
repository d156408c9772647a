import type { RejectedEvent, Validator } from '../events/validate.js';
import type { EventRow } from '../events/row.js';
import { encodeRows } from '../store/clickhouse/row-binary.js';
import { storedId } from '../store/stored-id.js';
import { prepareStagedRows } from '../store/duckdb/row-text.js';
import type { EncodedEvents, PreparedEvents } from '../store/prepared.js';
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

/** `buffers`: memory for DuckDB's staged bytes, given the exact length (may be larger: its start is used). */
export function serializeRows(rows: readonly EventRow[], engine: PrepareEngine, buffers?: (bytes: number) => Uint8Array): PreparedEvents {
  return engine === 'duckdb' ? { engine, rows: prepareStagedRows(rows, buffers) } : { engine, rows: encodeEvents(rows) };
}

function encodeEvents(rows: readonly EventRow[]): EncodedEvents {
  const { body, ends } = encodeRows(rows);
  const n = rows.length;
  const ids: string[] = new Array(n);
  const workflows: (string | null)[] = new Array(n);
  const types: string[] = new Array(n);
  const ts = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const r = rows[i];
    ids[i] = storedId(r.event_id);
    workflows[i] = r.workflow;
    types[i] = r.type;
    ts[i] = r.ts;
  }
  // a copy of its own size: the encoder's buffer is larger, and it goes to another thread whole
  return { ids, workflows, ts, types, body: new Uint8Array(body), ends };
}
