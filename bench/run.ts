// npm run bench [-- --only ingest,http,metrics,clickhouse] [--events 1250000] [--metrics-events 1000000,10000000]
// Writes bench/results/<date>.json and bench/results/latest.md.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { DuckDBInstance } from '@duckdb/node-api';
import { BENCH_DIR, DATA_DIR, convertedDatasets, ndjsonDataset } from './data.js';
import { benchHttpIngest } from './http-ingest.js';
import { benchMetrics } from './metrics.js';

const { values: args } = parseArgs({
  options: {
    only: { type: 'string', default: 'ingest,http,metrics,clickhouse' },
    events: { type: 'string', default: '1250000' },
    'metrics-events': { type: 'string', default: '1000000,10000000' },
  },
});
const only = new Set(args.only!.split(','));
const events = Number(args.events);
const results: Record<string, unknown> = {
  date: new Date().toISOString(),
  machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, memory_gb: Math.round(os.totalmem() / 2 ** 30), node: process.version },
};
const resultsDir = path.join(BENCH_DIR, 'results');
mkdirSync(resultsDir, { recursive: true });
const scratch = path.join(DATA_DIR, 'scratch');
mkdirSync(scratch, { recursive: true });

function freshDb(name: string): string {
  const db = path.join(scratch, `${name}.duckdb`);
  rmSync(db, { force: true });
  rmSync(`${db}.wal`, { force: true });
  return db;
}

function ingestInChild(file: string, db: string): Record<string, unknown> {
  const out = execFileSync(process.execPath, ['--import', 'tsx', path.join(BENCH_DIR, 'ingest-file.ts'), file, db], { encoding: 'utf8', maxBuffer: 1 << 20 });
  return JSON.parse(out.trim().split('\n').pop()!);
}

const ndjson = await ndjsonDataset(events);

if (only.has('ingest')) {
  // the yardstick: DuckDB reading the same file with no validation, no de-duplication
  const instance = await DuckDBInstance.create(freshDb('baseline'));
  const conn = await instance.connect();
  const t = performance.now();
  await conn.run(`CREATE TABLE raw AS SELECT * FROM read_json('${ndjson}', format='newline_delimited')`);
  const baselineSeconds = (performance.now() - t) / 1000;
  const rawEvents = Number((await conn.runAndReadAll('SELECT count(*) AS n FROM raw')).getRowObjectsJS()[0].n);
  conn.closeSync();
  instance.closeSync();
  const files = await convertedDatasets(ndjson);
  const ingest: Record<string, unknown>[] = [];
  for (const [format, file] of [['ndjson', ndjson], ['ndjson.gz', files.ndjson_gz], ['csv', files.csv], ['parquet', files.parquet], ['arrow', files.arrow]] as const) {
    const r = ingestInChild(file, freshDb(`ingest-${format.replace('.', '-')}`));
    process.stderr.write(`bench ingest ${format}: ${r.events_per_second} events/s, ${r.max_rss_mb} MB peak\n`);
    ingest.push({ format, ...r });
  }
  results.file_ingest = {
    duckdb_read_json_baseline: { events: rawEvents, seconds: baselineSeconds, events_per_second: Math.round(rawEvents / baselineSeconds) },
    formats: ingest,
  };
}

if (only.has('http')) {
  const r = await benchHttpIngest(ndjson, freshDb('http'), { senders: 4, batchSize: 5000, maxEvents: events });
  process.stderr.write(`bench http: ${r.events_per_second} events/s, server peak ${r.server_max_rss_mb} MB\n`);
  results.http_ingest = r;
}

if (only.has('metrics')) {
  const metrics: Record<string, unknown>[] = [];
  for (const n of args['metrics-events']!.split(',').map(Number)) {
    const file = await ndjsonDataset(n);
    const db = path.join(DATA_DIR, `metrics-${n}.duckdb`);
    if (!existsSync(db)) ingestInChild(file, db);
    const r = await benchMetrics(db, path.join(scratch, `metrics-${n}.duckdb`));
    process.stderr.write(`bench metrics ${n}: median ${r.median_ms} ms\n`);
    metrics.push({ ...r, events_requested: n });
  }
  results.metric_suite = metrics;
}

if (only.has('clickhouse')) {
  // needs the DuckDB files the metrics section made; chdb in a child process per size
  const ch: Record<string, unknown>[] = [];
  for (const n of args['metrics-events']!.split(',').map(Number)) {
    const db = path.join(DATA_DIR, `metrics-${n}.duckdb`);
    if (!existsSync(db)) ingestInChild(await ndjsonDataset(n), db);
    const out = execFileSync(process.execPath, ['--import', 'tsx', path.join(BENCH_DIR, 'clickhouse.ts'), db, path.join(scratch, `chdb-${n}`)], {
      encoding: 'utf8',
      maxBuffer: 1 << 20,
    });
    const r = JSON.parse(out.trim().split('\n').pop()!);
    process.stderr.write(`bench clickhouse ${n}: ingest ${r.ingest_events_per_second} events/s, suite ${r.suite_median_ms} ms\n`);
    ch.push({ events: n, ...r });
  }
  results.clickhouse_chdb = ch;
}

const stamp = new Date().toISOString().replace(/[:.]/g, '-');
writeFileSync(path.join(resultsDir, `${stamp}.json`), `${JSON.stringify(results, null, 2)}\n`);
// latest.json keeps the newest figure of every section, so a run of one section (--only)
// does not drop the others
const latestFile = path.join(resultsDir, 'latest.json');
const previous = existsSync(latestFile) ? (JSON.parse(readFileSync(latestFile, 'utf8')) as Record<string, unknown>) : {};
writeFileSync(latestFile, `${JSON.stringify({ ...previous, ...results }, null, 2)}\n`);
process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
