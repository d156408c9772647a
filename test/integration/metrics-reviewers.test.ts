import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reviewersFamily } from '../../src/metrics/families/reviewers.js';
import { caseScript, metricsFixture, type MetricsFixture } from '../helpers/metrics.js';

// rev-fast: 20 human_review cases, each acknowledged and approved 30 s later, all between
//   09:00 and 09:39 → 1 active hour, 20 decisions/hour, median 30 s.
// rev-slow: 30 human_review cases assigned+acknowledged at 10:00 + 10j min and decided 10 min
//   later (10:10 ... 15:00): 24 approvals, 6 overrides → active hours 10,11,12,13,14,15 = 6,
//   5 decisions/hour, every decision 600 s.
// Lane median over 50 decisions (20 × 30 s, 30 × 600 s): R-7 position 0.5 × 49 = 24.5 → the
//   25th and 26th sorted values, both 600 → 600 s. rev-fast: 30 ≤ 0.25 × 600 and 20/20 approvals
//   → flagged; rev-slow: 24/30 = 0.8 approvals → not flagged.
// rev-untimed: one specialist_review decision with no assignment or acknowledgement → not timed.
function scenario() {
  const events: Record<string, unknown>[] = [];
  const minute = 60_000;
  const day = Date.UTC(2026, 10, 23);
  for (let i = 0; i < 20; i++) {
    const s = caseScript(`fast-${i}`, day + 9 * 3_600_000 + i * 2 * minute);
    s.add(0, 'case.created', { workflow: 'support_drafting', tier: 1, model_label: 'faq' })
      .add(0, 'case.triaged', { lane: 'human_review' })
      .add(0, 'review.acknowledged', { actor_id: 'rev-fast' })
      .add(0.5, 'review.decided', { actor_id: 'rev-fast', decision: 'approve' });
    events.push(...s.events);
  }
  for (let j = 0; j < 30; j++) {
    const s = caseScript(`slow-${j}`, day + 10 * 3_600_000 + j * 10 * minute);
    s.add(0, 'case.created', { workflow: 'support_drafting', tier: 2, model_label: 'faq' })
      .add(0, 'case.triaged', { lane: 'human_review' })
      .add(0, 'review.assigned', { actor_id: 'rev-slow', level: 1 })
      .add(0, 'review.acknowledged', { actor_id: 'rev-slow' })
      .add(10, 'review.decided', j < 24 ? { actor_id: 'rev-slow', decision: 'approve' } : { actor_id: 'rev-slow', decision: 'override', final_label: 'refund', reason_code: 'wrong_category' });
    events.push(...s.events);
  }
  const u = caseScript('untimed', day + 16 * 3_600_000)
    .add(0, 'case.created', { workflow: 'finance_adjustments', tier: 3 })
    .add(0, 'case.triaged', { lane: 'specialist_review' })
    .add(5, 'review.decided', { actor_id: 'rev-untimed', decision: 'reject', reason_code: 'insufficient_evidence' });
  events.push(...u.events);
  return events;
}

describe('reviewer load and rubber-stamping', () => {
  let fx: MetricsFixture;
  beforeAll(async () => {
    fx = await metricsFixture(scenario());
  });
  afterAll(() => fx?.close());

  it('measures load and speed per reviewer and flags the rubber stamp', async () => {
    const { groups } = await fx.compute(reviewersFamily);
    const by = Object.fromEntries(groups.map((g) => [g.key.reviewer as string, g.metrics as any]));
    expect(Object.keys(by).sort()).toEqual(['rev-fast', 'rev-slow', 'rev-untimed']);

    expect(by['rev-fast']).toMatchObject({ decisions: 20, active_hours: 1, decisions_per_active_hour: 20 });
    expect(by['rev-fast'].approve_rate.value).toBe(1);
    expect(by['rev-fast'].seconds_per_decision).toEqual({ timed: 20, mean: 30, p50: 30, p90: 30 });
    expect(by['rev-fast'].rubber_stamp.flagged).toBe(true);
    expect(by['rev-fast'].rubber_stamp.lanes).toEqual(['human_review']);
    expect(by['rev-fast'].rubber_stamp.by_lane[0]).toMatchObject({ lane: 'human_review', seconds_p50: 30, lane_seconds_p50: 600 });

    expect(by['rev-slow']).toMatchObject({ decisions: 30, active_hours: 6, decisions_per_active_hour: 5 });
    expect(by['rev-slow'].approve_rate.value).toBeCloseTo(0.8, 12);
    expect(by['rev-slow'].seconds_per_decision).toEqual({ timed: 30, mean: 600, p50: 600, p90: 600 });
    expect(by['rev-slow'].rubber_stamp.flagged).toBe(false);

    expect(by['rev-untimed'].seconds_per_decision).toEqual({ timed: 0, mean: null, p50: null, p90: null });
    expect(by['rev-untimed'].rubber_stamp.flagged).toBe(false);
  });

  it('respects thresholds from configuration', async () => {
    // demanding 21 decisions before judging clears rev-fast, who has 20
    const config = { schedule: { intervalSeconds: 60, timeoutSeconds: 120 }, reviewers: { rubberStamp: { minDecisions: 21, minApproveRate: 0.98, maxSpeedRatio: 0.25 } } };
    const { groups } = await fx.compute(reviewersFamily, {}, { config: config as any });
    expect(groups.find((g) => g.key.reviewer === 'rev-fast')!.metrics).toMatchObject({ rubber_stamp: { flagged: false } });
  });

  it('cuts by tier and by day bucket', async () => {
    const byTier = await fx.compute(reviewersFamily, { group_by: 'tier' });
    expect(byTier.groups.map((g) => [g.key, (g.metrics as any).decisions])).toEqual([
      [{ reviewer: 'rev-fast', tier: 1 }, 20],
      [{ reviewer: 'rev-slow', tier: 2 }, 30],
      [{ reviewer: 'rev-untimed', tier: 3 }, 1],
    ]);
    const filtered = await fx.compute(reviewersFamily, { reviewer: 'rev-slow', from: '2026-11-23T12:00:00Z', to: '2026-11-23T14:00:00Z', bucket: 'hour' });
    // decisions at 12:00 … 13:50 → j = 11..22: six in the 12:00 hour, six in the 13:00 hour
    expect(filtered.groups.map((g) => [g.key.bucket, (g.metrics as any).decisions])).toEqual([
      ['2026-11-23T12:00:00.000Z', 6],
      ['2026-11-23T13:00:00.000Z', 6],
    ]);
  });
});
