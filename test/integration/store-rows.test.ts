/**
 * The typed seam hands rows over decoded (src/store/<engine>/rows.ts): whatever the engine, a
 * value is a number, string, boolean, null, Date, array or plain object, never a bigint, a Map,
 * DuckDB's MAP entries or a 64-bit number quoted as text. Every declared query runs on every
 * engine over simulated data, grouped by every dimension so that every column is filled.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HIGH_RISK_SIGNALS, LANES } from '../../src/events/vocabulary.js';
import { cutParams } from '../../src/metrics/cuts.js';
import { slaPolicySchema } from '../../src/config/sla-policy.js';
import { buildCalendar } from '../../src/metrics/sla/calendar.js';
import { calendarParams, calendarReach, ruleParams } from '../../src/metrics/sla/params.js';
import { declaredQueryNames, queryNamed } from '../../src/store/queries.js';
import type { Store } from '../../src/store/store.js';
import { dropServerDatabases, forEachStore, openTestStore, simulatedRows, tempDir } from '../helpers/stores.js';

const DAY = 86_400_000;

/** Where a value is not one of the decoded shapes, with its path; [] when it is. */
function undecoded(v: unknown, at: string): string[] {
  if (v === null || typeof v === 'boolean' || v instanceof Date) return [];
  if (typeof v === 'number') return Number.isNaN(v) ? [`${at}: NaN`] : [];
  // a quoted 64-bit integer (ClickHouse's JSON default) or a number's text
  if (typeof v === 'string') return /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(v) ? [`${at}: numeric string ${JSON.stringify(v)}`] : [];
  if (typeof v === 'bigint') return [`${at}: bigint ${v}`];
  if (v instanceof Map) return [`${at}: Map`];
  if (Array.isArray(v)) {
    // DuckDB's MAP as getRowObjectsJS gives it
    if (v.length > 0 && v.every((e) => e && typeof e === 'object' && Object.keys(e).join() === 'key,value')) return [`${at}: MAP entries`];
    return v.flatMap((x, i) => undecoded(x, `${at}[${i}]`));
  }
  if (typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
    return Object.entries(v as Record<string, unknown>).flatMap(([k, x]) => undecoded(x, `${at}.${k}`));
  }
  return [`${at}: ${typeof v} ${Object.prototype.toString.call(v)}`];
}

describe('undecoded', () => {
  it('tells engine quirks from decoded values', () => {
    expect(undecoded({ n: 1, t: new Date(0), s: 'r-1', l: [1.5, null], m: { a: 2 }, b: true }, 'row')).toEqual([]);
    expect(undecoded({ n: 3n }, 'row')).toEqual(['row.n: bigint 3']);
    expect(undecoded({ n: '42' }, 'row')).toEqual(['row.n: numeric string "42"']);
    expect(undecoded({ m: [{ key: 1, value: 2 }] }, 'row')).toEqual(['row.m: MAP entries']);
    expect(undecoded({ m: new Map() }, 'row')).toEqual(['row.m: Map']);
  });
});

forEachStore((kind) => {
  const tmp = tempDir();
  let store: Store;
  const data = simulatedRows({ seed: 5, cases: 400 });

  beforeAll(async () => {
    store = await openTestStore(kind, tmp.dir);
    await store.insertEvents(data);
    await store.refreshDerived();
  }, 120_000);

  afterAll(async () => {
    await store?.close();
    await dropServerDatabases();
    tmp.cleanup();
  });

  it('hands every query its rows decoded: no bigint, Map or numeric string', async () => {
    const ts = data.map((r) => r.ts);
    const [first, last] = [Math.min(...ts), Math.max(...ts)];
    const policy = slaPolicySchema.parse({});
    const params = {
      ...cutParams({ group_by: ['workflow', 'tier', 'lane', 'model_version', 'policy_version', 'reviewer'], bucket: 'day' }),
      now: new Date(last + 3_600_000),
      review_lanes: LANES.filter((l) => l !== 'auto_approve' && l !== 'reject'),
      high_risk_signals: [...HIGH_RISK_SIGNALS],
      ...ruleParams(policy),
      ...calendarParams(buildCalendar(policy.calendar, first - DAY, last, calendarReach(policy))),
      case_id: data.find((r) => r.type === 'case.escalated')!.case_id!,
      cap_workflow: 2,
      cap_reviewer: 3,
      after: '',
      page_size: 1000,
      window_days: 7,
    };
    const problems: string[] = [];
    let rows = 0;
    for (const name of declaredQueryNames()) {
      const result = await store.query(queryNamed(name), params);
      rows += result.length;
      result.forEach((row, i) => problems.push(...undecoded(row, `${name}[${i}]`)));
    }
    expect(problems.slice(0, 20)).toEqual([]);
    expect(rows).toBeGreaterThan(100);
  }, 120_000);
});
