import path from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/http/start-server.js';
import { FAMILIES } from '../../src/metrics/registry.js';
import { caseScript } from '../helpers/metrics.js';
import { engineFlags, postEvents, ROOT, startTestServer, tempDir } from '../helpers/server.js';
import { forEachStore } from '../helpers/stores.js';

// Two workflows, one override each side of a day boundary, so cuts have something to split.
function events() {
  const a = caseScript('r-1', Date.UTC(2026, 10, 20, 22))
    .add(0, 'case.created', { workflow: 'support_drafting', tier: 1, model_label: 'faq' })
    .add(1, 'case.triaged', { lane: 'human_review' })
    .add(5, 'review.decided', { actor_id: 'rev-1', decision: 'override', final_label: 'refund', reason_code: 'wrong_category' });
  const b = caseScript('r-2', Date.UTC(2026, 10, 21, 10))
    .add(0, 'case.created', { workflow: 'it_access_requests', tier: 3, model_label: 'grant' })
    .add(1, 'case.triaged', { lane: 'approval' })
    .add(5, 'review.decided', { actor_id: 'ap-1', actor_role: 'approver', decision: 'approve' });
  return [...a.events, ...b.events];
}

forEachStore((kind) => describe('GET /v1/metrics', () => {
  const tmp = tempDir();
  let server: RunningServer;
  beforeAll(async () => {
    server = await startTestServer(path.join(tmp.dir, 'm.duckdb'), engineFlags(kind));
    expect((await postEvents(server.url, JSON.stringify(events()))).body.rejected).toBe(0);
    await server.runner.runNow();
  });
  afterAll(async () => {
    await server?.shutdown('done');
    tmp.cleanup();
  });

  const get = async (p: string) => {
    const res = await fetch(`${server.url}${p}`);
    return { status: res.status, body: (await res.json()) as any };
  };

  it('serves every family of the scheduled snapshot, grouped by workflow', async () => {
    const { status, body } = await get('/v1/metrics');
    expect(status).toBe(200);
    expect(Object.keys(body.families)).toEqual(FAMILIES.map((f) => f.name));
    expect(body.cuts.group_by).toEqual(['workflow']);
    const quality = body.families.quality.groups.map((g: any) => [g.key.workflow, g.metrics.override_rate.value]);
    expect(quality).toEqual([
      ['it_access_requests', 0],
      ['support_drafting', 1],
    ]);
  });

  it('computes any other cut on request', async () => {
    const { body } = await get('/v1/metrics/quality?group_by=&bucket=day&from=2026-11-20T00:00:00Z&to=2026-11-22T00:00:00Z');
    expect(Object.keys(body.families)).toEqual(['quality']);
    expect(body.families.quality.groups.map((g: any) => [g.key.bucket, g.metrics.cases])).toEqual([
      ['2026-11-20T00:00:00.000Z', 1],
      ['2026-11-21T00:00:00.000Z', 1],
    ]);
    const tier3 = await get('/v1/metrics/quality?tier=3&group_by=');
    expect(tier3.body.families.quality.groups[0].metrics.cases).toBe(1);
  });

  it('refuses a bad cut and an unknown family clearly', async () => {
    const bad = await get('/v1/metrics?group_by=colour&bucket=fortnight');
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/group_by/);
    expect(bad.body.error.message).toMatch(/bucket/);
    // each problem says what was expected, never zod's "Invalid input" or "Too big"
    const worded = await get('/v1/metrics?tier=9&group_by=colour&from=yesterday');
    expect(worded.body.error.message).toBe(
      'invalid metric cut: tier: expected a number of at most 3, got 9; ' +
        'from: expected an RFC 3339 timestamp with an offset, such as 2026-11-24T09:30:00.000Z, got "yesterday"; ' +
        'group_by.0: "colour" is not allowed; expected one of workflow, tier, lane, model_version, policy_version, reviewer',
    );
    const unknown = await get('/v1/metrics/happiness');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.message).toMatch(/known: quality/);
  });

  it('prints the same numbers in the terminal report and as --json through the CLI', async () => {
    // asynchronously: the server lives in this process and must keep answering
    const run = (args: string[]) => promisify(execFile)(process.execPath, [path.join(ROOT, 'bin/loopwatch.js'), 'report', '--url', server.url, ...args], { encoding: 'utf8' });
    const json = await run(['--json', '--family', 'quality']);
    const parsed = JSON.parse(json.stdout);
    expect(parsed.families.quality.groups).toHaveLength(2);
    const text = await run(['--family', 'quality']);
    expect(text.stdout).toMatch(/## quality/);
    // support_drafting: 1 override of 1 decided case → "100.0% [...] 1/1"
    expect(text.stdout).toMatch(/support_drafting .*100\.0% \[\d+\.\d–100\.0\] 1\/1/);
  });
}));
