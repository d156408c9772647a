import { RowBuilder, type Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import { loopwatchDashboard, prometheusVariable, UIDS, WF_MULTI, workflowVariable } from './base.js';
import { OBJECTIVES, TIERS } from './objectives.js';
import { above, below, flag, ratioWithInterval, stat, timeseries, UNIT, type Query } from './panels.js';
import { lower, pct, SERIES as S, upper } from './series.js';
import { sliExpr } from './slo-exprs.js';

const wf = `{${WF_MULTI}}`;
const RATE = '$__rate_interval';

/** A ratio series and its two bounds (queries A, B, C), one legend for all three. */
export function ratioQueries(ratio: string, selector: string, legend: string): Query[] {
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
  timeToDecide: 4,
  slaWithin: 11,
  slaBreaches: 12,
  openPastDue: 13,
  lineStopped: 14,
  escalations: 15,
  override: 21,
  rework: 22,
  /** one per tier, each against its tier's objective */
  falseAccept: { '1': 23, '2': 24, '3': 25 },
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
  const b = loopwatchDashboard(
    'Loopwatch / Governance overview',
    UIDS.overview,
    'Queue health, SLA compliance, quality ratios with their intervals, drift, sampling and control violations across workflows.',
  )
    .withVariable(prometheusVariable())
    .withVariable(workflowVariable({ multi: true }))
    .withRow(new RowBuilder('Queues'))
    .withPanel(timeseries({
      id: P.queueDepth, title: 'Queue depth by level', unit: UNIT.count, width: 8,
      description: 'Open review items per workflow and escalation level (unassigned: not yet taken by any level).',
      queries: [{ expr: `sum by (workflow, level) (${S.queueDepth}${wf})`, legend: '{{workflow}} L{{level}}' }],
    }))
    .withPanel(timeseries({
      id: P.oldestAge, title: 'Oldest open item', unit: UNIT.seconds, width: 8,
      description: `Age of the oldest open review item per workflow and level. Past ${OBJECTIVES.queueOldestAgeSeconds / 60} min and still climbing, nobody takes it (HitlQueueOldestAgeGrowing).`,
      thresholds: above(OBJECTIVES.queueOldestAgeSeconds),
      queries: [{ expr: `max by (workflow, level) (${S.queueOldestAge}${wf})`, legend: '{{workflow}} L{{level}}' }],
    }))
    .withPanel(timeseries({
      id: P.timeToDecide, title: 'Time to decide (p90)', unit: UNIT.seconds, width: 8,
      description: '90th percentile of the time to the first decision, per workflow and tier.',
      queries: [{ expr: `max by (workflow, tier) (${S.timeToDecide}{${WF_MULTI}, ${pct(90)}})`, legend: '{{workflow}} tier {{tier}}' }],
    }))
    .withRow(new RowBuilder('SLA and escalation'))
    .withPanel(stat({
      id: P.slaWithin, title: 'Completed within SLA (24 h)', unit: UNIT.ratio, width: 6, min: 0, max: 1,
      description: `Share of review items (completion clocks) judged in the last 24 h that met their SLA, per workflow; an overdue open item counts as late. Red below the SLO ${OBJECTIVES.slaCompletion}.`,
      thresholds: below(OBJECTIVES.slaCompletion),
      queries: [{ expr: sliExpr('1d'), legend: '{{workflow}}', instant: true }],
    }))
    .withPanel(timeseries({
      id: P.slaBreaches, title: 'SLA breaches per stage', unit: UNIT.count, width: 6, bars: true,
      description: 'New SLA breaches per interval, by workflow and stage (acknowledge, complete, escalate, ...).',
      queries: [{ expr: `sum by (workflow, stage) (increase(${S.slaBreaches}${wf}[${RATE}]))`, legend: '{{workflow}} {{stage}}' }],
    }))
    .withPanel(timeseries({
      id: P.openPastDue, title: 'Open past their SLA', unit: UNIT.count, width: 6,
      description: 'Items still open after their SLA target, by workflow and stage: work that is late right now (HitlSlaBreach pages on any).',
      thresholds: above(1),
      queries: [{ expr: `sum by (workflow, stage) (${S.slaOpenPastDue}${wf})`, legend: '{{workflow}} {{stage}}' }],
    }))
    .withPanel(stat({
      id: P.lineStopped, title: 'Stop-the-line', unit: UNIT.count, width: 6,
      description: 'Whether a workflow\'s line is stopped now (a severe issue paused automation until a fresh human review).',
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
      description: 'Share of human-decided cases whose final decision overrode the model, per workflow and tier, with its Wilson 95% interval.',
      queries: ratioQueries(S.overrideRatio, wf, '{{workflow}} t{{tier}}'),
    }))
    .withPanel(ratioWithInterval({
      id: P.rework, title: 'Rework ratio', unit: UNIT.ratio, width: 12, min: 0,
      description: 'Share of closed cases reopened after closing, per workflow and tier, with its Wilson 95% interval.',
      queries: ratioQueries(S.reworkRatio, wf, '{{workflow}} t{{tier}}'),
    }));
  for (const tier of TIERS) {
    const objective = OBJECTIVES.falseAcceptByTier[tier];
    b.withPanel(ratioWithInterval({
      id: P.falseAccept[tier], title: `False-accept ratio, tier ${tier}`, unit: UNIT.ratio, width: 8, min: 0,
      description: `Sampling-weighted share of accepted tier-${tier} work a QA audit found incorrect, with its 95% interval. HitlFalseAcceptAboveObjective fires when the lower bound (lower dashed line) is above the tier's objective ${objective} (red line).`,
      thresholds: above(objective),
      queries: ratioQueries(S.falseAcceptRatio, `{${WF_MULTI}, tier="${tier}"}`, '{{workflow}}'),
    }));
  }
  return b
    .withRow(new RowBuilder('Drift, sampling and controls'))
    .withPanel(stat({
      id: P.driftDetected, title: 'Drifted checks', unit: UNIT.count, width: 8,
      description: 'Per workflow, how many drift checks (over all model versions) flag the current window against the reference; the drill-down lists which.',
      thresholds: above(1),
      queries: [{ expr: `sum by (workflow) (${S.driftDetected}${wf})`, legend: '{{workflow}}', instant: true }],
    }))
    .withPanel(timeseries({
      id: P.driftStatistic, title: 'Drift statistic', unit: UNIT.count, width: 16,
      description: 'The test statistic of each drift check (KS distance, PSI, chi-square, CUSUM, ...) per workflow and model version.',
      queries: [{ expr: `${S.driftStatistic}${wf}`, legend: '{{workflow}} {{model_version}} {{check}}' }],
    }))
    .withPanel(timeseries({
      id: P.samplingRate, title: 'QA sampling rate', unit: UNIT.ratio, width: 8, min: 0, max: 1,
      description: 'Share of auto-approved cases sampled for human review, per workflow, as the sampling controller sets it.',
      queries: [{ expr: `${S.samplingRate}${wf}`, legend: '{{workflow}}' }],
    }))
    .withPanel(stat({
      id: P.samplingState, title: 'Sampling state', unit: UNIT.count, width: 8,
      description: 'The sampling controller\'s current state per workflow (normal, tightened, reduced).',
      queries: [{ expr: `max by (workflow, state) (${S.samplingState}${wf}) == 1`, legend: '{{workflow}}: {{state}}', instant: true }],
    }))
    .withPanel(timeseries({
      id: P.controlViolations, title: 'Control violations', unit: UNIT.count, width: 8, bars: true,
      description: 'New silent exceptions per interval, by workflow and control (HitlControlViolation fires on any).',
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
      id: P.metricJobAge, title: 'Metric results age (intervals)', unit: UNIT.times, width: 6,
      description: `Time since the metric job last succeeded, in schedule intervals: every governance number above is that old. HitlMetricJobStale fires past ${OBJECTIVES.metricJobStaleIntervals}.`,
      thresholds: above(OBJECTIVES.metricJobStaleIntervals),
      queries: [{ expr: `(time() - ${S.metricJobLastSuccess}) / ${S.metricJobInterval}`, legend: '{{instance}}', instant: true }],
    }))
    .withPanel(timeseries({
      id: P.metricJobFailures, title: 'Metric job failures and duration', unit: UNIT.count, width: 6,
      description: 'Metric job failures per interval (bars; HitlMetricJobFailing fires on any) beside its run duration, 90th percentile (line, seconds).',
      queries: [
        { expr: `sum(increase(${S.metricJobFailures}[${RATE}]))`, legend: 'failures' },
        { expr: `histogram_quantile(0.9, sum by (le) (rate(${S.metricJobSeconds}_bucket[${RATE}])))`, legend: 'duration p90' },
      ],
    }).overrideByQuery('A', [{ id: 'custom.drawStyle', value: 'bars' }]).overrideByQuery('B', [{ id: 'unit', value: UNIT.seconds }]))
    .build();
}
