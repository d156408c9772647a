// steady-state refresh timing: append 10k copies of recent events (new ids) and refresh, per statement
import { copyFileSync } from 'node:fs';
import { DuckDBInstance } from '@duckdb/node-api';
import { DuckDBStore } from './src/store/duckdb/duckdb-store.js';
const [src, dst] = [process.argv[2], process.argv[3]];
copyFileSync(src, dst);
const store = await DuckDBStore.open({ path: dst });
await store.migrate();
const r0 = await store.refreshDerived();
console.log('initial', r0);
const refresher = (store as any).refresher;
const orig = refresher.run.bind(refresher);
const origAll = refresher.runAndReadAll.bind(refresher);
const log: [string, number][] = [];
refresher.run = async (sql: string, ...a: any[]) => { const t = performance.now(); const r = await orig(sql, ...a); log.push([sql.replace(/\s+/g, ' ').slice(0, 90), performance.now() - t]); return r; };
refresher.runAndReadAll = async (sql: string, ...a: any[]) => { const t = performance.now(); const r = await origAll(sql, ...a); log.push([sql.replace(/\s+/g, ' ').slice(0, 90), performance.now() - t]); return r; };
const side = await (await DuckDBInstance.fromCache(dst)).connect();
for (let i = 0; i < 3; i++) {
  await side.run(`INSERT INTO events SELECT * REPLACE (event_id || '-r${i}' AS event_id) FROM events WHERE rowid >= (SELECT max(rowid) - 30000 FROM events) AND rowid % 3 = ${i} LIMIT 10000`);
  log.length = 0;
  const t = performance.now(); const cpu = process.cpuUsage();
  const r = await store.refreshDerived();
  const u = process.cpuUsage(cpu);
  console.log('run', i, r, (performance.now() - t).toFixed(0), 'ms', ((u.user + u.system) / 1000).toFixed(0), 'cpu ms');
  if (i === 2) for (const [s, ms] of log) console.log(ms.toFixed(0).padStart(6), s);
}
side.closeSync();
await store.close();
