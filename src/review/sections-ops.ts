import type { FamilyResult } from '../metrics/family.js';
import type { QualityMetrics } from '../metrics/families/quality.js';
import type { QueueMetrics } from '../metrics/families/queues.js';
import type { StageOutcome } from '../metrics/families/sla.js';
import type { MetricsSnapshot } from '../metrics/runner.js';
import { STAGES } from '../config/sla-policy.js';
import { bandSpec, barsOverTimeSpec, figure, linesSpec, renderChart } from './charts.js';
import { ci, count, duration, esc, pct, section, table } from './html.js';
import type { ReviewData } from './gather.js';

type Kind = 'rate' | 'count' | 'seconds' | 'coef';
interface Headline {
  label: string;
  family: string;
  /** Path within the family result, as /v1/metrics answers it. */
  path: string;
  ciPath?: string;
  kind: Kind;
  better: 'lower' | 'higher' | null;
}

const G = 'groups.0.metrics.';
export const HEADLINES: readonly Headline[] = [
  { label: 'Cases created', family: 'quality', path: `${G}cases`, kind: 'count', better: null },
  { label: 'Override rate', family: 'quality', path: `${G}override_rate.value`, ciPath: `${G}override_rate.ci95`, kind: 'rate', better: 'lower' },
  { label: 'False-accept rate', family: 'quality', path: `${G}false_accept_rate.value`, ciPath: `${G}false_accept_rate.ci95`, kind: 'rate', better: 'lower' },
  { label: 'Rework rate', family: 'quality', path: `${G}rework_rate.value`, ciPath: `${G}rework_rate.ci95`, kind: 'rate', better: 'lower' },
  { label: 'Escalations', family: 'quality', path: `${G}escalations.total`, kind: 'count', better: null },
  { label: 'Escalation precision', family: 'quality', path: `${G}escalations.precision.value`, ciPath: `${G}escalations.precision.ci95`, kind: 'rate', better: 'higher' },
  { label: 'Incidents', family: 'quality', path: `${G}incidents.total`, kind: 'count', better: 'lower' },
  { label: 'Stop-the-line events', family: 'quality', path: `${G}stop_the_line.stops`, kind: 'count', better: 'lower' },
  { label: 'Acknowledge SLA breach rate', family: 'sla', path: `${G}acknowledge.breach_rate.value`, ciPath: `${G}acknowledge.breach_rate.ci95`, kind: 'rate', better: 'lower' },
  { label: 'Complete SLA breach rate', family: 'sla', path: `${G}complete.breach_rate.value`, ciPath: `${G}complete.breach_rate.ci95`, kind: 'rate', better: 'lower' },
  { label: 'Time to decide, median', family: 'queues', path: `${G}time_to.decide.p50`, kind: 'seconds', better: 'lower' },
  { label: 'Time to decide, p90', family: 'queues', path: `${G}time_to.decide.p90`, kind: 'seconds', better: 'lower' },
  { label: "Krippendorff's alpha", family: 'agreement', path: `${G}krippendorff_alpha_nominal.value`, ciPath: `${G}krippendorff_alpha_nominal.ci95`, kind: 'coef', better: 'higher' },
  { label: 'Percent agreement', family: 'agreement', path: `${G}percent_agreement.value`, ciPath: `${G}percent_agreement.ci95`, kind: 'rate', better: 'higher' },
  { label: 'Control violations', family: 'controls', path: 'details.total', kind: 'count', better: 'lower' },
];

export function pathValue(root: unknown, path: string): unknown {
  let v: unknown = root;
  for (const k of path.split('.')) v = v === null || v === undefined ? undefined : (v as Record<string, unknown>)[k];
  return v;
}

function fmt(kind: Kind, v: unknown): string {
  if (typeof v !== 'number') return '—';
  return kind === 'rate' ? pct(v) : kind === 'count' ? count(v) : kind === 'seconds' ? duration(v) : v.toFixed(3);
}

function change(h: Headline, cur: unknown, prev: unknown): string {
  if (typeof cur !== 'number' || typeof prev !== 'number') return '<span class="flat">—</span>';
  const d = cur - prev;
  const text = h.kind === 'rate' ? `${d >= 0 ? '+' : ''}${(d * 100).toFixed(1)} pts` : h.kind === 'coef' ? `${d >= 0 ? '+' : ''}${d.toFixed(3)}` : prev === 0 ? (d === 0 ? '0' : 'new') : `${d >= 0 ? '+' : ''}${((d / prev) * 100).toFixed(0)}%`;
  const worse = h.better === 'lower' ? d > 0 : h.better === 'higher' ? d < 0 : false;
  const better = h.better === 'lower' ? d < 0 : h.better === 'higher' ? d > 0 : false;
  return `<span class="${worse ? 'up' : better ? 'down' : 'flat'}">${esc(text)}</span>`;
}

function valueSpan(h: Headline, fam: FamilyResult | undefined): string {
  const v = pathValue(fam, h.path);
  const raw = typeof v === 'number' ? String(v) : 'null';
  return `<span data-metric="${h.family}" data-path="${h.path}" data-value="${raw}">${fmt(h.kind, v)}</span>`;
}

function interval(h: Headline, fam: FamilyResult | undefined): string {
  const c = h.ciPath ? (pathValue(fam, h.ciPath) as [number, number] | null) : null;
  return c ? ci(c, h.kind !== 'coef') : '';
}

export function headlineSection(d: ReviewData): string {
  const cur = (h: Headline) => d.current.families[h.family];
  const prev = (h: Headline) => d.before.families[h.family];
  const cards = HEADLINES.filter((h) => ['Override rate', 'False-accept rate', 'Complete SLA breach rate', 'Escalation precision', 'Time to decide, median', "Krippendorff's alpha", 'Incidents', 'Control violations'].includes(h.label))
    .map((h) => `<div class="kpi"><div class="l">${esc(h.label)}</div><div class="v">${valueSpan(h, cur(h))}</div><div class="c">${esc(interval(h, cur(h)))}${interval(h, cur(h)) ? ' · ' : ''}${change(h, pathValue(cur(h), h.path), pathValue(prev(h), h.path))} vs ${esc(d.previous.label)}</div></div>`)
    .join('');
  const rows = HEADLINES.map((h) => [
    esc(h.label),
    `<span class="num">${valueSpan(h, cur(h))}</span>`,
    esc(interval(h, cur(h))),
    `<span data-previous="${h.family}:${h.path}">${fmt(h.kind, pathValue(prev(h), h.path))}</span>`,
    esc(interval(h, prev(h))),
    change(h, pathValue(cur(h), h.path), pathValue(prev(h), h.path)),
  ]);
  const body = `<div class="kpis">${cards}</div>${table(['Metric', d.period.label, '95% interval', d.previous.label, '95% interval', 'Change'], rows, 'headline')}
<p class="note">Intervals: Wilson score for rates, the Hájek estimate at Kish's effective sample size for the false-accept rate, bootstrap for agreement coefficients (docs/metrics). Green: better than the previous period, red: worse; whether the change exceeds chance, the intervals say.</p>`;
  return section('headline', 'Headline numbers', body, { lead: `This period against ${esc(d.previous.label)}. The same numbers as <code>GET /v1/metrics?${esc(Object.entries(d.metricsQuery).map(([k, v]) => `${k}=${v}`).join('&'))}</code>.` });
}

const bucketGroups = <M>(s: MetricsSnapshot, family: string) => (s.families[family]?.groups ?? []).filter((g) => g.key.bucket) as { key: Record<string, unknown>; metrics: M }[];

export async function slaSection(d: ReviewData): Promise<string> {
  const groups = bucketGroups<Record<string, StageOutcome>>(d.slaTrend, 'sla');
  const figs: string[] = [];
  for (const stage of STAGES) {
    const rows = groups
      .filter((g) => g.metrics[stage] && g.metrics[stage].breach_rate.denominator > 0)
      .map((g) => ({ t: g.key.bucket, series: String(g.key.lane ?? '(none)'), value: 1 - g.metrics[stage].breach_rate.value! }));
    if (rows.length === 0) continue;
    figs.push(figure(await renderChart(`sla-${stage}`, `SLA compliance: ${stage}`, rows, linesSpec('within SLA', '.0%')), `share of ${stage} clocks met, per ${d.period.bucket} and lane`));
  }
  const total = d.current.families.sla?.groups[0]?.metrics as Record<string, StageOutcome> | undefined;
  const rows = STAGES.filter((s) => total?.[s] && total[s].met + total[s].breached + total[s].pending > 0).map((s) => {
    const o = total![s];
    return [esc(s), count(o.met), count(o.breached), count(o.open_breached), count(o.pending), o.breach_rate.value === null ? '—' : pct(1 - o.breach_rate.value), esc(o.breach_rate.ci95 ? `${pct(1 - o.breach_rate.ci95[1])} – ${pct(1 - o.breach_rate.ci95[0])}` : ''), duration(o.max_overdue_seconds)];
  });
  const body = `${table(['Stage', 'Met', 'Breached', 'Open past due', 'Pending', 'Compliance', '95% interval', 'Most overdue'], rows)}${figs.join('') || '<p class="empty">No SLA clock ran in this period.</p>'}`;
  return section('sla', 'SLA compliance by stage and lane', body, { pageBreak: true, lead: 'A clock is met when its stage stopped before its deadline (docs/metrics/queues-sla.md); open clocks past due count as breaches.' });
}

export async function queueSection(d: ReviewData): Promise<string> {
  const groups = bucketGroups<QueueMetrics>(d.trend, 'queues');
  const rows = groups.flatMap((g) =>
    (['acknowledge', 'decide'] as const).flatMap((st) =>
      (['p50', 'p90'] as const)
        .filter((q) => g.metrics.time_to[st][q] !== null)
        .map((q) => ({ t: g.key.bucket, series: `${st} ${q === 'p50' ? 'median' : 'p90'}`, value: g.metrics.time_to[st][q]! / 60 })),
    ),
  );
  const chart = figure(await renderChart('queue-age', 'Time items waited', rows, linesSpec('minutes')), `time to acknowledge and to decide per ${d.period.bucket} (median and 90th percentile)`);
  const end = d.queuesAtEnd.groups[0]?.metrics as QueueMetrics | undefined;
  const levels = end ? Object.entries(end.by_level).filter(([, o]) => o.open_items > 0).map(([l, o]) => [esc(l === 'unassigned' ? 'unassigned' : `level ${l}`), count(o.open_items), duration(o.oldest_age_seconds), duration(o.age_seconds.p50), duration(o.age_seconds.p90)]) : [];
  const body = `${chart}<h3>Open at ${esc(d.queuesAt.toISOString().slice(0, 16).replace('T', ' '))} UTC</h3>${table(['Level', 'Open items', 'Oldest', 'Median age', 'p90 age'], levels)}`;
  return section('queues', 'Queue age', body, { lead: 'How long work waited for a person (docs/metrics/queues-sla.md#queues).' });
}

export async function qualitySection(d: ReviewData): Promise<string> {
  const groups = bucketGroups<QualityMetrics>(d.trend, 'quality');
  const band = (pick: (m: QualityMetrics) => { value: number | null; ci95: [number, number] | null }, series: string) =>
    groups.filter((g) => pick(g.metrics).value !== null && pick(g.metrics).ci95).map((g) => ({ t: g.key.bucket, series, value: pick(g.metrics).value, lo: pick(g.metrics).ci95![0], hi: pick(g.metrics).ci95![1] }));
  const override = figure(await renderChart('override-trend', 'Override rate', [...band((m) => m.override_rate, 'override'), ...band((m) => m.rework_rate, 'rework')], bandSpec('rate')), `per ${d.period.bucket}, 95% Wilson band`);
  const fa = figure(await renderChart('false-accept-trend', 'False-accept rate', band((m) => m.false_accept_rate, 'false accept'), bandSpec('rate')), `audited accepted work found incorrect, per ${d.period.bucket}, 95% band`);
  return section('quality', 'Override and false-accept trends', override + fa, { pageBreak: true, lead: 'Wide bands mean few decisions or audits in a bucket: read the trend, not a single point.' });
}

export async function escalationSection(d: ReviewData): Promise<string> {
  const groups = bucketGroups<QualityMetrics>(d.trend, 'quality');
  const volume = groups.flatMap((g) => Object.entries(g.metrics.escalations.by_level).filter(([, n]) => n > 0).map(([level, n]) => ({ t: g.key.bucket, series: `to level ${level}`, value: n })));
  const precision = groups.filter((g) => g.metrics.escalations.precision.ci95).map((g) => ({ t: g.key.bucket, series: 'precision', value: g.metrics.escalations.precision.value, lo: g.metrics.escalations.precision.ci95![0], hi: g.metrics.escalations.precision.ci95![1] }));
  const cur = d.current.families.quality?.groups[0]?.metrics as QualityMetrics | undefined;
  const triggers = cur ? Object.entries(cur.escalations.by_trigger).filter(([, n]) => n > 0).sort((a, b) => b[1] - a[1]).map(([t, n]) => [esc(t), count(n), pct(n / Math.max(cur.escalations.total, 1))]) : [];
  const body = figure(await renderChart('escalation-volume', 'Escalation volume', volume, barsOverTimeSpec('escalations')), `per ${d.period.bucket}, by the level escalated to`) +
    figure(await renderChart('escalation-precision', 'Escalation precision', precision, bandSpec('precision')), 'share of resolved escalations the top level settled differently (low precision: escalation fatigue)') +
    table(['Trigger', 'Escalations', 'Share'], triggers);
  return section('escalations', 'Escalation volume and precision', body, { lead: 'Escalations that change nothing cost attention: the playbook calls it escalation fatigue.' });
}
