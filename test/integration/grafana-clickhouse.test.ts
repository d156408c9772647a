import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createClient, type ClickHouseClient, type ClickHouseClientConfigOptions } from '@clickhouse/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultMetricsConfig } from '../../src/config/metrics.js';
import { cutsSchema } from '../../src/metrics/cuts.js';
import { qualityFamily, type QualityMetrics } from '../../src/metrics/families/quality.js';
import type { ClickHouseStore } from '../../src/store/clickhouse/clickhouse-store.js';
import { expandClickHouseMacros, type MacroContext } from '../helpers/clickhouse-macros.js';
import { openClickHouseTestStore, rawClient, sharedChdbDir, simulatedRows } from '../helpers/stores.js';

// The committed JSON, not the builders: what Grafana would load is what is tested.
const DASHBOARD = JSON.parse(readFileSync(path.resolve(import.meta.dirname, '../../grafana/dashboards/overview-clickhouse.json'), 'utf8'));

interface Target { refId: string; rawSql: string; format: number }
const panels: { id: number; title: string; target: Target }[] = DASHBOARD.panels
  .filter((p: { type: string }) => p.type !== 'row')
  .map((p: { id: number; title: string; targets: Target[] }) => ({ id: p.id, title: p.title, target: p.targets[0] }));
const workflowQuery: string = DASHBOARD.templating.list.find((v: { name: string }) => v.name === 'workflow').query.rawSql;

let store: ClickHouseStore;
/** A client whose default database is the store's: the plugin's `defaultDatabase`. */
let grafana: ClickHouseClient;
let range: { from: Date; to: Date };
/** From the start to the median event: at its end, in the busy hours, items are still open. */
let firstHalf: { from: Date; to: Date };

async function rows(sql: string): Promise<Record<string, unknown>[]> {
  const rs = await grafana.query({ query: sql, format: 'JSONEachRow' });
  return rs.json<Record<string, unknown>>();
}

beforeAll(async () => {
  store = await openClickHouseTestStore();
  await store.migrate();
  await store.insertEvents(simulatedRows({ seed: 16, cases: 1500 }));
  await store.refreshDerived({ full: true });
  if (process.env.CLICKHOUSE_URL) {
    grafana = createClient({ url: process.env.CLICKHOUSE_URL, database: store.database });
  } else {
    // chdb ignores the client's `database`; USE sets the session's, as defaultDatabase does
    const { createChdbConnection } = await import('chdb/connection');
    const connection = createChdbConnection({ path: sharedChdbDir() }) as unknown as ClickHouseClientConfigOptions['connection'];
    grafana = createClient({ connection });
    await grafana.command({ query: `USE ${store.database}` });
  }
  const span = await rawClient(store).query({ query: `SELECT toUnixTimestamp(min(ts)) AS lo, toUnixTimestamp(max(ts)) AS hi, toUnixTimestamp(quantileExact(0.5)(ts)) AS mid FROM ${store.database}.events`, format: 'JSONEachRow' });
  const [{ lo, hi, mid }] = await span.json<{ lo: number; hi: number; mid: number }>();
  // the whole simulated history, with a day after it so "open at the end" sees closed and open items
  range = { from: new Date(Number(lo) * 1000), to: new Date((Number(hi) + 86_400) * 1000) };
  firstHalf = { from: range.from, to: new Date(Number(mid) * 1000) };
}, 240_000);

afterAll(async () => {
  await grafana?.close();
  await store?.close();
});

describe('grafana/dashboards/overview-clickhouse.json on chdb with simulated data', () => {
  it('the workflow variable lists the simulated workflows', async () => {
    const found = (await rows(workflowQuery)).map((r) => r.workflow);
    expect(found.length).toBeGreaterThan(1);
  });

  it('has a query on every panel', () => {
    expect(panels.length).toBeGreaterThanOrEqual(10);
    for (const p of panels) expect(p.target.rawSql, p.title).toMatch(/\S/);
  });

  for (const selection of ['all', 'one', 'two'] as const) {
    it(`every panel query returns rows (workflow: ${selection})`, async () => {
      const workflows = (await rows(workflowQuery)).map((r) => String(r.workflow));
      const variables: MacroContext['variables'] = {
        workflow: selection === 'all' ? '$__all' : workflows.slice(0, selection === 'one' ? 1 : 2),
      };
      const empty: string[] = [];
      for (const p of panels) {
        const sql = expandClickHouseMacros(p.target.rawSql, { ...firstHalf, intervalSeconds: 600, variables });
        expect(sql, p.title).not.toMatch(/\$/);
        const result = await rows(sql);
        if (result.length === 0) empty.push(`${p.id} ${p.title}`);
        if (selection !== 'all' && 'workflow' in (result[0] ?? {})) {
          for (const r of result) expect(variables.workflow, p.title).toContain(r.workflow);
        }
      }
      expect(empty, 'panels whose query returned no rows').toEqual([]);
    }, 120_000);
  }

  it('the quality panels equal GET /v1/metrics/quality over the same cases (value and interval)', async () => {
    // one bucket holds the whole history: an interval of ten years (epoch-aligned 2020-2030)
    const ctx = { ...range, intervalSeconds: 10 * 365 * 86_400, variables: { workflow: '$__all' as const } };
    const sqlOf = (id: number) => expandClickHouseMacros(panels.find((p) => p.id === id)!.target.rawSql, ctx);
    const [override, falseAccept, rework] = await Promise.all([21, 22, 23].map((id) => rows(sqlOf(id))));
    const job = async (group_by: string) =>
      (await qualityFamily.compute({ store, cuts: cutsSchema.parse({ group_by }), config: defaultMetricsConfig(), now: range.to })).groups;
    let compared = 0;
    const check = (row: Record<string, unknown> | undefined, column: string, expected: { value: number | null; ci95: [number, number] | null }, what: string) => {
      if (expected.value === null) return expect(row, what).toBeUndefined();
      expect(row, what).toBeDefined();
      expect(Number(row![column]), what).toBeCloseTo(expected.value, 12);
      expect(Number(row!.lower), `${what} lower`).toBeCloseTo(expected.ci95![0], 12);
      expect(Number(row!.upper), `${what} upper`).toBeCloseTo(expected.ci95![1], 12);
      compared++;
    };
    for (const g of await job('workflow')) {
      const m = g.metrics as unknown as QualityMetrics;
      const wf = g.key.workflow;
      check(override.find((r) => r.workflow === wf), 'override_ratio', m.override_rate, `${wf} override`);
      check(rework.find((r) => r.workflow === wf), 'rework_ratio', m.rework_rate, `${wf} rework`);
    }
    for (const g of await job('workflow,tier')) {
      const m = g.metrics as unknown as QualityMetrics;
      const series = `${g.key.workflow} tier ${g.key.tier}`;
      const row = falseAccept.find((r) => r.series === series);
      check(row, 'false_accept_ratio', m.false_accept_rate, `${series} false accept`);
      if (row) expect(Number(row.audits)).toBe(m.false_accept_rate.audits);
    }
    expect(compared).toBeGreaterThanOrEqual(8);
  }, 120_000);
});
