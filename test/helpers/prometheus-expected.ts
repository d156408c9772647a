import { sampleKey } from './exposition.js';

/**
 * The samples /metrics must hold, written from docs/prometheus.md's tables against the JSON of
 * /v1/metrics (the test's own reading of the documentation, not the exporter's code): a JSON
 * null is no sample, a null group key is the label `unknown`.
 */
type J = any;
export type Expected = Map<string, number>;

const label = (v: unknown) => (v === null || v === undefined ? 'unknown' : String(v));
const STAGES = ['acknowledge', 'complete', 'primary', 'secondary', 'escalate', 'resolve', 'sample_review'];
const CONTROLS = [
  'high_risk_auto_approved',
  'executed_without_approver',
  'dual_review_single_reviewer',
  'approved_by_creator',
  'override_without_reason',
  'gate_passed_with_failing_check',
  'decided_while_line_stopped',
];
const COEFFICIENTS = ['percent_agreement', 'fleiss_kappa', 'krippendorff_alpha_nominal', 'krippendorff_alpha_ordinal', 'gwet_ac1'];
const NUMERIC = ['ks', 'psi', 'wasserstein'];
const CATEGORICAL = ['chi_square', 'psi', 'jensen_shannon'];

/** `byWorkflow`: GET /v1/metrics; `byTier`: the families of GET /v1/metrics/<family>?group_by=workflow,tier. */
export function expectedSamples(byWorkflow: J, byTier: { quality: J; queues: J; sla: J }, perReviewer: boolean): Expected {
  const out: Expected = new Map();
  const put = (name: string, labels: Record<string, string>, value: unknown) => {
    if (value === null || value === undefined) return;
    if (typeof value === 'boolean') value = value ? 1 : 0;
    if (typeof value !== 'number') throw new Error(`${name}: not a number: ${JSON.stringify(value)}`);
    out.set(sampleKey(name, labels), value);
  };

  for (const g of byTier.quality.groups) {
    const l = { workflow: label(g.key.workflow), tier: label(g.key.tier) };
    const m = g.metrics;
    put('hitl_cases_created_total', l, m.cases);
    put('hitl_cases_human_decided_total', l, m.override_rate.denominator);
    put('hitl_cases_overridden_total', l, m.override_rate.numerator);
    put('hitl_override_ratio', l, m.override_rate.value);
    put('hitl_override_ratio_lower', l, m.override_rate.ci95?.[0]);
    put('hitl_override_ratio_upper', l, m.override_rate.ci95?.[1]);
    put('hitl_cases_closed_total', l, m.rework_rate.denominator);
    put('hitl_cases_reworked_total', l, m.rework_rate.numerator);
    put('hitl_rework_ratio', l, m.rework_rate.value);
    put('hitl_rework_ratio_lower', l, m.rework_rate.ci95?.[0]);
    put('hitl_rework_ratio_upper', l, m.rework_rate.ci95?.[1]);
    put('hitl_false_accept_audits_total', l, m.false_accept_rate.audits);
    put('hitl_false_accept_incorrect_total', l, m.false_accept_rate.incorrect);
    put('hitl_false_accept_effective_audits', l, m.false_accept_rate.n_eff);
    put('hitl_false_accept_ratio', l, m.false_accept_rate.value);
    put('hitl_false_accept_ratio_lower', l, m.false_accept_rate.ci95?.[0]);
    put('hitl_false_accept_ratio_upper', l, m.false_accept_rate.ci95?.[1]);
  }
  const workflows: string[] = [];
  for (const g of byWorkflow.families.quality.groups) {
    const workflow = label(g.key.workflow);
    workflows.push(workflow);
    const m = g.metrics;
    for (const level of ['1', '2', '3']) put('hitl_escalations_total', { workflow, level }, m.escalations.by_level[level]);
    put('hitl_line_stops_total', { workflow }, m.stop_the_line.stops);
    put('hitl_line_stops_open', { workflow }, m.stop_the_line.open);
    put('hitl_line_stopped', { workflow }, m.stop_the_line.open > 0);
    put('hitl_line_stop_longest_seconds', { workflow }, m.stop_the_line.time_to_resume_seconds.max);
  }
  for (const g of byTier.queues.groups) {
    const l = { workflow: label(g.key.workflow), tier: label(g.key.tier) };
    for (const level of ['1', '2', '3', 'unassigned']) {
      put('hitl_queue_depth', { ...l, level }, g.metrics.by_level[level].open_items);
      put('hitl_queue_oldest_age_seconds', { ...l, level }, g.metrics.by_level[level].oldest_age_seconds);
    }
    for (const step of ['acknowledge', 'decide', 'escalate', 'close']) {
      for (const [percentile, key] of [['50', 'p50'], ['90', 'p90'], ['99', 'p99']]) {
        put(`hitl_time_to_${step}_seconds`, { ...l, percentile }, g.metrics.time_to[step][key]);
      }
    }
  }
  for (const g of byTier.sla.groups) {
    for (const stage of STAGES) {
      const l = { workflow: label(g.key.workflow), tier: label(g.key.tier), stage };
      const o = g.metrics[stage];
      put('hitl_sla_met_total', l, o.met);
      put('hitl_sla_breaches_total', l, o.breached);
      put('hitl_sla_open_past_due', l, o.open_breached);
      put('hitl_sla_pending', l, o.pending);
      put('hitl_sla_max_overdue_seconds', l, o.max_overdue_seconds);
    }
  }
  for (const g of byWorkflow.families.agreement.groups) {
    const workflow = label(g.key.workflow);
    for (const coefficient of COEFFICIENTS) {
      const c = g.metrics[coefficient];
      put('hitl_agreement_coefficient', { workflow, coefficient }, c.value);
      put('hitl_agreement_coefficient_lower', { workflow, coefficient }, c.ci95?.[0]);
      put('hitl_agreement_coefficient_upper', { workflow, coefficient }, c.ci95?.[1]);
    }
    put('hitl_agreement_items', { workflow }, g.metrics.items);
    if (perReviewer) {
      for (const r of g.metrics.reviewers) put('hitl_reviewer_agreement_ratio', { workflow, reviewer: r.reviewer }, r.agreement);
    }
  }
  for (const g of byWorkflow.families.drift.groups) {
    const base = { workflow: label(g.key.workflow), model_version: label(g.key.model_version) };
    const m = g.metrics;
    const checks: [string, J][] = [];
    for (const t of NUMERIC) checks.push([`confidence.${t}`, m.confidence[t]]);
    for (const part of ['labels', 'lanes']) for (const t of CATEGORICAL) checks.push([`${part}.${t}`, m[part][t]]);
    for (const rate of ['override', 'escalation']) for (const t of ['two_proportion', 'cusum']) checks.push([`rates.${rate}.${t}`, m.rates[rate][t]]);
    for (const [key, f] of Object.entries<J>(m.features)) {
      for (const t of f.kind === 'numeric' ? NUMERIC : CATEGORICAL) checks.push([`features.${key}.${t}`, f[t]]);
    }
    for (const [check, c] of checks) {
      put('hitl_drift_statistic', { ...base, check }, c.statistic);
      put('hitl_drift_p_value', { ...base, check }, c.pvalue);
      put('hitl_drift_detected', { ...base, check }, c.drifted);
    }
  }
  const controls = new Map<string, Record<string, number>>(byWorkflow.families.controls.groups.map((g: J) => [label(g.key.workflow), g.metrics.by_control]));
  for (const workflow of new Set([...workflows, ...controls.keys()])) {
    for (const control of CONTROLS) put('hitl_control_violations_total', { workflow, control }, controls.get(workflow)?.[control] ?? 0);
  }
  if (perReviewer) {
    for (const g of byWorkflow.families.reviewers.groups) {
      const l = { workflow: label(g.key.workflow), reviewer: label(g.key.reviewer) };
      const m = g.metrics;
      put('hitl_reviewer_decisions_total', l, m.decisions);
      put('hitl_reviewer_approve_ratio', l, m.approve_rate.value);
      put('hitl_reviewer_decisions_per_active_hour', l, m.decisions_per_active_hour);
      put('hitl_reviewer_decision_seconds', { ...l, percentile: '50' }, m.seconds_per_decision.p50);
      put('hitl_reviewer_decision_seconds', { ...l, percentile: '90' }, m.seconds_per_decision.p90);
      put('hitl_reviewer_rubber_stamp', l, m.rubber_stamp.flagged);
    }
  }
  return out;
}
