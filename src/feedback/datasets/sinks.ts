import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Writable } from 'node:stream';
import { Bool, Field, Int32, List, RecordBatchStreamWriter, Table, Utf8, vectorFromArray, type DataType, type Vector } from 'apache-arrow';
import { DuckDBInstance } from '@duckdb/node-api';
import { HashedOut, type OutResult } from './out.js';
import { FLAT_COLUMNS, type ColumnType, type FlatRecord } from './record.js';

/** Where one export file's rows go, in order; `page` is where backpressure is honoured. */
export interface RowSink {
  add(row: object): void;
  page(): Promise<void>;
  finish(): Promise<OutResult>;
}

/** One JSON object a line, keys in the order the row was built (what makes a re-export byte-identical). */
export class JsonLinesSink implements RowSink {
  private readonly out: HashedOut;
  constructor(dest: Writable) {
    this.out = new HashedOut(dest);
  }
  add(row: object): void {
    this.out.push(`${JSON.stringify(row)}\n`);
  }
  page(): Promise<void> {
    return this.out.flush();
  }
  finish(): Promise<OutResult> {
    return this.out.end();
  }
}

/** RFC 4180: a header line, CRLF line ends, a field quoted when it holds a comma, quote or line break. */
export class CsvSink implements RowSink {
  private readonly out: HashedOut;
  constructor(dest: Writable) {
    this.out = new HashedOut(dest);
    this.out.push(`${FLAT_COLUMNS.map(([name]) => name).join(',')}\r\n`);
  }
  add(row: object): void {
    const r = row as FlatRecord;
    this.out.push(`${FLAT_COLUMNS.map(([name]) => csvField(r[name])).join(',')}\r\n`);
  }
  page(): Promise<void> {
    return this.out.flush();
  }
  finish(): Promise<OutResult> {
    return this.out.end();
  }
}

function csvField(v: unknown): string {
  if (v === null || v === undefined) return '';
  // lists as JSON text, as the contract's CSV form writes nested fields
  const s = Array.isArray(v) ? JSON.stringify(v) : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function arrowType(t: ColumnType): DataType {
  switch (t) {
    case 'string':
      return new Utf8();
    case 'integer':
      return new Int32();
    case 'boolean':
      return new Bool();
    case 'string[]':
      return new List(new Field('item', new Utf8(), true));
  }
}

/** Arrow IPC streaming format: one record batch per page of rows. */
export class ArrowSink implements RowSink {
  private readonly out: HashedOut;
  private readonly writer = new RecordBatchStreamWriter();
  private readonly consumer: Promise<void>;
  private rows: FlatRecord[] = [];

  constructor(dest: Writable) {
    const out = new HashedOut(dest);
    this.out = out;
    const writer = this.writer;
    this.consumer = (async () => {
      for await (const chunk of writer) out.push(chunk);
    })();
  }
  add(row: object): void {
    this.rows.push(row as FlatRecord);
  }
  async page(): Promise<void> {
    if (this.rows.length === 0) return;
    const columns: Record<string, Vector> = {};
    for (const [name, type] of FLAT_COLUMNS) columns[name] = vectorFromArray(this.rows.map((r) => r[name]) as never[], arrowType(type));
    this.rows = [];
    for (const batch of new Table(columns).batches) this.writer.write(batch);
    // the writer hands its bytes to the consumer a tick later
    await new Promise((resolve) => setImmediate(resolve));
    await this.out.flush();
  }
  async finish(): Promise<OutResult> {
    await this.page();
    this.writer.finish();
    await this.consumer;
    return this.out.end();
  }
}

const DUCKDB_TYPE: Record<ColumnType, string> = { string: 'VARCHAR', integer: 'INTEGER', boolean: 'BOOLEAN', 'string[]': 'VARCHAR[]' };

/**
 * Parquet, written by DuckDB: the rows go to a temporary JSON-lines file as the export runs, and
 * DuckDB (in memory, one thread so that the bytes are the same every time, a memory limit so
 * that they are bounded) copies it to Parquet with the flat record's column types. The Parquet
 * file is then sent to the destination.
 */
export class ParquetSink implements RowSink {
  private readonly lines: Promise<{ dir: string; file: string; sink: JsonLinesSink }>;
  private sink?: JsonLinesSink;

  constructor(
    private readonly dest: Writable,
    tmpDir = tmpdir(),
  ) {
    this.lines = mkdtemp(path.join(tmpDir, 'loopwatch-dataset-')).then((dir) => {
      const file = path.join(dir, 'rows.jsonl');
      return { dir, file, sink: new JsonLinesSink(createWriteStream(file)) };
    });
  }
  private pendingRows: object[] = [];
  add(row: object): void {
    if (this.sink) this.sink.add(row);
    else this.pendingRows.push(row);
  }
  async page(): Promise<void> {
    const { sink } = await this.lines;
    if (!this.sink) {
      this.sink = sink;
      for (const r of this.pendingRows) sink.add(r);
      this.pendingRows = [];
    }
    await sink.page();
  }
  async finish(): Promise<OutResult> {
    await this.page();
    const { dir, file, sink } = await this.lines;
    try {
      await sink.finish();
      const parquet = path.join(dir, 'rows.parquet');
      await jsonLinesToParquet(file, parquet);
      const out = new HashedOut(this.dest);
      for await (const chunk of createReadStream(parquet, { highWaterMark: 1 << 20 })) {
        out.push(chunk as Buffer);
        await out.flush(true);
      }
      return await out.end();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
}

const sqlText = (s: string) => `'${s.replace(/'/g, "''")}'`;

async function jsonLinesToParquet(jsonl: string, parquet: string): Promise<void> {
  const instance = await DuckDBInstance.create(':memory:', { threads: '1', memory_limit: '256MB' });
  const conn = await instance.connect();
  try {
    const columns = FLAT_COLUMNS.map(([name, type]) => `${name}: '${DUCKDB_TYPE[type]}'`).join(', ');
    await conn.run(
      `COPY (SELECT * FROM read_json(${sqlText(jsonl)}, format = 'newline_delimited', columns = {${columns}})) ` +
        `TO ${sqlText(parquet)} (FORMAT parquet, COMPRESSION zstd)`,
    );
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}
