// LOOPWATCH_DERIVED_TRACE=1 prints each derived-table statement's wall and CPU milliseconds
// (stderr), on either engine: where a refresh spends its time, without a profiler. chdb runs in
// process, so on ClickHouse-in-tests the CPU is the engine's too.
const TRACE = process.env.LOOPWATCH_DERIVED_TRACE === '1';

/** Runs `f`, the statement `sql`; with the trace on, prints what it took. */
export async function timedStatement<T>(sql: string, f: () => Promise<T>): Promise<T> {
  if (!TRACE) return f();
  const [t, cpu] = [performance.now(), process.cpuUsage()];
  try {
    return await f();
  } finally {
    const used = process.cpuUsage(cpu);
    const what = sql.replace(/--.*$/gm, '').replace(/\s+/g, ' ').trim().slice(0, 90);
    process.stderr.write(`derived ${(performance.now() - t).toFixed(0).padStart(6)} ms ${((used.user + used.system) / 1000).toFixed(0).padStart(6)} cpu  ${what}\n`);
  }
}
