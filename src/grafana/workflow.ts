import { RowBuilder, type Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import { loopwatchDashboard, prometheusVariable, UIDS, WF_ONE, workflowVariable } from './base.js';
import { OBJECTIVES, TIERS } from './objectives.js';
import { ratioQueries } from './overview.js';
import { above, below, flag, ratioWithInterval, stat, table, timeseries, UNIT } from './panels.js';
import { pct, SERIES as S } from './series.js';
import { sliExpr } from './slo-exprs.js';

const wf = `{${WF_ONE}}`;
const RATE = '$__rate_interval';

/** Panel ids alert annotations link to (viewPanel=<id>, with var-workflow): stable once published. */
export const WORKFLOW_PANELS = {
  lineStopped: 1,
  lineStoppedFor: 2,
  slaWithin: 3,
  openPastDue: 4,
  queueDepth: 11,
  oldestAge: 12,
  timeToAcknowledge: 13,
  timeToDecide: 14,
  timeToClose: 15,
  slaBreaches: 21,
  escalations: 22,
  override: 31,
  rework: 32,
  agreement: 33,
  /** one per tier, each against its tier's objective */
  falseAccept: { '1': 34, '2': 35, '3': 36 },
  driftDetected: 41,
  driftPValue: 42,
  samplingRate: 43,
  controlViolations: 44,
} as const;
const P = WORKFLOW_PANELS;

function percentiles(series: string) {
  return [
    { expr: `max by (tier) (${series}{${WF_ONE}, ${pct(50)}})`, legend: 'tier {{tier}} p50' },
    { expr: `max by (tier) (${series}{${WF_ONE}, ${pct(90)}})`, legend: 'tier {{tier}} p90' },
  ];
}

export function workflowDashboard(): Dashboard {
  const b = loopwatchDashboard(
    'Loopwatch / Workflow drill-down',
    UIDS.workflow,
    'One workflow in detail: its line, queues per tier and level, time to acknowledge, decide and close, SLA per stage, quality per tier, drift per check, sampling and controls.',
  )
    .withVariable(prometheusVariable())
    .withVariable(workflowVariable({ multi: false }))
    .withRow(new RowBuilder('Now'))
    .withPanel(stat({
      id: P.lineStopped, title: 'Line', unit: UNIT.count, width: 6,
      description: 'Stopped while a stop-the-line is unresolved: automation of this workflow is paused (HitlLineStopped).',
      thresholds: above(1), mappings: flag('running', 'STOPPED'),
      queries: [{ expr: `max(${S.lineStopped}${wf})`, instant: true }],
    }))
    .withPanel(stat({
      id: P.lineStoppedFor, title: 'Longest stop', unit: UNIT.seconds, width: 6,
      description: `The longest stop so far (an open one counted to now); HitlStopTheLineUnresolved pages the on-call owner once a stop lasts ${OBJECTIVES.lineStoppedSeconds / 3600} h.`,
      thresholds: above(OBJECTIVES.lineStoppedSeconds),
      queries: [{ expr: `max(${S.lineStopLongest}${wf})`, instant: true }],
    }))
    .withPanel(stat({
      id: P.slaWithin, title: 'Completed within SLA (24 h)', unit: UNIT.ratio, width: 6, min: 0, max: 1,
      description: `Share of this workflow's completion clocks judged in the last 24 h that met their SLA; red below the SLO ${OBJECTIVES.slaCompletion}.`,
      thresholds: below(OBJECTIVES.slaCompletion),
      queries: [{ expr: sliExpr('1d', WF_ONE), instant: true }],
    }))
    .withPanel(stat({
      id: P.openPastDue, title: 'Open past SLA', unit: UNIT.count, width: 6,
      description: 'Items of this workflow still open after their SLA target, all tiers and stages (HitlSlaBreach).',
      thresholds: above(1),
      queries: [{ expr: `sum(${S.slaOpenPastDue}${wf})`, instant: true }],
    }))
    .withRow(new RowBuilder('Queues and times'))
    .withPanel(timeseries({
      id: P.queueDepth, title: 'Queue depth by tier and level', unit: UNIT.count, width: 12,
      description: 'Open review items per tier and level (unassigned: not yet taken).',
      queries: [{ expr: `sum by (tier, level) (${S.queueDepth}${wf})`, legend: 't{{tier}} L{{level}}' }],
    }))
    .withPanel(timeseries({
      id: P.oldestAge, title: 'Oldest open item by tier and level', unit: UNIT.seconds, width: 12,
      description: `Age of the oldest open item per tier and level; HitlQueueOldestAgeGrowing fires past ${OBJECTIVES.queueOldestAgeSeconds / 60} min when it keeps ageing.`,
      thresholds: above(OBJECTIVES.queueOldestAgeSeconds),
      queries: [{ expr: `max by (tier, level) (${S.queueOldestAge}${wf})`, legend: 't{{tier}} L{{level}}' }],
    }))
    .withPanel(timeseries({
      id: P.timeToAcknowledge, title: 'Time to acknowledge', unit: UNIT.seconds, width: 8,
      description: 'From assignment to the reviewer\'s acknowledgement, median and 90th percentile per tier.',
      queries: percentiles(S.timeToAcknowledge),
    }))
    .withPanel(timeseries({
      id: P.timeToDecide, title: 'Time to decide', unit: UNIT.seconds, width: 8,
      description: 'Time to the first decision, median and 90th percentile per tier.',
      queries: percentiles(S.timeToDecide),
    }))
    .withPanel(timeseries({
      id: P.timeToClose, title: 'Time to close', unit: UNIT.seconds, width: 8,
      description: 'From case creation to its close, median and 90th percentile per tier.',
      queries: percentiles(S.timeToClose),
    }))
    .withRow(new RowBuilder('SLA and escalation'))
    .withPanel(timeseries({
      id: P.slaBreaches, title: 'SLA breaches by tier and stage', unit: UNIT.count, width: 12, bars: true,
      description: 'New breaches per interval by tier and stage (bars), beside the items open past due (lines).',
      queries: [
        { expr: `sum by (tier, stage) (increase(${S.slaBreaches}${wf}[${RATE}]))`, legend: 'breaches t{{tier}} {{stage}}' },
        { expr: `sum by (tier, stage) (${S.slaOpenPastDue}${wf})`, legend: 'open past due t{{tier}} {{stage}}' },
      ],
    }).overrideByQuery('B', [{ id: 'custom.drawStyle', value: 'line' }]))
    .withPanel(timeseries({
      id: P.escalations, title: 'Escalations by level', unit: UNIT.count, width: 12, bars: true,
      description: 'Cases escalated per interval, by the level they went to.',
      queries: [{ expr: `sum by (level) (increase(${S.escalations}${wf}[${RATE}]))`, legend: 'to L{{level}}' }],
    }))
    .withRow(new RowBuilder('Quality by tier (dashed: 95% interval)'))
    .withPanel(ratioWithInterval({
      id: P.override, title: 'Override ratio', unit: UNIT.ratio, width: 8, min: 0,
      description: 'Share of human-decided cases overridden, per tier, with the Wilson 95% interval.',
      queries: ratioQueries(S.overrideRatio, wf, 'tier {{tier}}'),
    }))
    .withPanel(ratioWithInterval({
      id: P.rework, title: 'Rework ratio', unit: UNIT.ratio, width: 8, min: 0,
      description: 'Share of closed cases reopened, per tier, with the Wilson 95% interval.',
      queries: ratioQueries(S.reworkRatio, wf, 'tier {{tier}}'),
    }))
    .withPanel(ratioWithInterval({
      id: P.agreement, title: 'Reviewer agreement', unit: UNIT.count, width: 8, min: -1, max: 1,
      description: 'Agreement between reviewers of the same cases, per coefficient (percent agreement, Fleiss kappa, Krippendorff alpha, Gwet AC1), with its bootstrap 95% interval.',
      queries: ratioQueries(S.agreement, wf, '{{coefficient}}'),
    }));
  for (const tier of TIERS) {
    const objective = OBJECTIVES.falseAcceptByTier[tier];
    b.withPanel(ratioWithInterval({
      id: P.falseAccept[tier], title: `False-accept ratio, tier ${tier}`, unit: UNIT.ratio, width: 8, min: 0,
      description: `Sampling-weighted share of accepted tier-${tier} work found incorrect, with its interval; HitlFalseAcceptAboveObjective fires when the lower bound is above ${objective}.`,
      thresholds: above(objective),
      queries: ratioQueries(S.falseAcceptRatio, `{${WF_ONE}, tier="${tier}"}`, 'tier {{tier}}'),
    }));
  }
  return b
    .withRow(new RowBuilder('Drift, sampling and controls'))
    .withPanel(table({
      id: P.driftDetected, title: 'Drift by check', unit: UNIT.count, width: 12,
      description: 'Per model version and drift check, whether the current window differs from the reference (HitlDriftDetected); drifted checks first.',
      thresholds: above(1), mappings: flag('stable', 'DRIFT'),
      queries: [{ expr: `sort_desc(max by (model_version, check) (${S.driftDetected}${wf}))`, legend: '{{model_version}} {{check}}', instant: true }],
    }))
    .withPanel(timeseries({
      id: P.driftPValue, title: 'Drift p-value by check', unit: UNIT.count, width: 12, min: 0, max: 1,
      description: 'The p-value of each drift test that has one: low means the current window is unlikely under the reference.',
      queries: [{ expr: `${S.driftPValue}${wf}`, legend: '{{model_version}} {{check}}' }],
    }))
    .withPanel(timeseries({
      id: P.samplingRate, title: 'QA sampling rate', unit: UNIT.ratio, width: 12, min: 0, max: 1,
      description: 'Share of auto-approved cases sampled for human review, as the sampling controller sets it.',
      queries: [{ expr: `${S.samplingRate}${wf}`, legend: 'rate' }],
    }))
    .withPanel(timeseries({
      id: P.controlViolations, title: 'Control violations by control', unit: UNIT.count, width: 12, bars: true,
      description: 'New silent exceptions per interval, by control (HitlControlViolation).',
      thresholds: above(1),
      queries: [{ expr: `sum by (control) (increase(${S.controlViolations}${wf}[${RATE}]))`, legend: '{{control}}' }],
    }))
    .build();
}
