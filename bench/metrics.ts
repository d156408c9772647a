import { copyFileSync, existsSync, rmSync } from 'node:fs';
import { DuckDBInstance } from '@duckdb/node-api';
import { pino } from 'pino';
import { cutsSchema } from '../src/metrics/cuts.js';
import { defaultMetricsConfig } from '../src/config/metrics.js';
import { FAMILIES } from '../src/metrics/registry.js';
import { MetricsRunner } from '../src/metrics/runner.js';
import { DuckDBStore } from '../src/store/duckdb/duckdb-store.js';

export interface MetricsBenchResult {
  events: number;
  /** The first run after start: every derived table built from the whole log, then every family. */
  full_run_ms: number;
  full_refresh_ms: number;
  /** Events stored before each timed steady-state run. */
  new_events_per_run: number;
  runs: number;
  /** Steady state, as the scheduled job runs: incremental refresh plus every family. */
  median_ms: number;
  min_ms: number;
  refresh_median_ms: number;
  refreshed_cases_median: number;
  families_median_ms: Record<string, number>;
  /** The statistical families alone (agreement and drift, side by side) on the fresh tables of each run. */
  agreement_and_drift_median_ms: number;
  /** A new store on the same file afterwards (as `loopwatch report` opens it): no rebuild, every family. */
  reopened_run_ms: number;
  rss_mb_after: number;
}

const STATS_FAMILIES = FAMILIES.filter((f) => f.name === 'agreement' || f.name === 'drift');

/** The middle value (the upper one of an even count), as every benchmark here reports it. */
export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/**
 * The scheduled job (refresh + all families, grouped by workflow) as it runs in a live
 * deployment: the history is stored except its last `runs × newEventsPerRun` events, the first
 * run builds everything, and before each timed run the next `newEventsPerRun` events of the
 * history are appended (late events of open cases and new cases, in their arrival order).
 */
export async function benchMetrics(
  sourceDb: string,
  scratchDb: string,
  options: { runs?: number; newEventsPerRun?: number } = {},
): Promise<MetricsBenchResult> {
  const runs = options.runs ?? 5;
  const perRun = options.newEventsPerRun ?? 10_000;
  rmSync(scratchDb, { force: true });
  rmSync(`${scratchDb}.wal`, { force: true });
  copyFileSync(sourceDb, scratchDb);
  if (existsSync(`${sourceDb}.wal`)) copyFileSync(`${sourceDb}.wal`, `${scratchDb}.wal`);
  const store = await DuckDBStore.open({ path: scratchDb });
  await store.migrate();
  // the held-back tail goes to a side table and out of events; the checkpoint drops the deleted
  // rows, so new rows continue the row ids as in a deployment that never deleted anything
  const side = await (await DuckDBInstance.fromCache(scratchDb)).connect();
  const total = Number((await side.runAndReadAll('SELECT count(*) FROM events')).getRows()[0][0]);
  const cut = total - runs * perRun;
  await side.run(`CREATE TABLE bench_tail AS SELECT row_number() OVER (ORDER BY rowid) - 1 AS seq, * FROM events WHERE rowid >= ${cut}`);
  await side.run(`DELETE FROM events WHERE rowid >= ${cut}`);
  await side.run('CHECKPOINT');

  const runner = new MetricsRunner({ store, families: FAMILIES, config: defaultMetricsConfig(), logger: pino({ level: 'silent' }) });
  const cuts = cutsSchema.parse({ group_by: 'workflow' });
  const first = await runner.compute(cuts, { refresh: true });
  if (first.refresh_mode !== 'full') throw new Error(`first run was ${first.refresh_mode}, not a full build`);
  const totals: number[] = [];
  const refresh: number[] = [];
  const cases: number[] = [];
  const perFamily: Record<string, number[]> = {};
  const statsOnly: number[] = [];
  for (let i = 0; i < runs; i++) {
    await side.run(
      `INSERT INTO events SELECT * EXCLUDE (seq) FROM bench_tail WHERE seq >= ${i * perRun} AND seq < ${(i + 1) * perRun} ORDER BY seq`,
    );
    const snap = await runner.compute(cuts, { refresh: true });
    if (snap.refresh_mode !== 'incremental') throw new Error(`run ${i} refreshed ${snap.refresh_mode}, expected incremental`);
    totals.push(snap.duration_ms);
    refresh.push(snap.refresh_ms);
    cases.push(snap.refreshed_cases ?? 0);
    for (const [name, f] of Object.entries(snap.families)) (perFamily[name] ??= []).push(f.duration_ms);
    const stats = await runner.compute(cuts, { refresh: false, families: STATS_FAMILIES });
    statsOnly.push(stats.duration_ms);
  }
  side.closeSync();
  await store.close();
  // what `loopwatch report` does in a process of its own: open the file, find the derived
  // tables kept there up to date (issue 14), compute every family
  const reopened = await DuckDBStore.open({ path: scratchDb });
  await reopened.migrate();
  const report = await new MetricsRunner({ store: reopened, families: FAMILIES, config: defaultMetricsConfig(), logger: pino({ level: 'silent' }) }).compute(cuts, { refresh: true });
  await reopened.close();
  if (report.refresh_mode !== 'unchanged') throw new Error(`a new store on the same file refreshed ${report.refresh_mode}, expected unchanged`);
  rmSync(scratchDb, { force: true });
  rmSync(`${scratchDb}.wal`, { force: true });
  return {
    events: total,
    full_run_ms: first.duration_ms,
    full_refresh_ms: first.refresh_ms,
    new_events_per_run: perRun,
    runs,
    median_ms: median(totals),
    min_ms: Math.min(...totals),
    refresh_median_ms: median(refresh),
    refreshed_cases_median: median(cases),
    families_median_ms: Object.fromEntries(Object.entries(perFamily).map(([k, v]) => [k, median(v)])),
    agreement_and_drift_median_ms: median(statsOnly),
    reopened_run_ms: report.duration_ms,
    rss_mb_after: Math.round(process.memoryUsage().rss / 2 ** 20),
  };
}
