import { EVENT_COLUMNS, type ColumnKind, type EventRow } from '../../events/row.js';

/**
 * Event rows in ClickHouse's RowBinary format, for the events table's columns in EVENT_COLUMNS
 * order (sql/clickhouse/migrations/0001_events.sql). Binary values need no quoting, escaping or
 * number parsing on either side, which JSON rows cost in JavaScript and again in ClickHouse.
 *
 * The encoding per column type (ClickHouse docs, "RowBinary"): String and LowCardinality(String)
 * as a LEB128 length and the UTF-8 bytes; Nullable(T) a byte 1 for NULL, else 0 and T;
 * DateTime64(3) an Int64 of milliseconds, little-endian; UInt8 and Bool one byte; Float64 eight
 * bytes, little-endian; Array(T) a LEB128 count and the items (ClickHouse has no Nullable(Array):
 * an absent list is written empty, as the JSON rows did).
 *
 * The same bytes are the rows' tamper-evidence text (row-text.ts), so they are a definition:
 * changing them for stored rows needs a new row-text version.
 */

// event_id and type are not Nullable in ClickHouse; ts and received_at never null
const NOT_NULL = new Set<keyof EventRow>(['event_id', 'type']);

/** The ClickHouse type each column travels as (the migration's types, less LowCardinality, which RowBinary does not show). */
const WIRE_TYPES: Record<ColumnKind, string> = {
  varchar: 'Nullable(String)',
  json: 'Nullable(String)',
  varchar_list: 'Array(String)',
  double: 'Nullable(Float64)',
  tinyint: 'Nullable(UInt8)',
  boolean: 'Nullable(Bool)',
  timestamp: "DateTime64(3, 'UTC')",
};

/** [column, wire type] in EVENT_COLUMNS order: file()'s structure, and the casts of the row text's SQL. */
export const WIRE_COLUMNS: readonly (readonly [keyof EventRow, string])[] = EVENT_COLUMNS.map(([col, kind]) => [col, NOT_NULL.has(col) ? 'String' : WIRE_TYPES[kind]]);

// A value of the wrong type is refused, never written as some other bytes: ClickHouse would
// read a misplaced byte as the next column, or store 0 for a tier that is not a number.
function refuse(kind: string, v: unknown): never {
  throw new TypeError(`RowBinary: expected ${kind}, got ${JSON.stringify(v)}`);
}

class BinaryWriter {
  buf: Buffer;
  pos = 0;

  constructor(size: number) {
    this.buf = Buffer.allocUnsafe(size);
  }

  ensure(bytes: number): void {
    if (this.pos + bytes <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.pos + bytes));
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }

  varint(n: number): void {
    this.ensure(10);
    while (n >= 0x80) {
      this.buf[this.pos++] = (n & 0x7f) | 0x80;
      n = Math.floor(n / 128);
    }
    this.buf[this.pos++] = n;
  }

  string(s: unknown): void {
    if (typeof s !== 'string') refuse('a string', s);
    const len = s.length;
    if (len < 64) {
      // ASCII, the usual case, byte by byte in JavaScript: cheaper than a call into the
      // runtime's UTF-8 encoder for short strings; anything else falls through to it
      this.ensure(1 + len * 3);
      const buf = this.buf;
      let p = this.pos + 1;
      let i = 0;
      for (; i < len; i++) {
        const c = s.charCodeAt(i);
        if (c >= 0x80) break;
        buf[p++] = c;
      }
      if (i === len) {
        buf[this.pos] = len;
        this.pos = p;
        return;
      }
      if (len < 128 / 3) {
        // at most 3 bytes per UTF-16 unit: the one-byte length prefix is enough
        const n = buf.write(s, this.pos + 1, 'utf8');
        buf[this.pos] = n;
        this.pos += 1 + n;
        return;
      }
    }
    const n = Buffer.byteLength(s, 'utf8');
    this.varint(n);
    this.ensure(n);
    this.buf.write(s, this.pos, n, 'utf8');
    this.pos += n;
  }

  int64(n: number): void {
    // two 32-bit halves: exact for every safe integer, without a BigInt per value
    this.ensure(8);
    const hi = Math.floor(n / 4294967296);
    const lo = n - hi * 4294967296;
    const buf = this.buf;
    const p = this.pos;
    buf[p] = lo & 0xff;
    buf[p + 1] = (lo >>> 8) & 0xff;
    buf[p + 2] = (lo >>> 16) & 0xff;
    buf[p + 3] = lo >>> 24;
    buf[p + 4] = hi & 0xff;
    buf[p + 5] = (hi >> 8) & 0xff;
    buf[p + 6] = (hi >> 16) & 0xff;
    buf[p + 7] = (hi >> 24) & 0xff;
    this.pos = p + 8;
  }

  time(v: unknown): void {
    if (!Number.isSafeInteger(v)) refuse('epoch milliseconds', v);
    this.int64(v as number);
  }

  list(v: unknown): void {
    const items = v ?? [];
    if (!Array.isArray(items)) refuse('a list of strings', v);
    this.varint(items.length);
    for (const item of items) this.string(item);
  }

  /** The byte Nullable(T) starts with; true when a value follows. */
  present(v: unknown): boolean {
    this.ensure(9);
    const present = v !== null && v !== undefined;
    this.buf[this.pos++] = present ? 0 : 1;
    return present;
  }

  float64(v: unknown): void {
    if (typeof v !== 'number') refuse('a number', v);
    this.buf.writeDoubleLE(v, this.pos);
    this.pos += 8;
  }

  uint8(v: unknown): void {
    if (!(Number.isInteger(v) && (v as number) >= 0 && (v as number) <= 255)) refuse('an integer 0-255', v);
    this.buf[this.pos++] = v as number;
  }

  bool(v: unknown): void {
    if (typeof v !== 'boolean') refuse('a boolean', v);
    this.buf[this.pos++] = v ? 1 : 0;
  }
}

const WRITE: Record<string, string> = {
  String: 'w.string(v)',
  "DateTime64(3, 'UTC')": 'w.time(v)',
  'Array(String)': 'w.list(v)',
  'Nullable(String)': 'if (w.present(v)) w.string(v)',
  'Nullable(Float64)': 'if (w.present(v)) w.float64(v)',
  'Nullable(UInt8)': 'if (w.present(v)) w.uint8(v)',
  'Nullable(Bool)': 'if (w.present(v)) w.bool(v)',
};

/**
 * One row's columns, as straight-line code compiled once from WIRE_COLUMNS: every row of a batch
 * has the validator's one object shape, so named property reads stay monomorphic, where a loop
 * over column names (a keyed read per value) cost about twice the time per row.
 */
const writeRow = new Function(
  'w',
  'row',
  WIRE_COLUMNS.map(([col, type]) => {
    if (!/^[a-z_]+$/.test(col) || !WRITE[type]) throw new Error(`row-binary: no writer for ${col} ${type}`);
    return `{ const v = row.${col}; ${WRITE[type]}; }`;
  }).join('\n'),
) as (w: BinaryWriter, row: EventRow) => void;

/** A batch as RowBinary: one body, and where each row ends in it (row i is ends[i-1]..ends[i]). */
export interface EncodedRows {
  body: Buffer;
  ends: Uint32Array;
}

/** The rows as one RowBinary body for `INSERT INTO events (EVENT_COLUMNS...) FORMAT RowBinary`. */
export function encodeRows(rows: readonly EventRow[]): EncodedRows {
  const w = new BinaryWriter(Math.max(4096, rows.length * 320));
  const ends = new Uint32Array(rows.length);
  for (let r = 0; r < rows.length; r++) {
    writeRow(w, rows[r]);
    ends[r] = w.pos;
  }
  return { body: w.buf.subarray(0, w.pos), ends };
}
