import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { loadConfig } from '../../src/config/config.js';
import { createLogger } from '../../src/observability/logger.js';
import { startServer, type RunningServer } from '../../src/http/start-server.js';
import { sharedChdbDir, testDatabaseName, type StoreKind } from './stores.js';

export const ROOT = path.resolve(import.meta.dirname, '../..');

export function tempDir(prefix = 'loopwatch-test-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** The real server, in this process, on 127.0.0.1 and a free port, over a real DuckDB file. */
export async function startTestServer(db: string, flags: Record<string, unknown> = {}): Promise<RunningServer> {
  const config = loadConfig({ env: {}, flags: { db, port: 0, host: '127.0.0.1', logLevel: 'silent', ...flags } });
  return startServer(config, createLogger('silent'), { scheduleMetrics: false });
}

/**
 * startTestServer flags for an engine: DuckDB on the `db` file, or a fresh database in the
 * process's one chdb directory, the one every ClickHouse test store of the process shares
 * (chdb binds one per process, so a server and a fixture in one test file must use the same).
 */
export function engineFlags(kind: StoreKind): Record<string, unknown> {
  if (kind === 'duckdb') return {};
  return { store: 'clickhouse', clickhouseUrl: `chdb:${sharedChdbDir()}`, clickhouseDatabase: testDatabaseName() };
}

/** The real CLI in a child process (`args`: more serve flags); resolves with its URL once it logs that it listens. */
export async function spawnServer(db: string, args: readonly string[] = []): Promise<{ child: ChildProcess; url: string; logs: string[] }> {
  const child = spawn(process.execPath, [path.join(ROOT, 'bin/loopwatch.js'), 'serve', '--port', '0', '--db', db, ...args], {
    cwd: ROOT,
    env: { ...process.env, LOOPWATCH_HOST: '127.0.0.1', LOOPWATCH_LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines = createInterface({ input: child.stderr! });
  // what the server said before it died, for a failure message that explains itself
  const said: string[] = [];
  // every line it logs, growing while it runs
  const logs: string[] = [];
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('server did not start within 30 s')), 30_000);
    lines.on('line', (line) => {
      logs.push(line);
      said.push(line);
      if (said.length > 20) said.shift();
      try {
        const log = JSON.parse(line);
        if (log.url) {
          clearTimeout(timer);
          resolve(log.url);
        }
      } catch {
        // not a log line
      }
    });
    child.once('exit', (code) => reject(new Error(`server exited with ${code} before listening:\n${said.join('\n')}`)));
  });
  return { child, url, logs };
}

export async function postEvents(url: string, body: string | Buffer, headers: Record<string, string> = {}) {
  const res = await fetch(`${url}/v1/events`, { method: "POST", body: typeof body === "string" ? body : new Uint8Array(body), headers: { 'content-type': 'application/json', ...headers } });
  return { status: res.status, body: (await res.json()) as any };
}

/** The real CLI, run to completion: its exit status and what it printed (logs silent unless `env` says otherwise). */
export function runCli(args: readonly string[], env: Record<string, string> = {}): { status: number | null; stdout: string; stderr: string } {
  const run = spawnSync(process.execPath, [path.join(ROOT, 'bin/loopwatch.js'), ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 120_000,
    env: { ...process.env, LOOPWATCH_LOG_LEVEL: 'silent', LOOPWATCH_DEBUG: '', ...env },
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

/**
 * runCli without blocking this process: for a CLI that talks to a server running in this
 * process (spawnSync would hold the event loop the server answers on).
 */
export function runCliAsync(args: readonly string[], env: Record<string, string> = {}): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [path.join(ROOT, 'bin/loopwatch.js'), ...args], { cwd: ROOT, encoding: 'utf8', timeout: 120_000, env: { ...process.env, LOOPWATCH_LOG_LEVEL: 'silent', LOOPWATCH_DEBUG: '', ...env } }, (err, stdout, stderr) => {
      if (err && typeof err.code !== 'number') return reject(err);
      resolve({ status: err ? (err.code as number) : 0, stdout, stderr });
    });
  });
}
