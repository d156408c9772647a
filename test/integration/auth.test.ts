import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TokenFile, tokensPath } from '../../src/auth/tokens.js';
import { loadConfig } from '../../src/config/config.js';
import { startServer, type RunningServer } from '../../src/http/start-server.js';
import { createLogger } from '../../src/observability/logger.js';
import { caseCreated } from '../helpers/events.js';
import { engineFlags, ROOT, startTestServer, tempDir } from '../helpers/server.js';
import { forEachStore } from '../helpers/stores.js';

/**
 * The real CLI in a child process, awaited without blocking: the server under test runs in this
 * process and must keep answering (spawnSync would freeze it and break its keep-alive sockets).
 */
function loopwatch(args: string[], env: Record<string, string> = {}): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [path.join(ROOT, 'bin/loopwatch.js'), ...args],
      { cwd: ROOT, encoding: 'utf8', timeout: 60_000, env: { ...process.env, LOOPWATCH_LOG_LEVEL: 'silent', LOOPWATCH_HOST: '', LOOPWATCH_AUTH: '', LOOPWATCH_TOKEN: '', ...env } },
      (err, stdout, stderr) => resolve({ status: err ? ((err as { code?: unknown }).code as number) ?? 1 : 0, stdout, stderr }),
    );
  });
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const json = { 'content-type': 'application/json' };

async function post(url: string, body: unknown, headers: Record<string, string> = {}) {
  return fetch(`${url}/v1/events`, { method: 'POST', body: JSON.stringify(body), headers: { ...json, ...headers } });
}

forEachStore((kind) => describe('access control on a real server', () => {
  const tmp = tempDir();
  afterAll(() => tmp.cleanup());

  describe('with tokens', () => {
    const db = path.join(tmp.dir, 'tok.duckdb');
    const tokens = new TokenFile(tokensPath({ db }));
    const lines: Record<string, unknown>[] = [];
    let server: RunningServer;
    let ingest: string;
    let read: string;
    let admin: string;

    beforeAll(async () => {
      ingest = tokens.create('ingester', ['ingest']);
      read = tokens.create('dashboard', ['read']);
      admin = tokens.create('ops', ['admin']);
      const config = loadConfig({ env: {}, flags: { db, port: 0, host: '127.0.0.1', logLevel: 'info', ...engineFlags(kind) } });
      const logger = createLogger('info', { format: 'json', destination: { write: (s: string) => void lines.push(JSON.parse(s)) } });
      server = await startServer(config, logger, { scheduleMetrics: false });
    });
    afterAll(() => server?.shutdown('test'));

    it('answers 401 with WWW-Authenticate: Bearer to no token and to an unknown one', async () => {
      for (const headers of [{}, bearer('lwt_not-a-token'), { authorization: `Basic ${Buffer.from('a:b').toString('base64')}` }]) {
        const res = await post(server.url, caseCreated(1), headers);
        expect(res.status).toBe(401);
        expect(res.headers.get('www-authenticate')).toMatch(/^Bearer\b/);
        expect(((await res.json()) as { error: { code: string } }).error.code).toBe('unauthorized');
      }
      for (const route of ['/v1/summary', '/v1/metrics', '/v1/cases/case-1']) expect((await fetch(`${server.url}${route}`)).status).toBe(401);
    });

    it('answers 403 to a token without the route scope, also on a path spelled differently', async () => {
      expect((await post(server.url, caseCreated(2), bearer(read))).status).toBe(403);
      const shouted = await fetch(`${server.url}/V1/EVENTS/`, { method: 'POST', body: JSON.stringify(caseCreated(3)), headers: { ...json, ...bearer(read) } });
      expect(shouted.status).toBe(403);
      expect((await fetch(`${server.url}/v1/summary`, { headers: bearer(ingest) })).status).toBe(403);
    });

    it('lets the right scope through, admin everywhere, and keeps the probes open', async () => {
      const res = await post(server.url, caseCreated(4), bearer(ingest));
      expect(res.status).toBe(200);
      expect(((await res.json()) as { accepted: number }).accepted).toBe(1);
      expect((await fetch(`${server.url}/v1/summary`, { headers: bearer(read) })).status).toBe(200);
      expect((await fetch(`${server.url}/v1/cases/case-4`, { headers: bearer(read) })).status).toBe(200);
      expect((await post(server.url, caseCreated(5), bearer(admin))).status).toBe(200);
      expect((await fetch(`${server.url}/v1/cases/case-5`, { headers: bearer(admin) })).status).toBe(200);
      for (const probe of ['/healthz', '/readyz', '/metrics']) expect((await fetch(`${server.url}${probe}`)).status).toBe(200);
    });

    it('names the token in the access log, never the token itself', async () => {
      expect((await fetch(`${server.url}/v1/summary`, { headers: bearer(read) })).status).toBe(200);
      await new Promise((r) => setTimeout(r, 50));
      const text = lines.map((l) => JSON.stringify(l)).join('\n');
      expect(lines.filter((l) => l.path === '/v1/summary' && l.status === 200).at(-1)).toMatchObject({ token: 'dashboard' });
      for (const secret of [ingest, read, admin, 'lwt_not-a-token']) expect(text).not.toContain(secret);
    });

    it('refuses a token revoked by `loopwatch token revoke` from the next request, without a restart', async () => {
      const revocable = tokens.create('temp', ['read']);
      expect((await fetch(`${server.url}/v1/summary`, { headers: bearer(revocable) })).status).toBe(200);
      const run = await loopwatch(['token', 'revoke', 'temp', '--db', db]);
      expect(run.status, run.stderr).toBe(0);
      expect((await fetch(`${server.url}/v1/summary`, { headers: bearer(revocable) })).status).toBe(401);
      expect((await fetch(`${server.url}/v1/summary`, { headers: bearer(read) })).status).toBe(200);
    });

    it('`loopwatch simulate --url` sends LOOPWATCH_TOKEN, and says 401 in one line without it', async () => {
      const withToken = await loopwatch(['simulate', '--url', server.url, '--cases', '20', '--seed', '7'], { LOOPWATCH_TOKEN: ingest });
      expect(withToken.status, withToken.stderr).toBe(0);
      expect(withToken.stdout + withToken.stderr).toMatch(/[1-9]\d* accepted/);
      const without = await loopwatch(['simulate', '--url', server.url, '--cases', '20', '--seed', '8']);
      expect(without.status).toBe(1);
      expect(without.stderr.trim().split('\n')).toHaveLength(1);
      expect(without.stderr).toMatch(/401/);
    });

    it('`loopwatch report --url` sends LOOPWATCH_TOKEN', async () => {
      const withToken = await loopwatch(['report', '--url', server.url, '--json', '--family', 'quality'], { LOOPWATCH_TOKEN: read });
      expect(withToken.status, withToken.stderr).toBe(0);
      expect(JSON.parse(withToken.stdout)).toHaveProperty('families');
      const without = await loopwatch(['report', '--url', server.url, '--json', '--family', 'quality']);
      expect(without.status).toBe(1);
      expect(without.stderr).toMatch(/401 this route needs Authorization: Bearer <token>/);
    });
  });

  describe('content types and CORS', () => {
    let server: RunningServer;
    beforeAll(async () => {
      server = await startTestServer(path.join(tmp.dir, 'ct.duckdb'), engineFlags(kind));
    });
    afterAll(() => server?.shutdown('test'));

    it('answers 415 to a body that is not JSON or NDJSON, as a foreign page would send it, and stores nothing', async () => {
      for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
        const res = await fetch(`${server.url}/v1/events`, {
          method: 'POST',
          body: JSON.stringify(caseCreated(10)),
          headers: { 'content-type': type, origin: 'https://evil.example' },
        });
        expect(res.status).toBe(415);
        expect(res.headers.get('access-control-allow-origin')).toBeNull();
        expect(((await res.json()) as { error: { code: string } }).error.code).toBe('content_type_unsupported');
      }
      const summary = (await (await fetch(`${server.url}/v1/summary`)).json()) as Record<string, unknown>;
      expect(JSON.stringify(summary)).not.toContain('case-10');
      // JSON and NDJSON, plain or gzip, stay accepted (test/integration/server.test.ts covers them)
      expect((await post(server.url, caseCreated(11))).status).toBe(200);
    });

    it('gives a foreign-origin preflight no CORS allowance', async () => {
      const res = await fetch(`${server.url}/v1/events`, {
        method: 'OPTIONS',
        headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type, authorization' },
      });
      expect(res.status).toBe(405);
      for (const [name] of res.headers) expect(name).not.toMatch(/^access-control-/);
      expect(res.headers.get('allow')).toBeNull();
    });
  });
}));

describe('loopwatch token and serve refusals', () => {
  const tmp = tempDir();
  afterAll(() => tmp.cleanup());

  it('token create prints the token as its last line and stores only its hash; token list never prints it', async () => {
    const db = path.join(tmp.dir, 'cli.duckdb');
    const run = await loopwatch(['token', 'create', '--db', db, '--name', 'ci', '--scopes', 'ingest,read']);
    expect(run.status, run.stderr).toBe(0);
    const token = run.stdout.trimEnd().split('\n').at(-1)!;
    expect(token).toMatch(/^lwt_[A-Za-z0-9_-]{43}$/);
    const stored = readFileSync(tokensPath({ db }), 'utf8');
    expect(stored).not.toContain(token);
    expect(stored).not.toContain(token.slice(4));
    expect(new TokenFile(tokensPath({ db })).check(token)).toEqual({ ok: true, name: 'ci', scopes: ['ingest', 'read'] });
    const list = await loopwatch(['token', 'list', '--db', db]);
    expect(list.status).toBe(0);
    expect(list.stdout).toMatch(/^ci\s+ingest,read\s+\S+\s+active$/m);
    expect(list.stdout).not.toContain(token);
    expect((await loopwatch(['token', 'create', '--db', db, '--name', 'x', '--scopes', 'root'])).stderr).toBe(
      'loopwatch: unknown scope root; expected a comma-separated list of ingest, read, export, admin\n',
    );
  });

  it('refuses to listen on a non-loopback address without tokens, in one line, before touching the database', async () => {
    const db = path.join(tmp.dir, 'open.duckdb');
    const run = await loopwatch(['serve', '--db', db, '--host', '0.0.0.0', '--port', '0']);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/^loopwatch: refusing to listen on 0\.0\.0\.0 without tokens: .*--allow-unauthenticated.*\n$/);
    expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(existsSync(db)).toBe(false);
  });

  it('--auth required (or LOOPWATCH_AUTH=required) refuses to start without tokens', async () => {
    const db = path.join(tmp.dir, 'req.duckdb');
    for (const run of [await loopwatch(['serve', '--db', db, '--port', '0', '--auth', 'required']), await loopwatch(['serve', '--db', db, '--port', '0'], { LOOPWATCH_AUTH: 'required' })]) {
      expect(run.status).toBe(1);
      expect(run.stderr).toMatch(/^loopwatch: auth is required but .*req\.tokens\.json holds no active token; create one with `loopwatch token create/);
      expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
    }
    expect(existsSync(db)).toBe(false);
  });
});
