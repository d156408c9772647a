/**
 * The numbers the panels colour against: the alert objectives of prometheus/rules/ (owned
 * there, docs/prometheus.md#alerts). A panel turns red where an alert would fire, so the two
 * must not drift apart: test/unit/grafana-objectives.test.ts reads the rule files and fails
 * when they disagree.
 */
export const OBJECTIVES = {
  /** SLO: share of review items completed within their SLA (recording rule hitl:sla_completion_objective:ratio). */
  slaCompletion: 0.99,
  /** False-accept ratio objective per tier (tier:hitl_false_accept_objective:ratio); the alert reads the interval's lower bound. */
  falseAcceptByTier: { '1': 0.05, '2': 0.02, '3': 0.01 } as Record<'1' | '2' | '3', number>,
  /** HitlStopTheLineUnresolved: a line stopped this long pages the on-call owner. */
  lineStoppedSeconds: 3600,
  /** HitlQueueOldestAgeGrowing: the oldest item of a queue older than this (and still ageing). */
  queueOldestAgeSeconds: 1800,
  /** HitlMetricJobStale: the last successful run older than this many schedule intervals. */
  metricJobStaleIntervals: 3,
} as const;

export const TIERS = ['1', '2', '3'] as const;

/**
 * Multiwindow multi-burn-rate (SRE workbook, as Sloth sets it for a 30-day window): an alert
 * fires when both windows burn faster than `rate` times the error budget.
 */
export const BURN_WINDOWS = [
  { alert: 'HitlSloBurnRateFast', long: '1h', short: '5m', rate: 14.4 },
  { alert: 'HitlSloBurnRateFast', long: '6h', short: '30m', rate: 6 },
  { alert: 'HitlSloBurnRateSlow', long: '1d', short: '2h', rate: 3 },
  { alert: 'HitlSloBurnRateSlow', long: '3d', short: '6h', rate: 1 },
] as const;

/** The SLO's period: the error budget is (1 - objective) over it. */
export const SLO_PERIOD = '30d';
