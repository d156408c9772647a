import { createHash } from 'node:crypto';
import type { EventRow } from '../../events/row.js';
import { WIRE_COLUMNS, type EncodedRows } from './row-binary.js';

/**
 * What a chain link's content is computed from, per stored row: each link records its format
 * (loopwatch_chain.row_format, migration 0007), and verify recomputes every link with its own.
 *
 * 1 (links written before 0007): SHA256 of the row as ClickHouse's JSONEachRow, computed by the
 *   engine, which meant reading every batch back from the table after its insert (the largest
 *   part of an insert in the issue-14 profile).
 * 2: the row's RowBinary bytes (row-binary.ts), hex, as the insert sent them, so the writer has
 *   them without a read-back; verify has the engine write the stored row in the same format.
 *   Either text is one-to-one with the row, so a changed column changes the link's content.
 */
export const ROW_FORMAT_JSON = 1;
export const ROW_FORMAT_BINARY = 2;
export type RowFormat = typeof ROW_FORMAT_JSON | typeof ROW_FORMAT_BINARY;

// formatRowNoNewline escapes every value, so the text is one-to-one with the row
const JSON_TEXT = `lower(hex(SHA256(formatRowNoNewline('JSONEachRow', *))))`;
// the table's types as they went over the wire: LowCardinality cast away, which RowBinary does not show anyway
const BINARY_TEXT = `lower(hex(formatRowNoNewline('RowBinary', ${WIRE_COLUMNS.map(([col, type]) => `CAST(${col} AS ${type})`).join(', ')})))`;

/** The SQL of a stored row's text in this format, over the events table's columns. */
export function rowTextSql(format: RowFormat): string {
  return format === ROW_FORMAT_JSON ? JSON_TEXT : BINARY_TEXT;
}

export interface BatchLink {
  content: string;
  events: number;
  /** The batch's ids, sorted as batchContent sorts them. */
  ids: string[];
}

/**
 * A batch's content in format 2 straight from its encoded rows: the digest batchContent
 * (src/store/chain.ts) gives for the map of id to row text, which verify computes from the table,
 * without a string per row. The ids must be distinct (the store sends the first copy of each).
 */
export function binaryBatchLink(rows: readonly EventRow[], encoded: EncodedRows): BatchLink {
  return binaryBatchLinkOfIds(rows.map((r) => r.event_id), encoded);
}

/** binaryBatchLink from the rows' ids, in the encoded rows' order. */
export function binaryBatchLinkOfIds(ids: readonly string[], encoded: EncodedRows): BatchLink {
  // batchContent's order: JavaScript's default sort, by UTF-16 unit
  const order = Array.from(ids.keys()).sort((a, b) => (ids[a] < ids[b] ? -1 : ids[a] > ids[b] ? 1 : 0));
  const { body, ends } = encoded;
  // the whole batch hex-encoded by the runtime at once; each row's text is then a copy from it
  const hex = Buffer.from(body.toString('hex'), 'latin1');
  const out = Buffer.allocUnsafe(hex.length + body.length + ids.length * 2);
  let pos = 0;
  for (const i of order) {
    const start = i === 0 ? 0 : ends[i - 1];
    // the row starts with event_id as a String: its LEB128 length, then the UTF-8 bytes
    let len = 0;
    let shift = 0;
    let p = start;
    for (;;) {
      const b = body[p++];
      len += (b & 0x7f) * 2 ** shift;
      if (b < 0x80) break;
      shift += 7;
    }
    pos += body.copy(out, pos, p, p + len);
    out[pos++] = 0x09;
    pos += hex.copy(out, pos, start * 2, ends[i] * 2);
    out[pos++] = 0x0a;
  }
  const content = createHash('sha256').update(out.subarray(0, pos)).digest('hex');
  return { content, events: ids.length, ids: order.map((i) => ids[i]) };
}
