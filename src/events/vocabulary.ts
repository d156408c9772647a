// The HITL playbook's words, exactly as reviewers and governance teams use them.
// Every other module imports these lists instead of spelling the strings again.

export const EVENT_TYPES = [
  'case.created',
  'case.triaged',
  'review.assigned',
  'review.acknowledged',
  'review.decided',
  'case.escalated',
  'case.reopened',
  'case.closed',
  'audit.completed',
  'line.stopped',
  'line.resumed',
  'incident.reported',
  'sampling.changed',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** Event types that are about a workflow or the organisation, not one case. */
export const CASELESS_TYPES: ReadonlySet<EventType> = new Set([
  'line.stopped',
  'line.resumed',
  'incident.reported',
  'sampling.changed',
]);

/**
 * QA sampling states of a workflow, after the switching rules of ANSI/ASQ Z1.4 and ISO 2859-1
 * (docs/sampling.md): normal inspection, tightened after defects or drift, reduced after a long
 * clean run.
 */
export const SAMPLING_STATES = ['normal', 'tightened', 'reduced'] as const;
export type SamplingState = (typeof SAMPLING_STATES)[number];

/** Why a workflow's sampling changed (the `cause` of a sampling.changed event). */
export const SAMPLING_CAUSES = ['drift', 'audit_defects', 'clean_run', 'long_clean_run', 'manual_override', 'override_expired'] as const;
export type SamplingCause = (typeof SAMPLING_CAUSES)[number];

export const ACTOR_ROLES = ['triager', 'verifier', 'approver', 'specialist', 'auditor', 'system'] as const;
export type ActorRole = (typeof ACTOR_ROLES)[number];

/** Triage lanes (playbook §2, step 1, and the comparison table). */
export const LANES = [
  'auto_approve',
  'human_review',
  'specialist_review',
  'dual_review',
  'approval',
  'stop_the_line',
  'reject',
] as const;
export type Lane = (typeof LANES)[number];

/** Service tiers: 1 informational, 2 customer-facing but reversible, 3 irreversible or regulated. */
export const TIERS = [1, 2, 3] as const;
export type Tier = (typeof TIERS)[number];

/** Escalation levels (the playbook's matrix): 1 standard reviewer, 2 specialist (policy, security, domain), 3 manager or approver (irreversible decisions). */
export const LEVELS = [1, 2, 3] as const;

export const DECISIONS = ['approve', 'override', 'reject', 'escalate'] as const;
export type Decision = (typeof DECISIONS)[number];

export const ESCALATION_TRIGGERS = [
  'low_confidence',
  'policy',
  'missing_context',
  'conflicting_signals',
  'high_impact',
  'sla_timeout',
  'manual',
] as const;
export type EscalationTrigger = (typeof ESCALATION_TRIGGERS)[number];

export const OUTCOMES = ['executed', 'approved', 'rejected', 'cancelled'] as const;
export const VERDICTS = ['correct', 'incorrect'] as const;
export const SEVERITIES = ['sev1', 'sev2', 'sev3', 'sev4'] as const;
export const GATE_CHECK_RESULTS = ['pass', 'fail', 'na'] as const;
export type GateCheckResult = (typeof GATE_CHECK_RESULTS)[number];

/**
 * The documented reason-code taxonomy. A deployment extends it in configuration
 * (`reasonCodes.extra`); codes outside the combined list are rejected so that
 * dashboards never split one reason across spellings.
 */
export const DEFAULT_REASON_CODES = [
  'wrong_category',
  'insufficient_evidence',
  'policy_violation',
  'needs_specialist',
  'factual_error',
  'tone',
  'sensitive_data',
  'missing_context',
  'other',
] as const;

/**
 * Risk signals named by the playbook. The field accepts other strings too (teams add
 * their own), but these are the ones the control checks look for.
 */
export const RISK_SIGNALS = ['pii', 'phi', 'access_change', 'financial', 'legal', 'external_comm'] as const;
/** Signals that must never reach auto_approve (a silent-exception control). */
export const HIGH_RISK_SIGNALS = ['pii', 'phi', 'access_change', 'financial', 'legal'] as const;
