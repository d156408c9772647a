import { DuckDBInstance } from '@duckdb/node-api';
const inst = await DuckDBInstance.create(process.argv[2]);
const c = await inst.connect();
await c.run(`SET search_path='loopwatch_derived,main'`);
for (const sql of process.argv.slice(3)) {
  for (let i = 0; i < 3; i++) {
    const t = performance.now(); const cpu = process.cpuUsage();
    const r = await c.runAndReadAll(sql);
    const u = process.cpuUsage(cpu);
    console.log((performance.now() - t).toFixed(0), 'ms wall', ((u.user + u.system) / 1000).toFixed(0), 'ms cpu', r.getRows().length, 'rows');
  }
}
