import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');

// What the report path costs at start (issue 14): DuckDB's package is CommonJS whose index
// re-exports ~120 files, and an ESM import of it has Node's CommonJS lexer read them all
// (~200 ms of CPU more than require()); the @stdlib distributions load dozens of modules each
// (the beta quantile ~140 ms) and are needed only by the statistics that call them.
const SCRIPT = `
import { createRequire } from 'node:module';
const loaded = () => Object.keys(createRequire(process.cwd() + '/').cache)
  .map((f) => /\\/node_modules\\/((?:@[^/]+\\/)?[^/]+)\\//.exec(f)?.[1]).filter((p) => p && p.startsWith('@'));
await import('./src/cli/report.ts');
const atImport = [...new Set(loaded())].sort();
const { clopperPearsonInterval } = await import('./src/metrics/stats/proportions.ts');
const interval = clopperPearsonInterval(3, 10);
console.log(JSON.stringify({ atImport, afterCall: [...new Set(loaded())].sort(), upper: interval.upper }));
`;

describe('loopwatch report at start', () => {
  it('requires DuckDB (no ESM import of it) and loads an @stdlib distribution only when one is called', () => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', '--import', './test/helpers/log-imports.mjs', '--input-type=module', '-e', SCRIPT], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(run.status, run.stderr).toBe(0);
    // the hook saw the run: the report module and its store were resolved through it
    expect(run.stderr).toMatch(/loopwatch-import .*src\/store\/duckdb\/duckdb-store\.ts/);
    const esm = run.stderr.split('\n').filter((l) => /^loopwatch-import .*\/node_modules\/@(duckdb|stdlib)\//.test(l));
    expect(esm).toEqual([]);
    const out = JSON.parse(run.stdout) as { atImport: string[]; afterCall: string[]; upper: number };
    expect(out.atImport).toContain('@duckdb/node-api');
    expect(out.atImport.filter((p) => p.startsWith('@stdlib/'))).toEqual([]);
    // called, the function is there: scipy.stats.binomtest(3, 10).proportion_ci('exact').high
    expect(out.afterCall).toContain('@stdlib/stats-base-dists-beta-quantile');
    expect(out.upper).toBeCloseTo(0.652452850060008, 12);
  });
});
