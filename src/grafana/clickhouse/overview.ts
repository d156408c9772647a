import * as common from '@grafana/grafana-foundation-sdk/common';
import {
  DatasourceVariableBuilder,
  QueryVariableBuilder,
  RowBuilder,
  VariableRefresh,
  VariableSort,
  type Dashboard,
} from '@grafana/grafana-foundation-sdk/dashboard';
import { PanelBuilder as StatBuilder } from '@grafana/grafana-foundation-sdk/stat';
import { PanelBuilder as TableBuilder } from '@grafana/grafana-foundation-sdk/table';
import { PanelBuilder as TimeseriesBuilder } from '@grafana/grafana-foundation-sdk/timeseries';
import { HIGH_RISK_SIGNALS } from '../../events/vocabulary.js';
import { loopwatchDashboard, UIDS } from '../base.js';
import { OBJECTIVES } from '../objectives.js';
import { above, thresholds, UNIT } from '../panels.js';
import { CLICKHOUSE, CLICKHOUSE_PLUGIN, ClickHouseQueryBuilder, FORMAT } from './query.js';
import { arraySql, wilsonOfShare, wilsonSql, workflowFilter } from './sql.js';

const WF = workflowFilter();

/** The tier's false-accept objective (prometheus/rules: tier:hitl_false_accept_objective:ratio). */
function objectiveSql(tier: string): string {
  const cases = Object.entries(OBJECTIVES.falseAcceptByTier).map(([t, v]) => `${tier} = ${t}, ${v}`);
  return `multiIf(${cases.join(', ')}, NULL)`;
}

interface ChPanel {
  id: number;
  title: string;
  description: string;
  unit: string;
  sql: string;
  width?: number;
  thresholds?: ReturnType<typeof above>;
}

function chTimeseries(p: ChPanel): TimeseriesBuilder {
  const b = new TimeseriesBuilder()
    .id(p.id).title(p.title).description(p.description).datasource(CLICKHOUSE).unit(p.unit)
    .span(p.width ?? 12).height(8)
    .withTarget(new ClickHouseQueryBuilder(p.sql, FORMAT.timeSeries).refId('A'))
    .legend(new common.VizLegendOptionsBuilder().showLegend(true).displayMode(common.LegendDisplayMode.List).placement(common.LegendPlacement.Bottom))
    .tooltip(new common.VizTooltipOptionsBuilder().mode(common.TooltipDisplayMode.Multi).sort(common.SortOrder.Descending));
  if (p.thresholds) b.thresholds(thresholds(p.thresholds)).thresholdsStyle(new common.GraphThresholdsStyleConfigBuilder().mode(common.GraphThresholdsStyleMode.Dashed));
  return b;
}

function chTable(p: ChPanel): TableBuilder {
  const b = new TableBuilder()
    .id(p.id).title(p.title).description(p.description).datasource(CLICKHOUSE).unit(p.unit)
    .span(p.width ?? 12).height(8)
    .withTarget(new ClickHouseQueryBuilder(p.sql, FORMAT.table).refId('A'));
  if (p.thresholds) b.thresholds(thresholds(p.thresholds));
  return b;
}

function chStat(p: ChPanel): StatBuilder {
  const b = new StatBuilder()
    .id(p.id).title(p.title).description(p.description).datasource(CLICKHOUSE).unit(p.unit)
    .span(p.width ?? 12).height(5)
    .withTarget(new ClickHouseQueryBuilder(p.sql, FORMAT.table).refId('A'))
    .reduceOptions(new common.ReduceDataOptionsBuilder().calcs(['lastNotNull']).values(true))
    .colorMode(common.BigValueColorMode.Background)
    .graphMode(common.BigValueGraphMode.None);
  if (p.thresholds) b.thresholds(thresholds(p.thresholds));
  return b;
}

const override = wilsonSql('overridden', 'decided');
// the Kish effective sample size in place of n (docs/metrics/quality.md#false-accept-rate)
const falseAccept = wilsonOfShare('sum_wy / sum_w', 'n_eff');
const rework = wilsonSql('reworked', 'closed');

/** Every panel's SQL, by panel id: the test runs each against chdb. */
export const CLICKHOUSE_SQL = {
  casesCreated: `SELECT $__timeInterval(created_at) AS time, workflow, count() AS cases
FROM case_facts
WHERE $__timeFilter(created_at) AND ${WF}
GROUP BY time, workflow
ORDER BY time, workflow`,

  // open at the end of the range: assigned by then and not ended by then
  openItems: `SELECT c.workflow AS workflow, coalesce(a.level, 1) AS level, count() AS open_items,
       dateDiff('second', min(a.assigned_at), $__toTime) AS oldest_age_seconds
FROM assignments a JOIN case_facts c ON c.case_id = a.case_id
WHERE a.assigned_at <= $__toTime AND (a.ended_at IS NULL OR a.ended_at > $__toTime) AND ${workflowFilter('c.workflow')}
GROUP BY workflow, level
ORDER BY workflow, level`,

  // R type 7 percentiles, as the metric job's quantile_cont
  timeToDecide: `SELECT $__timeInterval(ts) AS time, workflow,
       quantileExactInclusive(0.5)(seconds) AS p50, quantileExactInclusive(0.9)(seconds) AS p90
FROM decision_facts
WHERE $__timeFilter(ts) AND seconds IS NOT NULL AND ${WF}
GROUP BY time, workflow
ORDER BY time, workflow`,

  escalations: `SELECT $__timeInterval(ts) AS time, concat(workflow, ' to L', toString(coalesce(to_level, 2))) AS target, count() AS escalations
FROM log_events
WHERE type = 'case.escalated' AND $__timeFilter(ts) AND ${WF}
GROUP BY time, target
ORDER BY time, target`,

  // the latest stop or resume at the end of the range tells whether the line is stopped then;
  // every workflow gets a row, 0 when it never stopped
  lineStopped: `SELECT w.workflow AS workflow, s.stopped AS stopped, s.stopped_seconds AS stopped_seconds
FROM (SELECT DISTINCT assumeNotNull(workflow) AS workflow FROM case_facts WHERE workflow IS NOT NULL AND ${WF}) w
LEFT JOIN (
  SELECT assumeNotNull(workflow) AS workflow, toUInt8(argMax(type, ts) = 'line.stopped') AS stopped,
         if(stopped = 1, dateDiff('second', max(ts), $__toTime), 0) AS stopped_seconds
  FROM log_events
  WHERE type IN ('line.stopped', 'line.resumed') AND ts <= $__toTime AND workflow IS NOT NULL
  GROUP BY workflow
) s ON s.workflow = w.workflow
ORDER BY workflow`,

  // docs/metrics/quality.md#override-rate: final human decision override, or a final label
  // other than the model's
  override: `SELECT time, workflow, overridden / decided AS override_ratio,
       ${override.lower} AS lower, ${override.upper} AS upper
FROM (
  SELECT $__timeInterval(final_decided_at) AS time, workflow,
         countIf(final_decision = 'override' OR (final_label IS NOT NULL AND model_label IS NOT NULL AND final_label != model_label)) AS overridden,
         count() AS decided
  FROM case_facts
  WHERE final_decision IS NOT NULL AND $__timeFilter(final_decided_at) AND ${WF}
  GROUP BY time, workflow
)
ORDER BY time, workflow`,

  // docs/metrics/quality.md#false-accept-rate: the Hajek estimate over audited acceptances,
  // each weighted by the inverse of its sampling rate, Wilson at the Kish n_eff; per workflow and
  // tier, beside the tier's objective (the alert compares the lower bound with it)
  falseAccept: `SELECT time, concat(workflow, ' tier ', toString(tier)) AS series, audits,
       sum_wy / sum_w AS false_accept_ratio, ${falseAccept.lower} AS lower, ${falseAccept.upper} AS upper,
       ${objectiveSql('tier')} AS objective
FROM (
  SELECT time, workflow, tier, countIf(audited) AS audits,
         sumIf(w, audited) AS sum_w, sumIf(w, audited AND audit_verdict = 'incorrect') AS sum_wy,
         if(sumIf(w * w, audited) > 0, pow(sumIf(w, audited), 2) / sumIf(w * w, audited), 0) AS n_eff
  FROM (
    SELECT $__timeInterval(created_at) AS time, workflow, tier, audit_verdict,
           if(final_decision IS NOT NULL, final_decision = 'approve', lane = 'auto_approve' AND outcome IN ('executed', 'approved')) AS is_accepted,
           audits > 0 AND (final_decided_at IS NULL OR last_audited_at >= final_decided_at) AS audited,
           1.0 / coalesce(audit_sampling_rate, if(sampled AND triage_sampling_rate > 0, triage_sampling_rate, NULL), 1.0) AS w
    FROM case_facts
    WHERE $__timeFilter(created_at) AND ${WF}
  )
  WHERE is_accepted
  GROUP BY time, workflow, tier
)
WHERE audits > 0
ORDER BY time, series`,

  // docs/metrics/quality.md#rework-rate: reopened after the first close
  rework: `SELECT time, workflow, reworked / closed AS rework_ratio, ${rework.lower} AS lower, ${rework.upper} AS upper
FROM (
  SELECT $__timeInterval(first_closed_at) AS time, workflow,
         countIf(last_reopened_at > first_closed_at) AS reworked, count() AS closed
  FROM case_facts
  WHERE first_closed_at IS NOT NULL AND $__timeFilter(first_closed_at) AND ${WF}
  GROUP BY time, workflow
)
ORDER BY time, workflow`,

  // the QA rate triage applied to auto-approved work: what the sampling controller set then
  samplingRate: `SELECT $__timeInterval(triaged_at) AS time, workflow, avg(triage_sampling_rate) AS sampling_rate
FROM case_facts
WHERE lane = 'auto_approve' AND triage_sampling_rate IS NOT NULL AND $__timeFilter(triaged_at) AND ${WF}
GROUP BY time, workflow
ORDER BY time, workflow`,

  // the model's confidence per version: the input of the confidence drift check
  confidence: `SELECT $__timeInterval(created_at) AS time, concat(workflow, ' ', coalesce(model_version, '?')) AS model, avg(confidence) AS mean_confidence
FROM case_facts
WHERE confidence IS NOT NULL AND $__timeFilter(created_at) AND ${WF}
GROUP BY time, model
ORDER BY time, model`,

  // the controls of sql/clickhouse/metrics/controls/violations.sql that case_facts and
  // decision_facts answer alone (decided_while_line_stopped needs the stop intervals: see
  // the Prometheus overview)
  controlViolations: `SELECT $__timeInterval(detected_at) AS time, control, count() AS violations
FROM (
  SELECT 'high_risk_auto_approved' AS control, workflow, triaged_at AS detected_at FROM case_facts
   WHERE lane = 'auto_approve' AND hasAny(risk_signals, ${arraySql(HIGH_RISK_SIGNALS)})
  UNION ALL
  SELECT 'executed_without_approver', workflow, closed_at FROM case_facts
   WHERE outcome = 'executed' AND (lane = 'approval' OR tier = 3) AND NOT approver_approved
  UNION ALL
  SELECT 'dual_review_single_reviewer', workflow, closed_at FROM case_facts
   WHERE lane = 'dual_review' AND closed_at IS NOT NULL AND distinct_reviewers < 2
  UNION ALL
  SELECT 'approved_by_creator', workflow, min(ts) FROM decision_facts WHERE approved_by_creator GROUP BY case_id, workflow
  UNION ALL
  SELECT 'override_without_reason', workflow, final_decided_at FROM case_facts WHERE override_without_reason
  UNION ALL
  SELECT 'gate_passed_with_failing_check', workflow, final_decided_at FROM case_facts WHERE gate_passed_with_fail
)
WHERE detected_at IS NOT NULL AND $__timeFilter(detected_at) AND ${WF}
GROUP BY time, control
ORDER BY time, control`,
} as const;

export function overviewClickHouseDashboard(): Dashboard {
  const Q = CLICKHOUSE_SQL;
  return loopwatchDashboard(
    'Loopwatch / Governance overview (ClickHouse)',
    UIDS.overviewClickHouse,
    'The governance overview computed in ClickHouse from the Loopwatch tables (case_facts, decision_facts, assignments, log_events) through the official ClickHouse datasource, for deployments that read the store directly.',
  )
    .withVariable(new DatasourceVariableBuilder('datasource').label('ClickHouse').type(CLICKHOUSE_PLUGIN))
    .withVariable(
      new QueryVariableBuilder('workflow')
        .label('Workflow')
        .datasource(CLICKHOUSE)
        .query({ editorType: 'sql', rawSql: 'SELECT DISTINCT workflow FROM case_facts WHERE workflow IS NOT NULL ORDER BY workflow' })
        .definition('SELECT DISTINCT workflow FROM case_facts WHERE workflow IS NOT NULL ORDER BY workflow')
        .refresh(VariableRefresh.OnDashboardLoad)
        .sort(VariableSort.AlphabeticalAsc)
        .multi(true)
        .includeAll(true),
    )
    .withRow(new RowBuilder('Queues'))
    .withPanel(chTimeseries({ id: 1, title: 'Cases created', unit: UNIT.count, width: 8, sql: Q.casesCreated,
      description: 'Cases created per interval, per workflow: the work arriving.' }))
    .withPanel(chTable({ id: 2, title: 'Open items at the end of the range', unit: UNIT.count, width: 8, sql: Q.openItems,
      description: 'Review items assigned and not yet ended (decided, escalated, closed or reassigned) at the end of the time range, per workflow and level, with the age of the oldest.' })
      .overrideByName('oldest_age_seconds', [{ id: 'unit', value: UNIT.seconds }]))
    .withPanel(chTimeseries({ id: 3, title: 'Time to decide', unit: UNIT.seconds, width: 8, sql: Q.timeToDecide,
      description: 'Median and 90th percentile of the time a decision took (from the reviewer\'s acknowledgement, else assignment), per workflow.' }))
    .withRow(new RowBuilder('Escalation and stop-the-line'))
    .withPanel(chTimeseries({ id: 11, title: 'Escalations', unit: UNIT.count, width: 16, sql: Q.escalations,
      description: 'case.escalated events per interval, by workflow and target level.' }))
    .withPanel(chTable({ id: 12, title: 'Stop-the-line', unit: UNIT.count, width: 8, sql: Q.lineStopped,
      thresholds: above(1),
      description: `Whether each workflow's line is stopped at the end of the range, and for how long; the alert pages past ${OBJECTIVES.lineStoppedSeconds} s.` })
      .overrideByName('stopped_seconds', [{ id: 'unit', value: UNIT.seconds }]))
    .withRow(new RowBuilder('Quality (lower and upper: 95% interval)'))
    .withPanel(chTimeseries({ id: 21, title: 'Override ratio', unit: UNIT.ratio, sql: Q.override,
      description: 'Share of cases decided in each interval whose final human decision overrode the model, with the Wilson 95% interval.' }))
    .withPanel(chTimeseries({ id: 22, title: 'False-accept ratio by tier', unit: UNIT.ratio, sql: Q.falseAccept,
      description: `Sampling-weighted share of accepted cases (created in each interval) a QA audit found incorrect, per workflow and tier, with the Wilson interval at the Kish effective sample size and the tier's objective (${Object.entries(OBJECTIVES.falseAcceptByTier).map(([t, v]) => `tier ${t}: ${v}`).join(', ')}); the alert fires when the lower bound is above it.` })
      .overrideByRegexp('^audits', [{ id: 'unit', value: UNIT.count }, { id: 'custom.axisPlacement', value: 'right' }, { id: 'custom.drawStyle', value: 'bars' }])
      .overrideByRegexp('^objective', [{ id: 'color', value: { mode: 'fixed', fixedColor: 'red' } }, { id: 'custom.lineStyle', value: { fill: 'dash', dash: [10, 10] } }]))
    .withPanel(chTimeseries({ id: 23, title: 'Rework ratio', unit: UNIT.ratio, sql: Q.rework,
      description: 'Share of cases first closed in each interval that were reopened afterwards, with the Wilson 95% interval.' }))
    .withPanel(chTimeseries({ id: 24, title: 'Model confidence by version', unit: UNIT.count, sql: Q.confidence,
      description: 'Mean model confidence of new cases per workflow and model version: the input the confidence drift check compares.' }))
    .withRow(new RowBuilder('Sampling and controls'))
    .withPanel(chTimeseries({ id: 31, title: 'QA sampling rate at triage', unit: UNIT.ratio, sql: Q.samplingRate,
      description: 'Mean sampling rate triage applied to auto-approved cases per interval: the rate the sampling controller had set.' }))
    .withPanel(chTimeseries({ id: 32, title: 'Control violations', unit: UNIT.count, sql: Q.controlViolations, thresholds: above(1),
      description: 'Silent exceptions per interval, by control (decided_while_line_stopped is on the Prometheus overview only).' }))
    .build();
}
