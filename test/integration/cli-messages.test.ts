import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, spawnServer, tempDir, runCli } from '../helpers/server.js';

const loopwatch = runCli;

describe('what the CLI tells a user', () => {
  const tmp = tempDir();
  afterAll(() => tmp.cleanup());

  it('prints the package version with --version', () => {
    const { version } = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    const run = loopwatch(['--version']);
    expect(run.status).toBe(0);
    expect(run.stdout).toBe(`${version}\n`);
  });

  it('names the environment variable of a setting that has no flag, and no flag that does not exist', () => {
    const run = loopwatch(['migrate', '--db', path.join(tmp.dir, 'a.duckdb')], { LOOPWATCH_BODY_LIMIT: 'huge' });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/bodyLimit \(env LOOPWATCH_BODY_LIMIT\): expected a size such as 512kb or 64mb/);
    expect(run.stderr).not.toMatch(/--body-limit/);
  });

  it('refuses a report width it cannot fit, naming the flag', () => {
    const run = loopwatch(['report', '--db', path.join(tmp.dir, 'w.duckdb'), '--width', '12']);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/--width: expected a whole number of columns, at least 40; got "12"/);
  });

  // DuckDB only, by nature: one read-write process per DuckDB file is the lock this message
  // explains; a ClickHouse server takes many clients. The other cases fail before a store opens.
  it('on a file a server holds, says that report --url asks that server', async () => {
    const db = path.join(tmp.dir, 'held.duckdb');
    const { child } = await spawnServer(db);
    try {
      const run = loopwatch(['report', '--db', db]);
      expect(run.status).toBe(1);
      expect(run.stderr).toMatch(/in use by another process/);
      expect(run.stderr).toMatch(/loopwatch report --url http:\/\/HOST:PORT/);
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
  });
});
