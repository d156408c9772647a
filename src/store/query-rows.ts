import type { EventRow } from '../events/row.js';
/**
 * The row each query returns, as both stores hand it over (decoded in src/store/<engine>/rows.ts):
 * numbers as numbers, histograms as plain objects, lists as arrays, times as Date. Column
 * names are the SQL's; a column that may be NULL is typed `| null`.
 */

/** The named parameters of every metric query (src/metrics/cuts.ts `cutParams`). */
export type CutParams = {
  workflow: string | null;
  tier: number | null;
  lane: string | null;
  model_version: string | null;
  policy_version: string | null;
  reviewer: string | null;
  from: Date | null;
  to: Date | null;
  bucket: 'hour' | 'day' | 'week' | null;
  group_by: readonly string[];
  /** Capped dimensions: the values kept, every other one grouped as '(other)'; empty keeps all. */
  keep_workflow: readonly string[];
  keep_reviewer: readonly string[];
};

/** The `g_*` columns: a row's group under the cut (null where the cut does not group by it). */
export type GroupColumns = {
  g_workflow: string | null;
  g_tier: number | null;
  g_lane: string | null;
  g_model_version: string | null;
  g_policy_version: string | null;
  g_reviewer: string | null;
  g_bucket: Date | null;
};

type Group<K extends keyof GroupColumns = keyof GroupColumns> = Pick<GroupColumns, K>;
type NoBucket = Exclude<keyof GroupColumns, 'g_bucket'>;

export type QualityCaseRatesRow = GroupColumns & { cases: number; human_decided: number; overridden: number; closed: number; reworked: number };
export type FalseAcceptRow = GroupColumns & { accepted: number; audits: number; incorrect: number; sum_w: number | null; sum_wy: number | null; sum_w2: number | null };
/** by_level is keyed by the level as text ('1', '2', '3'). */
export type EscalationsRow = GroupColumns & { escalations: number; by_level: Record<string, number> | null; by_trigger: Record<string, number> | null };
export type EscalationPrecisionRow = GroupColumns & { escalated_cases: number; resolved: number; changed: number };
export type StopTheLineRow = Group<'g_workflow' | 'g_bucket'> & {
  stops: number;
  resumed: number;
  p50_seconds: number | null;
  p90_seconds: number | null;
  max_seconds: number | null;
};
export type IncidentsRow = GroupColumns & { incidents: number; by_severity: Record<string, number> | null };

export type OpenItemsRow = GroupColumns & {
  level: number;
  all_levels: number;
  open_items: number;
  oldest_age_seconds: number | null;
  age_quantiles: (number | null)[] | null;
};
export type TimeToRow = GroupColumns & { stage: string; n: number; seconds_quantiles: (number | null)[] | null };
/** Epoch milliseconds of the latest stop of each time_to clock; null when none stopped. */
export type LastStopRow = { acknowledge_ms: number | null; decide_ms: number | null; escalate_ms: number | null; close_ms: number | null };

export type SlaBreachesRow = GroupColumns & {
  stage: string;
  met: number;
  breached_stopped: number;
  open_breached: number;
  pending: number;
  max_overdue_seconds: number | null;
};
/** A value a capped dimension keeps, and how many distinct values the dimension has. */
export type TopValueRow = { dimension: 'workflow' | 'reviewer'; value: string; distinct_values: number };
export type EventTimeSpanRow = { min_ts: Date | null; max_ts: Date | null };

/** A UTC day holding events, as an epoch day number. */
export type EventDayRow = { day: number };

export type WorkloadRow = GroupColumns & {
  decisions: number;
  approvals: number;
  active_hours: number;
  timed: number;
  seconds_total: number | null;
  seconds_p50: number | null;
  seconds_p90: number | null;
};
export type RubberStampLaneRow = Group<NoBucket> & {
  reviewer: string;
  lane: string;
  decisions: number;
  approvals: number;
  timed: number;
  seconds_p50: number | null;
};
export type LaneMedianSpeedRow = Group<Exclude<NoBucket, 'g_reviewer'>> & { lane: string; timed: number; seconds_p50: number | null };

/** One row per aggregate of a group, told apart by `kind` (the other kinds' columns are null). */
export type RatingAggregateRow = GroupColumns & {
  kind: 'rated' | 'pattern' | 'single' | 'pairs' | 'references';
  n: number;
  pattern: { label: string; n: number }[] | null;
  label: string | null;
  reviewer_a: string | null;
  reviewer_b: string | null;
  /** A pair's table as JSON, [{a: label_a, b: label_b, n}], by n, label_a, label_b. */
  cells: string | null;
  reviewer: string | null;
  agreed: number | null;
  adjudicated: number | null;
};

export type ControlViolationRow = GroupColumns & {
  control: string;
  case_id: string;
  detected_at: Date;
  workflow: string | null;
  tier: number | null;
  lane: string | null;
  model_version: string | null;
  policy_version: string | null;
  final_reviewer: string | null;
};

export type DriftConfidenceRow = Group<NoBucket> & { value: number; n: number };
export type DriftCategoriesRow = Group<NoBucket> & { kind: string; category: string; n: number };
export type DriftRatesRow = GroupColumns & { cases: number; human_decided: number; overridden: number; escalated: number };
export type DriftFeaturesRow = Group<NoBucket> & { feature: string; kind: 'numeric' | 'categorical'; num_value: number | null; cat_value: string | null; n: number };
export type ModelVersionRow = { workflow: string; model_version: string; first_seen: Date };

export type EventCountRow = { workflow: string | null; type: string; events: number; first_ts: Date; last_ts: Date };
export type CaseStateRow = {
  case_id: string;
  workflow: string | null;
  tier: number | null;
  model_version: string | null;
  policy_version: string | null;
  confidence: number | null;
  model_label: string | null;
  risk_signals: string[] | null;
  created_at: Date | null;
  lane: string | null;
  last_decision: string | null;
  final_label: string | null;
  max_level: number | null;
  decisions: number;
  reopens: number;
  closed_at: Date | null;
  outcome: string | null;
  state: string;
  last_event_at: Date | null;
};
/** gate_checks and attrs are the JSON text they are stored as (json-columns.ts parses them for the route). */
export type CaseEventRow = Pick<
  EventRow,
  | 'event_id' | 'actor_id' | 'actor_role' | 'lane' | 'level' | 'decision' | 'final_label' | 'reason_code'
  | 'gate_id' | 'gate_checks' | 'from_level' | 'to_level' | 'trigger' | 'outcome' | 'verdict' | 'correct_label' | 'attrs'
> & {
  // the route reads the type as stored text and the times decoded as Date (rows.ts)
  type: string;
  ts: Date;
  received_at: Date;
};
export type EventIdRow = { event_id: string };

/** A rating with its leave-one-out reference label (tests only). */
export type CaseRatingRow = { case_id: string; actor_id: string; label: string; reference: string | null };

/** A sampling.changed as stored: its own fields are in the attrs JSON text (docs/sampling.md). */
export type SamplingChangeRow = { workflow: string; event_id: string; ts: Date; actor_id: string | null; actor_role: string | null; attrs: string | null };
export type AuditDefectsRow = { workflow: string; audited_cases: number; incorrect: number };
/**
 * One reviewed or audited case for the dataset export (sql/<engine>/datasets/cases.sql).
 * `decisions` is JSON text: an array of DatasetDecisionEntry, its settled review decisions since
 * its last reopen in event-time order ('' inside an entry stands for an absent value). One text
 * column rather than nine lists, because turning nested lists into JS values is the slowest
 * part of DuckDB's reader (docs/datasets.md#speed-and-memory).
 */
export type DatasetCaseRow = {
  case_id: string;
  created_event_id: string | null;
  workflow: string | null;
  tier: number | null;
  model_version: string | null;
  policy_version: string | null;
  prompt_version: string | null;
  input: string | null;
  model_output: string | null;
  model_label: string | null;
  created_at: Date | null;
  triage_event_id: string | null;
  lane: string | null;
  closed_label: string | null;
  decisions: string;
  audit_event_id: string | null;
  auditor_id: string | null;
  verdict: string | null;
  correct_label: string | null;
  audit_reason: string | null;
};

/** One element of DatasetCaseRow.decisions: [event_id, actor, role, level, decision, label, output, reason, policy]. */
export type DatasetDecisionEntry = [string, string, string, number, string, string, string, string, string];
