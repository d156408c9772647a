import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
const scratch = mkdtempSync(path.join(tmpdir(), 'loopwatch-pack-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('the published package', () => {
  // dist/ is git-ignored, and npm packs by .gitignore when package.json lists no files: the
  // tarball had no compiled CLI, so every installed start fell back to tsx
  it.skipIf(!existsSync(path.join(ROOT, 'dist/cli/main.js')))('ships the compiled CLI beside the SQL it reads', () => {
    const run = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
    expect(run.status, run.stderr).toBe(0);
    const files = new Set((JSON.parse(run.stdout) as { files: { path: string }[] }[])[0].files.map((f) => f.path));
    for (const f of ['bin/loopwatch.js', 'dist/cli/main.js', 'sql/duckdb/migrations/0001_events.sql', 'sql/clickhouse/migrations/0001_events.sql', 'package.json']) {
      expect(files.has(f), f).toBe(true);
    }
    expect([...files].some((f) => f.startsWith('test/') || f.startsWith('bench/'))).toBe(false);
  });

  it('installs without dev dependencies: prepare says the build is skipped instead of failing', () => {
    // a package root with no node_modules: no compiler to find
    mkdirSync(path.join(scratch, 'bin'));
    copyFileSync(path.join(ROOT, 'bin/prepare.mjs'), path.join(scratch, 'bin/prepare.mjs'));
    const run = spawnSync(process.execPath, ['bin/prepare.mjs'], { cwd: scratch, encoding: 'utf8', timeout: 60_000 });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/typescript is not installed.*dist\/ not built/);
  });
});
