import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import { overviewClickHouseDashboard } from './clickhouse/overview.js';
import { overviewDashboard } from './overview.js';
import { reviewersDashboard } from './reviewers.js';
import { sloDashboard } from './slo.js';
import { workflowDashboard } from './workflow.js';

/**
 * Rows get ids after the panels' (the builder leaves them all 0, and Grafana wants every id
 * distinct); panel ids are set by hand because alert links name them.
 */
function numberRows(dashboard: Dashboard): Dashboard {
  let next = 1000;
  for (const panel of dashboard.panels ?? []) if (panel.type === 'row') panel.id = next++;
  return dashboard;
}

const BUILDERS: Record<string, () => Dashboard> = {
  'overview.json': overviewDashboard,
  'reviewers.json': reviewersDashboard,
  'workflow.json': workflowDashboard,
  'slo.json': sloDashboard,
  'overview-clickhouse.json': overviewClickHouseDashboard,
};

/** Every dashboard, by the file it is committed as under grafana/dashboards/. */
export const DASHBOARDS: Record<string, () => Dashboard> = Object.fromEntries(
  Object.entries(BUILDERS).map(([file, build]) => [file, () => numberRows(build())]),
);

/** The committed text of each dashboard: stable key order from the builders, two-space indent, final newline. */
export function renderDashboards(): Map<string, string> {
  return new Map(Object.entries(DASHBOARDS).map(([file, build]) => [file, `${JSON.stringify(build(), null, 2)}\n`]));
}
