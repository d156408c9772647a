/**
 * The Prometheus series the dashboards read: the names docs/prometheus.md lists (the exporter's
 * contract). One place, so that a rename is one edit here and a failing end-to-end test there.
 */
export const SERIES = {
  overrideRatio: 'hitl_override_ratio',
  overrideDecisions: 'hitl_override_decisions',
  reworkRatio: 'hitl_rework_ratio',
  reworkCases: 'hitl_rework_cases',
  falseAcceptRatio: 'hitl_false_accept_ratio',
  falseAcceptAudits: 'hitl_false_accept_audits',
  agreement: 'hitl_agreement_coefficient',
  agreementCases: 'hitl_agreement_cases',
  queueDepth: 'hitl_queue_depth',
  queueOldestAge: 'hitl_queue_oldest_age_seconds',
  timeToAcknowledge: 'hitl_time_to_acknowledge_seconds',
  timeToDecide: 'hitl_time_to_decide_seconds',
  timeToClose: 'hitl_time_to_close_seconds',
  slaBreaches: 'hitl_sla_breaches_total',
  slaOpenPastDue: 'hitl_sla_open_past_due',
  slaItems: 'hitl_sla_items_total',
  slaItemsWithin: 'hitl_sla_items_within_total',
  escalations: 'hitl_escalations_total',
  lineStopped: 'hitl_line_stopped',
  lineStoppedSeconds: 'hitl_line_stopped_seconds',
  driftStatistic: 'hitl_drift_statistic',
  driftPValue: 'hitl_drift_p_value',
  driftDetected: 'hitl_drift_detected',
  controlViolations: 'hitl_control_violations_total',
  // per-reviewer series: only exported when `prometheus.perReviewer` is enabled
  reviewerDecisions: 'hitl_reviewer_decisions',
  reviewerApproveRatio: 'hitl_reviewer_approve_ratio',
  reviewerDecisionSeconds: 'hitl_reviewer_decision_seconds',
  reviewerRubberStamp: 'hitl_reviewer_rubber_stamp',
  samplingRate: 'hitl_sampling_rate',
  samplingState: 'hitl_sampling_state',
  ingestEvents: 'hitl_ingest_events_total',
  ingestBatchSeconds: 'hitl_ingest_batch_duration_seconds',
  metricJobSeconds: 'hitl_metric_job_duration_seconds',
  metricJobFailures: 'hitl_metric_job_failures_total',
  metricJobLastSuccess: 'hitl_metric_job_last_success_timestamp_seconds',
} as const;

/** A ratio's interval bounds are sibling series: hitl_x_ratio_lower and hitl_x_ratio_upper. */
export const lower = (ratio: string): string => `${ratio}_lower`;
export const upper = (ratio: string): string => `${ratio}_upper`;
