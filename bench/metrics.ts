import { pino } from 'pino';
import { cutsSchema } from '../src/metrics/cuts.js';
import { defaultMetricsConfig } from '../src/metrics/metrics-config.js';
import { FAMILIES } from '../src/metrics/registry.js';
import { MetricsRunner } from '../src/metrics/runner.js';
import { DuckDBStore } from '../src/store/duckdb/duckdb-store.js';

export interface MetricsBenchResult {
  runs: number;
  /** Whole job: derived-table refresh plus every family, as the scheduled run does it. */
  median_ms: number;
  min_ms: number;
  refresh_median_ms: number;
  families_median_ms: Record<string, number>;
  rss_mb_after: number;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** The scheduled job (refresh + all families, grouped by workflow) timed over several runs. */
export async function benchMetrics(db: string, runs = 5): Promise<MetricsBenchResult> {
  const store = await DuckDBStore.open({ path: db });
  await store.migrate();
  const runner = new MetricsRunner({ store, families: FAMILIES, config: defaultMetricsConfig(), logger: pino({ level: 'silent' }) });
  const cuts = cutsSchema.parse({ group_by: 'workflow' });
  await runner.compute(cuts, { refresh: true }); // warm-up: file pages into memory
  const totals: number[] = [];
  const refresh: number[] = [];
  const perFamily: Record<string, number[]> = {};
  for (let i = 0; i < runs; i++) {
    const snap = await runner.compute(cuts, { refresh: true });
    totals.push(snap.duration_ms);
    refresh.push(snap.refresh_ms);
    for (const [name, f] of Object.entries(snap.families)) (perFamily[name] ??= []).push(f.duration_ms);
  }
  await store.close();
  return {
    runs,
    median_ms: median(totals),
    min_ms: Math.min(...totals),
    refresh_median_ms: median(refresh),
    families_median_ms: Object.fromEntries(Object.entries(perFamily).map(([k, v]) => [k, median(v)])),
    rss_mb_after: Math.round(process.memoryUsage().rss / 2 ** 20),
  };
}
