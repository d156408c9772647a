// The same DuckDB history moved into chdb (the in-process ClickHouse engine), then the metric
// job timed on it: ingest throughput into ClickHouse and the suite's time on both engines.
// Runs in its own process: chdb allows one on-disk path per process.
// Usage: tsx bench/clickhouse.ts DUCKDB_FILE CHDB_DIR → one JSON line.
import { rmSync } from 'node:fs';
import { pino } from 'pino';
import { cutsSchema } from '../src/metrics/cuts.js';
import { defaultMetricsConfig } from '../src/metrics/metrics-config.js';
import { FAMILIES } from '../src/metrics/registry.js';
import { MetricsRunner } from '../src/metrics/runner.js';
import { ClickHouseStore } from '../src/store/clickhouse/clickhouse-store.js';
import { copyEvents } from '../src/store/copy.js';

const [duckdbPath, chdbPath] = process.argv.slice(2);
rmSync(chdbPath, { recursive: true, force: true });
const store = await ClickHouseStore.open({ chdbPath, database: 'loopwatch' });
await store.migrate();
const started = performance.now();
const copy = await copyEvents({ duckdbPath }, store, { batchSize: 50_000 });
const ingestSeconds = (performance.now() - started) / 1000;
const runner = new MetricsRunner({ store, families: FAMILIES, config: defaultMetricsConfig(), logger: pino({ level: 'silent' }) });
const cuts = cutsSchema.parse({ group_by: 'workflow' });
await runner.compute(cuts, { refresh: true });
const runs: number[] = [];
let families: Record<string, number> = {};
let refresh = 0;
for (let i = 0; i < 3; i++) {
  const snap = await runner.compute(cuts, { refresh: true });
  runs.push(snap.duration_ms);
  refresh = snap.refresh_ms;
  families = Object.fromEntries(Object.entries(snap.families).map(([k, f]) => [k, f.duration_ms]));
}
await store.close();
runs.sort((a, b) => a - b);
process.stdout.write(
  `${JSON.stringify({
    events: copy.total,
    ingest_seconds: ingestSeconds,
    ingest_events_per_second: Math.round(copy.total / ingestSeconds),
    suite_median_ms: runs[1],
    suite_runs_ms: runs,
    last_refresh_ms: refresh,
    last_families_ms: families,
  })}\n`,
);
