import { RowBuilder, type Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import { loopwatchDashboard, prometheusVariable, UIDS, WF_MULTI, workflowVariable } from './base.js';
import { ratioQueries } from './overview.js';
import { above, flag, ratioWithInterval, table, timeseries, UNIT } from './panels.js';
import { SERIES as S } from './series.js';

const wf = `{${WF_MULTI}}`;

/** Panel ids alert annotations link to: stable once published. */
export const REVIEWER_PANELS = {
  loadByLevel: 1,
  decideByTier: 2,
  agreement: 11,
  agreementCases: 12,
  decisions: 21,
  decisionSeconds: 22,
  approveRatio: 23,
  rubberStamp: 24,
} as const;
const P = REVIEWER_PANELS;

const PER_REVIEWER = 'Per-reviewer series exist only when `prometheus.perReviewer` is enabled in the configuration; otherwise this panel is empty.';

export function reviewersDashboard(): Dashboard {
  return loopwatchDashboard(
    'Loopwatch / Reviewers',
    UIDS.reviewers,
    'Reviewer load, speed and agreement; per-reviewer decisions and rubber-stamp flags when per-reviewer series are enabled.',
  )
    .withVariable(prometheusVariable())
    .withVariable(workflowVariable({ multi: true }))
    .withRow(new RowBuilder('Load'))
    .withPanel(timeseries({
      id: P.loadByLevel, title: 'Open items per level', unit: UNIT.count, width: 12,
      description: 'Open review items per workflow and level: the load on level 1 reviewers, level 2 specialists and level 3 approvers.',
      queries: [{ expr: `sum by (workflow, level) (${S.queueDepth}${wf})`, legend: '{{workflow}} L{{level}}' }],
    }))
    .withPanel(timeseries({
      id: P.decideByTier, title: 'Time to decide (median)', unit: UNIT.seconds, width: 12,
      description: 'Median time from acknowledgement (else assignment) to decision, per workflow and tier.',
      queries: [{ expr: `max by (workflow, tier) (${S.timeToDecide}{${WF_MULTI}, quantile="0.5"})`, legend: '{{workflow}} tier {{tier}}' }],
    }))
    .withRow(new RowBuilder('Agreement (dashed: 95% interval)'))
    .withPanel(ratioWithInterval({
      id: P.agreement, title: 'Agreement coefficients', unit: UNIT.count, width: 16, min: -1, max: 1,
      description: 'Chance-corrected agreement between reviewers of the same cases, per workflow and coefficient, with its 95% interval. Below 0.6 reviewers disagree more than a rubric should allow.',
      thresholds: [{ value: null, color: 'red' }, { value: 0.6, color: 'green' }],
      queries: ratioQueries(S.agreement, wf, '{{workflow}} {{coefficient}}'),
    }))
    .withPanel(timeseries({
      id: P.agreementCases, title: 'Cases rated twice or more', unit: UNIT.count, width: 8,
      description: 'Cases with two or more ratings: the sample behind the agreement coefficients.',
      queries: [{ expr: `${S.agreementCases}${wf}`, legend: '{{workflow}}' }],
    }))
    .withRow(new RowBuilder('Per reviewer (when enabled)'))
    .withPanel(timeseries({
      id: P.decisions, title: 'Decisions per reviewer', unit: UNIT.count, width: 12,
      description: `Decisions each reviewer made in the metric window. ${PER_REVIEWER}`,
      queries: [{ expr: `topk(20, sum by (workflow, reviewer) (${S.reviewerDecisions}${wf}))`, legend: '{{workflow}} {{reviewer}}' }],
    }))
    .withPanel(timeseries({
      id: P.decisionSeconds, title: 'Time per decision (median) per reviewer', unit: UNIT.seconds, width: 12,
      description: `Median seconds per timed decision for each reviewer. ${PER_REVIEWER}`,
      queries: [{ expr: `max by (workflow, reviewer) (${S.reviewerDecisionSeconds}{${WF_MULTI}, quantile="0.5"})`, legend: '{{workflow}} {{reviewer}}' }],
    }))
    .withPanel(ratioWithInterval({
      id: P.approveRatio, title: 'Approve ratio per reviewer', unit: UNIT.ratio, width: 12, min: 0, max: 1,
      description: `Share of each reviewer's decisions that approved, with its Wilson 95% interval. ${PER_REVIEWER}`,
      queries: ratioQueries(S.reviewerApproveRatio, wf, '{{workflow}} {{reviewer}}'),
    }))
    .withPanel(table({
      id: P.rubberStamp, title: 'Rubber-stamp flags', unit: UNIT.count, width: 12,
      description: `Reviewers flagged in a lane: enough decisions, nearly all approvals, and far faster than the lane's median. ${PER_REVIEWER}`,
      thresholds: above(1), mappings: flag('ok', 'FLAGGED'),
      queries: [{ expr: `max by (workflow, lane, reviewer) (${S.reviewerRubberStamp}${wf}) == 1`, legend: '{{workflow}} {{lane}} {{reviewer}}', instant: true }],
    }))
    .build();
}
