import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { qualityFamily, type QualityMetrics } from '../../src/metrics/families/quality.js';
import { caseScript, metricsFixture, type MetricsFixture } from '../helpers/metrics.js';
import { forEachStore } from '../helpers/stores.js';

// False accepts, Horvitz-Thompson weighted: a 5% QA sample of auto-approved work (w = 20) and
// a census audit of human approvals (w = 1) combined, next to look-alike cases that must not
// count. Expected values are worked out by hand in the comments.
const metricsOf = (g: { metrics: unknown }) => g.metrics as QualityMetrics;

function scenario() {
  const events: Record<string, unknown>[] = [];
  const created = (id: string) => caseScript(id).add(0, 'case.created', { workflow: 'qa', tier: 1, model_label: 'x' });
  const audit = (verdict: string, extra: Record<string, unknown> = {}) => ({ actor_id: 'aud1', verdict, ...extra });
  const push = (...scripts: { events: Record<string, unknown>[] }[]) => scripts.forEach((s) => events.push(...s.events));

  // A00-A39: auto-approved, picked by triage QA at 5%, audited; A00 and A01 incorrect. Even ones
  // carry the rate on the audit, odd ones only on the triage event (sampled): both w = 20
  for (let i = 0; i < 40; i++) {
    push(
      created(`A${String(i).padStart(2, '0')}`)
        .add(1, 'case.triaged', { lane: 'auto_approve', sampled: true, sampling_rate: 0.05 })
        .add(2, 'case.closed', { outcome: 'executed' })
        .add(600, 'audit.completed', audit(i < 2 ? 'incorrect' : 'correct', i % 2 === 0 ? { sampling_rate: 0.05 } : {})),
    );
  }
  // U0-U2: auto-approved, not picked: accepted, no audit
  for (let i = 0; i < 3; i++) {
    push(created(`U${i}`).add(1, 'case.triaged', { lane: 'auto_approve', sampled: false, sampling_rate: 0.05 }).add(2, 'case.closed', { outcome: 'executed' }));
  }
  // H0-H9: human approvals, every one audited; H0 incorrect. Triage carries the auto-QA rate in
  // force (0.05, sampled false), which says nothing about these audits: w = 1, with the audit's
  // rate of 1 (H0-H4) or without a rate (H5-H9)
  const human = (id: string, lane = 'human_review') =>
    created(id).add(1, 'case.triaged', { lane, sampled: false, sampling_rate: 0.05 })
      .add(5, 'review.decided', { actor_id: 'r1', decision: 'approve' }).add(6, 'case.closed', { outcome: 'executed' });
  for (let i = 0; i < 10; i++) {
    const h = human(`H${i}`).add(600, 'audit.completed', audit(i === 0 ? 'incorrect' : 'correct', i < 5 ? { sampling_rate: 1 } : {}));
    // H1 was re-audited: incorrect at 600, correct at 700, arriving newest first. The latest by ts stands
    if (i === 1) h.add(700, 'audit.completed', audit('correct', { sampling_rate: 1 })).events.reverse();
    push(h);
  }
  // H10: approved at 5, but the only audit (incorrect) is stamped at 3: it judged something else
  push(created('H10').add(1, 'case.triaged', { lane: 'human_review' }).add(3, 'audit.completed', audit('incorrect'))
    .add(5, 'review.decided', { actor_id: 'r1', decision: 'approve' }));
  // H11: an approver's approval, never audited: its lane alone has accepted work and no audit
  push(human('H11', 'approval'));
  // not accepted, though audited incorrect: a human override (N1), an auto-approval reopened and
  // overridden by a human (N2), the reject lane (N3), an auto-approved case cancelled (N4)
  const bad = audit('incorrect', { sampling_rate: 1 });
  push(
    created('N1').add(1, 'case.triaged', { lane: 'human_review' })
      .add(5, 'review.decided', { actor_id: 'r1', decision: 'override', final_label: 'y', reason_code: 'other' }).add(600, 'audit.completed', bad),
    created('N2').add(1, 'case.triaged', { lane: 'auto_approve' }).add(2, 'case.closed', { outcome: 'executed' }).add(30, 'case.reopened')
      .add(40, 'review.decided', { actor_id: 'r1', decision: 'override', final_label: 'y', reason_code: 'other' }).add(600, 'audit.completed', bad),
    created('N3').add(1, 'case.triaged', { lane: 'reject' }).add(2, 'case.closed', { outcome: 'rejected' }).add(600, 'audit.completed', bad),
    created('N4').add(1, 'case.triaged', { lane: 'auto_approve' }).add(2, 'case.closed', { outcome: 'cancelled' }).add(600, 'audit.completed', bad),
  );
  return events;
}

/** Wilson 95% written out independently of src/metrics/stats: the Kish-n_eff interval. */
function wilson(p: number, n: number): [number, number] {
  const z = 1.959963984540054;
  const den = 1 + (z * z) / n;
  const centre = (p + (z * z) / (2 * n)) / den;
  const half = (z / den) * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n));
  return [centre - half, centre + half];
}

forEachStore((kind) => {
  describe('quality: false-accept rate', () => {
    let fx: MetricsFixture;
    beforeAll(async () => {
      fx = await metricsFixture(scenario(), kind);
    });
    afterAll(() => fx?.close());

    it('combines a 5% sample and a census audit by 1/sampling_rate weights', async () => {
      const r = await fx.compute(qualityFamily);
      const fa = metricsOf(r.groups[0]).false_accept_rate;
      // accepted: A×40 + U×3 + H0-H9 + H10 + H11 = 55; audited: A×40 + H0-H9 = 50; incorrect: A00 A01 H0 = 3
      // Σw = 40·20 + 10·1 = 810; Σw·y = 2·20 + 1·1 = 41; Σw² = 40·400 + 10·1 = 16010
      expect(fa).toMatchObject({ accepted: 55, audits: 50, incorrect: 3, weighted_n: 810, weighted_incorrect: 41 });
      // Hájek: 41/810 = 0.050617 (unweighted 3/50 = 0.06; weighting the human audits by the
      // triage 0.05 too would give (40+20)/(800+200) = 0.06 as well)
      expect(fa.value).toBeCloseTo(41 / 810, 12);
      expect(fa.value).toBeCloseTo(0.050617, 6);
      // Kish: n_eff = 810²/16010 = 656100/16010 = 40.9806
      expect(fa.n_eff).toBeCloseTo(40.9806, 4);
      // Wilson at p = .050617, n = 40.9806: z²/n = .093738, centre = (.050617 + .046869)/1.093738 = .089131,
      // half = 1.96·√(.0011726 + .0005718)/1.093738 = .074846 → [.014286, .163977]
      expect(fa.lower).toBeCloseTo(0.014286, 6);
      expect(fa.upper).toBeCloseTo(0.163977, 6);
      const [lo, hi] = wilson(41 / 810, 656100 / 16010);
      expect(fa.lower).toBeCloseTo(lo, 10);
      expect(fa.upper).toBeCloseTo(hi, 10);
      expect(fa.lower!).toBeGreaterThan(0);
      expect(fa.lower!).toBeLessThan(fa.value!);
      expect(fa.upper!).toBeGreaterThan(fa.value!);
    });

    it('splits by lane; a group with accepted work and no audit is null, not 0', async () => {
      const r = await fx.compute(qualityFamily, { group_by: 'lane' });
      const byLane = Object.fromEntries(r.groups.map((g) => [g.key.lane as string, metricsOf(g).false_accept_rate]));
      // H11 alone: accepted, not audited
      expect(byLane.approval).toEqual({ value: null, lower: null, upper: null, accepted: 1, audits: 0, incorrect: 0, weighted_n: 0, weighted_incorrect: 0, n_eff: 0 });
      // A×40 + U×3 accepted (N2 N4 are not); 2·20 / 40·20 = 0.05; n_eff = 800²/(40·400) = 40
      expect(byLane.auto_approve).toMatchObject({ accepted: 43, audits: 40, incorrect: 2, value: 0.05, weighted_n: 800 });
      expect(byLane.auto_approve.n_eff).toBeCloseTo(40, 10);
      // H0-H10 accepted; H0-H9 audited, H0 incorrect: 1/10, n_eff = 10
      expect(byLane.human_review).toMatchObject({ accepted: 11, audits: 10, incorrect: 1, value: 0.1, weighted_n: 10, n_eff: 10 });
      // N3's lane has cases but nothing accepted
      expect(byLane.reject).toMatchObject({ value: null, accepted: 0, audits: 0 });
    });

    it('cuts by the final reviewer: auto-approved work has none', async () => {
      const r = await fx.compute(qualityFamily, { group_by: 'reviewer' });
      const byReviewer = Object.fromEntries(r.groups.map((g) => [String(g.key.reviewer), metricsOf(g).false_accept_rate]));
      // r1 approved H0-H11 (and overrode N1 N2): accepted 12, audited 10
      expect(byReviewer.r1).toMatchObject({ accepted: 12, audits: 10, incorrect: 1, value: 0.1 });
      expect(byReviewer.null).toMatchObject({ accepted: 43, audits: 40, value: 0.05 });
    });
  });
});
