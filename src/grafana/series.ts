/**
 * The Prometheus series the dashboards read, as docs/prometheus.md lists them (the exporter's
 * contract). One place, so that a rename is one edit here and a failing end-to-end test there.
 */
export const SERIES = {
  casesHumanDecided: 'hitl_cases_human_decided_total',
  casesOverridden: 'hitl_cases_overridden_total',
  overrideRatio: 'hitl_override_ratio',
  reworkRatio: 'hitl_rework_ratio',
  falseAcceptRatio: 'hitl_false_accept_ratio',
  falseAcceptAudits: 'hitl_false_accept_audits_total',
  falseAcceptEffectiveAudits: 'hitl_false_accept_effective_audits',
  agreement: 'hitl_agreement_coefficient',
  agreementItems: 'hitl_agreement_items',
  queueDepth: 'hitl_queue_depth',
  queueOldestAge: 'hitl_queue_oldest_age_seconds',
  timeToAcknowledge: 'hitl_time_to_acknowledge_seconds',
  timeToDecide: 'hitl_time_to_decide_seconds',
  timeToEscalate: 'hitl_time_to_escalate_seconds',
  timeToClose: 'hitl_time_to_close_seconds',
  slaMet: 'hitl_sla_met_total',
  slaBreaches: 'hitl_sla_breaches_total',
  slaOpenPastDue: 'hitl_sla_open_past_due',
  slaMaxOverdue: 'hitl_sla_max_overdue_seconds',
  escalations: 'hitl_escalations_total',
  lineStopped: 'hitl_line_stopped',
  lineStopsOpen: 'hitl_line_stops_open',
  lineStopLongest: 'hitl_line_stop_longest_seconds',
  driftStatistic: 'hitl_drift_statistic',
  driftPValue: 'hitl_drift_p_value',
  driftDetected: 'hitl_drift_detected',
  controlViolations: 'hitl_control_violations_total',
  // per-reviewer series: only exported with `prometheus.perReviewer: true`
  reviewerDecisions: 'hitl_reviewer_decisions_total',
  reviewerApproveRatio: 'hitl_reviewer_approve_ratio',
  reviewerDecisionsPerHour: 'hitl_reviewer_decisions_per_active_hour',
  reviewerDecisionSeconds: 'hitl_reviewer_decision_seconds',
  reviewerRubberStamp: 'hitl_reviewer_rubber_stamp',
  reviewerAgreement: 'hitl_reviewer_agreement_ratio',
  // registered by the sampling controller
  samplingRate: 'hitl_sampling_rate',
  samplingState: 'hitl_sampling_state',
  ingestEvents: 'hitl_ingest_events_total',
  ingestBatchSeconds: 'hitl_ingest_batch_duration_seconds',
  metricJobSeconds: 'hitl_metric_job_duration_seconds',
  metricJobFailures: 'hitl_metric_job_failures_total',
  metricJobLastSuccess: 'hitl_metric_job_last_success_timestamp_seconds',
  metricJobInterval: 'hitl_metric_job_interval_seconds',
} as const;

/** A ratio's interval bounds are sibling series: hitl_x_ratio_lower and hitl_x_ratio_upper. */
export const lower = (ratio: string): string => `${ratio}_lower`;
export const upper = (ratio: string): string => `${ratio}_upper`;

/** Percentiles are a `percentile` label ("50", "90", "99"), not `quantile` (reserved for summaries). */
export const pct = (p: 50 | 90 | 99): string => `percentile="${p}"`;

/** The SLA clocks that stop when a review is done: the SLO "completed within SLA" counts these. */
export const COMPLETION_STAGES = 'stage=~"complete|secondary"';
