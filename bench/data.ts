import { createReadStream, createWriteStream, existsSync, mkdirSync, renameSync } from 'node:fs';
import { once } from 'node:events';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { DuckDBInstance } from '@duckdb/node-api';
import {
  Bool,
  Field,
  Float64,
  Int8,
  List,
  Map_,
  RecordBatchStreamWriter,
  Struct,
  Table,
  TimestampMillisecond,
  Utf8,
  vectorFromArray,
  type DataType,
  type Vector,
} from 'apache-arrow';
import { simulate } from '../src/simulate/index.js';

export const BENCH_DIR = path.resolve(import.meta.dirname);
/** Generated data and scratch databases; LOOPWATCH_BENCH_DATA puts them elsewhere (a trial run's own folder). */
export const DATA_DIR = process.env.LOOPWATCH_BENCH_DATA ? path.resolve(process.env.LOOPWATCH_BENCH_DATA) : path.join(BENCH_DIR, 'data');

/** Simulated cases per million events (the simulator averages about 6 events per case). */
const CASES_PER_MILLION = 164_000;

/**
 * A simulated NDJSON file of about `events` events, made once and reused: the same seed gives
 * the same bytes, so every benchmark run reads the same workload.
 */
export async function ndjsonDataset(events: number): Promise<string> {
  const cases = Math.round((events / 1e6) * CASES_PER_MILLION);
  const perHour = casesPerHour(events);
  const driftAt = new Date(DATA_START.getTime() + Math.round((cases / perHour) * 0.7) * 3_600_000);
  return writeSimulated(`events-${events}.ndjson`, { seed: 2026, cases, start: DATA_START, casesPerHour: perHour, driftAt });
}

/**
 * 600 cases an hour up to about 1.5M events; larger sets arrive faster, so that they end within
 * 60 days of DATA_START: at 600 an hour, 10M events ran into 2027, and ingest rightly rejected
 * the 4.5M events stamped more than a day after they were received.
 */
function casesPerHour(events: number): number {
  const cases = Math.round((events / 1e6) * CASES_PER_MILLION);
  return Math.max(600, Math.ceil(cases / (60 * 24)));
}

const DATA_START = new Date(Date.UTC(2026, 9, 1));

/**
 * `more` events that arrive after the `events` dataset: new cases (another seed, other ids) from
 * the hour after its last case, for "a report right after 10,000 more events were ingested".
 */
export async function moreEventsDataset(events: number, more: number): Promise<string> {
  const hours = Math.ceil(Math.round((events / 1e6) * CASES_PER_MILLION) / casesPerHour(events)) + 1;
  const start = new Date(DATA_START.getTime() + hours * 3_600_000);
  return writeSimulated(`events-${events}-more-${more}.ndjson`, { seed: 2027, cases: Math.ceil(more / 4), start, casesPerHour: 600 }, more);
}

async function writeSimulated(name: string, options: Parameters<typeof simulate>[0], limit = Infinity): Promise<string> {
  mkdirSync(DATA_DIR, { recursive: true });
  const file = path.join(DATA_DIR, name);
  if (existsSync(file)) return file;
  const tmp = `${file}.tmp`;
  const out = createWriteStream(tmp);
  let written = 0;
  for (const batch of simulate(options, 10_000)) {
    let text = '';
    for (const e of batch.slice(0, limit - written)) text += `${JSON.stringify(e)}\n`;
    written += Math.min(batch.length, limit - written);
    if (!out.write(text)) await once(out, 'drain');
    if (written >= limit) break;
  }
  out.end();
  await once(out, 'finish');
  renameSync(tmp, file);
  process.stderr.write(`bench: generated ${written} events in ${file}\n`);
  return file;
}

/**
 * The same events as Parquet, CSV (nested fields as JSON text, the contract's CSV form) and
 * Arrow IPC, converted by DuckDB from the NDJSON so that every format carries identical events.
 */
export async function convertedDatasets(ndjson: string): Promise<Record<'parquet' | 'csv' | 'ndjson_gz' | 'arrow', string>> {
  const base = ndjson.replace(/\.ndjson$/, '');
  const out = { parquet: `${base}.parquet`, csv: `${base}.csv`, ndjson_gz: `${ndjson}.gz`, arrow: `${base}.arrows` };
  if (Object.values(out).every((f) => existsSync(f))) return out;
  const instance = await DuckDBInstance.create(':memory:');
  const conn = await instance.connect();
  // every field as it appears in the JSON: sample all records so that rare fields get a column
  await conn.run(`CREATE TEMP TABLE e AS SELECT * FROM read_json('${ndjson}', format='newline_delimited', sample_size=-1, timestampformat='%Y-%m-%dT%H:%M:%S.%gZ')`);
  await conn.run(`COPY e TO '${out.parquet}' (FORMAT parquet)`);
  conn.closeSync();
  instance.closeSync();
  await writeCsv(ndjson, out.csv);
  await pipeline(createReadStream(ndjson), createGzip(), createWriteStream(`${out.ndjson_gz}.tmp`));
  renameSync(`${out.ndjson_gz}.tmp`, out.ndjson_gz);
  await writeArrow(ndjson, out.arrow);
  return out;
}

/** The contract's CSV form: a header of field names, nested values as JSON text in their cell. */
async function writeCsv(ndjson: string, file: string): Promise<void> {
  const columns = new Set<string>();
  for await (const line of createInterface({ input: createReadStream(ndjson), crlfDelay: Infinity })) {
    if (line) for (const k of Object.keys(JSON.parse(line))) columns.add(k);
  }
  const header = [...columns];
  const cell = (v: unknown) => {
    if (v === undefined || v === null) return '';
    const s = typeof v === 'object' ? JSON.stringify(v) : String(v);
    return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  const out = createWriteStream(`${file}.tmp`);
  out.write(`${header.join(',')}\n`);
  for await (const line of createInterface({ input: createReadStream(ndjson), crlfDelay: Infinity })) {
    if (!line) continue;
    const e = JSON.parse(line);
    if (!out.write(`${header.map((h) => cell(e[h])).join(',')}\n`)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  renameSync(`${file}.tmp`, file);
}

const utf8 = new Utf8();
const textMap = () => new Map_(new Field('entries', new Struct<any>([new Field('key', utf8, false), new Field('value', utf8, true)]), false));
/** Arrow columns for the simulated events; open-ended objects as string maps (values as text). */
const ARROW_SCHEMA: Record<string, DataType> = {
  event_id: utf8, type: utf8, ts: new TimestampMillisecond('UTC'), case_id: utf8, workflow: utf8, actor_id: utf8,
  actor_role: utf8, policy_version: utf8, tier: new Int8(), model_version: utf8, prompt_version: utf8,
  confidence: new Float64(), model_label: utf8, model_action: utf8, risk_signals: new List(new Field('item', utf8, true)),
  features: textMap(), input: utf8, output: utf8, lane: utf8, rule_ids: new List(new Field('item', utf8, true)),
  sampled: new Bool(), sampling_rate: new Float64(), level: new Int8(), decision: utf8, final_label: utf8,
  final_output: utf8, reason_code: utf8, gate: new Struct<any>([new Field('id', utf8, true), new Field('checks', textMap(), true)]),
  from_level: new Int8(), to_level: new Int8(), trigger: utf8, outcome: utf8, verdict: utf8, correct_label: utf8,
  severity: utf8, ticket_url: utf8, attrs: textMap(),
};

function arrowValue(name: string, v: unknown): unknown {
  if (v === undefined || v === null) return null;
  if (name === 'ts') return new Date(v as string);
  if (name === 'features' || name === 'attrs') {
    return new Map(Object.entries(v as object).map(([k, x]) => [k, typeof x === 'string' ? x : JSON.stringify(x)]));
  }
  if (name === 'gate') {
    const g = v as { id: string; checks: Record<string, string> };
    return { id: g.id, checks: new Map(Object.entries(g.checks)) };
  }
  return v;
}

/** Arrow IPC stream of the NDJSON's events, in record batches of 50k rows. */
async function writeArrow(ndjson: string, file: string): Promise<void> {
  const out = createWriteStream(`${file}.tmp`);
  const writer = new RecordBatchStreamWriter();
  writer.pipe(out);
  let rows: Record<string, unknown>[] = [];
  const flush = () => {
    const columns: Record<string, Vector> = {};
    for (const [name, type] of Object.entries(ARROW_SCHEMA)) {
      columns[name] = vectorFromArray(rows.map((r) => arrowValue(name, r[name])) as never[], type);
    }
    for (const batch of new Table(columns).batches) writer.write(batch);
    rows = [];
  };
  for await (const line of createInterface({ input: createReadStream(ndjson), crlfDelay: Infinity })) {
    if (line) rows.push(JSON.parse(line));
    if (rows.length === 50_000) flush();
  }
  if (rows.length) flush();
  writer.finish();
  await once(out, 'finish');
  renameSync(`${file}.tmp`, file);
}
