import { WF_MULTI } from './base.js';
import { OBJECTIVES } from './objectives.js';
import { COMPLETION_STAGES, SERIES as S } from './series.js';

/**
 * The SLO "review items completed within SLA" as prometheus/rules/recording.yml defines it
 * (workflow:hitl_sla_completion_error:ratio_rate<w>): over the completion clocks, breaches are
 * bad, met and breached together are all; numerators and denominators are summed per workflow
 * before dividing. Written out rather than read from the recording rules, so the panels work on
 * any Prometheus that scrapes Loopwatch, whether or not it loads the rules.
 */
const sel = (workflow: string) => `{${workflow}, ${COMPLETION_STAGES}}`;

function bad(window: string, workflow: string): string {
  return `sum by (workflow) (rate(${S.slaBreaches}${sel(workflow)}[${window}]))`;
}

function all(window: string, workflow: string): string {
  return `(${bad(window, workflow)} + sum by (workflow) (rate(${S.slaMet}${sel(workflow)}[${window}])))`;
}

/** The error ratio over `window`: the share of completion clocks that breached. `workflow`: the label matcher. */
export function errorRatioExpr(window: string, workflow = WF_MULTI): string {
  return `${bad(window, workflow)} / ${all(window, workflow)}`;
}

/** The SLI over `window`: the share that met the SLA. */
export function sliExpr(window: string, workflow = WF_MULTI): string {
  return `1 - ${errorRatioExpr(window, workflow)}`;
}

/** How many times faster than the budget (1 - objective) allows the errors burn over `window`. */
export function burnRateExpr(window: string, workflow = WF_MULTI): string {
  return `(${errorRatioExpr(window, workflow)}) / (1 - ${OBJECTIVES.slaCompletion})`;
}
