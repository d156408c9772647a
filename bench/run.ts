// npm run bench [-- --only start,ingest,http,report,metrics,clickhouse] [--events 1250000]
//   [--metrics-events 1000000,10000000] [--engines duckdb,clickhouse] [--out bench/results] [--readme]
// Every target of issue 14 against its yardstick, measured in this one run (bench/targets.ts);
// writes <out>/<timestamp>.json and <out>/latest.json (and latest.md, the table), and with
// --readme the "Speed" table of README.md. LOOPWATCH_BENCH_DATA: where data and scratch go.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { DuckDBInstance } from '@duckdb/node-api';
import { BENCH_DIR, DATA_DIR, convertedDatasets, moreEventsDataset, ndjsonDataset } from './data.js';
import { benchHttpIngest } from './http-ingest.js';
import { runMeasured, expectStatus, median, type Measured } from './measure.js';
import { benchMetrics } from './metrics.js';
import { comparePeer, runNotebook } from './pandas/compare.js';
import { markdownTable, targetRows, writeReadmeTable } from './targets.js';

const ROOT = path.resolve(BENCH_DIR, '..');
const SECTIONS = 'start,ingest,http,report,metrics,clickhouse';
const { values: args } = parseArgs({
  options: {
    only: { type: 'string', default: SECTIONS },
    events: { type: 'string', default: '1250000' },
    'metrics-events': { type: 'string', default: '1000000,10000000' },
    out: { type: 'string', default: path.join(BENCH_DIR, 'results') },
    readme: { type: 'boolean', default: false },
    engines: { type: 'string', default: 'duckdb,clickhouse' },
  },
});
const only = new Set(args.only!.split(','));
for (const s of only) if (!SECTIONS.split(',').includes(s)) throw new Error(`unknown section ${s}; sections: ${SECTIONS}`);
const events = Number(args.events);
const metricSizes = args['metrics-events']!.split(',').map(Number);
const engines = new Set(args.engines!.split(','));
const run = { commit: gitCommit(), date: new Date().toISOString() };
const results: Record<string, unknown> = {
  date: run.date,
  commit: run.commit,
  machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, memory_gb: Math.round(os.totalmem() / 2 ** 30), node: process.version, load_average: os.loadavg() },
};
const resultsDir = path.resolve(args.out!);
mkdirSync(resultsDir, { recursive: true });
const scratch = path.join(DATA_DIR, 'scratch');
mkdirSync(scratch, { recursive: true });
const say = (line: string) => process.stderr.write(`bench ${line}\n`);

function freshDb(name: string): string {
  const db = path.join(scratch, `${name}.duckdb`);
  rmSync(db, { force: true });
  rmSync(`${db}.wal`, { force: true });
  return db;
}

/** The commit measured, `+` when the work tree differs from it: every section is stamped with it. */
function gitCommit(): string {
  try {
    const head = execFileSync('git', ['rev-parse', '--short=12', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no', '--', 'src', 'sql', 'bench', 'bin', ':!bench/results'], { cwd: ROOT, encoding: 'utf8' }).trim();
    return dirty ? `${head}+` : head;
  } catch {
    return 'unknown';
  }
}

/** A child's last JSON line; when it fails, what it said on stderr (a child's death used to pass unexplained). */
function jsonFromChild(what: string, m: Measured): Record<string, unknown> {
  expectStatus(what, m);
  const last = m.stdout.trim().split('\n').pop() ?? '';
  try {
    return JSON.parse(last);
  } catch {
    throw new Error(`${what} printed no JSON line; stderr: ${m.stderr.slice(-2000)}`);
  }
}

function ingestInChild(file: string, db: string): Record<string, unknown> {
  return jsonFromChild(`ingest of ${file}`, runMeasured(process.execPath, ['--import', 'tsx', path.join(BENCH_DIR, 'ingest-file.ts'), file, db]));
}

/**
 * Runs one section; a failure is recorded with its message and the run goes on with the next
 * section, so one broken section does not cost the figures of the others.
 */
async function section(name: string, body: () => Promise<void>): Promise<void> {
  if (!only.has(name)) return;
  const started = performance.now();
  try {
    await body();
    const seconds = Math.round((performance.now() - started) / 1000);
    (results.sections as Record<string, unknown>)[name] = { ...run, seconds };
    say(`${name}: done in ${seconds} s`);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    (results.failed_sections as Record<string, string>)[name] = message;
    say(`${name}: FAILED after ${((performance.now() - started) / 1000).toFixed(0)} s: ${message}`);
  }
}
results.sections = {};
results.failed_sections = {};

// The CLI as a user runs it: the compiled build (bin/loopwatch.js falls back to tsx, saying so,
// when dist/ is missing or older than src/: then it is built first, or the start would be timed
// on tsx).
const loopwatch = (cliArgs: readonly string[]): Measured =>
  runMeasured(process.execPath, [path.join(ROOT, 'bin/loopwatch.js'), ...cliArgs], { env: { ...process.env, LOOPWATCH_FROM_SOURCE: '', LOOPWATCH_LOG_LEVEL: 'silent' } });
if (/running the TypeScript source/.test(loopwatch(['--version']).stderr)) {
  say('dist/ is missing or stale: npm run build');
  execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit' });
}

const ndjson = await ndjsonDataset(events);

await section('start', async () => {
  // warm runs only: the file cache holds node and the modules, as on a second start
  const time = (argv: string[], n: number) => {
    for (let i = 0; i < 2; i++) runMeasured(process.execPath, argv);
    return Array.from({ length: n }, () => expectStatus(argv.join(' '), runMeasured(process.execPath, argv)).seconds);
  };
  const help = time([path.join(ROOT, 'bin/loopwatch.js'), '--help'], 15);
  const bare = time(['-e', '0'], 15);
  results.cli_start = { runs: help.length, help_seconds_median: median(help), help_seconds_min: Math.min(...help), node_seconds_median: median(bare) };
  say(`start: --help ${median(help).toFixed(3)} s, node -e 0 ${median(bare).toFixed(3)} s`);
});

await section('ingest', async () => {
  // the yardstick: DuckDB reading the same file and keeping one row per id, no validation;
  // timed before and after the NDJSON ingests and averaged, so that a machine whose speed
  // drifts during the section moves both sides of the ratio alike
  const yardstick = async (): Promise<{ events: number; seconds: number }> => {
    const instance = await DuckDBInstance.create(freshDb('baseline'));
    const conn = await instance.connect();
    const t = performance.now();
    await conn.run(`CREATE TABLE raw AS SELECT DISTINCT ON (event_id) * FROM read_json('${ndjson}', format='newline_delimited')`);
    const seconds = (performance.now() - t) / 1000;
    const n = Number((await conn.runAndReadAll('SELECT count(*) AS n FROM raw')).getRowObjectsJS()[0].n);
    conn.closeSync();
    instance.closeSync();
    freshDb('baseline');
    return { events: n, seconds };
  };
  const before = await yardstick();
  const files = await convertedDatasets(ndjson);
  const formats = [['ndjson', ndjson], ['ndjson.gz', files.ndjson_gz], ['csv', files.csv], ['parquet', files.parquet], ['arrow', files.arrow]] as const;
  const ingest: Record<string, unknown>[] = [];
  let after: { events: number; seconds: number } | undefined;
  for (const engine of ['duckdb', 'clickhouse'].filter((e) => engines.has(e))) {
    for (const [format, file] of formats) {
      const r = ingestWithCli(engine, format, file);
      say(`ingest ${engine} ${format}: ${r.events_per_second} events/s in ${r.seconds.toFixed(1)} s, ${r.max_rss_mb} MB peak`);
      ingest.push(r);
      if (engine === 'duckdb' && format === 'ndjson') after = await yardstick();
    }
  }
  const seconds = after ? (before.seconds + after.seconds) / 2 : before.seconds;
  results.file_ingest = {
    duckdb_read_json_baseline: { events: before.events, seconds, seconds_before: before.seconds, seconds_after: after?.seconds ?? null, events_per_second: Math.round(before.events / seconds) },
    formats: ingest,
  };
});

/**
 * `loopwatch ingest` of one file as a user runs it (a whole process: start, reading, validation,
 * the store's writes, no derived tables), into a fresh DuckDB file or chdb directory.
 */
function ingestWithCli(engine: string, format: string, file: string) {
  const name = `ingest-${engine}-${format.replace('.', '-')}`;
  const target = engine === 'duckdb' ? ['--db', freshDb(name)] : ['--store', 'clickhouse', '--clickhouse-url', `chdb:${freshDir(name)}`];
  const m = expectStatus(`loopwatch ingest (${engine}, ${format})`, loopwatch(['ingest', ...target, '--no-derive', '--no-progress', file]), [0, 2]);
  if (engine === 'duckdb') freshDb(name);
  else freshDir(name);
  // "FILE (ndjson): 1,000 accepted, 0 duplicates, 2 rejected in 1.0 s (...)"
  const counts = /: ([\d,]+) accepted, ([\d,]+) duplicates, ([\d,]+) rejected/.exec(m.stdout);
  if (!counts) throw new Error(`loopwatch ingest printed no summary: ${m.stdout.slice(-500)} ${m.stderr.slice(-1500)}`);
  const [accepted, duplicates, rejected] = counts.slice(1).map((x) => Number(x.replace(/,/g, '')));
  const events = accepted + duplicates + rejected;
  return { engine, format, file, events, accepted, rejected, seconds: m.seconds, events_per_second: Math.round(events / m.seconds), max_rss_mb: m.max_rss_mb };
}

function freshDir(name: string): string {
  const dir = path.join(scratch, name);
  rmSync(dir, { recursive: true, force: true });
  return dir;
}

await section('http', async () => {
  const db = freshDb('http');
  const r = await benchHttpIngest(ndjson, db, { senders: 4, batchSize: 5000, maxEvents: events });
  freshDb('http');
  say(`http: ${r.events_per_second} events/s, server peak ${r.server_max_rss_mb} MB`);
  results.http_ingest = r;
});

await section('report', async () => {
  // a new user with a file: `loopwatch ingest`, then `loopwatch report --json`, each a whole
  // process; beside it, the pandas notebook on the same file, and the numbers both compute
  const db = freshDb('report');
  const ingest = expectStatus('loopwatch ingest', loopwatch(['ingest', '--db', db, '--no-progress', ndjson]), [0, 2]);
  const pandas = runNotebook(ndjson);
  const report = (extra: string[] = []) => expectStatus('loopwatch report', loopwatch(['report', '--db', db, '--json', '--to', pandas.to, ...extra]));
  const first = report();
  const agreement = comparePeer(JSON.parse(first.stdout), pandas);
  const steady = report();
  const more = await moreEventsDataset(events, 10_000);
  expectStatus('loopwatch ingest (more)', loopwatch(['ingest', '--db', db, '--no-progress', more]), [0, 2]);
  // the window end moves past the new events
  const afterMore = expectStatus('loopwatch report', loopwatch(['report', '--db', db, '--json']));
  freshDb('report');
  const proc = (m: Measured) => ({ seconds: m.seconds, max_rss_mb: m.max_rss_mb });
  const { load_seconds, compute_seconds, wall_seconds, events: pandasEvents } = pandas;
  results.report = {
    events: pandasEvents,
    ingest: proc(ingest),
    first: proc(first),
    steady: proc(steady),
    after_more: { ...proc(afterMore), more_events: 10_000 },
    loopwatch_seconds: ingest.seconds + first.seconds,
    pandas: { load_seconds, compute_seconds, wall_seconds },
    agreement: { checked: agreement.checked, mismatches: agreement.mismatches.slice(0, 50) },
  };
  say(
    `report: ingest ${ingest.seconds.toFixed(1)} s + first report ${first.seconds.toFixed(1)} s vs pandas ${wall_seconds.toFixed(1)} s; ` +
      `steady ${steady.seconds.toFixed(2)} s, after 10k more ${afterMore.seconds.toFixed(2)} s; ${agreement.mismatches.length} of ${agreement.checked} numbers differ`,
  );
});

await section('metrics', async () => {
  const metrics: Record<string, unknown>[] = [];
  for (const n of metricSizes) {
    const db = path.join(DATA_DIR, `metrics-${n}.duckdb`);
    if (!existsSync(db)) ingestInChild(await ndjsonDataset(n), db);
    const r = await benchMetrics(db, path.join(scratch, `metrics-${n}.duckdb`));
    say(`metrics ${n}: median ${r.median_ms} ms`);
    metrics.push({ ...r, events_requested: n });
  }
  results.metric_suite = metrics;
});

await section('clickhouse', async () => {
  // needs the DuckDB files the metrics section uses; chdb in a child process per size
  const ch: Record<string, unknown>[] = [];
  for (const n of metricSizes) {
    const db = path.join(DATA_DIR, `metrics-${n}.duckdb`);
    if (!existsSync(db)) ingestInChild(await ndjsonDataset(n), db);
    const r = jsonFromChild(
      `bench/clickhouse.ts on ${n} events`,
      runMeasured(process.execPath, ['--import', 'tsx', path.join(BENCH_DIR, 'clickhouse.ts'), db, path.join(scratch, `chdb-${n}`)]),
    ) as any;
    say(`clickhouse ${n}: inserts ${r.insert_events.events_per_second} events/s, suite ${r.suite_median_ms} ms`);
    ch.push({ ...r, events_requested: n });
  }
  results.clickhouse_chdb = ch;
});

results.targets = targetRows(results);
const stamp = new Date().toISOString().replace(/[:.]/g, '-');
writeFileSync(path.join(resultsDir, `${stamp}.json`), `${JSON.stringify(results, null, 2)}\n`);
// latest.json keeps the newest figure of every section, so a run of one section (--only)
// does not drop the others; its targets are recomputed over the merged sections
const latestFile = path.join(resultsDir, 'latest.json');
const previous = existsSync(latestFile) ? (JSON.parse(readFileSync(latestFile, 'utf8')) as Record<string, unknown>) : {};
const latest: Record<string, unknown> = { ...previous, ...results };
// each section keeps the commit and date it was measured at, so a table merged from several
// runs says which figure comes from which code
latest.sections = { ...(previous.sections as object), ...(results.sections as object) };
// the per-size sections keep the sizes this run did not measure
// (each entry stamped with its commit; older entries without a stamp are dropped: nothing says
// what code they measured)
for (const key of ['metric_suite', 'clickhouse_chdb']) {
  if (!results[key]) continue;
  const now = results[key] as { events_requested: number; commit?: string }[];
  for (const entry of now) entry.commit = run.commit;
  const before = Array.isArray(previous[key]) ? (previous[key] as { events_requested?: number; commit?: string }[]) : [];
  const kept = before.filter((p) => p.commit !== undefined && p.events_requested !== undefined && !now.some((n) => n.events_requested === p.events_requested));
  latest[key] = [...kept, ...now].sort((a, b) => (a.events_requested ?? 0) - (b.events_requested ?? 0));
}
const stillFailed = Object.entries((previous.failed_sections ?? {}) as Record<string, string>).filter(([name]) => !only.has(name));
latest.failed_sections = { ...Object.fromEntries(stillFailed), ...(results.failed_sections as object) };
latest.targets = targetRows(latest);
writeFileSync(latestFile, `${JSON.stringify(latest, null, 2)}\n`);
const table = markdownTable(latest.targets as never, String(latest.date), latest.sections as never, latest.failed_sections as never);
writeFileSync(path.join(resultsDir, 'latest.md'), table);
if (args.readme) writeReadmeTable(path.join(ROOT, 'README.md'), table);
process.stdout.write(table);
