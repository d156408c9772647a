import { spawn } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import { createLogger } from '../../src/observability/logger.js';
import { startServer } from '../../src/http/start-server.js';
import { caseCreated } from '../helpers/events.js';
import { engineFlags, ROOT, tempDir } from '../helpers/server.js';
import { forEachStore } from '../helpers/stores.js';

/** A pino destination that keeps every JSON line it is given. */
function captured() {
  const lines: Record<string, unknown>[] = [];
  return { lines, destination: { write: (s: string) => void lines.push(JSON.parse(s)) } };
}

forEachStore((kind) => describe('server logs', () => {
  const tmp = tempDir();
  afterAll(() => tmp.cleanup());

  it('writes one access line per request, with method, path without query, status and duration; a 4xx carries its error code', async () => {
    const log = captured();
    const config = loadConfig({ env: {}, flags: { db: path.join(tmp.dir, 'a.duckdb'), port: 0, host: '127.0.0.1', logLevel: 'info', ...engineFlags(kind) } });
    const server = await startServer(config, createLogger('info', { format: 'json', destination: log.destination }), { scheduleMetrics: false });
    try {
      expect((await fetch(`${server.url}/v1/summary?token=s3cret-token`)).status).toBe(200);
      const bad = await fetch(`${server.url}/v1/events?api_key=s3cret-key`, { method: 'POST', body: '{"not": "closed"', headers: { 'content-type': 'application/json' } });
      expect(bad.status).toBeGreaterThanOrEqual(400);
      expect(bad.status).toBeLessThan(500);
      const badCode = ((await bad.json()) as { error: { code: string } }).error.code;
      // the line is written when the answer is finished, which may be just after the client has it
      await new Promise((r) => setTimeout(r, 50));

      const access = log.lines.filter((l) => 'status' in l && 'duration_ms' in l);
      expect(access.map((l) => [l.method, l.path, l.status])).toEqual([
        ['GET', '/v1/summary', 200],
        ['POST', '/v1/events', bad.status],
      ]);
      for (const l of access) {
        expect(typeof l.duration_ms).toBe('number');
        expect(l.duration_ms as number).toBeGreaterThanOrEqual(0);
        expect(l.msg).toMatch(/^(GET|POST) \/v1\/\w+ \d{3} [\d.]+ ms$/);
      }
      expect(access[0].level).toBe(30);
      expect(access[1]).toMatchObject({ level: 40, error_code: badCode });
      const good = JSON.stringify(caseCreated(1));
      const mixed = await fetch(`${server.url}/v1/events`, { method: 'POST', body: `${good}\n{"type": "nope"}`, headers: { 'content-type': 'application/x-ndjson' } });
      expect(mixed.status).toBe(200);
      await new Promise((r) => setTimeout(r, 50));
      expect(log.lines.filter((l) => 'status' in l).at(-1)).toMatchObject({ method: 'POST', path: '/v1/events', status: 200, events: { accepted: 1, duplicates: 0, rejected: 1 } });
      expect(JSON.stringify(log.lines)).not.toMatch(/s3cret/);
      // JSON lines carry an ISO time, not epoch milliseconds
      for (const l of log.lines) expect(l.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    } finally {
      await server.shutdown('test');
    }
  });

  it('prints human-readable lines with LOOPWATCH_LOG_FORMAT=pretty: a wall-clock time, no epoch milliseconds, no JSON', async () => {
    // the child is a process of its own, so its chdb directory is too
    const childEngineArgs = kind === 'duckdb' ? [] : ['--store', 'clickhouse', '--clickhouse-url', `chdb:${path.join(tmp.dir, 'p.chdb')}`];
    const child = spawn(process.execPath, [path.join(ROOT, 'bin/loopwatch.js'), 'serve', '--port', '0', '--db', path.join(tmp.dir, 'p.duckdb'), ...childEngineArgs], {
      cwd: ROOT,
      env: { ...process.env, LOOPWATCH_HOST: '127.0.0.1', LOOPWATCH_LOG_LEVEL: 'info', LOOPWATCH_LOG_FORMAT: 'pretty', NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const lines: string[] = [];
    const seen = (re: RegExp) =>
      new Promise<RegExpMatchArray>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no line matching ${re} in:\n${lines.join('\n')}`)), 30_000);
        const check = () => {
          for (const l of lines) {
            const m = l.match(re);
            if (m) {
              clearTimeout(timer);
              return resolve(m);
            }
          }
          setTimeout(check, 20);
        };
        check();
      });
    createInterface({ input: child.stderr! }).on('line', (l) => lines.push(l));
    try {
      const [, url] = await seen(/loopwatch listening.*"url":"(http:\/\/[^"]+)"/);
      expect((await fetch(`${url}/v1/summary`)).status).toBe(200);
      await seen(/GET \/v1\/summary 200 [\d.]+ ms/);
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
    expect(lines.length).toBeGreaterThanOrEqual(2);
    for (const l of lines) {
      expect(l).toMatch(/^\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}\] (INFO|WARN|DEBUG)/);
      expect(l).not.toMatch(/\b\d{13}\b/);
      expect(() => JSON.parse(l)).toThrow();
    }
  });
}));
