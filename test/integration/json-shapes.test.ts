import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { RunningServer } from '../../src/http/start-server.js';
import { simulate } from '../../src/simulate/index.js';
import { caseCreated, reviewDecided } from '../helpers/events.js';
import { engineFlags, postEvents, startTestServer, tempDir } from '../helpers/server.js';
import { forEachStore } from '../helpers/stores.js';

/**
 * One JSON shape for each thing, on every route and engine (docs/metrics.md#json-conventions):
 * intervals are `ci95: [lower, upper]`, "no workflow" is null, JSON-typed columns are objects.
 */

/** Every object in a JSON tree, with its path, so a shape can be checked wherever it occurs. */
function objectsIn(value: unknown, at = '$', out: { at: string; o: Record<string, unknown> }[] = []) {
  if (Array.isArray(value)) value.forEach((v, i) => objectsIn(v, `${at}[${i}]`, out));
  else if (value !== null && typeof value === 'object') {
    out.push({ at, o: value as Record<string, unknown> });
    for (const [k, v] of Object.entries(value)) objectsIn(v, `${at}.${k}`, out);
  }
  return out;
}

/** Paths where an interval is not `ci95: [lower, upper] | null`, or has its bounds as lower/upper fields. */
function intervalShapeProblems(body: unknown): string[] {
  const problems: string[] = [];
  for (const { at, o } of objectsIn(body)) {
    if ('lower' in o || 'upper' in o) {
      // a histogram bin's own upper edge (drift PSI bins) is not an interval
      if (!('ref' in o && 'cur' in o)) problems.push(`${at} has lower/upper`);
    }
    if ('ci95' in o) {
      const ci = o.ci95;
      const ok = ci === null || (Array.isArray(ci) && ci.length === 2 && ci.every((x) => typeof x === 'number') && ci[0] <= ci[1]);
      if (!ok) problems.push(`${at}.ci95 is ${JSON.stringify(ci)}`);
    }
  }
  return problems;
}

forEachStore((kind) => {
  const tmp = tempDir();
  let server: RunningServer;

  beforeAll(async () => {
    server = await startTestServer(path.join(tmp.dir, 'shapes.duckdb'), engineFlags(kind));
    const start = new Date(Date.UTC(2026, 10, 1));
    for (const batch of simulate({ seed: 7, cases: 400, start, casesPerHour: 40, driftAt: new Date(Date.UTC(2026, 10, 6)) }, 2000)) {
      expect((await postEvents(server.url, JSON.stringify(batch))).body.rejected).toBe(0);
    }
    const own = [
      caseCreated(1),
      reviewDecided(1, { attrs: { queue: 'night' } }),
      { event_id: 'shape-incident', type: 'incident.reported', ts: '2026-11-20T12:00:00.000Z', severity: 'sev2' },
    ];
    expect((await postEvents(server.url, JSON.stringify(own))).body).toMatchObject({ accepted: 3, rejected: 0 });
    await server.runner.runNow();
  }, 300_000);
  afterAll(async () => {
    await server?.shutdown('done');
    tmp.cleanup();
  });

  const get = async (p: string) => (await (await fetch(`${server.url}${p}`)).json()) as any;

  it('gives every interval of every family as ci95: [lower, upper], never lower/upper fields', async () => {
    const body = await get('/v1/metrics');
    expect(intervalShapeProblems(body)).toEqual([]);
    // the families that had lower/upper or ci95 really carry intervals here, so the check bites
    const quality = body.families.quality.groups.find((g: any) => g.metrics.false_accept_rate.audits > 0);
    expect(quality.metrics.false_accept_rate.ci95).toEqual([expect.any(Number), expect.any(Number)]);
    const cut = await get('/v1/metrics/quality?group_by=lane&bucket=day');
    expect(intervalShapeProblems(cut)).toEqual([]);
  });

  it('names "no workflow" null in /v1/summary and /v1/metrics alike', async () => {
    const summary = await get('/v1/summary');
    const workflows = summary.by_workflow_and_type.map((r: any) => r.workflow);
    expect(workflows).toContain(null);
    expect(workflows).not.toContain('(none)');
    const metrics = await get('/v1/metrics');
    const keys = Object.values(metrics.families).flatMap((f: any) => f.groups.map((g: any) => g.key.workflow));
    expect(keys).not.toContain('(none)');
    expect(JSON.stringify(summary) + JSON.stringify(metrics)).not.toMatch(/\(none\)|\(no workflow\)/);
  });

  it('returns gate_checks, attrs and the other JSON columns of a case as objects, not strings', async () => {
    const body = await get('/v1/cases/case-1');
    const decided = body.events.find((e: any) => e.type === 'review.decided');
    expect(decided.gate_checks).toEqual({ evidence_attached: 'pass', tone_ok: 'na' });
    expect(decided.attrs).toEqual({ queue: 'night' });
    const created = body.events.find((e: any) => e.type === 'case.created');
    expect(created.gate_checks).toBeNull();
    expect(body.events.every((e: any) => typeof e.gate_checks !== 'string' && typeof e.attrs !== 'string')).toBe(true);
  });
});
