import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { controlsFamily } from '../../src/metrics/families/controls.js';
import { loadQuery } from '../../src/store/sql-files.js';
import { DuckDBStore } from '../../src/store/duckdb/duckdb-store.js';
import { metricsFixture, toRows, type MetricsFixture } from '../helpers/metrics.js';
import { forEachStore, tempDir } from '../helpers/stores.js';

// Decided while the line was stopped: a decision counts when a stop of its workflow began at or
// before it and was not resumed by then. Overlapping stops share the first resume after them
// (stop 10:00, stop 10:30, resume 11:00: stopped from 10:00 to 11:00); a resume with no stop
// before it stops nothing. Expected ids are read off the timeline below, not off the code.
const W = 'it_access_requests';
const base = Date.UTC(2026, 10, 23, 0);
const at = (h: number, m = 0) => new Date(base + (h * 60 + m) * 60_000).toISOString();
const decided = (id: string, ts: string, workflow = W) => [
  { event_id: `${id}-c`, type: 'case.created', ts: at(1), case_id: id, workflow, tier: 1, model_label: 'ok' },
  { event_id: `${id}-t`, type: 'case.triaged', ts: at(1, 1), case_id: id, lane: 'human_review' },
  { event_id: `${id}-d`, type: 'review.decided', ts, case_id: id, actor_id: 'r1', decision: 'approve' },
];
const events = [
  { event_id: 'resume-0', type: 'line.resumed', ts: at(9), workflow: W },
  { event_id: 'stop-1', type: 'line.stopped', ts: at(10), workflow: W, trigger: 'incident' },
  { event_id: 'stop-2', type: 'line.stopped', ts: at(10, 30), workflow: W, trigger: 'drift' },
  { event_id: 'resume-1', type: 'line.resumed', ts: at(11), workflow: W },
  { event_id: 'stop-3', type: 'line.stopped', ts: at(12), workflow: W, trigger: 'incident' },
  ...decided('after-lone-resume', at(9, 30)),
  ...decided('first-stop-only', at(10, 15)),
  ...decided('both-stops', at(10, 45)),
  ...decided('at-shared-resume', at(11)),
  ...decided('between', at(11, 30)),
  ...decided('at-open-stop', at(12)),
  ...decided('open-stop-later', at(20)),
  ...decided('other-workflow', at(10, 45), 'support_drafting'),
];

forEachStore((kind) => {
  describe('decided while the line was stopped: overlapping stops', () => {
    let fx: MetricsFixture;
    beforeAll(async () => {
      fx = await metricsFixture(events, kind);
    });
    afterAll(() => fx?.close());

    it('counts the decisions inside any stop, up to (not at) the resume the stops share', async () => {
      const details = (await fx.compute(controlsFamily, {}, { now: new Date(Date.UTC(2026, 10, 24)) })).details as any;
      expect(details.by_control.decided_while_line_stopped.case_ids).toEqual(['at-open-stop', 'both-stops', 'first-stop-only', 'open-stop-later']);
    });
  });
});

describe('decided while the line was stopped: the plan (DuckDB EXPLAIN)', () => {
  const tmp = tempDir('loopwatch-stop-join-');
  afterAll(() => tmp.cleanup());

  // An ASOF join sorts every decision (a sixth of the events) to find its latest stop: 3-5x the
  // CPU of a hash join on the workflow whose range condition meets the workflow's few stops.
  it('meets the decisions with a hash join on the workflow, never an ASOF join', async () => {
    const file = path.join(tmp.dir, 'stops.duckdb');
    const store = await DuckDBStore.open({ path: file });
    await store.migrate();
    await store.insertEvents(toRows(events));
    await store.refreshDerived();
    await store.close();
    const db = await DuckDBInstance.create(file);
    const c = await db.connect();
    try {
      // DuckDB runs an ASOF join over a few rows as a nested loop: here, the plan it takes at scale
      await c.run("SET search_path = 'stops.loopwatch_derived,stops.main'; SET asof_loop_join_threshold = 0");
      const values: Record<string, string> = { group_by: "['workflow']::VARCHAR[]", bucket: "'day'", keep_workflow: '[]::VARCHAR[]', keep_reviewer: '[]::VARCHAR[]' };
      const sql = (await loadQuery('duckdb', 'metrics/controls/violations')).replace(/\$([a-z_][a-z0-9_]*)/gi, (_, name: string) => values[name] ?? 'NULL');
      const plan = JSON.parse((await c.runAndReadAll(`EXPLAIN (FORMAT JSON) ${sql}`)).getRowObjects()[0].explain_value as string);
      const joins: { name: string; tables: string[] }[] = [];
      const walk = (n: any): string[] => {
        const tables = [...(n.extra_info?.Table ? [String(n.extra_info.Table)] : []), ...(n.children ?? []).flatMap(walk)];
        if (/JOIN/.test(n.name)) joins.push({ name: n.name.trim(), tables });
        return tables;
      };
      (Array.isArray(plan) ? plan : [plan]).forEach(walk);
      const overDecisions = joins.filter((j) => j.tables.some((t) => t.includes('decision_facts')) && j.tables.some((t) => t.includes('log_events')));
      expect(overDecisions.length).toBeGreaterThan(0);
      expect(overDecisions.map((j) => j.name)).not.toContain('ASOF_JOIN');
    } finally {
      c.closeSync();
      db.closeSync();
    }
  }, 120_000);
});
