// Per-query timings of the metric job, for finding where the time goes:
//   npx tsx bench/profile-metrics.ts bench/data/metrics-1000000.duckdb
// Each query's process CPU time (DuckDB's threads included) is shown beside its wall time: on
// a machine shared with other work the CPU time is the steadier of the two.
import { pino } from 'pino';
import { cutsSchema } from '../src/metrics/cuts.js';
import { defaultMetricsConfig } from '../src/config/metrics.js';
import { FAMILIES } from '../src/metrics/registry.js';
import { MetricsRunner } from '../src/metrics/runner.js';
import { DuckDBStore } from '../src/store/duckdb/duckdb-store.js';
import type { AnyQuery } from '../src/store/queries.js';

const db = process.argv[2];
const store = await DuckDBStore.open({ path: db });
await store.migrate();
const times: Record<string, number[]> = {};
const cpuTimes: Record<string, number[]> = {};
const cpuMs = (u: NodeJS.CpuUsage) => (u.user + u.system) / 1000;
const orig = store.query.bind(store);
// one query at a time, so that each timing is that query's own and not its wait in the queue
let lock: Promise<unknown> = Promise.resolve();
store.query = ((query: AnyQuery, params?: Record<string, unknown>) => {
  const run = async () => {
    const t = performance.now();
    const cpu = process.cpuUsage();
    const r = await orig(query, params);
    (times[query.name] ??= []).push(performance.now() - t);
    (cpuTimes[query.name] ??= []).push(cpuMs(process.cpuUsage(cpu)));
    return r;
  };
  const next = lock.then(run, run);
  lock = next.catch(() => undefined);
  return next;
}) as typeof store.query;
const runner = new MetricsRunner({ store, families: FAMILIES, config: defaultMetricsConfig(), logger: pino({ level: 'silent' }) });
const cuts = cutsSchema.parse({ group_by: 'workflow' });
await runner.compute(cuts, { refresh: true });
for (const k of Object.keys(times)) {
  times[k] = [];
  cpuTimes[k] = [];
}
const cpu = process.cpuUsage();
const snap = await runner.compute(cuts, { refresh: false });
console.log('total', snap.duration_ms, 'cpu', cpuMs(process.cpuUsage(cpu)).toFixed(0), 'refresh', snap.refresh_ms);
for (const [n, f] of Object.entries(snap.families)) console.log('family', n, f.duration_ms);
for (const [n, t] of Object.entries(times).sort((a, b) => b[1].reduce((x, y) => x + y) - a[1].reduce((x, y) => x + y)))
  console.log('query', n, t.map((x) => x.toFixed(0)).join(','), 'cpu', cpuTimes[n].map((x) => x.toFixed(0)).join(','));
await store.close();
