import { DuckDBStore } from './src/store/duckdb/duckdb-store.js';
import { Q } from './src/store/queries.js';
const store = await DuckDBStore.open({ path: process.argv[2] });
await store.migrate();
const p = { workflow: null, tier: null, lane: null, model_version: null, policy_version: null, reviewer: null, from: null, to: new Date(), bucket: null, group_by: ['workflow'] } as any;
for (let i = 0; i < 4; i++) {
  const t = performance.now(); const cpu = process.cpuUsage();
  const r = await store.query(Q.modelVersions, p);
  const u = process.cpuUsage(cpu);
  console.log((performance.now() - t).toFixed(0), 'ms', ((u.user + u.system) / 1000).toFixed(0), 'cpu', r.length);
}
await store.close();
