import type { EscalationTrigger, GateCheckResult } from '../events/vocabulary.js';
import { judge, type Judgment, type Reviewer } from './reviewers.js';
import { HOUR, MINUTE, SECOND, type CaseScript } from './script.js';

/** Playbook §3: acknowledge within 15 minutes, complete a standard review within 4 hours. */
export const DECISION_SLA = 4 * HOUR;

export const CANCELLED = 'cancelled';
export const TIMED_OUT = 'timed_out';
export type ReviewResult = Judgment | typeof CANCELLED | typeof TIMED_OUT;

const ROLE_AT_LEVEL = ['', 'verifier', 'approver', 'specialist'] as const;
/** Requests withdrawn while waiting in a queue. */
const CANCEL_RATE = 0.004;
/** Overrides recorded without a reason code (a control violation). */
const OVERRIDE_WITHOUT_REASON_RATE = 0.004;
/** Approvals recorded although a gate check failed (a control violation). */
const APPROVE_FAILED_GATE_RATE = 0.0015;

const GATE_CHECKS = ['evidence_attached', 'policy_version_matched', 'no_prohibited_content', 'entity_match_verified', 'action_safe'] as const;
type GateCheck = (typeof GATE_CHECKS)[number];
// the check a reviewer marks as failed follows from why they did not approve
const FAILED_CHECK: Record<string, GateCheck> = {
  wrong_category: 'entity_match_verified',
  factual_error: 'entity_match_verified',
  insufficient_evidence: 'evidence_attached',
  missing_context: 'evidence_attached',
  policy_violation: 'policy_version_matched',
  sensitive_data: 'no_prohibited_content',
  tone: 'no_prohibited_content',
  needs_specialist: 'action_safe',
  other: 'action_safe',
};
const QUEUES = ['emea', 'amer', 'apac'] as const;

function gate(s: CaseScript, j: Judgment): { id: string; checks: Record<GateCheck, GateCheckResult> } {
  // tier 1 outputs trigger no downstream action, so those checks do not apply
  const applies: GateCheckResult = s.tier === 1 ? 'na' : 'pass';
  const checks: Record<GateCheck, GateCheckResult> = {
    evidence_attached: 'pass',
    policy_version_matched: 'pass',
    no_prohibited_content: 'pass',
    entity_match_verified: applies,
    action_safe: applies,
  };
  if (j.decision !== 'approve') checks[FAILED_CHECK[j.reason ?? 'other'] ?? 'action_safe'] = 'fail';
  else if (s.rng.chance(APPROVE_FAILED_GATE_RATE)) checks[s.rng.pick(GATE_CHECKS)] = 'fail';
  return { id: `gate-${s.wf.short}-t${s.tier}`, checks };
}

/**
 * One review: assigned, acknowledged, decided. Returns the judgment, or CANCELLED when the
 * request was withdrawn in the queue, or TIMED_OUT when the decision SLA ran out first and
 * the case must be escalated (only when `canEscalate`).
 */
export function review(s: CaseScript, level: number, reviewer: Reviewer, shown: string, canEscalate: boolean): ReviewResult {
  const rng = s.rng;
  const role = ROLE_AT_LEVEL[level];
  const assigned = s.t + rng.lognormal(level === 1 ? 45 * SECOND : 90 * SECOND, 1);
  const ev = s.head('review.assigned');
  ev.actor_id = reviewer.id;
  ev.actor_role = role;
  ev.level = level;
  s.add(assigned, ev);
  if (rng.chance(CANCEL_RATE)) {
    s.t += rng.lognormal(25 * MINUTE, 1);
    return CANCELLED;
  }
  // lognormal tails put several percent of acknowledgements past the 15-minute SLA
  const ackDelay = rng.lognormal(reviewer.rubberStamp ? 1.5 * MINUTE : level === 3 ? 6 * MINUTE : 4 * MINUTE, 0.9);
  const ack = s.head('review.acknowledged');
  ack.actor_id = reviewer.id;
  ack.actor_role = role;
  ack.level = level;
  s.add(s.t + ackDelay, ack);
  // after drift the override spike lengthens queues, and every review takes longer
  const work = rng.lognormal(reviewer.medianMinutes * MINUTE * (s.drifted ? 1.4 : 1), 0.9);
  if (canEscalate && level < 3 && ackDelay + work > DECISION_SLA && rng.chance(0.5)) {
    s.t = Math.max(s.t, assigned + DECISION_SLA);
    return TIMED_OUT;
  }
  const j = judge(rng, reviewer, s, shown, canEscalate && level < 3);
  const decided = s.head('review.decided');
  decided.actor_id = reviewer.id;
  decided.actor_role = role;
  decided.policy_version = s.wf.policyVersion;
  decided.level = level;
  decided.decision = j.decision;
  if (j.label !== undefined) decided.final_label = j.label;
  if (j.reason !== undefined && !(j.decision === 'override' && rng.chance(OVERRIDE_WITHOUT_REASON_RATE))) {
    decided.reason_code = j.reason;
  }
  if (j.decision === 'override' && s.wf.name === 'support_drafting') {
    decided.final_output = s.wf.output(s.wf.actions[j.label!], j.label!);
  }
  // some first-level tier-1 reviews skip the checklist; every higher-stakes review has one
  if (s.tier > 1 || level > 1 || rng.chance(0.85)) decided.gate = gate(s, j);
  if (rng.chance(0.03)) decided.attrs = { queue: rng.pick(QUEUES), review_ui: 'console-3.2' };
  s.add(s.defer(s.t + work), decided);
  return j;
}

/** A case.escalated from `from` to the next level, a few seconds after the cursor. */
export function escalate(s: CaseScript, from: number, trigger: EscalationTrigger, reason: string | undefined, actor: Reviewer | null): void {
  const ev = s.head('case.escalated');
  ev.actor_id = actor ? actor.id : 'sys-sla-monitor';
  ev.actor_role = actor ? ROLE_AT_LEVEL[from] : 'system';
  ev.from_level = from;
  ev.to_level = from + 1;
  ev.trigger = trigger;
  if (reason !== undefined) ev.reason_code = reason;
  s.after(s.rng.uniform(2, 30) * SECOND, ev);
}

/**
 * Reviews from `level` up: each escalation (a reviewer's or an SLA timeout) moves the case
 * one level higher, until someone decides or the request is withdrawn.
 */
export function chain(s: CaseScript, level: number, shown: string): Judgment | typeof CANCELLED {
  for (;;) {
    const reviewer = s.pickReviewer(level);
    const r = review(s, level, reviewer, shown, level < 3);
    if (r === CANCELLED) return r;
    if (r === TIMED_OUT) {
      escalate(s, level, 'sla_timeout', undefined, null);
    } else if (r.decision === 'escalate') {
      escalate(s, level, r.trigger ?? 'manual', r.reason, reviewer);
    } else {
      return r;
    }
    level++;
  }
}
