import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { routeNeed } from '../../src/auth/scopes.js';
import { decide } from '../../src/feedback/sampling/decide.js';
import type { RunningServer } from '../../src/http/start-server.js';
import { engineFlags, ROOT, startTestServer, tempDir } from '../helpers/server.js';
import { forEachStore } from '../helpers/stores.js';

const run = promisify(execFile);
const WF = 'support_drafting';

/** The real CLI, asynchronously: the server answering it runs in this process. */
async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const r = await run(process.execPath, [path.join(ROOT, 'bin/loopwatch.js'), ...args], { cwd: ROOT, env: { ...process.env, LOOPWATCH_LOG_LEVEL: 'silent' } });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

it('needs read to look and admin to override', () => {
  expect(routeNeed('GET', '/v1/sampling/x/decide', true)).toBe('read');
  expect(routeNeed('GET', '/v1/sampling', true)).toBe('read');
  expect(routeNeed('POST', '/v1/sampling/x/override', true)).toBe('admin');
  expect(routeNeed('POST', '/V1/Sampling/x/override/', true)).toBe('admin');
});

forEachStore((kind) => {
  const tmp = tempDir();
  let server: RunningServer;
  const get = async (p: string) => {
    const res = await fetch(`${server.url}${p}`);
    return { status: res.status, body: (await res.json()) as any };
  };
  const post = async (p: string, body: unknown) => {
    const res = await fetch(`${server.url}${p}`, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
    return { status: res.status, body: (await res.json()) as any };
  };

  beforeAll(async () => {
    server = await startTestServer(path.join(tmp.dir, 'lw.duckdb'), engineFlags(kind));
  }, 120_000);
  afterAll(async () => {
    await server?.shutdown('test done');
    tmp.cleanup();
  });

  it('answers the normal state before any change, and decide as the domain function does', async () => {
    const s = await get(`/v1/sampling/${WF}`);
    expect(s.status).toBe(200);
    expect(s.body).toMatchObject({ workflow: WF, state: 'normal', rate: 0.05, since: null, last_change: null, override: null });
    for (let i = 0; i < 40; i++) {
      const id = `case-${i}`;
      const d = await get(`/v1/sampling/${WF}/decide?case_id=${id}`);
      expect(d.body).toEqual({ sample: decide(id, 0.05), rate: 0.05, state: 'normal', workflow: WF, case_id: id });
    }
  });

  it('refuses bad requests naming the field', async () => {
    expect((await get(`/v1/sampling/${WF}/decide`)).body.error).toMatchObject({ code: 'invalid_sampling_request', message: expect.stringContaining('case_id') });
    const bad = await post(`/v1/sampling/${WF}/override`, { rate: 2, until: '2020-01-01T00:00:00Z' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('body.rate');
    const past = await post(`/v1/sampling/${WF}/override`, { rate: 0.5, until: '2020-01-01T00:00:00Z' });
    expect(past.status).toBe(400);
    expect(past.body.error).toMatchObject({ code: 'invalid_override', message: expect.stringContaining('until') });
  });

  it('takes an override from the CLI, records it as a sampling.changed, and returns to the state rate when it expires', async () => {
    // the CLI's start can take many seconds on a busy machine: a long override first
    const until = new Date(Date.now() + 3_600_000).toISOString();
    const set = await cli(['sampling', 'set', WF, '--rate', '0.5', '--until', until, '--actor-id', 'qa-lead', '--url', server.url]);
    expect(set.stderr).toBe('');
    expect(set.code).toBe(0);
    expect(JSON.parse(set.stdout)).toMatchObject({ state: 'normal', rate: 0.5, state_rate: 0.05, override: { rate: 0.5, until, set_by: 'qa-lead' } });
    server.sampling.forget();
    const d = await get(`/v1/sampling/${WF}/decide?case_id=case-3`);
    expect(d.body).toMatchObject({ rate: 0.5, sample: decide('case-3', 0.5) });
    const history = await get(`/v1/sampling/${WF}/history`);
    expect(history.body.changes).toHaveLength(1);
    expect(history.body.changes[0]).toMatchObject({ cause: 'manual_override', actor_id: 'qa-lead', from_rate: 0.05, to_rate: 0.5, expires_at: until });
    const summary = await get('/v1/summary');
    expect(summary.body.by_workflow_and_type).toContainEqual(expect.objectContaining({ workflow: WF, type: 'sampling.changed' }));

    // a second override replaces it (over HTTP), and expires soon; its from_rate is the state's rate
    const soon = new Date(Date.now() + 1_500).toISOString();
    const second = await post(`/v1/sampling/${WF}/override`, { rate: 0.25, until: soon, actor_role: 'approver' });
    expect(second.status).toBe(201);
    expect(second.body).toMatchObject({ rate: 0.25, state_rate: 0.05, last_change: { from_rate: 0.05, to_rate: 0.25, actor_role: 'approver' } });
    await new Promise((r) => setTimeout(r, 2_000));
    server.sampling.forget();
    expect((await get(`/v1/sampling/${WF}`)).body).toMatchObject({ rate: 0.05, override: null });
    // the controller records the end
    const changes = await server.samplingController.runNow();
    expect(changes).toContainEqual(expect.objectContaining({ workflow: WF, cause: 'override_expired', from_rate: 0.25, to_rate: 0.05, at: soon }));
    const after = await get(`/v1/sampling/${WF}/history`);
    expect(after.body.changes.map((c: { cause: string }) => c.cause)).toEqual(['manual_override', 'manual_override', 'override_expired']);
    const shown = await cli(['sampling', 'show', '--url', server.url]);
    expect(JSON.parse(shown.stdout).workflows).toContainEqual(expect.objectContaining({ workflow: WF, state: 'normal', rate: 0.05 }));
  }, 120_000);

  it('shows the state and the changes of the window in the sampling metric family', async () => {
    const m = await get('/v1/metrics/sampling?group_by=workflow');
    expect(m.status).toBe(200);
    const family = m.body.families.sampling;
    expect(family.groups).toEqual([{ key: { workflow: WF }, metrics: expect.objectContaining({ state: 'normal', rate: 0.05, override_until: null, last_cause: 'override_expired', changes: 3, tightenings: 0 }) }]);
    expect(family.details.changes.map((c: { cause: string }) => c.cause)).toEqual(['manual_override', 'manual_override', 'override_expired']);
    const none = await get(`/v1/metrics/sampling?group_by=workflow&to=${encodeURIComponent('2020-01-01T00:00:00Z')}`);
    expect(none.body.families.sampling.groups).toEqual([]);
  });

  it('exports hitl_sampling_rate and hitl_sampling_state', async () => {
    const text = await (await fetch(`${server.url}/metrics`)).text();
    expect(text).toContain(`hitl_sampling_rate{workflow="${WF}"} 0.05`);
    expect(text).toContain(`hitl_sampling_state{workflow="${WF}",state="normal"} 1`);
    expect(text).toContain(`hitl_sampling_state{workflow="${WF}",state="tightened"} 0`);
  });
});
