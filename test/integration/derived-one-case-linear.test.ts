import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDBStore } from '../../src/store/duckdb/duckdb-store.js';
import { loadDerived } from '../../src/store/sql-files.js';
import { caseScript, toRows } from '../helpers/metrics.js';
import { tempDir } from '../helpers/stores.js';

// Issue 13: one case holding 30,000 events took a metric run past 30 s. No derived table may
// cost more than linear (or n log n) in one case's event count. The work measure is DuckDB's
// own: EXPLAIN ANALYZE's cumulative_cardinality, the rows every operator of the statement
// produced (a join of each event with every other event of its case shows up as n² rows).
// ClickHouse (chdb) keeps no query_log or processor profile to read rows from, so the same
// shapes are checked on DuckDB only; the twin files have the same joins.

const N = 2_000;
const REVIEWERS = 20;

/** One case of about n events: created, triaged, then rounds of assign, acknowledge, decide, with escalations and reopen/close. */
function oneCase(n: number, reviewers: number) {
  const s = caseScript('big').add(0, 'case.created', { workflow: 'support_drafting', tier: 2, model_label: 'ok' }).add(1, 'case.triaged', { lane: 'human_review' });
  let m = 2;
  for (let i = 0; s.events.length < n; i++) {
    const r = `r${i % reviewers}`;
    s.add(m++, 'review.assigned', { actor_id: r, level: 1 });
    s.add(m++, 'review.acknowledged', { actor_id: r });
    s.add(m++, 'review.decided', { actor_id: r, decision: i % 3 === 0 ? 'override' : 'approve', final_label: i % 2 ? 'ok' : 'bad', reason_code: 'other' });
    if (i % 10 === 9) s.add(m++, 'case.escalated', { from_level: 1, to_level: 2, trigger: 'policy' });
    if (i % 25 === 24) s.add(m++, 'case.closed', { outcome: 'executed' }).add(m++, 'case.reopened', { actor_id: r });
  }
  return toRows(s.events);
}

/** Rows produced by every operator of each derived statement, built as a full refresh builds them. */
async function derivedWork(dir: string, n: number, reviewers: number): Promise<Record<string, number>> {
  const file = path.join(dir, `one-case-${n}-${reviewers}.duckdb`);
  const store = await DuckDBStore.open({ path: file });
  await store.migrate();
  await store.insertEvents(oneCase(n, reviewers));
  await store.close();
  const db = await DuckDBInstance.create(file);
  const c = await db.connect();
  try {
    await c.run('CREATE TEMP VIEW delta_events AS SELECT * FROM events; CREATE TEMP VIEW new_events AS SELECT * FROM events');
    const work: Record<string, number> = {};
    for (const f of await loadDerived('duckdb')) {
      const plan = (await c.runAndReadAll(`EXPLAIN (ANALYZE, FORMAT JSON) ${f.sql}`)).getRowObjects()[0].explain_value as string;
      work[f.name] = Number(JSON.parse(plan).cumulative_cardinality);
    }
    return work;
  } finally {
    c.closeSync();
    db.closeSync();
  }
}

describe('derived tables of one case with many events', () => {
  const tmp = tempDir('loopwatch-one-case-');
  let small: Record<string, number>;
  let large: Record<string, number>;
  beforeAll(async () => {
    small = await derivedWork(tmp.dir, N, REVIEWERS);
    large = await derivedWork(tmp.dir, 4 * N, REVIEWERS);
  }, 240_000);
  afterAll(() => tmp.cleanup());

  it('grow at most linearly: four times the events, at most five times the rows produced', () => {
    expectLinear(small, large);
    expect(Object.keys(small)).toContain('assignments');
  });
});

// A case rated by ever more reviewers: one rating each of N / 8 reviewers. case_rating_pairs
// is left out: it holds one row per pair of raters of a case, which the pairwise agreement
// (Cohen's kappa per reviewer pair, docs/metrics/agreement.md) reports; its size is the
// metric's, quadratic in a case's raters, and bounding it would mean capping raters per case.
describe('derived tables of one case rated by many reviewers', () => {
  const tmp = tempDir('loopwatch-one-case-raters-');
  let small: Record<string, number>;
  let large: Record<string, number>;
  beforeAll(async () => {
    small = await derivedWork(tmp.dir, N, N / 8);
    large = await derivedWork(tmp.dir, 4 * N, N / 2);
  }, 240_000);
  afterAll(() => tmp.cleanup());

  it('grow at most linearly, the reviewer pairs apart', () => {
    const { case_rating_pairs: _pairs, ...rest } = small;
    expectLinear(rest, large);
    expect(Object.keys(rest)).toContain('case_ratings');
  });
});

function expectLinear(small: Record<string, number>, large: Record<string, number>): void {
  const ratios = Object.fromEntries(Object.keys(small).map((name) => [name, +(large[name] / Math.max(small[name], 1)).toFixed(2)]));
  for (const [name, ratio] of Object.entries(ratios)) expect({ name, ratio }).toEqual({ name, ratio: expect.toSatisfy((r: number) => r <= 5) });
}
