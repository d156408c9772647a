import { existsSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir, runCli } from '../helpers/server.js';

/**
 * A command that fails says so in one line on stderr, `loopwatch: …`, without a stack trace,
 * and exits 1 (README, "The loopwatch command").
 */
const loopwatch = runCli;

function expectOneLine(run: { status: number | null; stderr: string }, message: RegExp): void {
  const lines = run.stderr.split('\n').filter((l) => l !== '');
  expect(lines, run.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^loopwatch: /);
  expect(lines[0]).toMatch(message);
  expect(run.stderr).not.toMatch(/\n\s+at |Error: /);
  expect(run.status).toBe(1);
}

function listen(server: Server, port = 0): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve((server.address() as { port: number }).port));
  });
}

describe('CLI errors: one clear line, no stack trace', () => {
  const tmp = tempDir();
  const occupied = createServer();
  let busyPort: number;
  let closedPort: number;
  beforeAll(async () => {
    busyPort = await listen(occupied);
    // a port that was free a moment ago and has nothing listening now
    const probe = createServer();
    closedPort = await listen(probe);
    await new Promise((r) => probe.close(r));
  });
  afterAll(async () => {
    await new Promise((r) => occupied.close(r));
    tmp.cleanup();
  });

  it('report --url to a server that is down', () => {
    expectOneLine(loopwatch(['report', '--url', `http://127.0.0.1:${closedPort}`]), /cannot reach a Loopwatch server at http:\/\/127\.0\.0\.1:\d+ \(connection refused\)/);
  });

  it('report --url that is not a URL', () => {
    expectOneLine(loopwatch(['report', '--url', 'not-a-url']), /--url: expected the address of a Loopwatch server such as http:\/\/127\.0\.0\.1:8080; got "not-a-url"/);
  });

  it('serve on a port in use', () => {
    expectOneLine(
      loopwatch(['serve', '--host', '127.0.0.1', '--port', String(busyPort), '--db', path.join(tmp.dir, 'serve.duckdb')]),
      new RegExp(`cannot listen on 127\\.0\\.0\\.1:${busyPort}: the port is in use by another process; choose another with --port`),
    );
  });

  it('report --db in a directory that does not exist: an error, and nothing created', () => {
    const db = path.join(tmp.dir, 'no', 'such', 'dir', 'x.duckdb');
    expectOneLine(loopwatch(['report', '--db', db]), /no database at .*x\.duckdb: check --db/);
    expect(existsSync(path.join(tmp.dir, 'no'))).toBe(false);
  });

  it('report --db naming a missing file in an existing directory: an error, not a new empty database', () => {
    const db = path.join(tmp.dir, 'missing.duckdb');
    expectOneLine(loopwatch(['report', '--db', db]), /no database at .*missing\.duckdb/);
    expect(existsSync(db)).toBe(false);
  });

  it('ingest of a file that does not exist, before any database is made', () => {
    const db = path.join(tmp.dir, 'ingest.duckdb');
    expectOneLine(loopwatch(['ingest', path.join(tmp.dir, 'missing.ndjson'), '--db', db]), /missing\.ndjson: cannot open: no such file$/);
    expect(existsSync(db)).toBe(false);
  });

  it('simulate --url to a server that is down, or to no URL at all', () => {
    expectOneLine(loopwatch(['simulate', '--cases', '2', '--url', `http://127.0.0.1:${closedPort}`]), /cannot reach a Loopwatch server at .* \(connection refused\)/);
    expectOneLine(loopwatch(['simulate', '--cases', '2', '--url', 'nope']), /--url: expected the address of a Loopwatch server/);
  });

  it('a configuration error: its problems on one line', () => {
    const file = path.join(tmp.dir, 'bad.json');
    writeFileSync(file, JSON.stringify({ port: -1, bodyLimit: 'huge' }));
    expectOneLine(loopwatch(['report', '--config', file, '--db', path.join(tmp.dir, 'c.duckdb')]), /invalid configuration: .*; /);
  });
});
