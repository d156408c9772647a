import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { controlsFamily } from '../../src/metrics/families/controls.js';
import { caseScript, metricsFixture, type MetricsFixture } from '../helpers/metrics.js';
import { forEachStore } from '../helpers/stores.js';

// One case per control that breaks exactly that control, next to look-alike cases that
// respect it; every expected id below is read off the scenario, not off the code.
function scenario() {
  const events: Record<string, unknown>[] = [];
  const created = (id: string, fields: Record<string, unknown> = {}) =>
    caseScript(id).add(0, 'case.created', { workflow: 'it_access_requests', tier: 2, model_label: 'grant', ...fields });

  // 1. pii went to auto_approve (violation) vs. external_comm to auto_approve (fine)
  const a = created('risky-auto', { risk_signals: ['pii'] }).add(1, 'case.triaged', { lane: 'auto_approve' });
  const a2 = created('benign-auto', { risk_signals: ['external_comm'] }).add(1, 'case.triaged', { lane: 'auto_approve' });
  // 2. tier-3 executed with only a verifier's approval (violation) vs. an approver's (fine)
  const b = created('t3-no-approver', { tier: 3 })
    .add(1, 'case.triaged', { lane: 'human_review' })
    .add(5, 'review.decided', { actor_id: 'v1', actor_role: 'verifier', decision: 'approve' })
    .add(6, 'case.closed', { outcome: 'executed' });
  const b2 = created('approval-ok')
    .add(1, 'case.triaged', { lane: 'approval' })
    .add(5, 'review.decided', { actor_id: 'ap1', actor_role: 'approver', decision: 'approve' })
    .add(6, 'case.closed', { outcome: 'executed' });
  // 3. dual review done twice by the same person (violation) vs. two people (fine)
  const c = created('dual-same')
    .add(1, 'case.triaged', { lane: 'dual_review' })
    .add(5, 'review.decided', { actor_id: 'r1', decision: 'approve' })
    .add(9, 'review.decided', { actor_id: 'r1', decision: 'approve' })
    .add(10, 'case.closed', { outcome: 'approved' });
  const c2 = created('dual-ok')
    .add(1, 'case.triaged', { lane: 'dual_review' })
    .add(5, 'review.decided', { actor_id: 'r1', decision: 'approve' })
    .add(9, 'review.decided', { actor_id: 'r2', decision: 'approve' })
    .add(10, 'case.closed', { outcome: 'approved' });
  // 4. approved by the requester who created it
  const d = created('self-approved', { actor_id: 'alice' })
    .add(1, 'case.triaged', { lane: 'human_review' })
    .add(5, 'review.decided', { actor_id: 'alice', decision: 'approve' });
  // 5. override without a reason code (violation) vs. with one (fine)
  const e = created('override-no-reason')
    .add(1, 'case.triaged', { lane: 'human_review' })
    .add(5, 'review.decided', { actor_id: 'r3', decision: 'override', final_label: 'deny' });
  const e2 = created('override-reason')
    .add(1, 'case.triaged', { lane: 'human_review' })
    .add(5, 'review.decided', { actor_id: 'r3', decision: 'override', final_label: 'deny', reason_code: 'policy_violation' });
  // 6. approved through a gate with a failing item (violation) vs. a rejected failing gate (fine)
  const f = created('gate-fail-approved')
    .add(1, 'case.triaged', { lane: 'human_review' })
    .add(5, 'review.decided', { actor_id: 'r4', decision: 'approve', gate: { id: 'g', checks: { evidence_attached: 'fail', action_safe: 'pass' } } });
  const f2 = created('gate-fail-rejected')
    .add(1, 'case.triaged', { lane: 'human_review' })
    .add(5, 'review.decided', { actor_id: 'r4', decision: 'reject', gate: { id: 'g', checks: { evidence_attached: 'fail' } } });
  // 7. decided while the line was stopped (minutes 20-40 on it_access_requests), vs. after resume,
  //    vs. in another workflow during the stop
  const base = Date.UTC(2026, 10, 23, 9);
  const at = (m: number) => new Date(base + m * 60_000).toISOString();
  events.push(
    { event_id: 'stop-1', type: 'line.stopped', ts: at(20), workflow: 'it_access_requests', trigger: 'incident' },
    { event_id: 'resume-1', type: 'line.resumed', ts: at(40), workflow: 'it_access_requests' },
  );
  const g = created('during-stop').add(1, 'case.triaged', { lane: 'human_review' }).add(30, 'review.decided', { actor_id: 'r5', decision: 'approve' });
  const g2 = created('after-resume').add(1, 'case.triaged', { lane: 'human_review' }).add(40, 'review.decided', { actor_id: 'r5', decision: 'approve' });
  const g3 = caseScript('other-workflow')
    .add(0, 'case.created', { workflow: 'support_drafting', tier: 1 })
    .add(1, 'case.triaged', { lane: 'human_review' })
    .add(30, 'review.decided', { actor_id: 'r6', decision: 'approve' });
  for (const s of [a, a2, b, b2, c, c2, d, e, e2, f, f2, g, g2, g3]) events.push(...s.events);
  return events;
}

forEachStore((kind) => {
  describe('control violations', () => {
    let fx: MetricsFixture;
    beforeAll(async () => {
      fx = await metricsFixture(scenario(), kind);
    });
    afterAll(() => fx?.close());

    it('lists exactly the offending case of each control', async () => {
      const result = await fx.compute(controlsFamily);
      const details = result.details as any;
      const ids = Object.fromEntries(Object.entries(details.by_control).map(([k, v]: any) => [k, v.case_ids]));
      expect(ids).toEqual({
        high_risk_auto_approved: ['risky-auto'],
        executed_without_approver: ['t3-no-approver'],
        dual_review_single_reviewer: ['dual-same'],
        approved_by_creator: ['self-approved'],
        override_without_reason: ['override-no-reason'],
        gate_passed_with_failing_check: ['gate-fail-approved'],
        decided_while_line_stopped: ['during-stop'],
      });
      expect(details.total).toBe(7);
      expect(result.groups).toEqual([{ key: {}, metrics: { violations: 7, by_control: expect.objectContaining({ approved_by_creator: 1 }) } }]);
    });

    it('counts per group and honours filters', async () => {
      const byWorkflow = await fx.compute(controlsFamily, { group_by: 'workflow,tier' });
      expect(byWorkflow.groups.map((g) => [g.key, (g.metrics as any).violations])).toEqual([
        [{ workflow: 'it_access_requests', tier: 2 }, 6],
        [{ workflow: 'it_access_requests', tier: 3 }, 1],
      ]);
      const filtered = await fx.compute(controlsFamily, { tier: 3 });
      expect((filtered.details as any).total).toBe(1);
      const none = await fx.compute(controlsFamily, { workflow: 'support_drafting' });
      expect(none.groups).toEqual([]);
      expect((none.details as any).total).toBe(0);
    });
  });

  describe('decided while the line was stopped: long and open-ended stops', () => {
    // finance_adjustments: stopped 08:50, resumed 11:10, a window over four clock hours;
    // support_drafting: stopped at 14:30 and never resumed. Decisions on either side of each edge.
    const base = Date.UTC(2026, 10, 23, 0);
    const at = (h: number, m = 0) => new Date(base + (h * 60 + m) * 60_000).toISOString();
    const decided = (id: string, workflow: string, ts: string) => [
      { event_id: `${id}-c`, type: 'case.created', ts: at(1), case_id: id, workflow, tier: 1, model_label: 'ok' },
      { event_id: `${id}-t`, type: 'case.triaged', ts: at(1, 1), case_id: id, lane: 'human_review' },
      { event_id: `${id}-d`, type: 'review.decided', ts, case_id: id, actor_id: 'r9', decision: 'approve' },
    ];
    const events = [
      { event_id: 'stop-f', type: 'line.stopped', ts: at(8, 50), workflow: 'finance_adjustments', trigger: 'incident' },
      { event_id: 'resume-f', type: 'line.resumed', ts: at(11, 10), workflow: 'finance_adjustments' },
      { event_id: 'stop-s', type: 'line.stopped', ts: at(14, 30), workflow: 'support_drafting', trigger: 'drift' },
      ...decided('f-before', 'finance_adjustments', at(8, 49)),
      ...decided('f-at-stop', 'finance_adjustments', at(8, 50)),
      ...decided('f-middle-hour', 'finance_adjustments', at(9, 59)),
      ...decided('f-last-hour', 'finance_adjustments', at(11, 9)),
      ...decided('f-at-resume', 'finance_adjustments', at(11, 10)),
      ...decided('s-before', 'support_drafting', at(14, 29)),
      ...decided('s-days-later', 'support_drafting', at(60)),
    ];
    let fx: MetricsFixture;
    beforeAll(async () => {
      fx = await metricsFixture(events, kind);
    });
    afterAll(() => fx?.close());

    it('catches decisions in every hour of the window, from the stop up to (not at) the resume', async () => {
      const details = (await fx.compute(controlsFamily)).details as any;
      expect(details.by_control.decided_while_line_stopped.case_ids).toEqual(['f-at-stop', 'f-last-hour', 'f-middle-hour', 's-days-later']);
    });
  });
});
