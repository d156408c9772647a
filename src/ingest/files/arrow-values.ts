import { isAscii } from 'node:buffer';
import { makeVector, Type, type Data, type DataType, type Field, type RecordBatch, type Schema } from 'apache-arrow';
import type { RawRecord } from './types.js';

/**
 * Arrow values become the plain values of the JSON contract: timestamps RFC 3339 text in
 * UTC (a timestamp without a zone is taken as UTC), dates 'YYYY-MM-DD', 64-bit integers
 * numbers (beyond 2^53 they lose precision), lists arrays, structs and maps objects,
 * binary base64, text of the `arrow.json` extension type parsed (left as text if it is
 * not JSON, so validation reports it). A null is an absent field in a struct and a null
 * in a list.
 *
 * Timestamps keep millisecond precision, the store's.
 *
 * Conversion goes column by column over the buffers: apache-arrow's per-value getters
 * build a Proxy per struct and a TextDecoder call per string, and measured ~55k rows/s on
 * a 26-column event table, mostly garbage collection; this runs at ~200k rows/s.
 */

/** Values of rows [from, to) of one column; `undefined` marks a null. */
type ColumnReader = (data: Data, from: number, to: number) => unknown[];

const MS_PER_UNIT = [1000, 1, 1e-3, 1e-6];

/** A validity test for one column slice; Data.getValid re-derives the layout on every call. */
function validity(data: Data): (i: number) => boolean {
  const bitmap = data.nullBitmap;
  if (data.nullCount === 0 || !bitmap || bitmap.length === 0) return () => true;
  const offset = data.offset;
  return (i) => ((bitmap[(offset + i) >> 3] >> ((offset + i) & 7)) & 1) === 1;
}

function isJsonText(field: Field | undefined): boolean {
  return field?.metadata.get('ARROW:extension:name') === 'arrow.json';
}

function parseJsonOrKeep(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

const readUtf8 =
  (json: boolean): ColumnReader =>
  (data, from, to) => {
    const valid = validity(data);
    const offsets = data.valueOffsets as Int32Array | BigInt64Array;
    const start = Number(offsets[from]);
    const bytes = Buffer.from(data.values.buffer, data.values.byteOffset + start, Number(offsets[to]) - start);
    // ASCII text (the usual case) is decoded once and cut with String.slice, much
    // cheaper than a decoder call per value
    const whole = isAscii(bytes) ? bytes.toString('latin1') : undefined;
    const out = new Array<unknown>(to - from);
    for (let i = from; i < to; i++) {
      if (!valid(i)) continue;
      const a = Number(offsets[i]) - start;
      const b = Number(offsets[i + 1]) - start;
      const text = whole === undefined ? bytes.toString('utf8', a, b) : whole.slice(a, b);
      out[i - from] = json ? parseJsonOrKeep(text) : text;
    }
    return out;
  };

const readNumbers: ColumnReader = (data, from, to) => {
  const valid = validity(data);
  const values = data.values as ArrayLike<number | bigint>;
  const out = new Array<unknown>(to - from);
  for (let i = from; i < to; i++) if (valid(i)) out[i - from] = Number(values[i]);
  return out;
};

const readTimestamps =
  (unit: number): ColumnReader =>
  (data, from, to) => {
    const valid = validity(data);
    const values = data.values as BigInt64Array;
    const out = new Array<unknown>(to - from);
    for (let i = from; i < to; i++) {
      if (valid(i)) out[i - from] = new Date(Math.floor(Number(values[i]) * MS_PER_UNIT[unit])).toISOString();
    }
    return out;
  };

/** Any other type through apache-arrow's getter: slower, but rare in event files. */
const readByGetter =
  (convert: (v: any) => unknown): ColumnReader =>
  (data, from, to) => {
    const vector = makeVector(data);
    const out = new Array<unknown>(to - from);
    for (let i = from; i < to; i++) {
      const v = vector.get(i);
      if (v != null) out[i - from] = convert(v);
    }
    return out;
  };

function readStruct(fields: readonly Field[]): ColumnReader {
  const members = fields.map((f) => ({ name: f.name, read: readerFor(f.type, f) }));
  return (data, from, to) => {
    // struct children are sliced along with the struct, so they share its row numbers
    const columns = members.map((m, k) => m.read(data.children[k], from, to));
    const valid = validity(data);
    const out = new Array<unknown>(to - from);
    for (let i = from; i < to; i++) {
      if (!valid(i)) continue;
      const obj: Record<string, unknown> = {};
      for (let k = 0; k < members.length; k++) {
        const v = columns[k][i - from];
        if (v !== undefined) obj[members[k].name] = v;
      }
      out[i - from] = obj;
    }
    return out;
  };
}

/** Lists and maps: the rows' items are one run of the child column, read at once. */
function readNested(item: ColumnReader, build: (items: unknown[], start: number, end: number) => unknown): ColumnReader {
  return (data, from, to) => {
    const offsets = data.valueOffsets as Int32Array | BigInt64Array;
    const first = Number(offsets[from]);
    const items = item(data.children[0], first, Number(offsets[to]));
    const valid = validity(data);
    const out = new Array<unknown>(to - from);
    for (let i = from; i < to; i++) {
      if (valid(i)) out[i - from] = build(items, Number(offsets[i]) - first, Number(offsets[i + 1]) - first);
    }
    return out;
  };
}

const listOf = (items: unknown[], start: number, end: number) => {
  const list = items.slice(start, end);
  for (let j = 0; j < list.length; j++) if (list[j] === undefined) list[j] = null;
  return list;
};

const objectOfEntries = (entries: unknown[], start: number, end: number) => {
  const obj: Record<string, unknown> = {};
  for (let j = start; j < end; j++) {
    const entry = entries[j] as { key: unknown; value?: unknown };
    obj[String(entry.key)] = entry.value ?? null;
  }
  return obj;
};

function readDictionary(valueType: DataType, field: Field | undefined): ColumnReader {
  const readValues = readerFor(valueType, field);
  let decodedFor: unknown;
  let decoded: unknown[] = [];
  return (data, from, to) => {
    // batches usually share one dictionary: decode it once, not once per row
    const dictionary = data.dictionary!;
    if (dictionary !== decodedFor) {
      decoded = dictionary.data.flatMap((chunk) => readValues(chunk, 0, chunk.length));
      decodedFor = dictionary;
    }
    const valid = validity(data);
    const keys = data.values as ArrayLike<number | bigint>;
    const out = new Array<unknown>(to - from);
    for (let i = from; i < to; i++) if (valid(i)) out[i - from] = decoded[Number(keys[i])];
    return out;
  };
}

function readerFor(type: DataType, field?: Field): ColumnReader {
  const t = type as any;
  switch (type.typeId) {
    case Type.Utf8:
    case Type.LargeUtf8:
      return readUtf8(isJsonText(field));
    case Type.Utf8View:
      return readByGetter(isJsonText(field) ? parseJsonOrKeep : (v) => v);
    case Type.Int:
    case Type.Float:
      return t.precision === 0 /* HALF */ ? readByGetter(Number) : readNumbers;
    case Type.Timestamp:
      return readTimestamps(t.unit);
    case Type.Date:
      // the getter gives epoch milliseconds for both units
      return readByGetter((ms: number) => new Date(ms).toISOString().slice(0, 10));
    case Type.Decimal:
      return readByGetter((v) => v.valueOf(t.scale));
    case Type.Binary:
    case Type.LargeBinary:
    case Type.BinaryView:
    case Type.FixedSizeBinary:
      return readByGetter((b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('base64'));
    case Type.Struct:
      return readStruct(type.children);
    case Type.List:
    case Type.LargeList:
      return readNested(readerFor(type.children[0].type, type.children[0]), listOf);
    case Type.Map:
      return readNested(readerFor(type.children[0].type, type.children[0]), objectOfEntries);
    case Type.Dictionary:
      return readDictionary(t.dictionary, field);
    default:
      // Bool, Null, Time, Duration, Interval, Union, FixedSizeList: the getter's value,
      // with 64-bit integers made numbers
      return readByGetter((v) => (typeof v === 'bigint' ? Number(v) : v?.toJSON ? v.toJSON() : v));
  }
}

export interface Column {
  name: string;
  read: ColumnReader;
}

/** Readers for a schema's columns; built once per schema so dictionaries stay decoded across batches. */
export function columnsOf(schema: Schema): Column[] {
  return schema.fields.map((field) => ({ name: field.name, read: readerFor(field.type, field) }));
}

/** Rows [from, to) of a batch as objects, filled column by column; a null leaves the field absent. */
export function rowsOf(columns: Column[], batch: RecordBatch, from: number, to: number): RawRecord[] {
  const rows = new Array<Record<string, unknown>>(to - from);
  for (let i = 0; i < rows.length; i++) rows[i] = {};
  for (let j = 0; j < columns.length; j++) {
    // a record batch's columns are single Data objects
    const values = columns[j].read(batch.getChildAt(j)!.data[0], from, to);
    const name = columns[j].name;
    for (let i = 0; i < values.length; i++) if (values[i] !== undefined) rows[i][name] = values[i];
  }
  return rows;
}
