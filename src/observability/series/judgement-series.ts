import type { Registry } from 'prom-client';
import type { AgreementMetrics, Coefficient } from '../../metrics/families/agreement.js';
import { CONTROLS } from '../../metrics/families/controls.js';
import type { DriftMetrics } from '../../metrics/families/drift.js';
import { flag, labelValue, registerSeries, type Sample, type SeriesSpec } from './define.js';
import { groupsOf, only, samplesOf, type Cell, type LatestRuns } from './groups.js';

export const COEFFICIENTS = ['percent_agreement', 'fleiss_kappa', 'krippendorff_alpha_nominal', 'krippendorff_alpha_ordinal', 'gwet_ac1'] as const;
/** The parts of a drift group that hold checks; a check's label is its dotted path, as in `drifted_checks`. */
const DRIFT_SECTIONS = ['confidence', 'labels', 'lanes', 'rates', 'features'] as const;

type Spec = Omit<SeriesSpec, 'samples' | 'labelNames'>;
type Check = { statistic: number | null; pvalue: number | null; drifted: boolean };
type ReviewerMetrics = {
  decisions: number;
  approve_rate: { value: number | null };
  decisions_per_active_hour: number | null;
  seconds_per_decision: { p50: number | null; p90: number | null };
  rubber_stamp: { flagged: boolean };
};

const gauge = (name: string, help: string) => ({ name, help, type: 'gauge' as const });

/** Agreement, drift and control series, and per-reviewer ones when `perReviewer`; all from the workflow cut. */
export function registerJudgementSeries(registry: Registry, latest: () => LatestRuns, options: { perReviewer: boolean }): void {
  const agreement = (spec: Spec, cells: (m: AgreementMetrics) => Cell[], extra: string[]) =>
    registerSeries(registry, {
      ...spec,
      labelNames: ['workflow', ...extra],
      samples: () => samplesOf(groupsOf<AgreementMetrics>(latest().byWorkflow, 'agreement'), ['workflow'], cells),
    });
  const coefficients = (value: (c: Coefficient) => number | null | undefined) => (m: AgreementMetrics): Cell[] =>
    COEFFICIENTS.map((c) => [{ coefficient: c }, value(m[c])]);
  agreement(gauge('hitl_agreement_coefficient', 'Inter-reviewer agreement coefficient (docs/metrics/agreement.md).'), coefficients((c) => c.value), ['coefficient']);
  agreement(gauge('hitl_agreement_coefficient_lower', 'Lower bound of the bootstrap 95% interval of hitl_agreement_coefficient.'), coefficients((c) => c.ci95?.[0]), ['coefficient']);
  agreement(gauge('hitl_agreement_coefficient_upper', 'Upper bound of the bootstrap 95% interval of hitl_agreement_coefficient.'), coefficients((c) => c.ci95?.[1]), ['coefficient']);
  agreement(gauge('hitl_agreement_items', 'Cases rated by two or more reviewers (the agreement sample).'), (m) => only(m.items), []);

  const drift = (spec: Spec, value: (c: Check) => number | null) =>
    registerSeries(registry, {
      ...spec,
      labelNames: ['workflow', 'model_version', 'check'],
      samples: () =>
        samplesOf(groupsOf<DriftMetrics>(latest().byWorkflow, 'drift'), ['workflow', 'model_version'], (m) =>
          driftChecks(m).map(([check, c]) => [{ check }, value(c)]),
        ),
    });
  drift(gauge('hitl_drift_statistic', 'Drift test statistic, current window against the reference (docs/metrics/drift.md).'), (c) => c.statistic);
  drift(gauge('hitl_drift_p_value', 'p-value of the drift test, for the tests that have one.'), (c) => c.pvalue);
  drift(gauge('hitl_drift_detected', '1 when the drift check flags drift, else 0.'), (c) => flag(c.drifted));

  registerSeries(registry, {
    name: 'hitl_control_violations_total',
    help: 'Cases that broke a control without anybody raising it (docs/metrics/controls.md).',
    type: 'counter',
    labelNames: ['workflow', 'control'],
    samples: () => controlSamples(latest()),
  });

  if (options.perReviewer) registerReviewerSeries(registry, latest);
}

/** Every check of a drift group with its dotted path, in the group's order. */
function driftChecks(m: DriftMetrics): [string, Check][] {
  const out: [string, Check][] = [];
  const walk = (path: string, node: unknown) => {
    if (typeof node !== 'object' || node === null) return;
    const o = node as Record<string, unknown>;
    if (typeof o.drifted === 'boolean' && 'statistic' in o) {
      out.push([path, o as unknown as Check]);
      return;
    }
    for (const [k, v] of Object.entries(o)) walk(`${path}.${k}`, v);
  };
  for (const section of DRIFT_SECTIONS) walk(section, (m as Record<string, unknown>)[section]);
  return out;
}

/** Every control for every workflow the run saw, 0 included: a first violation is then an increase. */
function controlSamples(runs: LatestRuns): Sample[] {
  const counts = new Map<string, Record<string, number>>();
  for (const g of groupsOf(runs.byWorkflow, 'quality')) counts.set(labelValue(g.key.workflow), {});
  for (const g of groupsOf<{ by_control: Record<string, number> }>(runs.byWorkflow, 'controls')) {
    counts.set(labelValue(g.key.workflow), g.metrics.by_control);
  }
  return [...counts].flatMap(([workflow, byControl]) => CONTROLS.map((control) => ({ labels: { workflow, control }, value: byControl[control] ?? 0 })));
}

function registerReviewerSeries(registry: Registry, latest: () => LatestRuns): void {
  const DIMS = ['workflow', 'reviewer'];
  const reviewers = (spec: Spec, cells: (m: ReviewerMetrics) => Cell[], extra: string[] = []) =>
    registerSeries(registry, {
      ...spec,
      labelNames: [...DIMS, ...extra],
      samples: () => samplesOf(groupsOf<ReviewerMetrics>(latest().byWorkflow, 'reviewers'), DIMS, cells),
    });
  reviewers({ name: 'hitl_reviewer_decisions_total', help: 'Decisions by the reviewer.', type: 'counter' }, (m) => only(m.decisions));
  reviewers(gauge('hitl_reviewer_approve_ratio', 'Share of the reviewer decisions that approved.'), (m) => only(m.approve_rate.value));
  reviewers(gauge('hitl_reviewer_decisions_per_active_hour', 'Decisions per hour the reviewer was active.'), (m) => only(m.decisions_per_active_hour));
  reviewers(
    gauge('hitl_reviewer_decision_seconds', 'Time the reviewer took per decision, percentiles.'),
    (m) => [
      [{ percentile: '50' }, m.seconds_per_decision.p50],
      [{ percentile: '90' }, m.seconds_per_decision.p90],
    ],
    ['percentile'],
  );
  reviewers(gauge('hitl_reviewer_rubber_stamp', '1 when the reviewer looks like a rubber stamp in some lane (docs/metrics/reviewers.md), else 0.'), (m) => only(flag(m.rubber_stamp.flagged)));
  registerSeries(registry, {
    ...gauge('hitl_reviewer_agreement_ratio', 'Share of the reviewer ratings that matched the adjudicated label.'),
    labelNames: DIMS,
    samples: () =>
      groupsOf<AgreementMetrics>(latest().byWorkflow, 'agreement').flatMap((g) =>
        g.metrics.reviewers
          .filter((r) => typeof r.agreement === 'number')
          .map((r) => ({ labels: { workflow: labelValue(g.key.workflow), reviewer: r.reviewer }, value: r.agreement as number })),
      ),
  });
}
