import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DuckDBStore } from '../../src/store/duckdb/duckdb-store.js';

const ROOT = path.resolve(import.meta.dirname, '../..');

// What the report path costs at start (issue 14): DuckDB's package is CommonJS whose index
// re-exports ~120 files, and an ESM import of it has Node's CommonJS lexer read them all
// (~200 ms of CPU more than require()); the @stdlib distributions load dozens of modules each
// (the beta quantile ~140 ms) and are needed only by the statistics that call them.
const SCRIPT = `
import { createRequire } from 'node:module';
const loaded = () => Object.keys(createRequire(process.cwd() + '/').cache)
  .map((f) => /\\/node_modules\\/((?:@[^/]+\\/)?[^/]+)\\//.exec(f)?.[1]).filter((p) => p && p.startsWith('@'));
// what a report from the database loads: the command, then its store and families (report.ts imports these two when it runs)
await import('./src/cli/report.ts');
await import('./src/store/open-store.ts');
await import('./src/metrics/registry.ts');
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

  // the database opens (and its derived tables refresh) on DuckDB's threads while this one loads
  // the families: had the report imported them first, the open would wait for all of them
  it('starts opening the database before it loads the metric families', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'loopwatch-report-start-'));
    try {
      const db = path.join(dir, 'empty.duckdb');
      const store = await DuckDBStore.open({ path: db });
      await store.migrate();
      await store.close();
      const run = spawnSync(process.execPath, ['--import', 'tsx', '--import', './test/helpers/log-imports.mjs', 'src/cli/main.ts', 'report', '--json', '--db', db], {
        cwd: ROOT,
        encoding: 'utf8',
        timeout: 60_000,
      });
      expect(run.status, run.stderr).toBe(0);
      expect(JSON.parse(run.stdout).refresh_mode).toBeDefined();
      const order = run.stderr.split('\n').filter((l) => l.startsWith('loopwatch-import '));
      const at = (suffix: string) => order.findIndex((l) => l.endsWith(suffix));
      expect(at('/src/store/duckdb/node-api.ts')).toBeGreaterThan(-1);
      expect(at('/src/metrics/registry.ts')).toBeGreaterThan(at('/src/store/duckdb/node-api.ts'));
      expect(at('/src/metrics/runner.ts')).toBeGreaterThan(at('/src/store/duckdb/node-api.ts'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
