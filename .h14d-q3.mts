import { DuckDBInstance } from '@duckdb/node-api';
const inst = await DuckDBInstance.create(process.argv[2]);
const c = await inst.connect();
await c.run(`SET search_path='loopwatch_derived,main'`);
await c.run("CREATE OR REPLACE TEMP TABLE dc AS SELECT case_id, min(rowid) AS first_rowid FROM events WHERE rowid > (SELECT max(rowid) - 10000 FROM events) AND case_id IS NOT NULL GROUP BY case_id");
console.log((await c.runAndReadAll("SELECT count(*), min(first_rowid), (SELECT count(*) FROM events WHERE rowid >= 803489 AND case_id IN (SELECT case_id FROM dc)) FROM dc")).getRows());
for (const cols of ['event_id', 'type, ts, case_id', 'features', 'risk_signals, rule_ids', 'gate_checks', 'workflow, actor_id, actor_role, policy_version, tier, model_version, prompt_version', '* EXCLUDE (input, output, final_output, attrs)']) {
  const t = performance.now(); const cpu = process.cpuUsage();
  await c.run(`CREATE OR REPLACE TEMP TABLE de AS SELECT ${cols} FROM events WHERE rowid >= 803489 AND case_id IN (SELECT case_id FROM dc)`);
  const u = process.cpuUsage(cpu);
  console.log((performance.now() - t).toFixed(0), 'ms', ((u.user + u.system) / 1000).toFixed(0), 'cpu', cols);
}
