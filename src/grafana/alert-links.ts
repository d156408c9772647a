import { UIDS } from './base.js';
import { OVERVIEW_PANELS as O } from './overview.js';
import { SLO_PANELS as SLO } from './slo.js';
import { WORKFLOW_PANELS as W } from './workflow.js';

/**
 * Where each alert of prometheus/rules/alerts.yml is explained on a dashboard: the panel that
 * shows the number it fired on. Alert annotations link there (`dashboard:`), with the alert's
 * own workflow selected. Panel ids and uids are stable; this map is the contract.
 */
export const ALERT_PANELS: Record<string, { uid: string; panel: number | ((labels: Record<string, string>) => number); workflow: boolean }> = {
  HitlSlaBreach: { uid: UIDS.workflow, panel: W.slaBreaches, workflow: true },
  HitlLineStopped: { uid: UIDS.workflow, panel: W.lineStopped, workflow: true },
  HitlStopTheLineUnresolved: { uid: UIDS.workflow, panel: W.lineStoppedFor, workflow: true },
  HitlQueueOldestAgeGrowing: { uid: UIDS.workflow, panel: W.oldestAge, workflow: true },
  HitlDriftDetected: { uid: UIDS.workflow, panel: W.driftDetected, workflow: true },
  HitlFalseAcceptAboveObjective: { uid: UIDS.workflow, panel: (l) => W.falseAccept[l.tier as '1' | '2' | '3'] ?? W.falseAccept['2'], workflow: true },
  HitlControlViolation: { uid: UIDS.workflow, panel: W.controlViolations, workflow: true },
  HitlSloBurnRateFast: { uid: UIDS.slo, panel: SLO.burn[0], workflow: true },
  HitlSloBurnRateSlow: { uid: UIDS.slo, panel: SLO.burn[2], workflow: true },
  HitlIngestStalled: { uid: UIDS.overview, panel: O.ingestRate, workflow: false },
  HitlMetricJobFailing: { uid: UIDS.overview, panel: O.metricJobFailures, workflow: false },
  HitlMetricJobStale: { uid: UIDS.overview, panel: O.metricJobAge, workflow: false },
  HitlServiceDown: { uid: UIDS.overview, panel: O.ingestRate, workflow: false },
};

/**
 * The annotation value for an alert: a link relative to `grafanaUrl`, with Prometheus template
 * syntax for the workflow (and, for the false-accept alert, a panel per tier). Grafana 11+
 * opens `viewPanel=panel-<id>`.
 */
export function dashboardAnnotation(alert: string, grafanaUrl: string): string {
  const link = ALERT_PANELS[alert];
  if (!link) throw new Error(`no dashboard panel for alert ${alert}`);
  const panel = typeof link.panel === 'number' ? String(link.panel) : `{{ if eq $labels.tier "1" }}${link.panel({ tier: '1' })}{{ else if eq $labels.tier "3" }}${link.panel({ tier: '3' })}{{ else }}${link.panel({ tier: '2' })}{{ end }}`;
  const vars = link.workflow ? '&var-workflow={{ $labels.workflow }}' : '';
  return `${grafanaUrl}/d/${link.uid}/?orgId=1${vars}&viewPanel=panel-${panel}`;
}
