import { DuckDBInstance } from '@duckdb/node-api';
const inst = await DuckDBInstance.create(process.argv[2]);
const c = await inst.connect();
await c.run("CREATE OR REPLACE TEMP TABLE dc AS SELECT case_id, min(rowid) AS first_rowid FROM events WHERE rowid > (SELECT max(rowid) - 10000 FROM events) AND case_id IS NOT NULL GROUP BY case_id");
const tries = {
  base: "CREATE OR REPLACE TEMP TABLE de AS SELECT * EXCLUDE (input, output, final_output, attrs) FROM events WHERE rowid >= 803489 AND case_id IN (SELECT case_id FROM dc)",
  rowids: "CREATE OR REPLACE TEMP TABLE dr AS SELECT rowid AS r FROM events WHERE rowid >= 803489 AND case_id IN (SELECT case_id FROM dc)",
  byRowidSub: "CREATE OR REPLACE TEMP TABLE de AS SELECT * EXCLUDE (input, output, final_output, attrs) FROM events WHERE rowid >= 803489 AND rowid IN (SELECT r FROM dr)",
  semi: "CREATE OR REPLACE TEMP TABLE de AS SELECT e.* EXCLUDE (input, output, final_output, attrs) FROM events e SEMI JOIN dc USING (case_id) WHERE e.rowid >= 803489",
};
for (let k = 0; k < 2; k++) for (const [name, sql] of Object.entries(tries)) {
  const t = performance.now(); const cpu = process.cpuUsage();
  await c.run(sql);
  const u = process.cpuUsage(cpu);
  console.log((performance.now() - t).toFixed(0), 'ms', ((u.user + u.system) / 1000).toFixed(0), 'cpu', name);
}
const r = await c.runAndReadAll("EXPLAIN ANALYZE " + tries.byRowidSub.replace('CREATE OR REPLACE TEMP TABLE de AS ', ''));
console.log(r.getRows().map(x => x[1]).join('\n').slice(0, 3000));
