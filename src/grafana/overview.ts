import { RowBuilder, type Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import { loopwatchDashboard, prometheusVariable, UIDS, WF_MULTI, workflowVariable } from './base.js';
import { OBJECTIVES } from './objectives.js';
import { above, below, flag, ratioWithInterval, stat, timeseries, UNIT } from './panels.js';
import { lower, SERIES as S, upper } from './series.js';

const wf = `{${WF_MULTI}}`;
const RATE = '$__rate_interval';

/** A ratio series and its two bounds, one legend for all three. */
export function ratioQueries(ratio: string, selector: string, legend: string) {
  return [
    { expr: `${ratio}${selector}`, legend },
    { expr: `${lower(ratio)}${selector}`, legend: `${legend} lower` },
    { expr: `${upper(ratio)}${selector}`, legend: `${legend} upper` },
  ];
}

/** Panel ids alert annotations link to (viewPanel=<id>): stable once published. */
export const OVERVIEW_PANELS = {
  queueDepth: 2,
  oldestAge: 3,
  slaWithin: 11,
  slaBreaches: 12,
  openPastDue: 13,
  lineStopped: 14,
  escalations: 15,
  override: 21,
  falseAccept: 22,
  rework: 23,
  falseAcceptAudits: 24,
  driftDetected: 31,
  driftStatistic: 32,
  samplingRate: 33,
  samplingState: 34,
  controlViolations: 35,
  ingestRate: 41,
  batchLatency: 42,
  metricJobAge: 43,
  metricJobFailures: 44,
} as const;
const P = OVERVIEW_PANELS;

export function overviewDashboard(): Dashboard {
  return loopwatchDashboard(
    'Loopwatch / Governance overview',
    UIDS.overview,
    'Queue health, SLA compliance, quality ratios with their intervals, drift, sampling and control violations across workflows.',
  )
    .withVariable(prometheusVariable())
    .withVariable(workflowVariable({ multi: true }))
    .withRow(new RowBuilder('Queues'))
    .withPanel(timeseries({
      id: P.queueDepth, title: 'Queue depth by level', unit: UNIT.count, width: 8,
      description: 'Open review items (assigned, not yet decided or handed on) per workflow and escalation level.',
      queries: [{ expr: `sum by (workflow, level) (${S.queueDepth}${wf})`, legend: '{{workflow}} L{{level}}' }],
    }))
    .withPanel(timeseries({
      id: P.oldestAge, title: 'Oldest open item', unit: UNIT.seconds, width: 8,
      description: 'Age of the oldest open review item per workflow and lane; a line that only climbs is a queue nobody works.',
      queries: [{ expr: `max by (workflow, lane) (${S.queueOldestAge}${wf})`, legend: '{{workflow}} {{lane}}' }],
    }))
    .withPanel(timeseries({
      id: 4, title: 'Time to decide (p90)', unit: UNIT.seconds, width: 8,
      description: '90th percentile of the time from acknowledgement (else assignment) to decision, per workflow and tier.',
      queries: [{ expr: `max by (workflow, tier) (${S.timeToDecide}{${WF_MULTI}, quantile="0.9"})`, legend: '{{workflow}} tier {{tier}}' }],
    }))
    .withRow(new RowBuilder('SLA and escalation'))
    .withPanel(stat({
      id: P.slaWithin, title: 'Completed within SLA (24 h)', unit: UNIT.ratio, width: 6, min: 0, max: 1,
      description: `Share of review items completed in the last 24 h that met their SLA, per workflow. Red below the objective (${OBJECTIVES.slaWithin}).`,
      thresholds: below(OBJECTIVES.slaWithin),
      queries: [{
        expr: `sum by (workflow) (increase(${S.slaItemsWithin}${wf}[1d])) / sum by (workflow) (increase(${S.slaItems}${wf}[1d]))`,
        legend: '{{workflow}}', instant: true,
      }],
    }))
    .withPanel(timeseries({
      id: P.slaBreaches, title: 'SLA breaches per stage', unit: UNIT.count, width: 6, bars: true,
      description: 'New SLA breaches per interval, by workflow and stage (acknowledge, complete, escalate, ...).',
      queries: [{ expr: `sum by (workflow, stage) (increase(${S.slaBreaches}${wf}[${RATE}]))`, legend: '{{workflow}} {{stage}}' }],
    }))
    .withPanel(timeseries({
      id: P.openPastDue, title: 'Open past their SLA', unit: UNIT.count, width: 6,
      description: 'Items still open after their SLA target, by workflow and stage: work that is late right now.',
      queries: [{ expr: `sum by (workflow, stage) (${S.slaOpenPastDue}${wf})`, legend: '{{workflow}} {{stage}}' }],
    }))
    .withPanel(stat({
      id: P.lineStopped, title: 'Stop-the-line', unit: UNIT.count, width: 6,
      description: 'Whether a workflow\'s line is stopped now (a severe issue halted automated decisions).',
      thresholds: above(1), mappings: flag('running', 'STOPPED'),
      queries: [{ expr: `max by (workflow) (${S.lineStopped}${wf})`, legend: '{{workflow}}', instant: true }],
    }))
    .withPanel(timeseries({
      id: P.escalations, title: 'Escalations by level', unit: UNIT.count, width: 24, height: 6, bars: true,
      description: 'Cases escalated per interval, by workflow and the level they went to.',
      queries: [{ expr: `sum by (workflow, level) (increase(${S.escalations}${wf}[${RATE}]))`, legend: '{{workflow}} to L{{level}}' }],
    }))
    .withRow(new RowBuilder('Quality (dashed: 95% interval)'))
    .withPanel(ratioWithInterval({
      id: P.override, title: 'Override ratio', unit: UNIT.ratio, width: 12, min: 0,
      description: 'Share of human-decided cases whose final decision overrode the model, with its Wilson 95% interval.',
      queries: ratioQueries(S.overrideRatio, wf, '{{workflow}} t{{tier}} {{lane}}'),
    }))
    .withPanel(ratioWithInterval({
      id: P.falseAccept, title: 'False-accept ratio', unit: UNIT.ratio, width: 12, min: 0,
      description: `Share of accepted work a QA audit found incorrect (sampling-weighted), with its interval. The alert fires when the lower bound is above ${OBJECTIVES.falseAcceptRatio} (dashed red line).`,
      thresholds: above(OBJECTIVES.falseAcceptRatio),
      queries: ratioQueries(S.falseAcceptRatio, wf, '{{workflow}} t{{tier}} {{lane}}'),
    }))
    .withPanel(ratioWithInterval({
      id: P.rework, title: 'Rework ratio', unit: UNIT.ratio, width: 12, min: 0,
      description: 'Share of closed cases reopened after closing, with its Wilson 95% interval.',
      queries: ratioQueries(S.reworkRatio, wf, '{{workflow}} t{{tier}} {{lane}}'),
    }))
    .withPanel(timeseries({
      id: P.falseAcceptAudits, title: 'Audits behind the false-accept ratio', unit: UNIT.count, width: 12,
      description: 'Accepted cases with a valid audit: the sample size. Few audits, wide interval.',
      queries: [{ expr: `${S.falseAcceptAudits}${wf}`, legend: '{{workflow}} t{{tier}} {{lane}}' }],
    }))
    .withRow(new RowBuilder('Drift, sampling and controls'))
    .withPanel(stat({
      id: P.driftDetected, title: 'Drift detected', unit: UNIT.count, width: 8,
      description: 'Per workflow and drift check, whether the latest window differs from the reference.',
      thresholds: above(1), mappings: flag('stable', 'DRIFT'),
      queries: [{ expr: `max by (workflow, check) (${S.driftDetected}${wf})`, legend: '{{workflow}} {{check}}', instant: true }],
    }))
    .withPanel(timeseries({
      id: P.driftStatistic, title: 'Drift statistic', unit: UNIT.count, width: 16,
      description: 'The test statistic of each drift check (KS distance, PSI, chi-square) per workflow.',
      queries: [{ expr: `${S.driftStatistic}${wf}`, legend: '{{workflow}} {{check}}' }],
    }))
    .withPanel(timeseries({
      id: P.samplingRate, title: 'QA sampling rate', unit: UNIT.ratio, width: 8, min: 0, max: 1,
      description: 'Share of auto-approved work sent to QA audit, per workflow, as the sampling controller sets it.',
      queries: [{ expr: `${S.samplingRate}${wf}`, legend: '{{workflow}}' }],
    }))
    .withPanel(stat({
      id: P.samplingState, title: 'Sampling state', unit: UNIT.count, width: 8,
      description: 'The sampling controller\'s current state per workflow (normal, tightened, reduced).',
      queries: [{ expr: `max by (workflow, state) (${S.samplingState}${wf}) == 1`, legend: '{{workflow}}: {{state}}', instant: true }],
    }))
    .withPanel(timeseries({
      id: P.controlViolations, title: 'Control violations', unit: UNIT.count, width: 8, bars: true,
      description: 'New silent exceptions per interval, by workflow and control (high-risk auto-approved, approved by creator, ...).',
      thresholds: above(1),
      queries: [{ expr: `sum by (workflow, control) (increase(${S.controlViolations}${wf}[${RATE}]))`, legend: '{{workflow}} {{control}}' }],
    }))
    .withRow(new RowBuilder('Loopwatch itself'))
    .withPanel(timeseries({
      id: P.ingestRate, title: 'Ingest rate', unit: 'ops', width: 6,
      description: 'Events received per second, by result (accepted, duplicate, rejected).',
      queries: [{ expr: `sum by (result) (rate(${S.ingestEvents}[${RATE}]))`, legend: '{{result}}' }],
    }))
    .withPanel(timeseries({
      id: P.batchLatency, title: 'Batch latency (p99)', unit: UNIT.seconds, width: 6,
      description: 'Time from a batch arriving to its events being durable, 99th percentile.',
      queries: [{ expr: `histogram_quantile(0.99, sum by (le) (rate(${S.ingestBatchSeconds}_bucket[${RATE}])))`, legend: 'p99' }],
    }))
    .withPanel(stat({
      id: P.metricJobAge, title: 'Metric results age', unit: UNIT.seconds, width: 6,
      description: `Time since the metric job last succeeded; every governance number above is at most this old. Red past ${OBJECTIVES.metricJobStaleSeconds} s.`,
      thresholds: above(OBJECTIVES.metricJobStaleSeconds),
      queries: [{ expr: `time() - ${S.metricJobLastSuccess}`, legend: 'age', instant: true }],
    }))
    .withPanel(timeseries({
      id: P.metricJobFailures, title: 'Metric job failures and duration', unit: UNIT.count, width: 6,
      description: 'Metric job failures per interval (bars) beside its run duration, 90th percentile (line, seconds).',
      queries: [
        { expr: `sum(increase(${S.metricJobFailures}[${RATE}]))`, legend: 'failures' },
        { expr: `histogram_quantile(0.9, sum by (le) (rate(${S.metricJobSeconds}_bucket[${RATE}])))`, legend: 'duration p90' },
      ],
    }).overrideByQuery('A', [{ id: 'custom.drawStyle', value: 'bars' }]).overrideByQuery('B', [{ id: 'unit', value: UNIT.seconds }]))
    .build();
}
