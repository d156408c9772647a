import { createHash } from 'node:crypto';
import { EVENT_COLUMNS, type ColumnKind, type EventRow } from '../../events/row.js';
import type { PreparedRows } from '../store.js';
import { storedId } from '../stored-id.js';

/**
 * One event as a line of JSON: its non-null columns in the table's order, timestamps as integer
 * epoch microseconds (what a TIMESTAMP holds, so the text made again from a stored row is the
 * same text). The line is both what DuckDB's read_json stages (append.ts) and, hashed, the row
 * hash of chain version 2 (chain.ts): one serialization per event serves both, where version 1
 * had the engine build and hash `to_json` of every stored row.
 */
export function rowText(row: EventRow): string {
  return textOf(row as unknown as Record<string, unknown>, 1000);
}

/** The same text from a stored row read back with its timestamps already in microseconds. */
export function storedRowText(row: Record<string, unknown>): string {
  return textOf(row, 1);
}

export function rowHash(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/**
 * Rows as a staged file takes them (StagedFile.addPrepared), in forms a worker thread hands
 * over cheaply (one string of hashes, the text already UTF-8 in a buffer it can transfer).
 */
export function prepareStagedRows(rows: readonly EventRow[], buffers: (bytes: number) => Uint8Array = (n) => new Uint8Array(n)): PreparedRows {
  const ids: string[] = new Array(rows.length);
  const lines: string[] = new Array(rows.length);
  const idLines: string[] = new Array(rows.length);
  let longest = 0;
  let sortsAlike = true;
  for (let i = 0; i < rows.length; i++) {
    const text = rowText(rows[i]);
    const id = storedId(rows[i].event_id);
    ids[i] = id;
    if (sortsAlike && HIGH_UNITS.test(id)) sortsAlike = false;
    idLines[i] = idLine(id, rowHash(text));
    lines[i] = text;
    if (text.length > longest) longest = text.length;
  }
  return { ids, bytes: utf8Lines(lines, buffers), idBytes: utf8Lines(idLines, buffers), longest, sortsAlike };
}

/**
 * Lines as UTF-8 in a buffer from `buffers` (a view of its start), each ended by a newline,
 * encoded a few dozen KB at a time: a batch's text joined into one string went to V8's
 * large-object space (over 128 KB), a fresh mapping per batch that the kernel mapped and
 * unmapped again and again (issue 14: a quarter of file ingest's CPU was system time).
 */
function utf8Lines(lines: readonly string[], buffers: (bytes: number) => Uint8Array): Uint8Array {
  let chars = 0;
  for (const line of lines) chars += line.length + 1;
  // ASCII (nearly every line) takes as many bytes as characters; grown when it does not fit
  let out = buffers(chars);
  let length = 0;
  for (let first = 0; first < lines.length; ) {
    let last = first;
    let size = 0;
    while (last < lines.length && size < ENCODE_CHARS) size += lines[last++].length + 1;
    const piece = lines.slice(first, last);
    piece.push('');
    const text = piece.join('\n');
    chars -= text.length;
    for (let read = 0; ; ) {
      const r = ENCODER.encodeInto(read === 0 ? text : text.slice(read), out.subarray(length));
      read += r.read;
      length += r.written;
      if (read === text.length) break;
      const bigger = buffers(length + (text.length - read + chars) * 3);
      bigger.set(out.subarray(0, length));
      out = bigger;
    }
    first = last;
  }
  return out.subarray(0, length);
}
/** Characters encoded at a time: a string of them stays under V8's large-object size (128 KB). */
const ENCODE_CHARS = 48 * 1024;
const HIGH_UNITS = /[\uD800-\uFFFF]/;

/** A row's line of the ids file beside the staged rows: its id as stored and its hash (row hash version 2). */
export function idLine(id: string, hash: string): string {
  return `{"event_id":${JSON.stringify(id)},"h":"${hash}"}`;
}
const ENCODER = new TextEncoder();

const KEYS = EVENT_COLUMNS.map(([col]) => `"${col}":`);
const IS_TIMESTAMP = EVENT_COLUMNS.map(([, kind]) => kind === 'timestamp');
// JSON.stringify writes a lone surrogate as an escape, which read_json refuses: such strings go
// in as U+FFFD, as the appender stored them (the stored row then makes the same text again)
const LONE_SURROGATE_ESCAPE = /\\ud[89a-f][0-9a-f]{2}/;

function textOf(row: Record<string, unknown>, timestampScale: number): string {
  let s = '{';
  for (let i = 0; i < KEYS.length; i++) {
    const v = row[EVENT_COLUMNS[i][0]];
    if (v === null || v === undefined) continue;
    if (s.length > 1) s += ',';
    s += KEYS[i] + (IS_TIMESTAMP[i] ? String(Math.round((v as number) * timestampScale)) : JSON.stringify(v));
  }
  s += '}';
  return LONE_SURROGATE_ESCAPE.test(s) ? textOf(wellFormed(row), timestampScale) : s;
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const repaired = (x: unknown) => (typeof x === 'string' ? x.replace(LONE_SURROGATE, '\uFFFD') : x);

function wellFormed(row: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(row)) out[k] = Array.isArray(v) ? v.map(repaired) : repaired(v);
  return out;
}

const READ_TYPE: Record<ColumnKind, string> = {
  varchar: 'VARCHAR',
  json: 'VARCHAR',
  varchar_list: 'VARCHAR[]',
  double: 'DOUBLE',
  tinyint: 'UTINYINT',
  boolean: 'BOOLEAN',
  timestamp: 'BIGINT',
};

const ALL_COLUMNS = Object.fromEntries(EVENT_COLUMNS.map(([col, kind]) => [col, READ_TYPE[kind]]));
const SELECT_STAGED = EVENT_COLUMNS.map(([col, kind]) => (kind === 'timestamp' ? `make_timestamp("${col}") AS "${col}"` : `"${col}"`)).join(', ');

/** read_json of staged lines, typed (no detection), as rows of `events`. */
export function stagedRows(file: string, maxObjectBytes: number): string {
  return `(SELECT ${SELECT_STAGED} FROM ${readStaged(file, maxObjectBytes, ALL_COLUMNS)})`;
}

/** The read_json call over a staged file, reading `columns` (name to SQL type). */
export function readStaged(file: string, maxObjectBytes: number, columns: Record<string, string>): string {
  const spec = Object.entries(columns).map(([col, type]) => `'${col}': '${type}'`).join(', ');
  return `read_json('${file.replace(/'/g, "''")}', format = 'newline_delimited', columns = {${spec}}, maximum_object_size = ${Math.ceil(maxObjectBytes)})`;
}

/** The columns of `events` as storedRowText reads them back. */
export const STORED_TEXT_SELECT = EVENT_COLUMNS.map(([col, kind]) => (kind === 'timestamp' ? `epoch_us("${col}")::DOUBLE AS "${col}"` : `"${col}"`)).join(', ');
