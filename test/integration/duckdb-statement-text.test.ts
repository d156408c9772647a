import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DuckDBConnection } from '@duckdb/node-api';
import { FAMILIES } from '../../src/metrics/registry.js';
import { Q } from '../../src/store/queries.js';
import { caseScript, metricsFixture, type MetricsFixture } from '../helpers/metrics.js';

// "No SQL text built from request values" (docs/sql.md), checked on what DuckDB receives: every
// statement text sent for a metric request and a case lookup, with request values that would
// stand out anywhere in it.
describe('DuckDB statement text', () => {
  let fx: MetricsFixture;
  const sent: string[] = [];
  beforeAll(async () => {
    const c = caseScript('c-1')
      .add(0, 'case.created', { workflow: 'support_drafting', tier: 1, model_label: 'faq' })
      .add(5, 'review.decided', { actor_id: 'rev-1', decision: 'approve' });
    fx = await metricsFixture(c.events, 'duckdb');
    // the engine's own connections, watched on their way in: the statements still run
    for (const { connection } of (fx.store as unknown as { readers: { connection: DuckDBConnection }[] }).readers) {
      const run = connection.runAndReadAll.bind(connection);
      connection.runAndReadAll = ((sql: string, ...rest: unknown[]) => {
        sent.push(sql);
        return (run as (...a: unknown[]) => unknown)(sql, ...rest);
      }) as typeof connection.runAndReadAll;
    }
  });
  afterAll(() => fx?.close());

  it('holds none of the request values of a cut or a case id', async () => {
    const values = { workflow: 'WFVALUE-\u0000', model_version: "MVVALUE-'", policy_version: 'PVVALUE-\\', reviewer: 'RVVALUE-ü' };
    for (const family of FAMILIES) {
      await fx.compute(family, { ...values, from: '2026-11-01T00:00:00Z', to: '2026-11-30T00:00:00Z', group_by: 'workflow,reviewer', bucket: 'day' });
    }
    await fx.store.query(Q.caseState, { case_id: 'CASEVALUE-\u0000' });
    await fx.store.query(Q.caseEvents, { case_id: 'CASEVALUE-\u0000' });
    expect(sent.length).toBeGreaterThan(FAMILIES.length);
    for (const text of sent) {
      for (const marker of ['WFVALUE', 'MVVALUE', 'PVVALUE', 'RVVALUE', 'CASEVALUE', '2026-11-01', '2026-11-30']) expect(text).not.toContain(marker);
    }
  });
});
