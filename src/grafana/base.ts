import {
  DashboardBuilder,
  DashboardLinkBuilder,
  DashboardLinkType,
  DatasourceVariableBuilder,
  QueryVariableBuilder,
  VariableRefresh,
  VariableSort,
} from '@grafana/grafana-foundation-sdk/dashboard';
import { PROMETHEUS } from './panels.js';
import { SERIES } from './series.js';

/**
 * Dashboard uids are part of the contract with the alert rules: an alert's `dashboard`
 * annotation links to /d/<uid>?viewPanel=<id>, so neither may change once published.
 */
export const UIDS = {
  overview: 'loopwatch-overview',
  reviewers: 'loopwatch-reviewers',
  workflow: 'loopwatch-workflow',
  slo: 'loopwatch-slo',
  overviewClickHouse: 'loopwatch-overview-clickhouse',
} as const;

export const TAG = 'loopwatch';

/** The settings every Loopwatch dashboard shares, and a link menu to the others. */
export function loopwatchDashboard(title: string, uid: string, description: string): DashboardBuilder {
  return new DashboardBuilder(title)
    .uid(uid)
    .description(description)
    .tags([TAG])
    .editable()
    .timezone('browser')
    .refresh('1m')
    .time({ from: 'now-24h', to: 'now' })
    .link(new DashboardLinkBuilder('Loopwatch').type(DashboardLinkType.Dashboards).tags([TAG]).asDropdown(true).includeVars(true).keepTime(true));
}

/** Which Prometheus to read: a variable, so one JSON serves every installation. */
export function prometheusVariable(): DatasourceVariableBuilder {
  return new DatasourceVariableBuilder('datasource').label('Prometheus').type('prometheus');
}

/**
 * The workflow filter, from the labels the exporter publishes. `multi` with All for the
 * overviews (their queries match `workflow=~"$workflow"`); single for the drill-down.
 */
export function workflowVariable(options: { multi: boolean }): QueryVariableBuilder {
  const b = new QueryVariableBuilder('workflow')
    .label('Workflow')
    .datasource(PROMETHEUS)
    .query({ query: `label_values(${SERIES.queueDepth}, workflow)`, refId: 'workflow' })
    .definition(`label_values(${SERIES.queueDepth}, workflow)`)
    .refresh(VariableRefresh.OnTimeRangeChanged)
    .sort(VariableSort.AlphabeticalAsc)
    .multi(options.multi)
    .includeAll(options.multi);
  // "All" as a regex rather than the list of values: a workflow that appears later still matches
  if (options.multi) b.allValue('.*');
  return b;
}

/** The label matcher the `workflow` variable contributes to every selector. */
export const WF_MULTI = 'workflow=~"$workflow"';
export const WF_ONE = 'workflow="$workflow"';
