import { closeSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { DuckDBInstance } from '@duckdb/node-api';
import {
  Bool, Dictionary, Field, Float64, Int32, Int64, Int8, List, Map_, RecordBatchFileWriter, RecordBatchStreamWriter,
  Struct, Table, TimestampMillisecond, Utf8, vectorFromArray, type DataType, type Vector,
} from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { detectFormat, FileReadError, MAX_RECORD_BYTES, openRecordSource, UnparseableRecord, type RawRecord } from '../../src/ingest/files/index.js';
import { jsonBatches } from '../../src/ingest/files/json.js';
import { blockRecords, ndjsonBatches, ndjsonBlocks, type NdjsonBlock } from '../../src/ingest/files/ndjson.js';

type Event = Record<string, unknown>;

/** Events of five types, with text that stresses CSV quoting and multi-byte UTF-8. */
function fixtureEvents(n: number): Event[] {
  const events: Event[] = [];
  for (let i = 0; i < n; i++) {
    const base = {
      event_id: `ev-${String(i).padStart(6, '0')}`,
      ts: new Date(Date.UTC(2026, 10, 20, 10) + i * 1500).toISOString(),
      case_id: `case-${i >> 2}`,
      workflow: i % 2 ? 'refunds' : 'support_drafting',
    };
    switch (i % 5) {
      case 0:
        events.push({ ...base, type: 'case.created', tier: (i % 3) + 1, confidence: 0.75, model_version: 'm-2026-10',
          risk_signals: i % 10 ? ['pii', 'financial'] : [], features: { input_tokens: 120 + i, language: 'en' },
          input: `Refund "order" #${i}, please,\nthanks — café ☕ ${'x'.repeat(i % 50)}` });
        break;
      case 1:
        events.push({ ...base, type: 'case.triaged', lane: 'human_review', rule_ids: ['r1', 'r22'], sampled: i % 3 === 0, sampling_rate: 0.05 });
        break;
      case 2:
        events.push({ ...base, type: 'review.decided', actor_id: `rev-${i % 7}`, actor_role: 'verifier', level: 1, decision: 'override',
          reason_code: 'wrong_category', gate: { id: 'support-gate', checks: { evidence: 'pass', tone: 'na' } }, attrs: { ui: 'v2' } });
        break;
      case 3:
        events.push({ ...base, type: 'case.escalated', from_level: 1, to_level: 2, trigger: 'low_confidence', reason_code: 'needs_specialist' });
        break;
      default:
        events.push({ ...base, type: 'audit.completed', actor_id: 'auditor-1', verdict: 'incorrect', correct_label: 'refund', sampling_rate: 0.25 });
    }
  }
  return events;
}

const ndjson = (events: Event[]) => events.map((e) => JSON.stringify(e)).join('\n') + '\n';

async function readAll(path: string, batchSize = 1000, format?: 'ndjson' | 'json' | 'csv' | 'parquet' | 'arrow') {
  const source = await openRecordSource(path, { format });
  const batches: RawRecord[][] = [];
  const progress: number[] = [];
  for await (const batch of source.batches(batchSize)) {
    batches.push(batch);
    progress.push(source.bytesRead());
  }
  const result = { records: batches.flat(), sizes: batches.map((b) => b.length), progress, bytesRead: source.bytesRead(), totalBytes: source.totalBytes };
  await source.close();
  return result;
}

// ---- fixture writers: Parquet and CSV from the NDJSON through a real DuckDB, Arrow with apache-arrow

async function writeWithDuckDB(dir: string, events: Event[]) {
  const instance = await DuckDBInstance.create(':memory:');
  const db = await instance.connect();
  await db.run("SET TimeZone = 'UTC'");
  const src = join(dir, 'events.ndjson');
  const read = `read_json($src, format = 'newline_delimited')`;
  await db.run(`COPY (SELECT * FROM ${read}) TO '${join(dir, 'events.parquet')}' (FORMAT parquet)`, { src });
  // CSV has no nesting: lists and objects go in as JSON text, as users are told to write them
  const asJson = (c: string) => `json_merge_patch('{}', to_json(${c}))::VARCHAR AS ${c}`;
  const csvSelect = `SELECT * REPLACE (strftime(ts, '%Y-%m-%dT%H:%M:%S.%gZ') AS ts, ${['risk_signals', 'rule_ids', 'features', 'gate', 'attrs'].map(asJson).join(', ')}) FROM ${read}`;
  await db.run(`COPY (${csvSelect}) TO '${join(dir, 'events.csv')}' (HEADER)`, { src });
  await db.run(`COPY (${csvSelect}) TO '${join(dir, 'events.csv.gz')}' (HEADER, COMPRESSION gzip)`, { src });
  await db.run(
    `COPY (SELECT 'tz-1' AS event_id, 'incident.reported' AS type, TIMESTAMPTZ '2026-11-20 12:30:00.250+02' AS ts, ` +
      `'sev2' AS severity, NULL::VARCHAR AS case_id, '{"k": [1, 2]}'::JSON AS attrs, 42::BIGINT AS big) ` +
      `TO '${join(dir, 'typed.parquet')}' (FORMAT parquet)`,
  );
  db.closeSync();
  instance.closeSync();
}

const utf8 = new Utf8();
const listOf = (t: DataType) => new List(new Field('item', t, true));
const structOf = (fields: Record<string, DataType>) => new Struct(Object.entries(fields).map(([n, t]) => new Field(n, t, true)));
const ARROW_TYPES: Record<string, DataType> = {
  event_id: utf8, type: new Dictionary(utf8, new Int32()), ts: new TimestampMillisecond('UTC'), case_id: utf8, workflow: utf8,
  tier: new Int8(), confidence: new Float64(), model_version: utf8, risk_signals: listOf(utf8),
  features: structOf({ input_tokens: new Int64(), language: utf8 }), input: utf8, lane: utf8, rule_ids: listOf(utf8),
  sampled: new Bool(), sampling_rate: new Float64(), actor_id: utf8, actor_role: utf8, level: new Int8(), decision: utf8,
  reason_code: utf8, gate: structOf({ id: utf8, checks: new Map_(new Field('entries', structOf({ key: utf8, value: utf8 }), false)) }),
  attrs: structOf({ ui: utf8 }), from_level: new Int8(), to_level: new Int8(), trigger: utf8, verdict: utf8, correct_label: utf8,
};

function arrowTable(events: Event[]): Table {
  const columns: Record<string, Vector> = {};
  for (const [name, type] of Object.entries(ARROW_TYPES)) {
    columns[name] = vectorFromArray(
      events.map((e) => {
        const v = e[name] as any;
        if (v === undefined) return null;
        if (name === 'ts') return new Date(v);
        if (name === 'features') return { ...v, input_tokens: BigInt(v.input_tokens) };
        if (name === 'gate') return { id: v.id, checks: new Map(Object.entries(v.checks)) };
        return v;
      }),
      type,
    );
  }
  return new Table(columns);
}

/** Several record batches sharing one dictionary, so readers must gather rows across batches. */
function arrowBytes(events: Event[], Writer: typeof RecordBatchStreamWriter | typeof RecordBatchFileWriter, rowsPerBatch = 170): Uint8Array {
  const writer = new Writer();
  for (const batch of arrowTable(events).batches) {
    for (let i = 0; i < batch.numRows; i += rowsPerBatch) writer.write(batch.slice(i, i + rowsPerBatch));
  }
  writer.finish();
  return writer.toUint8Array(true);
}

let dir: string;
const events = fixtureEvents(1000);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'loopwatch-files-'));
  writeFileSync(join(dir, 'events.ndjson'), ndjson(events));
  writeFileSync(join(dir, 'events.ndjson.gz'), gzipSync(ndjson(events)));
  writeFileSync(join(dir, 'events.json'), JSON.stringify(events, null, 2));
  writeFileSync(join(dir, 'events.json.gz'), gzipSync(JSON.stringify(events)));
  await writeWithDuckDB(dir, events);
  const stream = arrowBytes(events, RecordBatchStreamWriter);
  writeFileSync(join(dir, 'events.arrows'), stream);
  writeFileSync(join(dir, 'events.arrows.gz'), gzipSync(stream));
  writeFileSync(join(dir, 'events.arrow'), arrowBytes(events, RecordBatchFileWriter));
  writeFileSync(join(dir, 'events-js.arrow.gz'), gzipSync(arrowBytes(events, RecordBatchFileWriter)));
  // the IPC file layout the spec describes and Arrow C++/pyarrow write: magic, padding, the
  // stream format starting with its schema, footer, magic (the gzip reader never reads the footer)
  writeFileSync(join(dir, 'events-spec.arrow.gz'), gzipSync(Buffer.concat([Buffer.from('ARROW1\0\0'), stream, Buffer.from('ARROW1')])));
});

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('detectFormat', () => {
  it('reads the extension, with or without .gz, unless a format is named', () => {
    expect(detectFormat('/x/a.jsonl')).toEqual({ format: 'ndjson', compressed: false });
    expect(detectFormat('A.NDJSON.GZ')).toEqual({ format: 'ndjson', compressed: true });
    expect(detectFormat('a.json')).toEqual({ format: 'json', compressed: false });
    expect(detectFormat('a.csv.gz')).toEqual({ format: 'csv', compressed: true });
    expect(detectFormat('a.feather')).toEqual({ format: 'arrow', compressed: false });
    expect(detectFormat('a.arrows.gz')).toEqual({ format: 'arrow', compressed: true });
    expect(detectFormat('dump.txt', 'ndjson')).toEqual({ format: 'ndjson', compressed: false });
  });

  it('refuses unknown names and gzipped Parquet with a typed error', () => {
    expect(() => detectFormat('a.txt')).toThrow(expect.objectContaining({ code: 'file_format_unknown' }));
    expect(() => detectFormat('a.csv', 'xml')).toThrow(/unknown format "xml"/);
    expect(() => detectFormat('a.parquet.gz')).toThrow(expect.objectContaining({ code: 'file_unsupported' }));
  });
});

describe.each([
  ['events.ndjson'], ['events.ndjson.gz'], ['events.json'], ['events.json.gz'], ['events.csv'], ['events.csv.gz'],
  ['events.parquet'], ['events.arrows'], ['events.arrows.gz'], ['events.arrow'], ['events-spec.arrow.gz'],
])('%s', (file) => {
  it('gives back the original events, in order, in batches of at most batchSize', async () => {
    const { records, sizes, progress, bytesRead, totalBytes } = await readAll(join(dir, file), 128);
    expect(records).toEqual(events);
    expect(sizes.slice(0, -1).every((n) => n === 128)).toBe(true);
    expect(sizes.at(-1)).toBe(1000 % 128);
    expect(totalBytes).toBe((await stat(join(dir, file))).size);
    expect(bytesRead).toBe(totalBytes);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
  });
});

describe('NDJSON', () => {
  it('skips blank lines and rejects a bad line at its index, with its line number, and reads on', async () => {
    const path = join(dir, 'mixed.ndjson');
    const lines = ['\uFEFF' + JSON.stringify(events[0]), '', '   ', JSON.stringify(events[1]) + '\r', '{"event_id": "x", oops}', JSON.stringify(events[2])];
    writeFileSync(path, lines.join('\n'));
    const { records } = await readAll(path, 2);
    expect(records).toHaveLength(4);
    expect(records[0]).toEqual(events[0]);
    expect(records[1]).toEqual(events[1]);
    expect(records[2]).toBeInstanceOf(UnparseableRecord);
    expect((records[2] as UnparseableRecord).message).toMatch(/^line 5: /);
    expect((records[2] as UnparseableRecord).raw).toBe('{"event_id": "x", oops}');
    expect(records[3]).toEqual(events[2]);
  });

  it('keeps a 1 MB line and rejects a line over 8 MB without losing the lines around it', async () => {
    const path = join(dir, 'long.ndjson');
    const big = { ...events[0], input: 'é'.repeat(500_000) };
    const huge = JSON.stringify({ ...events[1], input: 'y'.repeat(9 * 1024 * 1024) });
    writeFileSync(path, [JSON.stringify(big), huge, JSON.stringify(events[2])].join('\n'));
    const { records } = await readAll(path);
    expect(records[0]).toEqual(big);
    expect(records[1]).toBeInstanceOf(UnparseableRecord);
    expect((records[1] as UnparseableRecord).message).toMatch(/^line 2: line is 9\.\d MB, over the 8 MB limit/);
    expect(records[2]).toEqual(events[2]);
  });

  it('streams a large file with the heap bounded and progress moving', async () => {
    const path = join(dir, 'large.ndjson');
    const fd = openSync(path, 'w');
    for (let i = 0; i < 300_000; i += 10_000) writeSync(fd, ndjson(fixtureEvents(10_000).map((e, k) => ({ ...e, event_id: `big-${i + k}` }))));
    closeSync(fd);
    const source = await openRecordSource(path);
    let count = 0;
    let maxHeap = 0;
    let midway = 0;
    for await (const batch of source.batches(5000)) {
      count += batch.length;
      maxHeap = Math.max(maxHeap, process.memoryUsage().heapUsed);
      if (count === 150_000) midway = source.bytesRead();
    }
    await source.close();
    expect(count).toBe(300_000);
    expect(maxHeap).toBeLessThan(200 * 1024 * 1024);
    expect(midway).toBeGreaterThan(0);
    expect(midway).toBeLessThan(source.totalBytes);
  });

  it('releases the file when the reader stops early, and reads a source only once', async () => {
    const source = await openRecordSource(join(dir, 'events.ndjson'));
    for await (const batch of source.batches(10)) {
      expect(batch).toHaveLength(10);
      break;
    }
    expect(source.bytesRead()).toBeLessThanOrEqual(source.totalBytes);
    expect(() => source.batches(10)).toThrow(/only once/);
    await source.close();
    await expect(openRecordSource(join(dir, 'events.ndjson'))).resolves.toBeDefined();
    const fresh = await openRecordSource(join(dir, 'events.ndjson'));
    expect(() => fresh.batches(0)).toThrow(RangeError);
    await fresh.close();
  });
});

describe('JSON', () => {
  it('rejects a broken array element at its index and keeps the others; strings may hold brackets and escapes', async () => {
    const path = join(dir, 'tricky.json');
    const odd = { ...events[0], input: 'a ] } , [ { "quoted\\" \\\\', attrs: { note: '\\' } };
    writeFileSync(path, `[${JSON.stringify(odd)},\n {"event_id": 1,, },\n ${JSON.stringify(events[1])},\n]`);
    const { records } = await readAll(path);
    expect(records).toHaveLength(3);
    expect(records[0]).toEqual(odd);
    expect((records[1] as UnparseableRecord).message).toMatch(/^element \[1\]: /);
    expect(records[2]).toEqual(events[1]);
  });

  it('reads a file holding one object, or objects one after another', async () => {
    writeFileSync(join(dir, 'one.json'), JSON.stringify(events[3], null, 2));
    expect((await readAll(join(dir, 'one.json'))).records).toEqual([events[3]]);
    writeFileSync(join(dir, 'many.json'), `${JSON.stringify(events[3])}\n${JSON.stringify(events[4])}`);
    expect((await readAll(join(dir, 'many.json'))).records).toEqual([events[3], events[4]]);
  });
});

describe('chunk boundaries', () => {
  async function* pieces(text: string | Buffer, size: number) {
    const bytes = Buffer.from(text);
    for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
  }
  const collect = async (batches: AsyncIterable<RawRecord[]>) => {
    const all: RawRecord[] = [];
    for await (const b of batches) all.push(...b);
    return all;
  };
  // escapes, backslash runs and multi-byte characters land on every possible chunk edge
  const odd = [{ ...events[0], input: 'a\\"b\\\\", ] } é ☕ 𝄞' }, events[1], { ...events[2], attrs: { ui: '\\' } }];

  // NDJSON of a plain file comes through one buffer read again and again (openReusedByteStream)
  async function* reused(text: string | Buffer, size: number) {
    const bytes = Buffer.from(text);
    const buffer = Buffer.alloc(size);
    for (let i = 0; i < bytes.length; i += size) {
      const n = bytes.copy(buffer, 0, i, i + size);
      yield buffer.subarray(0, n);
    }
  }

  // blocks of bytes as the worker threads take them: each block parsed on its own
  const fromBlocks = async (blocks: AsyncIterable<NdjsonBlock>, decodeBytes?: number) => {
    const all: RawRecord[] = [];
    for await (const b of blocks) all.push(...blockRecords(b, decodeBytes));
    return all;
  };

  it.each([1, 3, 64, 1000])('NDJSON read through one reused %i-byte buffer reads the same, in blocks of bytes too', async (size) => {
    expect(await collect(ndjsonBatches(reused(ndjson(odd), size), 2))).toEqual(odd);
    expect(await collect(ndjsonBatches(reused(ndjson(events.slice(0, 50)), size), 7))).toEqual(events.slice(0, 50));
    for (const target of [1, 100, 4096]) expect(await fromBlocks(ndjsonBlocks(reused(ndjson(events.slice(0, 50)), size), target))).toEqual(events.slice(0, 50));
    // a block decoded a piece at a time, cut anywhere
    const lines = `\n${ndjson(odd)}\n\n${ndjson(odd)}`;
    for (const decode of [1, 2, 3, 40, 200]) {
      expect(await fromBlocks(ndjsonBlocks(reused(lines, size), 4096), decode)).toEqual([...odd, ...odd]);
      expect(await fromBlocks(ndjsonBlocks(reused(`${lines}\n`, size), 4096), decode)).toEqual([...odd, ...odd]);
    }
  });

  it('rejects the same lines with the same line numbers and offsets whatever the chunks and blocks', async () => {
    const huge = JSON.stringify({ ...events[1], input: 'y'.repeat(MAX_RECORD_BYTES) });
    const file = Buffer.concat([
      Buffer.from(`\uFEFF${JSON.stringify(events[0])}\r\n\n \t\n\u00A0 \n${JSON.stringify(events[1])}\n{"broken": \n`),
      Buffer.from('{"event_id": "'),
      Buffer.from([0xc3, 0x28]),
      Buffer.from(`"}\n${huge}\n${JSON.stringify(events[2])}\n${huge}x`),
    ]);
    // a line starting with a non-ASCII space is no blank line (only ASCII-whitespace starts are looked at)
    const expected = [
      events[0],
      /^line 4: not valid JSON/,
      events[1],
      /^line 6: not valid JSON/,
      /^line 7: invalid UTF-8 at byte [\d,]+ of the file \(byte 14 of the line\)/,
      /^line 8: line is 8\.0 MB, over the 8 MB limit/,
      events[2],
      /^line 10: line is 8\.0 MB, over the 8 MB limit/,
    ];
    const check = (records: RawRecord[]) => {
      expect(records).toHaveLength(expected.length);
      records.forEach((r, i) => {
        const e = expected[i];
        if (e instanceof RegExp) expect((r as UnparseableRecord).message).toMatch(e);
        else expect(r).toEqual(e);
      });
    };
    const offset = (records: RawRecord[]) => (records[4] as UnparseableRecord).message.match(/byte ([\d,]+)/)![1];
    const invalidAt = file.indexOf(Buffer.from([0xc3, 0x28]));
    for (const size of [5, 4096, 256 * 1024]) {
      const batches = await collect(ndjsonBatches(pieces(file, size), 3));
      check(batches);
      expect(offset(batches)).toBe(invalidAt.toLocaleString('en-US'));
      for (const target of [1, 300, 1 << 20]) {
        const records = await fromBlocks(ndjsonBlocks(reused(file, size), target));
        check(records);
        expect(offset(records)).toBe(invalidAt.toLocaleString('en-US'));
      }
    }
  });

  it.each([1, 2, 3, 7, 64])('NDJSON and JSON split into %i-byte chunks read the same', async (size) => {
    expect(await collect(ndjsonBatches(pieces(ndjson(odd), size), 2))).toEqual(odd);
    expect(await collect(jsonBatches(pieces(JSON.stringify(odd, null, 1), size), 2))).toEqual(odd);
    expect(await collect(ndjsonBatches(pieces(ndjson(events.slice(0, 50)), size * 13), 7))).toEqual(events.slice(0, 50));
    expect(await collect(jsonBatches(pieces(JSON.stringify(events.slice(0, 50)), size * 13), 7))).toEqual(events.slice(0, 50));
  });
});

describe('CSV', () => {
  it('types numbers and booleans by field, parses JSON cells, keeps other text, and rejects a bad JSON cell by column', async () => {
    const path = join(dir, 'cells.csv');
    writeFileSync(path, [
      'event_id,type,ts,tier,confidence,sampled,risk_signals,case_id,team',
      'a,case.created,2026-11-20T10:00:00.000Z,2,0.5,TRUE,"[""pii""]",00123,blue',
      'b,case.created,2026-11-20T10:00:00.000Z,two,,maybe,,c1,',
      'c,case.created,2026-11-20T10:00:00.000Z,1,1,false,"[pii",c2,red',
    ].join('\n'));
    const { records } = await readAll(path);
    expect(records[0]).toEqual({ event_id: 'a', type: 'case.created', ts: '2026-11-20T10:00:00.000Z', tier: 2, confidence: 0.5, sampled: true, risk_signals: ['pii'], case_id: '00123', team: 'blue' });
    expect(records[1]).toEqual({ event_id: 'b', type: 'case.created', ts: '2026-11-20T10:00:00.000Z', tier: 'two', sampled: 'maybe', case_id: 'c1' });
    expect((records[2] as UnparseableRecord).message).toMatch(/^data row 3, column risk_signals: not valid JSON/);
  });

  it('rejects a row with the wrong number of cells alone, with its line, in its place among the rows read', async () => {
    const path = join(dir, 'ragged.csv');
    // a multi-line cell before the bad rows: lines and rows part ways
    writeFileSync(path, 'event_id,type\na,case.created\nb,case.created,extra\n"c\nstill c",case.created\nd\ne,case.created\nf,case.created,x,y\n');
    const { records } = await readAll(path);
    expect(records).toHaveLength(6);
    expect(records[0]).toEqual({ event_id: 'a', type: 'case.created' });
    expect((records[1] as UnparseableRecord).message).toBe("line 3: the row has more cells than the header's 2; the row is rejected, the others are read");
    expect(records[2]).toEqual({ event_id: 'c\nstill c', type: 'case.created' });
    expect((records[3] as UnparseableRecord).message).toMatch(/^line 6: the row has 1 cell where the header has 2;/);
    expect(records[4]).toEqual({ event_id: 'e', type: 'case.created' });
    expect((records[5] as UnparseableRecord).message).toMatch(/^line 8: the row has more cells than the header's 2;/);
  });
});

describe.each([['events.csv'], ['events.parquet'], ['events.arrows.gz']])('%s closed mid-iteration', (file) => {
  it('ends the iteration and frees the decoder without waiting for the rest', async () => {
    const source = await openRecordSource(join(dir, file));
    const iterator = source.batches(100)[Symbol.asyncIterator]();
    expect((await iterator.next()).value).toHaveLength(100);
    await source.close();
    expect((await iterator.next()).done).toBe(true);
    await source.close();
  });
});

describe('Parquet', () => {
  it('turns TIMESTAMPTZ into UTC RFC 3339, JSON columns into values, BIGINT into numbers and NULL into absence', async () => {
    const { records } = await readAll(join(dir, 'typed.parquet'));
    expect(records).toEqual([{ event_id: 'tz-1', type: 'incident.reported', ts: '2026-11-20T10:30:00.250Z', severity: 'sev2', attrs: { k: [1, 2] }, big: 42 }]);
  });
});

describe('Arrow', () => {
  it('refuses a gzipped IPC file whose schema is only in its footer, instead of buffering it whole', async () => {
    await expect(readAll(join(dir, 'events-js.arrow.gz'))).rejects.toThrow(expect.objectContaining({ code: 'file_unsupported' }));
  });
});

describe('errors', () => {
  it('names a missing file', async () => {
    await expect(openRecordSource(join(dir, 'nope.ndjson'))).rejects.toThrow(expect.objectContaining({ code: 'file_not_found' }));
  });

  it('reports a corrupt gzip as a read failure with the cause kept', async () => {
    const path = join(dir, 'corrupt.ndjson.gz');
    writeFileSync(path, gzipSync(ndjson(events)).subarray(0, 2000));
    const error = await readAll(path).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FileReadError);
    expect((error as FileReadError).code).toBe('file_read_failed');
    expect((error as FileReadError).cause).toBeDefined();
  });
});
