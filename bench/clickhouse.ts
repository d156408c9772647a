// The same DuckDB history moved into chdb (the in-process ClickHouse engine) by `loopwatch copy`'s
// bulk path, then validated events through ClickHouseStore.insertEvents on top of it (the HTTP
// and file ingest path), then the metric job timed on it.
// Runs in its own process: chdb allows one on-disk path per process.
// Usage: tsx bench/clickhouse.ts DUCKDB_FILE CHDB_DIR [--no-suite] → one JSON line.
// --no-suite: ingest only (the metric job on 10M events takes long on a small machine).
import { copyFileSync, existsSync, rmSync } from 'node:fs';
import type { ClickHouseClient } from '@clickhouse/client';
import { DuckDBInstance } from '@duckdb/node-api';
import { pino } from 'pino';
import type { EventRow } from '../src/events/row.js';
import { createValidator } from '../src/events/validate.js';
import { cutsSchema } from '../src/metrics/cuts.js';
import { defaultMetricsConfig } from '../src/config/metrics.js';
import { FAMILIES } from '../src/metrics/registry.js';
import { MetricsRunner } from '../src/metrics/runner.js';
import { simulate } from '../src/simulate/index.js';
import { ClickHouseStore } from '../src/store/clickhouse/clickhouse-store.js';
import { DEFAULT_COPY_CHUNK, copyEvents } from '../src/store/copy.js';
import { median } from './metrics.js';

const INSERT_EVENTS = 200_000;
const INSERT_BATCH = 5_000;
// the steady-state metric job, as in bench/metrics.ts: NEW_PER_RUN events arrive a minute
// apart before each run (the runs' window reaches 5 minutes back, so the last runs each
// re-read five minutes of arrivals); the first WARM_RUNS fill that window and are not timed
const NEW_PER_RUN = 10_000;
const WARM_RUNS = 4;
const TIMED_RUNS = 5;

const [sourcePath, chdbPath, flag] = process.argv.slice(2);
const withSuite = flag !== '--no-suite';
rmSync(chdbPath, { recursive: true, force: true });
// a copy of the source: DuckDB locks a file it opens, and other benchmarks read the original
const duckdbPath = `${chdbPath}.source.duckdb`;
copyFileSync(sourcePath, duckdbPath);
if (existsSync(`${sourcePath}.wal`)) copyFileSync(`${sourcePath}.wal`, `${duckdbPath}.wal`);

const store = await ClickHouseStore.open({ chdbPath, database: 'loopwatch' });
await store.migrate();

// where the history ends: the new events of step 2 continue from there
const lastEventTime = await (async () => {
  const instance = await DuckDBInstance.create(duckdbPath, { access_mode: 'READ_ONLY' });
  const conn = await instance.connect();
  const r = await conn.runAndReadAll('SELECT epoch_ms(max(ts))::DOUBLE AS last FROM events');
  conn.closeSync();
  instance.closeSync();
  return new Date(Number((r.getRowObjectsJS()[0] as { last: number }).last));
})();

// 1. loopwatch copy: DuckDB → Parquet chunks → ClickHouse
let started = performance.now();
const copy = await copyEvents({ duckdbPath }, store, { chunkSize: DEFAULT_COPY_CHUNK });
const copySeconds = (performance.now() - started) / 1000;
rmSync(duckdbPath, { force: true });
rmSync(`${duckdbPath}.wal`, { force: true });
if (!copy.done || (await store.countEvents()) !== copy.total) throw new Error('copy did not store every source event');
// the history merged into one part first, as a store at rest has it: left as the copy's parts,
// ClickHouse merges them in the background during the inserts (it lowers its merge threshold for
// older parts), and the inserts' figures would include rewriting the copied million rows
started = performance.now();
await (store as unknown as { client: ClickHouseClient }).client.command({ query: `OPTIMIZE TABLE ${store.database}.events FINAL` });
const historyMergeSeconds = (performance.now() - started) / 1000;

// 2. insertEvents on top: new simulated events (another seed: other ids), validated as ingest
// does (timed apart: the validator is ingest's, the insert the store's), in 5,000-event batches;
// then one batch sent again, which must come back as duplicates
const { rows: allNew, validateSeconds } = newEvents(lastEventTime, INSERT_EVENTS + (WARM_RUNS + TIMED_RUNS) * NEW_PER_RUN);
const rows = allNew.slice(0, INSERT_EVENTS);
const later = allNew.slice(INSERT_EVENTS);
const batchMs: number[] = [];
const cpuBefore = process.cpuUsage();
started = performance.now();
for (let i = 0; i < rows.length; i += INSERT_BATCH) {
  const t = performance.now();
  const { duplicateIds } = await store.insertEvents(rows.slice(i, i + INSERT_BATCH));
  if (duplicateIds.size > 0) throw new Error(`new events reported as duplicates: ${duplicateIds.size}`);
  batchMs.push(performance.now() - t);
}
const insertSeconds = (performance.now() - started) / 1000;
const insertCpu = process.cpuUsage(cpuBefore);
// the inserted events' share of the validation time
const validateInsertSeconds = (validateSeconds * rows.length) / allNew.length;
const retryStarted = performance.now();
const retry = await store.insertEvents(rows.slice(0, INSERT_BATCH));
const retryMs = performance.now() - retryStarted;
if (retry.duplicateIds.size !== INSERT_BATCH) throw new Error(`a retried batch found ${retry.duplicateIds.size} of ${INSERT_BATCH} duplicates`);

// 3. the metric job
const runner = new MetricsRunner({ store, families: FAMILIES, config: defaultMetricsConfig(), logger: pino({ level: 'silent' }) });
const cuts = cutsSchema.parse({ group_by: 'workflow' });
let full = 0;
let fullRefresh = 0;
if (withSuite) {
  const first = await runner.compute(cuts, { refresh: true });
  if (first.refresh_mode !== 'full') throw new Error(`first run was ${first.refresh_mode}, not a full build`);
  full = first.duration_ms;
  fullRefresh = first.refresh_ms;
}
const runs: number[] = [];
const refreshes: number[] = [];
const refreshedCases: number[] = [];
const perFamily: Record<string, number[]> = {};
// the runs' arrivals start ten minutes after the insertEvents step, a minute apart
const arrivals = Date.now() + 10 * 60_000;
for (let i = 0; withSuite && i < WARM_RUNS + TIMED_RUNS; i++) {
  const batch = later.slice(i * NEW_PER_RUN, (i + 1) * NEW_PER_RUN).map((r, j) => ({ ...r, received_at: arrivals + i * 60_000 + j }));
  for (let j = 0; j < batch.length; j += INSERT_BATCH) await store.insertEvents(batch.slice(j, j + INSERT_BATCH));
  const snap = await runner.compute(cuts, { refresh: true });
  if (snap.refresh_mode !== 'incremental') throw new Error(`run ${i} refreshed ${snap.refresh_mode}, expected incremental`);
  if (i < WARM_RUNS) continue;
  runs.push(snap.duration_ms);
  refreshes.push(snap.refresh_ms);
  refreshedCases.push(snap.refreshed_cases ?? 0);
  for (const [k, f] of Object.entries(snap.families)) (perFamily[k] ??= []).push(f.duration_ms);
}
await store.close();
batchMs.sort((a, b) => a - b);
process.stdout.write(
  `${JSON.stringify({
    events: copy.total,
    // the copy's figures under the names earlier runs used
    ingest_seconds: copySeconds,
    ingest_events_per_second: Math.round(copy.total / copySeconds),
    copy: { chunk_size: DEFAULT_COPY_CHUNK, chunks: copy.chunks, seconds: copySeconds, events_per_second: Math.round(copy.total / copySeconds) },
    history_merge_seconds: historyMergeSeconds,
    insert_events: {
      // the events' insert format (src/store/clickhouse/append.ts); JSONCompactEachRow before issue 14
      format: 'RowBinary',
      stored_before: copy.total,
      events: rows.length,
      batch_size: INSERT_BATCH,
      seconds: insertSeconds,
      events_per_second: Math.round(rows.length / insertSeconds),
      // CPU of the whole process while inserting: JavaScript and the in-process engine's threads
      // (its background merges included)
      cpu_seconds: (insertCpu.user + insertCpu.system) / 1e6,
      // the tamper-evidence row text of the batches' chain links (src/store/clickhouse/row-text.ts)
      chain_row_format: 2,
      validate_seconds: validateInsertSeconds,
      // validation as ingest runs it, then the insert: the events' whole way from parsed JSON to stored
      validated_events_per_second: Math.round(rows.length / (insertSeconds + validateInsertSeconds)),
      batch_ms_median: Math.round(batchMs[Math.floor(batchMs.length / 2)]),
      batch_ms_max: Math.round(batchMs[batchMs.length - 1]),
      retried_batch_ms: Math.round(retryMs),
    },
    suite_full_run_ms: withSuite ? full : null,
    suite_full_refresh_ms: withSuite ? fullRefresh : null,
    new_events_per_run: NEW_PER_RUN,
    suite_median_ms: withSuite ? median(runs) : null,
    suite_runs_ms: runs,
    refresh_median_ms: withSuite ? median(refreshes) : null,
    refreshed_cases_median: withSuite ? median(refreshedCases) : null,
    families_median_ms: Object.fromEntries(Object.entries(perFamily).map(([k, v]) => [k, median(v)])),
  })}\n`,
);

/** `count` validated events of new simulated cases, starting where the stored history ends, and the validator's time. */
function newEvents(start: Date, count: number): { rows: EventRow[]; validateSeconds: number } {
  const raw: Record<string, unknown>[] = [];
  const startHour = new Date(Math.ceil(start.getTime() / 3_600_000) * 3_600_000);
  for (const batch of simulate({ seed: 7, cases: Math.ceil(count / 5), start: startHour, casesPerHour: 600 }, 10_000)) {
    for (const e of batch) if (raw.length < count) raw.push(e);
    if (raw.length === count) break;
  }
  const validate = createValidator();
  const receivedAt = Date.now();
  const began = performance.now();
  const rows = raw.map((e, i) => {
    const r = validate(e, i, receivedAt + i);
    if (!r.ok) throw new Error(`simulated event is invalid: ${r.rejected.reason}`);
    return r.row;
  });
  return { rows, validateSeconds: (performance.now() - began) / 1000 };
}
