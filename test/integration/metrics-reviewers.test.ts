import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reviewersFamily } from '../../src/metrics/families/reviewers.js';
import { caseScript, metricsFixture, type MetricsFixture } from '../helpers/metrics.js';
import { forEachStore } from '../helpers/stores.js';

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

forEachStore((kind) => describe('reviewer load and rubber-stamping', () => {
  let fx: MetricsFixture;
  beforeAll(async () => {
    fx = await metricsFixture(scenario(), kind);
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
}));

// Two workflows, each with its own lane speeds (issue 11: lanes and medians were global).
// it_support, human_review: rev-it 20 approvals at 60 s, rev-it2 20 at 80 s → lane median over
//   40 values (R-7: mean of the 20th and 21st) = 70 s; rev-it's 60 s is not ≤ 0.25 × 70.
// finance_adjustments, human_review: rev-fin 60 decisions at 3600 s; approval: rev-it 2 at 120 s.
// Over both workflows the human_review median would be 3600 s (100 values, the 50th and 51st)
// and rev-it, at 60 ≤ 900 with 20/20 approvals, would look like a rubber stamp.
function twoWorkflows() {
  const events: Record<string, unknown>[] = [];
  const day = Date.UTC(2026, 10, 23, 8);
  const decision = (id: string, workflow: string, lane: string, actor: string, at: number, seconds: number, approve = true) => {
    const s = caseScript(id, day + at * 60_000)
      .add(0, 'case.created', { workflow, tier: 1, model_label: 'ok' })
      .add(0, 'case.triaged', { lane })
      .add(0, 'review.acknowledged', { actor_id: actor })
      .add(seconds / 60, 'review.decided', approve ? { actor_id: actor, decision: 'approve' } : { actor_id: actor, decision: 'override', final_label: 'no', reason_code: 'wrong_category' });
    events.push(...s.events);
  };
  for (let i = 0; i < 20; i++) decision(`it-a-${i}`, 'it_support', 'human_review', 'rev-it', i * 3, 60);
  for (let i = 0; i < 20; i++) decision(`it-b-${i}`, 'it_support', 'human_review', 'rev-it2', i * 3, 80);
  for (let i = 0; i < 60; i++) decision(`fin-${i}`, 'finance_adjustments', 'human_review', 'rev-fin', i * 61, 3600, i % 2 === 0);
  for (let i = 0; i < 2; i++) decision(`fin-appr-${i}`, 'finance_adjustments', 'approval', 'rev-it', 200 + i * 5, 120);
  return events;
}

forEachStore((kind) =>
  describe('rubber-stamp check within the cut', () => {
    let fx: MetricsFixture;
    beforeAll(async () => {
      fx = await metricsFixture(twoWorkflows(), kind);
    });
    afterAll(() => fx?.close());

    it("grouped by workflow, lists only the group's lanes and compares with the group's lane medians", async () => {
      const { groups } = await fx.compute(reviewersFamily, { group_by: 'workflow' });
      const at = (reviewer: string, workflow: string) => groups.find((g) => g.key.reviewer === reviewer && g.key.workflow === workflow)!.metrics as any;
      const it = at('rev-it', 'it_support');
      expect(it.decisions).toBe(20);
      expect(it.rubber_stamp).toEqual({
        flagged: false,
        lanes: [],
        by_lane: [{ lane: 'human_review', decisions: 20, approve_rate: 1, seconds_p50: 60, lane_seconds_p50: 70 }],
      });
      expect(at('rev-it', 'finance_adjustments').rubber_stamp.by_lane).toEqual([{ lane: 'approval', decisions: 2, approve_rate: 1, seconds_p50: 120, lane_seconds_p50: 120 }]);
      expect(at('rev-fin', 'finance_adjustments').rubber_stamp.by_lane).toEqual([{ lane: 'human_review', decisions: 60, approve_rate: 0.5, seconds_p50: 3600, lane_seconds_p50: 3600 }]);
      // a lane filter keeps the other lanes out of by_lane too
      const filtered = await fx.compute(reviewersFamily, { lane: 'human_review', reviewer: 'rev-it' });
      expect((filtered.groups[0].metrics as any).rubber_stamp.by_lane.map((l: { lane: string }) => l.lane)).toEqual(['human_review']);
    });

    it('without a workflow dimension the lanes span the workflows, as the cut does', async () => {
      const { groups } = await fx.compute(reviewersFamily, { reviewer: 'rev-it' });
      const m = groups[0].metrics as any;
      expect(m.rubber_stamp.by_lane).toEqual([
        { lane: 'approval', decisions: 2, approve_rate: 1, seconds_p50: 120, lane_seconds_p50: 120 },
        { lane: 'human_review', decisions: 20, approve_rate: 1, seconds_p50: 60, lane_seconds_p50: 3600 },
      ]);
      expect(m.rubber_stamp).toMatchObject({ flagged: true, lanes: ['human_review'] });
    });
  }),
);
