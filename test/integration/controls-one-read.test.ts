import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { controlsFamily } from '../../src/metrics/families/controls.js';
import { loadQuery } from '../../src/store/sql-files.js';
import type { ClickHouseStore } from '../../src/store/clickhouse/clickhouse-store.js';
import { substitute, type Placeholders } from '../../src/store/clickhouse/migrations.js';
import { toQueryParams } from '../../src/store/clickhouse/params.js';
import { caseScript, metricsFixture, type MetricsFixture } from '../helpers/metrics.js';
import { rawClient, selectedStoreKinds } from '../helpers/stores.js';

// ClickHouse: the five controls read off case_facts were a SELECT each, and the violations
// were joined back to case_facts for their cut attributes: five reads of the table that holds
// every case (issue 14, the steady metric job). Now one read finds them with their attributes;
// only the controls found in the decisions are joined back. Which cases break which control is
// metrics-controls.test.ts's business (both engines); this checks the rows ClickHouse reads.
if (selectedStoreKinds().includes('clickhouse'))
describe('control violations: case_facts read once for its own controls (ClickHouse)', () => {
  let fx: MetricsFixture;
  beforeAll(async () => {
    const events = Array.from({ length: 40 }, (_, i) =>
      caseScript(`ctl-${i}`)
        .add(0, 'case.created', { workflow: 'it_access_requests', tier: 2, model_label: 'grant', actor_id: 'alice', risk_signals: i % 5 ? [] : ['pii'] })
        .add(1, 'case.triaged', { lane: i % 5 ? 'human_review' : 'auto_approve' })
        .add(5, 'review.decided', { actor_id: i % 7 ? 'r1' : 'alice', decision: i % 3 ? 'approve' : 'override' }).events,
    ).flat();
    fx = await metricsFixture(events, 'clickhouse');
  });
  afterAll(() => fx?.close());

  it('finds the violations reading case_facts twice, not once per control', async () => {
    const store = fx.store as ClickHouseStore;
    const { result: computed, params: captured } = await fx.computeCapturing(controlsFamily, 'metrics/controls/violations');
    const result = computed.details as { by_control: Record<string, { count: number }> };
    // read off the scenario: pii in auto_approve every 5th case, alice approving her own every
    // 7th that is not an override (i % 3 != 0), an override without a reason every 3rd
    expect(result.by_control.high_risk_auto_approved.count).toBe(8);
    expect(result.by_control.approved_by_creator.count).toBe(4);
    expect(result.by_control.override_without_reason.count).toBe(14);
    const placeholders = (store as unknown as { placeholders: Placeholders }).placeholders;
    const text = substitute(await loadQuery('clickhouse', 'metrics/controls/violations'), placeholders);
    const rs = await rawClient(store).query({ query: text, format: 'JSON', query_params: toQueryParams(captured) });
    const out = (await rs.json()) as { statistics: { rows_read: number } };
    const count = async (table: string) =>
      Number(((await (await rawClient(store).query({ query: `SELECT count() AS n FROM ${store.database}.${table}`, format: 'JSONEachRow' })).json()) as { n: number }[])[0].n);
    const [cases, decisions, log] = [await count('case_facts'), await count('decision_facts'), await count('log_events')];
    expect(cases).toBe(40);
    expect(decisions).toBe(40);
    // case_facts for its own controls and for the join back, decision_facts, the line stops:
    // 120 rows here (160 before; at 1M events 0.69M rows instead of 1.37M)
    expect(out.statistics.rows_read).toBeLessThanOrEqual(2 * cases + decisions + 2 * log);
  }, 120_000);
});
