import { RowBuilder, type Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import { loopwatchDashboard, prometheusVariable, UIDS, WF_MULTI, workflowVariable } from './base.js';
import { BURN_WINDOWS, OBJECTIVES, SLO_PERIOD } from './objectives.js';
import { above, below, stat, timeseries, UNIT } from './panels.js';
import { SERIES as S } from './series.js';

const wf = `{${WF_MULTI}}`;

/** Share of review items completed within SLA over `window`, per workflow (numerator and denominator summed first). */
export function sliExpr(window: string): string {
  return `sum by (workflow) (increase(${S.slaItemsWithin}${wf}[${window}])) / sum by (workflow) (increase(${S.slaItems}${wf}[${window}]))`;
}

/** How many times faster than the budget allows the SLO's errors burn over `window`. */
export function burnRateExpr(window: string): string {
  return `(1 - (${sliExpr(window)})) / (1 - ${OBJECTIVES.slaWithin})`;
}

/** Panel ids: one per burn-rate alert (page 1h/5m, page 6h/30m, ticket 1d/2h, ticket 3d/6h). */
export const SLO_PANELS = {
  sli: 1,
  budgetRemaining: 2,
  burn: [11, 12, 13, 14],
} as const;
const P = SLO_PANELS;

export function sloDashboard(): Dashboard {
  const b = loopwatchDashboard(
    'Loopwatch / SLO burn rate',
    UIDS.slo,
    `Review items completed within SLA: objective ${OBJECTIVES.slaWithin} over ${SLO_PERIOD}, and the multiwindow burn rates the alerts use (SRE workbook).`,
  )
    .time({ from: 'now-7d', to: 'now' })
    .withVariable(prometheusVariable())
    .withVariable(workflowVariable({ multi: true }))
    .withRow(new RowBuilder(`Objective: ${OBJECTIVES.slaWithin * 100}% within SLA over ${SLO_PERIOD}`))
    .withPanel(stat({
      id: P.sli, title: `Within SLA (${SLO_PERIOD})`, unit: UNIT.ratio, width: 12, min: 0, max: 1,
      description: `Share of review items completed within their SLA over the SLO period, per workflow; red below the objective ${OBJECTIVES.slaWithin}.`,
      thresholds: below(OBJECTIVES.slaWithin),
      queries: [{ expr: sliExpr(SLO_PERIOD), legend: '{{workflow}}', instant: true }],
    }))
    .withPanel(stat({
      id: P.budgetRemaining, title: `Error budget remaining (${SLO_PERIOD})`, unit: UNIT.ratio, width: 12,
      description: 'Share of the period\'s error budget (1 - objective) not yet spent; negative once the SLO is missed.',
      thresholds: [{ value: null, color: 'red' }, { value: 0, color: 'orange' }, { value: 0.25, color: 'green' }],
      queries: [{ expr: `1 - (1 - (${sliExpr(SLO_PERIOD)})) / (1 - ${OBJECTIVES.slaWithin})`, legend: '{{workflow}}', instant: true }],
    }))
    .withRow(new RowBuilder('Burn rates (an alert fires when both windows are above the dashed line)'));
  BURN_WINDOWS.forEach((w, i) => {
    b.withPanel(timeseries({
      id: P.burn[i], title: `${w.severity}: ${w.long} / ${w.short} above ${w.rate}×`, unit: UNIT.times, width: 12, min: 0,
      description: `Burn rate over the long (${w.long}) and short (${w.short}) windows. Both above ${w.rate} spend ${w.severity === 'page' ? 'enough budget to page' : 'enough budget for a ticket'}.`,
      thresholds: above(w.rate),
      queries: [
        { expr: burnRateExpr(w.long), legend: `{{workflow}} ${w.long}` },
        { expr: burnRateExpr(w.short), legend: `{{workflow}} ${w.short}` },
      ],
    }));
  });
  return b.build();
}
