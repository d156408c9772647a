import type { Registry } from 'prom-client';
import { STAGES } from '../../config/sla-policy.js';
import { LEVELS } from '../../events/vocabulary.js';
import type { QualityMetrics } from '../../metrics/families/quality.js';
import { TIME_TO_STAGES, type QueueMetrics, type Quantiles } from '../../metrics/families/queues.js';
import type { StageOutcome } from '../../metrics/families/sla.js';
import type { Rate } from '../../metrics/rate.js';
import { flag, registerSeries, type SeriesSpec } from './define.js';
import { groupsOf, only, samplesOf, type Cell, type LatestRuns } from './groups.js';

const TIER = ['workflow', 'tier'] as const;
const QUEUE_LEVELS = [...LEVELS.map(String), 'unassigned'] as const;
// a label named quantile is for summaries only (promtool check metrics): percentiles it is
const PERCENTILES = { '50': 'p50', '90': 'p90', '99': 'p99' } as const;

type Spec = Omit<SeriesSpec, 'samples' | 'labelNames'>;

/** Quality, queue and SLA series of the workflow,tier cut; escalations and stop-the-line of the workflow cut. */
export function registerCaseSeries(registry: Registry, latest: () => LatestRuns): void {
  const quality = (spec: Spec, cells: (m: QualityMetrics) => Cell[], extra: string[] = []) =>
    registerSeries(registry, { ...spec, labelNames: [...TIER, ...extra], samples: () => samplesOf(groupsOf<QualityMetrics>(latest().byTier, 'quality'), TIER, cells) });
  const counter = (name: string, help: string) => ({ name, help, type: 'counter' as const });
  const gauge = (name: string, help: string) => ({ name, help, type: 'gauge' as const });

  quality(counter('hitl_cases_created_total', 'Cases created.'), (m) => only(m.cases));
  const ratio = (name: string, rate: (m: QualityMetrics) => Rate, help: { ratio: string; denominator: [string, string]; numerator: [string, string] }) => {
    quality(counter(`hitl_${help.denominator[0]}_total`, help.denominator[1]), (m) => only(rate(m).denominator));
    quality(counter(`hitl_${help.numerator[0]}_total`, help.numerator[1]), (m) => only(rate(m).numerator));
    quality(gauge(`hitl_${name}_ratio`, help.ratio), (m) => only(rate(m).value));
    quality(gauge(`hitl_${name}_ratio_lower`, `Lower bound of the 95% Wilson interval of hitl_${name}_ratio.`), (m) => only(rate(m).ci95?.[0]));
    quality(gauge(`hitl_${name}_ratio_upper`, `Upper bound of the 95% Wilson interval of hitl_${name}_ratio.`), (m) => only(rate(m).ci95?.[1]));
  };
  ratio('override', (m) => m.override_rate, {
    ratio: 'Share of human-decided cases where the human overrode the model.',
    denominator: ['cases_human_decided', 'Cases a human decided (the override ratio denominator).'],
    numerator: ['cases_overridden', 'Cases where a human overrode the model (the override ratio numerator).'],
  });
  ratio('rework', (m) => m.rework_rate, {
    ratio: 'Share of closed cases that needed rework.',
    denominator: ['cases_closed', 'Cases closed (the rework ratio denominator).'],
    numerator: ['cases_reworked', 'Closed cases that needed rework (the rework ratio numerator).'],
  });
  const fa = (m: QualityMetrics) => m.false_accept_rate;
  quality(counter('hitl_false_accept_audits_total', 'Accepted cases with a valid audit (the false-accept sample).'), (m) => only(fa(m).audits));
  quality(counter('hitl_false_accept_incorrect_total', 'Audited accepted cases found incorrect (unweighted).'), (m) => only(fa(m).incorrect));
  quality(gauge('hitl_false_accept_effective_audits', 'Kish effective sample size of the weighted false-accept estimate.'), (m) => only(fa(m).n_eff));
  quality(gauge('hitl_false_accept_ratio', 'Weighted (Hajek) share of accepted work that audits found incorrect (docs/metrics/quality.md).'), (m) => only(fa(m).value));
  quality(gauge('hitl_false_accept_ratio_lower', 'Lower bound of the 95% interval of hitl_false_accept_ratio.'), (m) => only(fa(m).ci95?.[0]));
  quality(gauge('hitl_false_accept_ratio_upper', 'Upper bound of the 95% interval of hitl_false_accept_ratio.'), (m) => only(fa(m).ci95?.[1]));

  // escalations and stop-the-line per workflow: line.stopped is caseless, so it has no tier
  const byWorkflow = (spec: Spec, cells: (m: QualityMetrics) => Cell[], extra: string[] = []) =>
    registerSeries(registry, {
      ...spec,
      labelNames: ['workflow', ...extra],
      samples: () => samplesOf(groupsOf<QualityMetrics>(latest().byWorkflow, 'quality'), ['workflow'], cells),
    });
  byWorkflow(
    counter('hitl_escalations_total', 'Escalations (case.escalated events) by the level escalated to.'),
    (m) => LEVELS.map((l) => [{ level: String(l) }, m.escalations.by_level[String(l)] ?? 0]),
    ['level'],
  );
  byWorkflow(counter('hitl_line_stops_total', 'Stop-the-line events (line.stopped).'), (m) => only(m.stop_the_line.stops));
  byWorkflow(gauge('hitl_line_stops_open', 'Stop-the-line events not yet resumed.'), (m) => only(m.stop_the_line.open));
  byWorkflow(gauge('hitl_line_stopped', '1 while the workflow line is stopped (a stop not yet resumed), else 0.'), (m) => only(flag(m.stop_the_line.open > 0)));
  byWorkflow(
    gauge('hitl_line_stop_longest_seconds', 'Longest stop so far: resumed stops to their resume, open ones to now.'),
    (m) => only(m.stop_the_line.time_to_resume_seconds.max),
  );

  const queues = (spec: Spec, cells: (m: QueueMetrics) => Cell[], extra: string[]) =>
    registerSeries(registry, { ...spec, labelNames: [...TIER, ...extra], samples: () => samplesOf(groupsOf<QueueMetrics>(latest().byTier, 'queues'), TIER, cells) });
  queues(gauge('hitl_queue_depth', 'Open review items waiting at each escalation level.'), (m) => QUEUE_LEVELS.map((l) => [{ level: l }, m.by_level[l].open_items]), ['level']);
  queues(
    gauge('hitl_queue_oldest_age_seconds', 'Age of the oldest open review item at each escalation level.'),
    (m) => QUEUE_LEVELS.map((l) => [{ level: l }, m.by_level[l].oldest_age_seconds]),
    ['level'],
  );
  const quantiles = (q: Quantiles): Cell[] => Object.entries(PERCENTILES).map(([percentile, key]) => [{ percentile }, q[key]]);
  for (const stage of TIME_TO_STAGES) {
    queues(gauge(`hitl_time_to_${stage}_seconds`, `Time to ${stage} (docs/metrics/queues-sla.md), percentiles over the window.`), (m) => quantiles(m.time_to[stage]), ['percentile']);
  }

  const sla = (spec: Spec, value: (o: StageOutcome) => number | null) =>
    registerSeries(registry, {
      ...spec,
      labelNames: [...TIER, 'stage'],
      samples: () =>
        samplesOf(groupsOf<Record<string, StageOutcome>>(latest().byTier, 'sla'), TIER, (m) => STAGES.map((stage) => [{ stage }, value(m[stage])])),
    });
  sla(counter('hitl_sla_met_total', 'SLA clocks stopped within their target.'), (o) => o.met);
  sla(counter('hitl_sla_breaches_total', 'SLA clocks past their target: stopped late, or still open past it.'), (o) => o.breached);
  sla(gauge('hitl_sla_open_past_due', 'Open items already past their SLA target.'), (o) => o.open_breached);
  sla(gauge('hitl_sla_pending', 'Open items not yet due.'), (o) => o.pending);
  sla(gauge('hitl_sla_max_overdue_seconds', 'How far past its target the most overdue open item is.'), (o) => o.max_overdue_seconds);
}
