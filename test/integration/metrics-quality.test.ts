import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { qualityFamily, type QualityMetrics } from '../../src/metrics/families/quality.js';
import { caseScript, metricsFixture, type MetricsFixture } from '../helpers/metrics.js';
import { forEachStore } from '../helpers/stores.js';

// Override and rework rates and their cuts. Every expected number is counted off the scenario
// below by hand; the comments show the count.
const DAY = 24 * 60;
const metricsOf = (g: { metrics: unknown }) => g.metrics as QualityMetrics;

function scenario() {
  const events: Record<string, unknown>[] = [];
  const sd = (id: string) => caseScript(id).add(0, 'case.created', { workflow: 'support_drafting', tier: 2, model_label: 'billing' });
  const human = (id: string) => sd(id).add(1, 'case.triaged', { lane: 'human_review' });
  const d = (actor_id: string, decision: string, extra: Record<string, unknown> = {}) => ({ actor_id, decision, ...extra });
  const cases = [
    // o1: approved as the model had it: decided, not overridden; closed, not reworked
    human('o1').add(5, 'review.decided', d('r1', 'approve', { final_label: 'billing' })).add(6, 'case.closed', { outcome: 'executed', final_label: 'billing' }),
    // o2: overridden; reopened after its close: rework
    human('o2').add(5, 'review.decided', d('r1', 'override', { final_label: 'refund', reason_code: 'wrong_category' }))
      .add(6, 'case.closed', { outcome: 'executed' }).add(60, 'case.reopened'),
    // o3: "approve" with a different label is still a change of the model's label
    human('o3').add(5, 'review.decided', d('r2', 'approve', { final_label: 'refund' })).add(6, 'case.closed', { outcome: 'executed' }),
    // o4: rejected: decided, not overridden
    human('o4').add(5, 'review.decided', d('r2', 'reject')).add(6, 'case.closed', { outcome: 'rejected' }),
    // o5: escalated, then approved at level 2 without a label; never closed
    human('o5').add(5, 'review.decided', d('r1', 'escalate', { level: 1 }))
      .add(6, 'case.escalated', { from_level: 1, to_level: 2, trigger: 'policy' })
      .add(20, 'review.decided', d('a1', 'approve', { level: 2 })),
    // o6: auto-approved (no human decision: outside the override denominator), reopened, closed again: rework
    sd('o6').add(1, 'case.triaged', { lane: 'auto_approve' }).add(2, 'case.closed', { outcome: 'executed' })
      .add(30, 'case.reopened').add(40, 'case.closed', { outcome: 'executed' }),
    // o7: approve at 5, override at 10: the final decision is the override
    human('o7').add(5, 'review.decided', d('r1', 'approve', { final_label: 'billing' }))
      .add(10, 'review.decided', d('r2', 'override', { final_label: 'refund', reason_code: 'tone' })).add(11, 'case.closed', { outcome: 'executed' }),
    // o8: override at 5, approve of the model's label at 10: not overridden in the end; a
    //     reopen stamped before the case was ever closed is not rework
    human('o8').add(5, 'review.decided', d('r1', 'override', { final_label: 'refund', reason_code: 'tone' }))
      .add(10, 'review.decided', d('r2', 'approve', { final_label: 'billing' })).add(3, 'case.reopened').add(11, 'case.closed', { outcome: 'executed' }),
  ];
  // o7 and o8 arrive in reverse: the final decision is the latest by ts, not by arrival
  for (const c of cases) events.push(...(['o7', 'o8'].includes(c.events[0].case_id as string) ? [...c.events].reverse() : c.events));
  // it_access_requests: two tier-3 cases the day before, one tier-1 case on the same day
  const it = (id: string, tier: number, dayOffset: number) =>
    caseScript(id, Date.UTC(2026, 10, 23, 9) + dayOffset * DAY * 60_000)
      .add(0, 'case.created', { workflow: 'it_access_requests', tier, model_label: 'grant' })
      .add(1, 'case.triaged', { lane: 'approval' });
  events.push(
    ...it('c1', 3, -1).add(5, 'review.decided', d('a2', 'override', { final_label: 'deny', reason_code: 'policy_violation' })).add(6, 'case.closed', { outcome: 'rejected' }).events,
    ...it('c2', 3, -1).add(5, 'review.decided', d('a2', 'approve', { final_label: 'grant' })).add(6, 'case.closed', { outcome: 'executed' }).events,
    ...it('c3', 1, 0).add(5, 'review.decided', d('a2', 'approve')).events,
  );
  return events;
}

/** Wilson 95% written out independently of src/metrics/stats, for the ci95 checks. */
function wilson(k: number, n: number): [number, number] {
  const z = 1.959963984540054;
  const p = k / n;
  const den = 1 + (z * z) / n;
  const centre = (p + (z * z) / (2 * n)) / den;
  const half = (z / den) * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n));
  return [centre - half, centre + half];
}

forEachStore((kind) => {
  describe('quality: override and rework rates', () => {
    let fx: MetricsFixture;
    beforeAll(async () => {
      fx = await metricsFixture(scenario(), kind);
    });
    afterAll(() => fx?.close());

    it('counts overrides over final human decisions and rework over closed cases', async () => {
      const r = await fx.compute(qualityFamily, { workflow: 'support_drafting' });
      expect(r.groups).toHaveLength(1);
      const m = metricsOf(r.groups[0]);
      expect(m.cases).toBe(8);
      // decided: o1 o2 o3 o4 o5 o7 o8 = 7 (o6 never saw a human); overridden: o2 (decision),
      // o3 (label refund ≠ billing), o7 (final decision override) = 3
      expect(m.override_rate).toMatchObject({ numerator: 3, denominator: 7, value: 3 / 7 });
      // Wilson 3/7: p=.4286, z²/n=.5488, centre=(.4286+.2744)/1.5488=.4539,
      // half=1.96·√(.034985+.019599)/1.5488=.2957 → [.1582, .7495]
      expect(m.override_rate.ci95![0]).toBeCloseTo(0.1582, 4);
      expect(m.override_rate.ci95![1]).toBeCloseTo(0.7495, 4);
      expect(m.override_rate.ci95).toEqual(wilson(3, 7).map((x) => expect.closeTo(x, 12)));
      // closed: all but o5 = 7; reopened after a close: o2, o6 = 2 (o8's reopen predates its close)
      expect(m.rework_rate).toMatchObject({ numerator: 2, denominator: 7, value: 2 / 7 });
    });

    it('groups by workflow and tier; an empty denominator is null, not 0', async () => {
      const r = await fx.compute(qualityFamily, { group_by: 'workflow,tier' });
      const rows = r.groups.map((g) => {
        const m = metricsOf(g);
        return [g.key, m.cases, m.override_rate.numerator, m.override_rate.denominator, m.rework_rate.numerator, m.rework_rate.denominator];
      });
      expect(rows).toEqual([
        // c3: decided, never closed (0/0); c1 c2: c1 overridden, both closed, none reopened
        [{ workflow: 'it_access_requests', tier: 1 }, 1, 0, 1, 0, 0],
        [{ workflow: 'it_access_requests', tier: 3 }, 2, 1, 2, 0, 2],
        [{ workflow: 'support_drafting', tier: 2 }, 8, 3, 7, 2, 7],
      ]);
      const t1 = metricsOf(r.groups[0]);
      expect(t1.rework_rate).toEqual({ value: null, numerator: 0, denominator: 0, ci95: null });
      expect(t1.override_rate.value).toBe(0);
    });

    it('buckets cases by the day they were created', async () => {
      const r = await fx.compute(qualityFamily, { bucket: 'day' });
      expect(r.groups.map((g) => [g.key, metricsOf(g).cases, metricsOf(g).override_rate.numerator])).toEqual([
        [{ bucket: '2026-11-22T00:00:00.000Z' }, 2, 1], // c1 c2; c1 overridden
        [{ bucket: '2026-11-23T00:00:00.000Z' }, 9, 3], // o1-o8, c3
      ]);
    });

    it('honours filters and the created_at window', async () => {
      const t3 = await fx.compute(qualityFamily, { workflow: 'it_access_requests', tier: 3 });
      expect(t3.groups.map((g) => metricsOf(g).cases)).toEqual([2]);
      const window = await fx.compute(qualityFamily, { from: '2026-11-23T00:00:00Z', to: '2026-11-24T00:00:00Z' });
      expect(metricsOf(window.groups[0]).cases).toBe(9);
      // o6 alone: no human decision, so no override rate at all
      const auto = metricsOf((await fx.compute(qualityFamily, { lane: 'auto_approve' })).groups[0]);
      expect(auto.override_rate).toEqual({ value: null, numerator: 0, denominator: 0, ci95: null });
      expect(auto.rework_rate).toMatchObject({ numerator: 1, denominator: 1 });
      // final reviewer r2: o3 (approve refund), o4 (reject), o7 (override), o8 (approve billing) → 2/4
      const r2 = metricsOf((await fx.compute(qualityFamily, { reviewer: 'r2' })).groups[0]);
      expect(r2.override_rate).toMatchObject({ numerator: 2, denominator: 4 });
      expect((await fx.compute(qualityFamily, { workflow: 'no_such_workflow' })).groups).toEqual([]);
    });
  });
});
