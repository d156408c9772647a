/**
 * The numbers the panels colour against. They are the alert objectives of prometheus/rules/
 * (owned there): a panel turns red where an alert would fire, so the two must not drift apart.
 * test/unit/grafana-objectives.test.ts reads the rule files and fails when they disagree.
 */
export const OBJECTIVES = {
  /** Share of review items completed within their SLA (the SLO behind the burn-rate alerts). */
  slaWithin: 0.95,
  /** False-accept ratio objective: the alert fires when the interval's lower bound is above it. */
  falseAcceptRatio: 0.02,
  /** A stop-the-line still open after this long pages the on-call owner. */
  lineStoppedSeconds: 3600,
  /** The metric job's last success older than this is stale. */
  metricJobStaleSeconds: 600,
} as const;

/**
 * Multiwindow multi-burn-rate (SRE workbook, chapter 5, as Sloth sets it for a 30-day window):
 * an alert fires when both windows burn faster than `rate` times the error budget.
 */
export const BURN_WINDOWS = [
  { severity: 'page', long: '1h', short: '5m', rate: 14.4 },
  { severity: 'page', long: '6h', short: '30m', rate: 6 },
  { severity: 'ticket', long: '1d', short: '2h', rate: 3 },
  { severity: 'ticket', long: '3d', short: '6h', rate: 1 },
] as const;

/** The SLO's period: the error budget is (1 - objective) over it. */
export const SLO_PERIOD = '30d';
