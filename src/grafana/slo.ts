import { RowBuilder, type Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import { loopwatchDashboard, prometheusVariable, UIDS, workflowVariable } from './base.js';
import { BURN_WINDOWS, OBJECTIVES, SLO_PERIOD } from './objectives.js';
import { above, below, stat, timeseries, UNIT } from './panels.js';
import { burnRateExpr, sliExpr } from './slo-exprs.js';

/** Panel ids: one burn-rate panel per window pair of the alerts (fast: 1h/5m, 6h/30m; slow: 1d/2h, 3d/6h). */
export const SLO_PANELS = {
  sli: 1,
  budgetRemaining: 2,
  burn: [11, 12, 13, 14],
} as const;
const P = SLO_PANELS;

export function sloDashboard(): Dashboard {
  const objective = OBJECTIVES.slaCompletion;
  const b = loopwatchDashboard(
    'Loopwatch / SLO burn rate',
    UIDS.slo,
    `Review items completed within SLA: objective ${objective} over ${SLO_PERIOD}, and the multiwindow burn rates HitlSloBurnRateFast and HitlSloBurnRateSlow fire on (SRE workbook).`,
  )
    .time({ from: 'now-7d', to: 'now' })
    .withVariable(prometheusVariable())
    .withVariable(workflowVariable({ multi: true }))
    .withRow(new RowBuilder(`Objective: ${objective * 100}% of review items within SLA over ${SLO_PERIOD}`))
    .withPanel(stat({
      id: P.sli, title: `Within SLA (${SLO_PERIOD})`, unit: UNIT.ratio, width: 12, min: 0, max: 1,
      description: `Share of completion clocks (stages complete and secondary) judged over the SLO period that met their SLA, per workflow; red below the objective ${objective}.`,
      thresholds: below(objective),
      queries: [{ expr: sliExpr(SLO_PERIOD), legend: '{{workflow}}', instant: true }],
    }))
    .withPanel(stat({
      id: P.budgetRemaining, title: `Error budget remaining (${SLO_PERIOD})`, unit: UNIT.ratio, width: 12,
      description: `Share of the period's error budget (1 - ${objective}) not yet spent; negative once the SLO is missed.`,
      thresholds: [{ value: null, color: 'red' }, { value: 0, color: 'orange' }, { value: 0.25, color: 'green' }],
      queries: [{ expr: `1 - ${burnRateExpr(SLO_PERIOD)}`, legend: '{{workflow}}', instant: true }],
    }))
    .withRow(new RowBuilder('Burn rates: an alert fires when both windows are above the dashed line'));
  BURN_WINDOWS.forEach((w, i) => {
    b.withPanel(timeseries({
      id: P.burn[i], title: `${w.alert}: ${w.long} and ${w.short} above ${w.rate}×`, unit: UNIT.times, width: 12, min: 0,
      description: `Burn rate (error ratio ÷ budget ${+(1 - objective).toFixed(6)}) over the long (${w.long}) and short (${w.short}) windows. ${w.alert} fires when both are above ${w.rate}.`,
      thresholds: above(w.rate),
      queries: [
        { expr: burnRateExpr(w.long), legend: `{{workflow}} ${w.long}` },
        { expr: burnRateExpr(w.short), legend: `{{workflow}} ${w.short}` },
      ],
    }));
  });
  return b.build();
}
