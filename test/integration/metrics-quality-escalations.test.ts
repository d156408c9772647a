import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { qualityFamily, type QualityMetrics } from '../../src/metrics/families/quality.js';
import { caseScript, metricsFixture, type MetricsFixture } from '../helpers/metrics.js';
import { forEachStore } from '../helpers/stores.js';

// Escalation volume (per case.escalated event) and precision (per escalated case: did the top
// level settle it differently from what the levels below proposed?). Counts by hand below.
const DAY = 24 * 60;
const metricsOf = (g: { metrics: unknown }) => g.metrics as QualityMetrics;

function scenario() {
  const events: Record<string, unknown>[] = [];
  const human = (id: string) =>
    caseScript(id)
      .add(0, 'case.created', { workflow: 'esc', tier: 2, model_label: 'billing' })
      .add(1, 'case.triaged', { lane: 'human_review' });
  const decide = (actor_id: string, level: number | undefined, decision: string, extra: Record<string, unknown> = {}) => ({
    actor_id,
    ...(level === undefined ? {} : { level }),
    decision,
    ...(decision === 'override' ? { reason_code: 'wrong_category' } : {}),
    ...extra,
  });
  const esc = (to_level: number, trigger: string, actor?: string) => ({ from_level: to_level - 1, to_level, trigger, ...(actor ? { actor_id: actor } : {}) });
  const scripts = [
    // e1: L2 approves the model's label: noise
    human('e1').add(5, 'review.decided', decide('r1', 1, 'escalate')).add(6, 'case.escalated', esc(2, 'low_confidence', 'r1'))
      .add(20, 'review.decided', decide('a1', 2, 'approve', { final_label: 'billing' })),
    // e2: L2 overrides: changed
    human('e2').add(5, 'review.decided', decide('r1', 1, 'escalate')).add(6, 'case.escalated', esc(2, 'policy', 'r1'))
      .add(20, 'review.decided', decide('a1', 2, 'override', { final_label: 'refund' })),
    // e3: 1→2, L2 escalates again, 2→3 the next day, L3 rejects: changed (nothing below rejected)
    human('e3').add(5, 'review.decided', decide('r1', 1, 'escalate')).add(6, 'case.escalated', esc(2, 'policy', 'r1'))
      .add(20, 'review.decided', decide('a1', 2, 'escalate')).add(DAY + 10, 'case.escalated', esc(3, 'high_impact', 'r2'))
      .add(DAY + 30, 'review.decided', decide('s1', 3, 'reject')),
    // e4: L1 proposed refund when escalating; L2 approves refund: the same as proposed, noise
    human('e4').add(5, 'review.decided', decide('r2', 1, 'escalate', { final_label: 'refund' })).add(6, 'case.escalated', esc(2, 'conflicting_signals', 'r2'))
      .add(20, 'review.decided', decide('a1', 2, 'approve', { final_label: 'refund' })),
    // e5: escalated by the SLA monitor (no actor), not decided yet: unresolved
    human('e5').add(6, 'case.escalated', esc(2, 'sla_timeout')),
    // e6: dual review disagrees (billing at 5, refund at 8); L2 approves billing. The proposal
    //     is the latest label below (refund), so this counts as changed
    human('e6').add(5, 'review.decided', decide('r3', 1, 'approve', { final_label: 'billing' }))
      .add(8, 'review.decided', decide('r4', 1, 'approve', { final_label: 'refund' }))
      .add(9, 'case.escalated', esc(2, 'conflicting_signals', 'r2')).add(20, 'review.decided', decide('a1', 2, 'approve', { final_label: 'billing' })),
    // e7: decided without a level, so read as level 1: no decision at level 2, unresolved
    human('e7').add(6, 'case.escalated', esc(2, 'manual', 'r3')).add(20, 'review.decided', decide('a1', undefined, 'approve', { final_label: 'refund' })),
    // e8: L1 rejected, a second opinion was asked for, L2 rejects too: noise
    human('e8').add(5, 'review.decided', decide('r1', 1, 'reject')).add(6, 'case.escalated', esc(2, 'manual', 'r1'))
      .add(20, 'review.decided', decide('a1', 2, 'reject')),
    // ghost: its case.created has not arrived: counted under the event's workflow, tier unknown
    caseScript('ghost').add(6, 'case.escalated', { ...esc(2, 'manual', 'r3'), workflow: 'ghost_wf' }),
  ];
  // e2 arrives newest first: nothing may depend on arrival order
  for (const s of scripts) events.push(...(s.events[0].case_id === 'e2' ? [...s.events].reverse() : s.events));
  return events;
}

forEachStore((kind) => {
  describe('quality: escalations', () => {
    let fx: MetricsFixture;
    beforeAll(async () => {
      fx = await metricsFixture(scenario(), kind);
    });
    afterAll(() => fx?.close());

    it('counts escalations per level and trigger, and their precision', async () => {
      const e = metricsOf((await fx.compute(qualityFamily)).groups[0]).escalations;
      // e1 e2 e4 e5 e6 e7 e8 ghost once each, e3 twice = 10
      expect(e.total).toBe(10);
      expect(e.by_level).toEqual({ '1': 0, '2': 9, '3': 1 });
      expect(e.by_trigger).toEqual({
        low_confidence: 1, // e1
        policy: 2, // e2 e3
        missing_context: 0,
        conflicting_signals: 2, // e4 e6
        high_impact: 1, // e3 (2→3)
        sla_timeout: 1, // e5
        manual: 3, // e7 e8 ghost
      });
      // escalated cases: e1-e8 + ghost = 9; resolved at the top level: e1 e2 e3 e4 e6 e8 = 6;
      // changed: e2 (override), e3 (reject), e6 (billing ≠ refund) = 3 → 3/6
      expect(e.escalated_cases).toBe(9);
      expect(e.resolved).toBe(6);
      expect(e.precision).toMatchObject({ numerator: 3, denominator: 6, value: 0.5 });
    });

    it('cuts by the escalating reviewer; no resolved case means null precision', async () => {
      const r = await fx.compute(qualityFamily, { group_by: 'reviewer' });
      // a1 and s1 only decided (their groups carry case metrics), so only escalating actors are kept
      const rows = r.groups
        .map((g) => {
          const e = metricsOf(g).escalations;
          return [g.key.reviewer, e.total, e.escalated_cases, e.precision.numerator, e.precision.denominator, e.precision.value];
        })
        .filter((row) => (row[1] as number) > 0);
      expect(rows).toEqual([
        // r1 escalated e1 e2 e3(1→2) e8 and was first on all four; changed: e2 e3
        ['r1', 4, 4, 2, 4, 0.5],
        // r2 escalated e3(2→3) e4 e6, first on e4 e6; changed: e6
        ['r2', 3, 2, 1, 2, 0.5],
        // r3: e7 and ghost, neither resolved
        ['r3', 2, 2, 0, 0, null],
        // the SLA monitor sent no actor: e5
        [null, 1, 1, 0, 0, null],
      ]);
    });

    it('buckets escalations by their own ts and precision by the first escalation', async () => {
      const r = await fx.compute(qualityFamily, { bucket: 'day' });
      const rows = r.groups.map((g) => [g.key.bucket, metricsOf(g).escalations.total, metricsOf(g).escalations.escalated_cases, metricsOf(g).cases]);
      expect(rows).toEqual([
        ['2026-11-23T00:00:00.000Z', 9, 9, 8], // all but e3's second escalation; 8 cases created (not ghost)
        ['2026-11-24T00:00:00.000Z', 1, 0, 0], // e3 2→3
      ]);
      const day2 = metricsOf(r.groups[1]).escalations;
      expect(day2.precision.value).toBeNull();
      expect(day2.by_level['3']).toBe(1);
      const window = await fx.compute(qualityFamily, { from: '2026-11-24T00:00:00Z' });
      expect(metricsOf(window.groups[0]).escalations.total).toBe(1);
    });

    it('takes workflow from the event when the case is unknown; other filters then exclude it', async () => {
      const r = await fx.compute(qualityFamily, { group_by: 'workflow' });
      expect(r.groups.map((g) => [g.key.workflow, metricsOf(g).escalations.total])).toEqual([
        ['esc', 9],
        ['ghost_wf', 1],
      ]);
      const t2 = metricsOf((await fx.compute(qualityFamily, { tier: 2 })).groups[0]).escalations;
      expect(t2.total).toBe(9);
      expect(t2.escalated_cases).toBe(8);
    });
  });
});
