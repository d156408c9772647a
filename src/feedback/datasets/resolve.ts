import type { DatasetCaseRow, DatasetDecisionEntry } from '../../store/query-rows.js';
import type { DatasetDecision } from './options.js';

/**
 * How the human judgments of one case become one answer (docs/datasets.md#disagreement), after
 * Argilla's "disagreement" strategy: an adjudication decides; without one, a strict majority of
 * the reviewers does; otherwise the case is left out and counted.
 */
export interface Resolution {
  decision: DatasetDecision;
  /** The human-approved label: the model's when approved, the correction's when overridden, null when rejected. */
  label: string | null;
  /** The human-approved output text, when the judgment carries one (an approval keeps the model's). */
  output: string | null;
  reasonCode: string | null;
  /** Who made the deciding judgment (a reviewer or the auditor) and in what role. */
  reviewerId: string | null;
  reviewerRole: string | null;
  policyVersion: string | null;
  /** adjudication: a higher level's or an auditor's judgment decided; majority: more than half of the reviewers. */
  rule: 'adjudication' | 'majority';
  /** Every human judgment of the case says the same. */
  agreed: boolean;
  /** Reviewers whose latest decision counted. */
  votes: number;
  /** The events the answer came from: the deciding ones (decisions of the winning side, the audit). */
  eventIds: string[];
}

export type ResolutionFailure = 'disagreement' | 'audit_without_label' | 'not_judged';

interface Vote {
  eventId: string;
  actor: string;
  role: string;
  level: number;
  decision: DatasetDecision;
  label: string | null;
  output: string | null;
  reason: string | null;
  policy: string | null;
}

const orNull = (s: string | undefined | null): string | null => (s === undefined || s === null || s === '' ? null : s);

/** Each reviewer's latest settled decision (the entries are in event-time order). */
function votesOf(row: DatasetCaseRow): Vote[] {
  const byActor = new Map<string, Vote>();
  for (const [eventId, actor, role, level, d, label, output, reason, policy] of JSON.parse(row.decisions) as DatasetDecisionEntry[]) {
    const decision = d as DatasetDecision;
    // an approval keeps the model's answer unless the reviewer restated it
    const approve = decision === 'approve';
    const vote: Vote = {
      eventId,
      actor,
      role,
      level,
      decision,
      label: orNull(label) ?? (approve ? row.model_label : null),
      output: orNull(output) ?? (approve ? row.model_output : null),
      reason: orNull(reason),
      policy: orNull(policy),
    };
    byActor.delete(vote.actor);
    byActor.set(vote.actor, vote);
  }
  return [...byActor.values()];
}

const voteKey = (v: Vote) => JSON.stringify([v.decision, v.label, v.output]);

function fromVote(v: Vote, rule: Resolution['rule'], agreed: boolean, votes: number, eventIds: string[]): Resolution {
  return {
    decision: v.decision,
    label: v.label,
    output: v.output,
    reasonCode: v.reason,
    reviewerId: v.actor || null,
    reviewerRole: v.role || null,
    policyVersion: v.policy,
    rule,
    agreed,
    votes,
    eventIds,
  };
}

/** The reviewers' answer: the highest level's latest decision when levels differ, else a strict majority. */
function reviewersAnswer(votes: Vote[]): Resolution | 'disagreement' | null {
  if (votes.length === 0) return null;
  const agreed = new Set(votes.map(voteKey)).size === 1;
  const levels = votes.map((v) => v.level);
  const top = Math.max(...levels);
  if (top > Math.min(...levels)) {
    const adjudicator = votes.filter((v) => v.level === top).at(-1)!;
    return fromVote(adjudicator, 'adjudication', agreed, votes.length, [adjudicator.eventId]);
  }
  const groups = new Map<string, Vote[]>();
  for (const v of votes) groups.set(voteKey(v), [...(groups.get(voteKey(v)) ?? []), v]);
  for (const group of groups.values()) {
    if (group.length * 2 > votes.length) {
      return fromVote(group.at(-1)!, 'majority', agreed, votes.length, group.map((v) => v.eventId));
    }
  }
  return 'disagreement';
}

/**
 * The case's answer, or why it has none. An audit (the auditor reviews the executed outcome)
 * adjudicates over the reviewers: `correct` confirms the outcome, `incorrect` replaces it with
 * the auditor's correct_label; an `incorrect` verdict without a label leaves no answer.
 */
export function resolveCase(row: DatasetCaseRow): Resolution | ResolutionFailure {
  const votes = votesOf(row);
  const reviewers = reviewersAnswer(votes);
  if (!row.verdict) return reviewers ?? 'not_judged';

  const auditIds = row.audit_event_id ? [row.audit_event_id] : [];
  let label: string | null;
  if (row.verdict === 'correct') {
    // the auditor saw the executed outcome; a settled reviewers' answer is that outcome
    if (reviewers && reviewers !== 'disagreement') {
      return { ...reviewers, rule: reviewers.rule, eventIds: [...reviewers.eventIds, ...auditIds] };
    }
    label = row.closed_label ?? row.model_label;
  } else {
    label = orNull(row.correct_label);
    if (label === null) return 'audit_without_label';
  }
  if (label === null) return 'not_judged';
  const same = label === row.model_label;
  // the model's output text stands only where its label does; a reviewer's text for the same label is kept
  const reviewerText = reviewers && reviewers !== 'disagreement' && reviewers.label === label ? reviewers.output : null;
  const agreed = votes.every((v) => v.label === label && v.decision !== 'reject');
  return {
    decision: same ? 'approve' : 'override',
    label,
    output: reviewerText ?? (same ? row.model_output : null),
    reasonCode: row.verdict === 'incorrect' ? orNull(row.audit_reason) : null,
    reviewerId: row.auditor_id,
    reviewerRole: 'auditor',
    policyVersion: null,
    rule: 'adjudication',
    agreed,
    votes: votes.length,
    eventIds: auditIds,
  };
}
