import { RowBuilder, type Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import { loopwatchDashboard, prometheusVariable, UIDS, WF_ONE, workflowVariable } from './base.js';
import { OBJECTIVES } from './objectives.js';
import { ratioQueries } from './overview.js';
import { above, below, flag, ratioWithInterval, stat, timeseries, UNIT } from './panels.js';
import { SERIES as S } from './series.js';

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
  falseAccept: 32,
  rework: 33,
  agreement: 34,
  driftDetected: 41,
  driftPValue: 42,
  samplingRate: 43,
  controlViolations: 44,
} as const;
const P = WORKFLOW_PANELS;

function quantiles(series: string) {
  return [
    { expr: `max by (tier) (${series}{${WF_ONE}, quantile="0.5"})`, legend: 'tier {{tier}} p50' },
    { expr: `max by (tier) (${series}{${WF_ONE}, quantile="0.9"})`, legend: 'tier {{tier}} p90' },
  ];
}

export function workflowDashboard(): Dashboard {
  return loopwatchDashboard(
    'Loopwatch / Workflow drill-down',
    UIDS.workflow,
    'One workflow in detail: its line, queues per lane and level, time to acknowledge, decide and close, SLA per stage, quality by tier, drift per check, sampling and controls.',
  )
    .withVariable(prometheusVariable())
    .withVariable(workflowVariable({ multi: false }))
    .withRow(new RowBuilder('Now'))
    .withPanel(stat({
      id: P.lineStopped, title: 'Line', unit: UNIT.count, width: 6,
      description: 'Stopped while a stop-the-line is unresolved: automated decisions of this workflow are halted.',
      thresholds: above(1), mappings: flag('running', 'STOPPED'),
      queries: [{ expr: `max(${S.lineStopped}${wf})`, instant: true }],
    }))
    .withPanel(stat({
      id: P.lineStoppedFor, title: 'Stopped for', unit: UNIT.seconds, width: 6,
      description: `How long the current stop has lasted; it pages the on-call owner past ${OBJECTIVES.lineStoppedSeconds} s.`,
      thresholds: above(OBJECTIVES.lineStoppedSeconds),
      queries: [{ expr: `max(${S.lineStoppedSeconds}${wf})`, instant: true }],
    }))
    .withPanel(stat({
      id: P.slaWithin, title: 'Completed within SLA (24 h)', unit: UNIT.ratio, width: 6, min: 0, max: 1,
      description: `Share of this workflow's review items completed in the last 24 h within their SLA; red below ${OBJECTIVES.slaWithin}.`,
      thresholds: below(OBJECTIVES.slaWithin),
      queries: [{ expr: `sum(increase(${S.slaItemsWithin}${wf}[1d])) / sum(increase(${S.slaItems}${wf}[1d]))`, instant: true }],
    }))
    .withPanel(stat({
      id: P.openPastDue, title: 'Open past SLA', unit: UNIT.count, width: 6,
      description: 'Items of this workflow still open after their SLA target, all stages.',
      thresholds: above(1),
      queries: [{ expr: `sum(${S.slaOpenPastDue}${wf})`, instant: true }],
    }))
    .withRow(new RowBuilder('Queues and times'))
    .withPanel(timeseries({
      id: P.queueDepth, title: 'Queue depth by lane and level', unit: UNIT.count, width: 12,
      description: 'Open review items per lane and level.',
      queries: [{ expr: `sum by (lane, level) (${S.queueDepth}${wf})`, legend: '{{lane}} L{{level}}' }],
    }))
    .withPanel(timeseries({
      id: P.oldestAge, title: 'Oldest open item by lane and level', unit: UNIT.seconds, width: 12,
      description: 'Age of the oldest open item per lane and level.',
      queries: [{ expr: `max by (lane, level) (${S.queueOldestAge}${wf})`, legend: '{{lane}} L{{level}}' }],
    }))
    .withPanel(timeseries({
      id: P.timeToAcknowledge, title: 'Time to acknowledge', unit: UNIT.seconds, width: 8,
      description: 'From assignment to the reviewer\'s acknowledgement, median and 90th percentile per tier.',
      queries: quantiles(S.timeToAcknowledge),
    }))
    .withPanel(timeseries({
      id: P.timeToDecide, title: 'Time to decide', unit: UNIT.seconds, width: 8,
      description: 'From acknowledgement (else assignment) to the decision, median and 90th percentile per tier.',
      queries: quantiles(S.timeToDecide),
    }))
    .withPanel(timeseries({
      id: P.timeToClose, title: 'Time to close', unit: UNIT.seconds, width: 8,
      description: 'From case creation to its close, median and 90th percentile per tier.',
      queries: quantiles(S.timeToClose),
    }))
    .withRow(new RowBuilder('SLA and escalation'))
    .withPanel(timeseries({
      id: P.slaBreaches, title: 'SLA breaches by tier and stage', unit: UNIT.count, width: 12, bars: true,
      description: 'New breaches per interval by tier and stage, beside the items open past due (line).',
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
      id: P.override, title: 'Override ratio', unit: UNIT.ratio, width: 12, min: 0,
      description: 'Share of human-decided cases overridden, per tier (and lane), with the Wilson 95% interval.',
      queries: ratioQueries(S.overrideRatio, wf, 't{{tier}} {{lane}}'),
    }))
    .withPanel(ratioWithInterval({
      id: P.falseAccept, title: 'False-accept ratio', unit: UNIT.ratio, width: 12, min: 0,
      description: `Sampling-weighted share of accepted work found incorrect, with its interval; the alert reads the lower bound against ${OBJECTIVES.falseAcceptRatio}.`,
      thresholds: above(OBJECTIVES.falseAcceptRatio),
      queries: ratioQueries(S.falseAcceptRatio, wf, 't{{tier}} {{lane}}'),
    }))
    .withPanel(ratioWithInterval({
      id: P.rework, title: 'Rework ratio', unit: UNIT.ratio, width: 12, min: 0,
      description: 'Share of closed cases reopened, per tier, with the Wilson 95% interval.',
      queries: ratioQueries(S.reworkRatio, wf, 't{{tier}} {{lane}}'),
    }))
    .withPanel(ratioWithInterval({
      id: P.agreement, title: 'Reviewer agreement', unit: UNIT.count, width: 12, min: -1, max: 1,
      description: 'Agreement between reviewers on the same cases, per coefficient (percent agreement, Fleiss kappa, Krippendorff alpha, Gwet AC1), with its 95% interval.',
      queries: ratioQueries(S.agreement, wf, '{{coefficient}}'),
    }))
    .withRow(new RowBuilder('Drift, sampling and controls'))
    .withPanel(stat({
      id: P.driftDetected, title: 'Drift by check', unit: UNIT.count, width: 12,
      description: 'Per drift check, whether the latest window differs from the reference.',
      thresholds: above(1), mappings: flag('stable', 'DRIFT'),
      queries: [{ expr: `max by (check) (${S.driftDetected}${wf})`, legend: '{{check}}', instant: true }],
    }))
    .withPanel(timeseries({
      id: P.driftPValue, title: 'Drift p-value by check', unit: UNIT.count, width: 12, min: 0, max: 1,
      description: 'The p-value of each drift check: low means the current window is unlikely under the reference.',
      queries: [{ expr: `${S.driftPValue}${wf}`, legend: '{{check}}' }],
    }))
    .withPanel(timeseries({
      id: P.samplingRate, title: 'QA sampling rate', unit: UNIT.ratio, width: 12, min: 0, max: 1,
      description: 'Share of auto-approved work sent to audit, as the sampling controller sets it.',
      queries: [{ expr: `${S.samplingRate}${wf}`, legend: 'rate' }],
    }))
    .withPanel(timeseries({
      id: P.controlViolations, title: 'Control violations by control', unit: UNIT.count, width: 12, bars: true,
      description: 'New silent exceptions per interval, by control.',
      thresholds: above(1),
      queries: [{ expr: `sum by (control) (increase(${S.controlViolations}${wf}[${RATE}]))`, legend: '{{control}}' }],
    }))
    .build();
}
