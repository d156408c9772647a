import { LoopwatchError } from '../errors.js';
import type * as R from './query-rows.js';
import type { CutParams } from './query-rows.js';
import type * as RR from './review-rows.js';

/**
 * A query file (sql/<engine>/<name>.sql) with the parameters it takes and the row it returns:
 * `store.query(Q.falseAcceptRate, params)` is typed by the declaration, so a caller neither
 * names a file by a string nor casts what comes back. `P` and `R` exist only for the compiler.
 */
export interface Query<P, Row> {
  readonly name: string;
  /** Never set: carries the types (a phantom field, as Kysely's compiled queries do). */
  readonly __types?: { params: P; row: Row };
}

/** Parameters for a query that takes none. */
export type NoParams = Record<never, never>;

export function defineQuery<P, Row>(name: string): Query<P, Row> {
  return { name };
}

type Now = { now: Date };
export type QueueParams = CutParams & Now & { review_lanes: readonly string[] };
/** An SLA policy's rules as parallel lists, one entry per (workflow, lane, stage) rule. */
export type SlaRuleParams = {
  rule_workflow: readonly string[];
  rule_lane: readonly string[];
  rule_stage: readonly string[];
  rule_kind: readonly string[];
  rule_amount: readonly number[];
};
/** The business calendar's working periods as parallel lists. */
export type SlaCalendarParams = { cal_start: readonly number[]; cal_end: readonly number[]; cal_cum: readonly number[]; cal_day: readonly number[] };
export type SlaParams = CutParams & Now & SlaRuleParams & SlaCalendarParams & { high_risk_signals: readonly string[] };
export type CaseParams = { case_id: string };
/** A workflow (NULL: all) and a window [from, to) (NULL: unbounded). */
export type SamplingParams = { workflow: string | null; from: Date | null; to: Date | null };

/** Every query, by what it serves. Adding a query: its two .sql files and one line here. */
export const Q = {
  // quality (docs/metrics/quality.md)
  overrideAndReworkRates: defineQuery<CutParams & Now, R.QualityCaseRatesRow>('metrics/quality/override_and_rework_rates'),
  falseAcceptRate: defineQuery<CutParams & Now, R.FalseAcceptRow>('metrics/quality/false_accept_rate'),
  escalations: defineQuery<CutParams & Now, R.EscalationsRow>('metrics/quality/escalations'),
  escalationPrecision: defineQuery<CutParams & Now, R.EscalationPrecisionRow>('metrics/quality/escalation_precision'),
  stopTheLine: defineQuery<CutParams & Now, R.StopTheLineRow>('metrics/quality/stop_the_line'),
  incidents: defineQuery<CutParams & Now, R.IncidentsRow>('metrics/quality/incidents'),
  // queues and SLA
  openItems: defineQuery<QueueParams, R.OpenItemsRow>('metrics/queues/open_items'),
  timeTo: defineQuery<QueueParams, R.TimeToRow>('metrics/queues/time_to'),
  timeToLastStop: defineQuery<NoParams, R.LastStopRow>('metrics/queues/last_stop'),
  slaBreaches: defineQuery<SlaParams, R.SlaBreachesRow>('metrics/sla/breaches'),
  eventTimeSpan: defineQuery<NoParams, R.EventTimeSpanRow>('metrics/sla/event_time_span'),
  eventDays: defineQuery<NoParams, R.EventDayRow>('metrics/sla/event_days'),
  // reviewers
  reviewerWorkload: defineQuery<CutParams, R.WorkloadRow>('metrics/reviewers/workload'),
  rubberStampLanes: defineQuery<CutParams, R.RubberStampLaneRow>('metrics/reviewers/rubber_stamp_lanes'),
  laneMedianSpeed: defineQuery<CutParams, R.LaneMedianSpeedRow>('metrics/reviewers/lane_median_speed'),
  // agreement, controls
  ratingAggregates: defineQuery<CutParams, R.RatingAggregateRow>('metrics/agreement/rating_aggregates'),
  controlViolations: defineQuery<CutParams, R.ControlViolationRow>('metrics/controls/violations'),
  // drift
  driftConfidence: defineQuery<CutParams, R.DriftConfidenceRow>('metrics/drift/confidence'),
  driftCategories: defineQuery<CutParams, R.DriftCategoriesRow>('metrics/drift/categories'),
  driftRates: defineQuery<CutParams, R.DriftRatesRow>('metrics/drift/rates'),
  driftFeatures: defineQuery<CutParams, R.DriftFeaturesRow>('metrics/drift/features'),
  modelVersions: defineQuery<CutParams, R.ModelVersionRow>('metrics/drift/model_versions'),
  // label cardinality caps (docs/metrics.md#label-cardinality)
  topValues: defineQuery<{ cap_workflow: number; cap_reviewer: number }, R.TopValueRow>('metrics/caps/top_values'),
  // HTTP routes
  eventCounts: defineQuery<NoParams, R.EventCountRow>('api/event_counts'),
  caseState: defineQuery<CaseParams, R.CaseStateRow>('api/case_state'),
  caseEvents: defineQuery<CaseParams, R.CaseEventRow>('api/case_events'),
  // sampling controller (docs/sampling.md)
  samplingLatest: defineQuery<Omit<SamplingParams, 'from'>, R.SamplingChangeRow>('sampling/latest_changes'),
  samplingChanges: defineQuery<SamplingParams, R.SamplingChangeRow>('sampling/changes'),
  samplingAuditDefects: defineQuery<SamplingParams, R.AuditDefectsRow>('sampling/audit_defects'),
  // the governance review (docs/review.md, docs/whatif.md)
  reviewDisagreements: defineQuery<CutParams, RR.DisagreementRow>('review/disagreements'),
  reviewLogEvents: defineQuery<CutParams, RR.LogEventRow>('review/log_events'),
  reviewVersions: defineQuery<CutParams, RR.VersionRow>('review/versions'),
  reviewerProgress: defineQuery<CutParams & Now, RR.ReviewerProgressRow>('review/reviewer_progress'),
  whatIfBins: defineQuery<CutParams & { high_risk_signals: readonly string[] }, RR.WhatIfBinRow>('review/whatif_bins'),
  caseTrail: defineQuery<CaseParams, RR.CaseTrailRow>('review/case_trail'),
  similarCases: defineQuery<CaseParams & { window_days: number }, RR.SimilarCaseRow>('review/similar_cases'),
  // dataset export (docs/datasets.md): a keyset page of reviewed or audited cases
  datasetCases: defineQuery<{ after: string; page_size: number }, R.DatasetCaseRow>('datasets/cases'),
  datasetCaseCount: defineQuery<NoParams, { cases: number }>('datasets/case_count'),
  // tests only
  allEventIds: defineQuery<NoParams, R.EventIdRow>('testing/all_event_ids'),
  caseRatings: defineQuery<NoParams, R.CaseRatingRow>('testing/case_ratings'),
} as const;

/** Any declared query, for code that goes over all of them (the conformance suite). */
export type AnyQuery = Query<Record<string, unknown>, Record<string, unknown>>;

const BY_NAME: ReadonlyMap<string, AnyQuery> = new Map(Object.values(Q).map((q) => [q.name, q as AnyQuery]));

/** The declaration of a query file by its name; unknown_query when none declares it. */
export function queryNamed(name: string): AnyQuery {
  const q = BY_NAME.get(name);
  if (!q) throw unknownQuery(name);
  return q;
}

export function declaredQueryNames(): string[] {
  return [...BY_NAME.keys()].sort();
}

export function unknownQuery(name: string, cause?: unknown): LoopwatchError {
  return new LoopwatchError('unknown_query', `no query named ${JSON.stringify(name)}`, cause === undefined ? undefined : { cause });
}
