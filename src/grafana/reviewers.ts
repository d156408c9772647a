import { RowBuilder, type Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import { loopwatchDashboard, prometheusVariable, UIDS, WF_MULTI, workflowVariable } from './base.js';
import { ratioQueries } from './overview.js';
import { above, flag, ratioWithInterval, table, timeseries, UNIT } from './panels.js';
import { pct, SERIES as S } from './series.js';

const wf = `{${WF_MULTI}}`;

/** Panel ids: stable once published. */
export const REVIEWER_PANELS = {
  loadByLevel: 1,
  decideByTier: 2,
  agreement: 11,
  agreementItems: 12,
  rubberStamp: 21,
  decisions: 22,
  pace: 23,
  decisionSeconds: 24,
  approveRatio: 25,
  reviewerAgreement: 26,
} as const;
const P = REVIEWER_PANELS;

const PER_REVIEWER = 'Per-reviewer series exist only with `prometheus.perReviewer: true` in the configuration file; without it this panel is empty.';

export function reviewersDashboard(): Dashboard {
  return loopwatchDashboard(
    'Loopwatch / Reviewers',
    UIDS.reviewers,
    'Reviewer load, speed and agreement; per-reviewer decisions, pace and rubber-stamp flags when per-reviewer series are enabled.',
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
      description: 'Median time to the first decision, per workflow and tier.',
      queries: [{ expr: `max by (workflow, tier) (${S.timeToDecide}{${WF_MULTI}, ${pct(50)}})`, legend: '{{workflow}} tier {{tier}}' }],
    }))
    .withRow(new RowBuilder('Agreement (dashed: 95% interval)'))
    .withPanel(ratioWithInterval({
      id: P.agreement, title: 'Agreement coefficients', unit: UNIT.count, width: 16, min: -1, max: 1,
      description: 'Chance-corrected agreement between reviewers of the same cases, per workflow and coefficient, with its bootstrap 95% interval. Below 0.6 (red) reviewers disagree more than a clear rubric allows.',
      thresholds: [{ value: null, color: 'red' }, { value: 0.6, color: 'green' }],
      queries: ratioQueries(S.agreement, wf, '{{workflow}} {{coefficient}}'),
    }))
    .withPanel(timeseries({
      id: P.agreementItems, title: 'Cases rated twice or more', unit: UNIT.count, width: 8,
      description: 'Cases rated by two or more reviewers: the sample behind the agreement coefficients.',
      queries: [{ expr: `${S.agreementItems}${wf}`, legend: '{{workflow}}' }],
    }))
    .withRow(new RowBuilder('Per reviewer (prometheus.perReviewer)'))
    .withPanel(table({
      id: P.rubberStamp, title: 'Rubber-stamp flags', unit: UNIT.count, width: 12,
      description: `1 (FLAGGED) when a reviewer looks like a rubber stamp in some lane: enough decisions, nearly all approvals, far faster than the lane's median. ${PER_REVIEWER}`,
      thresholds: above(1), mappings: flag('ok', 'FLAGGED'),
      queries: [{ expr: `sort_desc(max by (workflow, reviewer) (${S.reviewerRubberStamp}${wf}))`, legend: '{{workflow}} {{reviewer}}', instant: true }],
    }))
    .withPanel(table({
      id: P.decisions, title: 'Decisions per reviewer', unit: UNIT.count, width: 12,
      description: `Decisions each reviewer made over the metric window, most first. ${PER_REVIEWER}`,
      queries: [{ expr: `sort_desc(sum by (workflow, reviewer) (${S.reviewerDecisions}${wf}))`, legend: '{{workflow}} {{reviewer}}', instant: true }],
    }))
    .withPanel(timeseries({
      id: P.pace, title: 'Decisions per active hour', unit: UNIT.count, width: 12,
      description: `Each reviewer's pace while working (decisions per clock hour with at least one decision). ${PER_REVIEWER}`,
      queries: [{ expr: `${S.reviewerDecisionsPerHour}${wf}`, legend: '{{workflow}} {{reviewer}}' }],
    }))
    .withPanel(timeseries({
      id: P.decisionSeconds, title: 'Time per decision (median)', unit: UNIT.seconds, width: 12,
      description: `Median seconds per timed decision for each reviewer. ${PER_REVIEWER}`,
      queries: [{ expr: `max by (workflow, reviewer) (${S.reviewerDecisionSeconds}{${WF_MULTI}, ${pct(50)}})`, legend: '{{workflow}} {{reviewer}}' }],
    }))
    .withPanel(timeseries({
      id: P.approveRatio, title: 'Approve ratio', unit: UNIT.ratio, width: 12, min: 0, max: 1,
      description: `Share of each reviewer's decisions that approved; nearly 1 with a fast pace is the rubber-stamp pattern. ${PER_REVIEWER}`,
      queries: [{ expr: `${S.reviewerApproveRatio}${wf}`, legend: '{{workflow}} {{reviewer}}' }],
    }))
    .withPanel(timeseries({
      id: P.reviewerAgreement, title: 'Agreement with the adjudicated label', unit: UNIT.ratio, width: 12, min: 0, max: 1,
      description: `Share of each reviewer's ratings that matched the adjudicated label. ${PER_REVIEWER}`,
      queries: [{ expr: `${S.reviewerAgreement}${wf}`, legend: '{{workflow}} {{reviewer}}' }],
    }))
    .build();
}
