/**
 * Store conformance: one simulated data set goes into DuckDB and into ClickHouse (chdb, or the
 * server at CLICKHOUSE_URL), and every named query must give the same rows on both.
 *
 * Conventions (for whoever adds a query file):
 * - The queries are the *.sql files directly in sql/duckdb/ and sql/clickhouse/ (migrations/ and
 *   derived/ are not queries). The two name sets must be equal: a file on one side only fails.
 *   The derived/ folders must hold the same file names too.
 * - Parameters: every query runs under each of PARAM_SETS (the metric cuts, plus `now`,
 *   `review_lanes`, `high_risk_signals` and an SLA policy and calendar), with names a query does
 *   not use ignored by both engines. A query that needs something else gets an entry in
 *   SPECIAL_PARAMS below (case_state, case_events take case ids).
 * - Equality: same columns, same number of rows, same order; numbers equal within 1e-9
 *   (relative above 1, so counts are exact), times equal to the millisecond, and an empty list
 *   equals NULL (ClickHouse has no Nullable(Array)). A column of JSON text (JSON_COLUMNS) is
 *   compared as the values it holds: the engines escape text differently (ClickHouse writes
 *   `\/`), and its readers parse it anyway.
 */
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cutParams } from '../../src/metrics/cuts.js';
import { HIGH_RISK_SIGNALS, LANES } from '../../src/events/vocabulary.js';
import type { EventRow } from '../../src/events/row.js';
import { SQL_ROOT } from '../../src/store/sql-files.js';
import { declaredQueryNames, queryNamed } from '../../src/store/queries.js';
import type { Store } from '../../src/store/store.js';
import { dropServerDatabases, openTestStore, simulatedRows, tempDir } from '../helpers/stores.js';

const CASES = 3_000;
const BATCH = 5_000;

/** Query names of an engine (`metrics/quality/incidents`, ...), or the files of one numbered folder. */
async function sqlNames(engine: string, sub = ''): Promise<string[]> {
  const root = path.join(SQL_ROOT, engine, sub);
  const entries = await readdir(root, { withFileTypes: true, recursive: !sub });
  return entries
    .filter((e) => e.isFile() && e.name.endsWith('.sql'))
    .map((e) => path.relative(root, path.join(e.parentPath, e.name)).slice(0, -4))
    // migrations and derived tables are not queries; they are compared as folders of their own
    .filter((n) => sub || !/^(migrations|derived)\//.test(n))
    .sort();
}

const DAY = 86_400_000;

/** Weekdays 09:00-17:00 UTC as parallel lists, the shape metrics/sla/breaches.sql unnests. */
function calendar(fromMs: number, toMs: number): Record<string, number[]> {
  const cal = { cal_start: [] as number[], cal_end: [] as number[], cal_cum: [] as number[], cal_day: [] as number[] };
  let cum = 0;
  let day = 0;
  for (let d = Math.floor(fromMs / DAY) * DAY; d <= toMs + 10 * DAY; d += DAY) {
    const weekday = new Date(d).getUTCDay();
    if (weekday === 0 || weekday === 6) continue;
    const start = d + 9 * 3_600_000;
    const end = d + 17 * 3_600_000;
    cal.cal_start.push(start);
    cal.cal_end.push(end);
    cal.cal_cum.push(cum);
    cal.cal_day.push(day++);
    cum += end - start;
  }
  return cal;
}

function slaRules(workflow: string): Record<string, unknown[]> {
  const rows: [string, string, string, string, number][] = [];
  for (const lane of LANES) {
    rows.push(['', lane, 'acknowledge', 'wall', 30 * 60_000]);
    rows.push(['', lane, 'complete', 'business', 4 * 3_600_000]);
    rows.push(['', lane, 'escalate', 'wall', 15 * 60_000]);
    rows.push(['', lane, 'primary', 'end_of_business_day', 0]);
    rows.push(['', lane, 'secondary', 'business_days', 1]);
    rows.push(['', lane, 'sample_review', 'business_days', 2]);
    rows.push(['', lane, 'resolve', 'wall', 2 * 3_600_000]);
  }
  rows.push([workflow, 'human_review', 'complete', 'off', 0]);
  return {
    rule_workflow: rows.map((r) => r[0]),
    rule_lane: rows.map((r) => r[1]),
    rule_stage: rows.map((r) => r[2]),
    rule_kind: rows.map((r) => r[3]),
    rule_amount: rows.map((r) => r[4]),
  };
}

function paramSets(data: EventRow[]): Record<string, unknown>[] {
  const ts = data.map((r) => r.ts);
  const first = Math.min(...ts);
  const last = Math.max(...ts);
  const mid = new Date(first + (last - first) / 2);
  // an instant with reviews in flight, so that open-item queries have something to count
  const assigned = data.filter((r) => r.type === 'review.assigned').map((r) => r.ts).sort((a, b) => a - b);
  const busy = new Date(assigned[Math.floor(assigned.length / 2)] + 60_000);
  const reviewer = data.find((r) => r.type === 'review.decided' && r.actor_id)?.actor_id ?? undefined;
  const common = {
    review_lanes: LANES.filter((l) => l !== 'auto_approve' && l !== 'reject'),
    high_risk_signals: [...HIGH_RISK_SIGNALS],
    ...slaRules('support_drafting'),
    ...calendar(first - DAY, last),
  };
  return [
    { ...cutParams({}), now: new Date(last + 3_600_000), ...common },
    { ...cutParams({ group_by: ['workflow', 'tier', 'lane', 'model_version', 'policy_version', 'reviewer'], bucket: 'day' }), now: busy, ...common },
    { ...cutParams({ workflow: 'support_drafting', tier: 2, from: new Date(first), to: mid, bucket: 'hour', group_by: ['lane'] }), now: busy, ...common },
    { ...cutParams({ reviewer, bucket: 'week', group_by: ['model_version', 'policy_version'] }), now: new Date(last), ...common },
    // capped dimensions: one workflow and one reviewer kept, the rest in '(other)'
    { ...cutParams({ group_by: ['workflow', 'reviewer'], keep: { workflow: ['support_drafting'], reviewer: reviewer ? [reviewer] : [] } }), now: busy, ...common },
  ];
}

function specialParams(data: EventRow[]): Record<string, Record<string, unknown>[]> {
  const reopened = data.find((r) => r.type === 'case.reopened')?.case_id;
  const escalated = data.find((r) => r.type === 'case.escalated')?.case_id;
  const ids = [data[0].case_id, reopened, escalated, 'no-such-case'].filter((c): c is string => Boolean(c));
  return {
    'metrics/caps/top_values': [{ cap_workflow: 1, cap_reviewer: 2 }, { cap_workflow: 1000, cap_reviewer: 1000 }],
    'api/case_state': ids.map((case_id) => ({ case_id })),
    'api/case_events': ids.map((case_id) => ({ case_id })),
    'review/case_trail': ids.map((case_id) => ({ case_id })),
    'review/similar_cases': ids.flatMap((case_id) => [{ case_id, window_days: 7 }, { case_id, window_days: 1 }]),
    // the first page, a page after a case id, a page past the end
    'datasets/cases': [{ after: '', page_size: 500 }, { after: ids[0], page_size: 200 }, { after: '~', page_size: 10 }],
  };
}

/** Columns that hold JSON text, by query: compared parsed (see the top of the file). */
const JSON_COLUMNS: Record<string, string[]> = { 'datasets/cases': ['decisions'] };

function parsedJson(name: string, rows: Record<string, unknown>[]): Record<string, unknown>[] {
  const columns = JSON_COLUMNS[name];
  if (!columns) return rows;
  return rows.map((r) => ({ ...r, ...Object.fromEntries(columns.map((c) => [c, typeof r[c] === 'string' ? JSON.parse(r[c] as string) : r[c]])) }));
}

/** Deep equality with the suite's tolerances (see the top of the file). */
function same(a: unknown, b: unknown): boolean {
  if (a instanceof Date || b instanceof Date) {
    return a instanceof Date && b instanceof Date && a.getTime() === b.getTime();
  }
  if (typeof a === 'number' && typeof b === 'number') {
    if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b);
    return a === b || Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));
  }
  if ((a === null && Array.isArray(b) && b.length === 0) || (b === null && Array.isArray(a) && a.length === 0)) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => same(x, b[i]));
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    const ka = Object.keys(a).sort();
    const kb = Object.keys(b).sort();
    return same(ka, kb) && ka.every((k) => same((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
  }
  return a === b;
}

function firstDifference(duck: Record<string, unknown>[], click: Record<string, unknown>[]): string | null {
  if (duck.length !== click.length) return `${duck.length} rows on DuckDB, ${click.length} on ClickHouse`;
  for (let i = 0; i < duck.length; i++) {
    if (!same(duck[i], click[i])) {
      return `row ${i} differs:\n  duckdb:     ${JSON.stringify(duck[i])}\n  clickhouse: ${JSON.stringify(click[i])}`;
    }
  }
  return null;
}

/**
 * Events of other cases carrying ids of stored events, each under another (workflow, UTC day,
 * type) than the stored event it borrows from: every one is a new event. Mixed in one batch with
 * events of the borrowed ids' own prefixes, so that a lookup naming prefixes and ids apart
 * (rather than each id with its own prefix) would take some for duplicates.
 */
function reusedIdRows(stored: readonly EventRow[]): EventRow[] {
  const fresh = simulatedRows({ seed: 12, cases: 40 }).map((r) => ({ ...r, case_id: r.case_id === null ? null : `reuse-${r.case_id}` }));
  const key = (r: EventRow) => `${r.workflow}|${Math.floor(r.ts / DAY)}|${r.type}`;
  const out: EventRow[] = [];
  let j = 0;
  for (const r of fresh) {
    if (out.length % 3 === 2) {
      out.push({ ...r, event_id: `reuse-own-${r.event_id}` });
      continue;
    }
    while (j < stored.length && key(stored[j]) === key(r)) j++;
    if (j >= stored.length) break;
    out.push({ ...r, event_id: stored[j++].event_id });
  }
  return out;
}

describe('store conformance: DuckDB and ClickHouse answer every query alike', () => {
  const tmp = tempDir();
  let duck: Store;
  let click: Store;
  let data: EventRow[];
  const timings = { duckdb: 0, clickhouse: 0 };

  beforeAll(async () => {
    data = simulatedRows({ seed: 11, cases: CASES });
    duck = await openTestStore('duckdb', tmp.dir);
    click = await openTestStore('clickhouse', tmp.dir);
    for (let i = 0; i < data.length; i += BATCH) {
      const batch = data.slice(i, i + BATCH);
      await duck.insertEvents(batch);
      await click.insertEvents(batch);
    }
    // a retried batch must change nothing on either side
    await duck.insertEvents(data.slice(0, BATCH));
    await click.insertEvents(data.slice(0, BATCH));
    // ids a sender reuses under another workflow, type or UTC day are other events on both
    // engines (docs/scaling.md, "Looking up stored ids"), and their retry changes nothing
    const reused = reusedIdRows(data);
    for (const store of [duck, click]) {
      expect((await store.insertEvents(reused)).duplicateIds.size).toBe(0);
      expect((await store.insertEvents(reused)).duplicateIds.size).toBe(reused.length);
    }
    data = [...data, ...reused];
  }, 300_000);

  afterAll(async () => {
    await duck?.close();
    await click?.close();
    await dropServerDatabases();
    tmp.cleanup();
    console.info(`metric suite: duckdb ${timings.duckdb.toFixed(0)} ms, clickhouse ${timings.clickhouse.toFixed(0)} ms (derived refresh included)`);
  });

  it('has the same query files and derived tables on both sides', async () => {
    const names = await sqlNames('duckdb');
    expect(names).toContain('metrics/quality/false_accept_rate');
    expect(names.length).toBeGreaterThan(20);
    expect(await sqlNames('clickhouse')).toEqual(names);
    expect(await sqlNames('clickhouse', 'derived')).toEqual(await sqlNames('duckdb', 'derived'));
    // every query file has its one typed declaration (src/store/queries.ts), and no declaration lacks a file
    expect(declaredQueryNames()).toEqual(names);
  });

  it('stores the same events', async () => {
    expect(await click.countEvents()).toBe(data.length);
    expect(await duck.countEvents()).toBe(data.length);
  });

  it('gives equal results for every query present on both sides', async () => {
    for (const [kind, store] of [['duckdb', duck], ['clickhouse', click]] as const) {
      const t = performance.now();
      await store.refreshDerived();
      timings[kind] += performance.now() - t;
    }
    const names = await sqlNames('duckdb');
    const clickNames = new Set(await sqlNames('clickhouse'));
    const sets = paramSets(data);
    const special = specialParams(data);
    const failures: string[] = [];
    for (const name of names.filter((n) => clickNames.has(n))) {
      for (const [i, params] of (special[name] ?? sets).entries()) {
        const results: Record<string, Record<string, unknown>[]> = {};
        for (const [kind, store] of [['duckdb', duck], ['clickhouse', click]] as const) {
          const t = performance.now();
          try {
            results[kind] = await store.query(queryNamed(name), params);
          } catch (err) {
            failures.push(`${name} (params #${i}) fails on ${kind}: ${(err as Error).message.split('\n')[0]}`);
          }
          timings[kind] += performance.now() - t;
        }
        if (!results.duckdb || !results.clickhouse) continue;
        const diff = firstDifference(parsedJson(name, results.duckdb), parsedJson(name, results.clickhouse));
        if (diff) failures.push(`${name} (params #${i}): ${diff}`);
      }
    }
    expect(failures).toEqual([]);
  }, 300_000);
});
