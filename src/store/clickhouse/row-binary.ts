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
 */
type Writer = (w: BinaryWriter, value: unknown) => void;

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

  string(s: string): void {
    // at most 3 bytes per UTF-16 unit; the length prefix is written once the size is known
    if (s.length < 128 / 3) {
      this.ensure(1 + s.length * 3);
      const n = this.buf.write(s, this.pos + 1, 'utf8');
      this.buf[this.pos] = n;
      this.pos += 1 + n;
      return;
    }
    const n = Buffer.byteLength(s, 'utf8');
    this.varint(n);
    this.ensure(n);
    this.buf.write(s, this.pos, n, 'utf8');
    this.pos += n;
  }

  byte(b: number): void {
    this.ensure(1);
    this.buf[this.pos++] = b;
  }

  int64(n: number): void {
    // two 32-bit halves: exact for every safe integer, without a BigInt per value
    this.ensure(8);
    const hi = Math.floor(n / 4294967296);
    this.buf.writeUInt32LE(n - hi * 4294967296, this.pos);
    this.buf.writeInt32LE(hi, this.pos + 4);
    this.pos += 8;
  }

  float64(n: number): void {
    this.ensure(8);
    this.buf.writeDoubleLE(n, this.pos);
    this.pos += 8;
  }
}

// A value of the wrong type is refused, never written as some other bytes: ClickHouse would
// read a misplaced byte as the next column, or store 0 for a tier that is not a number.
function refuse(kind: string, v: unknown): never {
  throw new TypeError(`RowBinary: expected ${kind}, got ${JSON.stringify(v)}`);
}
const text: Writer = (w, v) => (typeof v === 'string' ? w.string(v) : refuse('a string', v));
const time: Writer = (w, v) => (Number.isSafeInteger(v) ? w.int64(v as number) : refuse('epoch milliseconds', v));
const uint8: Writer = (w, v) => (Number.isInteger(v) && (v as number) >= 0 && (v as number) <= 255 ? w.byte(v as number) : refuse('an integer 0-255', v));
const float64: Writer = (w, v) => (typeof v === 'number' ? w.float64(v) : refuse('a number', v));
const bool: Writer = (w, v) => (typeof v === 'boolean' ? w.byte(v ? 1 : 0) : refuse('a boolean', v));
const list: Writer = (w, v) => {
  const items = v ?? [];
  if (!Array.isArray(items)) refuse('a list of strings', v);
  w.varint(items.length);
  for (const item of items) text(w, item);
};
const nullable =
  (inner: Writer): Writer =>
  (w, v) => {
    if (v === null || v === undefined) {
      w.byte(1);
      return;
    }
    w.byte(0);
    inner(w, v);
  };

/** The ClickHouse column of each kind (the migration's types, less LowCardinality, which RowBinary does not show). */
const WRITERS: Record<ColumnKind, Writer> = {
  varchar: nullable(text),
  json: nullable(text),
  varchar_list: list,
  double: nullable(float64),
  tinyint: nullable(uint8),
  boolean: nullable(bool),
  timestamp: time,
};

// event_id and type are not Nullable in ClickHouse; ts and received_at never null
const NOT_NULL = new Set<keyof EventRow>(['event_id', 'type']);

const COLUMN_WRITERS: readonly [keyof EventRow, Writer][] = EVENT_COLUMNS.map(([col, kind]) => [col, NOT_NULL.has(col) ? text : WRITERS[kind]]);

/** The rows as one RowBinary body for `INSERT INTO events (EVENT_COLUMNS...) FORMAT RowBinary`. */
export function toRowBinary(rows: readonly EventRow[]): Buffer {
  const w = new BinaryWriter(Math.max(4096, rows.length * 512));
  for (const row of rows) {
    for (const [col, write] of COLUMN_WRITERS) write(w, row[col]);
  }
  return w.buf.subarray(0, w.pos);
}
