import type { EventRow } from '../events/row.js';
import { encodeRows } from './clickhouse/row-binary.js';
import { prepareStagedRows } from './duckdb/row-text.js';
import type { EncodedEvents, PreparedEvents } from './prepared.js';
import { storedId } from './stored-id.js';

/**
 * Validated rows serialized as an engine stores them (DuckDB's staged lines, ClickHouse's
 * RowBinary), on whichever thread validated them: the one place outside the stores that knows
 * each engine's row format, so that ingest (src/ingest/http-prepare.ts) names only the engine.
 * `buffers`: memory for DuckDB's staged bytes, given the exact length (may be larger: its start
 * is used).
 */
export function serializeRows(rows: readonly EventRow[], engine: PreparedEvents['engine'], buffers?: (bytes: number) => Uint8Array): PreparedEvents {
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
