import type { AgreementMetrics, Coefficient } from '../metrics/families/agreement.js';
import { CONTROLS } from '../metrics/families/controls.js';
import type { DriftMetrics } from '../metrics/families/drift.js';
import { barsOverTimeSpec, figure, heatmapSpec, intervalsSpec, renderChart, stepSpec, timelineSpec } from './charts.js';
import { caseLink, count, day, duration, esc, minute, pct, section, table } from './html.js';
import type { ReviewData } from './gather.js';

/** Reviewers shown in the pair heat map: the most-paired ones, so that it stays readable on paper. */
const HEATMAP_REVIEWERS = 18;
const CASE_LINKS_PER_CONTROL = 25;

const COEFFICIENTS: readonly [keyof AgreementMetrics, string][] = [
  ['percent_agreement', 'Percent agreement'],
  ['fleiss_kappa', "Fleiss' kappa"],
  ['krippendorff_alpha_nominal', "Krippendorff's alpha (nominal)"],
  ['krippendorff_alpha_ordinal', "Krippendorff's alpha (ordinal)"],
  ['gwet_ac1', "Gwet's AC1"],
];

export async function agreementSection(d: ReviewData): Promise<string> {
  const m = d.current.families.agreement?.groups[0]?.metrics as AgreementMetrics | undefined;
  if (!m) return section('agreement', 'Reviewer agreement', '<p class="empty">No case was rated twice in this period.</p>', { pageBreak: true });
  const coefs = COEFFICIENTS.map(([k, label]) => [label, m[k] as Coefficient] as const).filter(([, c]) => c.value !== null);
  const chart = figure(
    await renderChart('agreement-coefficients', 'Agreement coefficients', coefs.map(([label, c]) => ({ label, value: c.value, lo: c.ci95?.[0] ?? c.value, hi: c.ci95?.[1] ?? c.value })), intervalsSpec('coefficient (95% interval)', coefDomain(coefs.map(([, c]) => c)))),
    `${count(m.items)} cases rated by two or more of ${count(m.raters)} raters`,
  );
  const rows = COEFFICIENTS.map(([k, label]) => {
    const c = m[k] as Coefficient;
    return [esc(label), `<span data-metric="agreement" data-path="groups.0.metrics.${k}.value" data-value="${c.value ?? 'null'}">${c.value === null ? '—' : c.value.toFixed(3)}</span>`, esc(c.ci95 ? `${c.ci95[0].toFixed(3)} – ${c.ci95[1].toFixed(3)}` : ''), count(c.n), esc(c.note ?? '')];
  });
  // the most-paired reviewers; a pair shows once, in the row of the first of its two names
  const load = new Map<string, number>();
  for (const p of m.pairwise_cohen) for (const r of [p.reviewer_a, p.reviewer_b]) load.set(r, (load.get(r) ?? 0) + p.n);
  const shown = new Set([...load.entries()].sort((a, b) => b[1] - a[1]).slice(0, HEATMAP_REVIEWERS).map(([r]) => r));
  // both halves of the matrix: a reader looks a reviewer up in one row
  const cells = m.pairwise_cohen
    .filter((p) => p.kappa !== null && shown.has(p.reviewer_a) && shown.has(p.reviewer_b))
    .flatMap((p) => {
      const [a, b] = [d.name(p.reviewer_a), d.name(p.reviewer_b)];
      return [{ a, b, value: p.kappa, text: p.kappa!.toFixed(2) }, { a: b, b: a, value: p.kappa, text: p.kappa!.toFixed(2) }];
    });
  const heat = figure(await renderChart('agreement-pairs', "Cohen's kappa per reviewer pair", cells, heatmapSpec('kappa')), `pairs among the ${shown.size} most-paired reviewers; blank: the pair never rated the same case`);
  const body = `${chart}${table(['Coefficient', 'Value', '95% interval', 'Items', 'Note'], rows)}${heat}`;
  return section('agreement', 'Reviewer agreement', body, { pageBreak: true, lead: 'Agreement between independent reviewers of the same case: dual reviews and audits of reviewed cases (docs/metrics/agreement.md).' });
}

export async function driftSection(d: ReviewData): Promise<string> {
  const fired: { from: Date; to: Date; workflow: string; model: string; checks: string[] }[] = [];
  for (const w of d.drift) {
    for (const g of w.result?.groups ?? []) {
      const m = g.metrics as DriftMetrics;
      if (m.drifted) fired.push({ from: w.from, to: w.to, workflow: String(g.key.workflow ?? '—'), model: String(g.key.model_version ?? '—'), checks: m.drifted_checks });
    }
  }
  const windowName = (f: { from: Date; to: Date }) => `${f.from.toISOString().slice(5, 10)}–${new Date(f.to.getTime() - 1).toISOString().slice(5, 10)}`;
  const points = fired.flatMap((f) => f.checks.map((c) => ({ window: windowName(f), label: c, series: f.workflow })));
  const chart = figure(await renderChart('drift-fired', 'Drift checks that fired', points, timelineSpec()), 'each point: a check that judged a weekly window drifted against its reference');
  const rows = fired.map((f) => [`<span class="mono">${esc(day(f.from))}</span> (${Math.round((f.to.getTime() - f.from.getTime()) / 86_400_000)} days)`, esc(f.workflow), `<code>${esc(f.model)}</code>`, f.checks.map((c) => `<span class="pill fired">${esc(c)}</span>`).join(' ')]);
  const windows = d.drift.length;
  return section('drift', 'Drift checks', `${chart}${table(['Window', 'Workflow', 'Model version', 'Checks fired'], rows)}<p class="note">${windows} weekly windows checked, each against its own reference window (docs/drift.md).</p>`);
}

/** Room for every interval, and 1 on the right: agreement coefficients top out there. */
function coefDomain(cs: readonly Coefficient[]): [number, number] {
  const lows = cs.map((c) => c.ci95?.[0] ?? c.value ?? 1);
  return [Math.max(-1, Math.floor((Math.min(...lows, 1) - 0.05) * 10) / 10), 1];
}

export async function samplingSection(d: ReviewData): Promise<string> {
  if (d.sampling.length === 0) {
    return section('sampling', 'Sampling-rate changes', '<p class="empty" data-sampling-changes="0">No changes: no <code>sampling.changed</code> event in this period.</p>');
  }
  const points = d.sampling.filter((s) => s.to_rate !== null).map((s) => ({ t: s.ts.toISOString(), value: s.to_rate, series: s.workflow ?? '—' }));
  const chart = figure(await renderChart('sampling-rate', 'Audit sampling rate', points, stepSpec('sampling rate')), 'the rate after each change');
  const rows = d.sampling.map((s) => [minute(s.ts), esc(s.workflow ?? '—'), esc(`${s.from_state ?? '?'} → ${s.to_state ?? '?'}`), esc(`${pct(s.from_rate)} → ${pct(s.to_rate)}`), esc(s.cause ?? ''), esc(s.detail ?? ''), esc(s.actor)]);
  return section('sampling', 'Sampling-rate changes', `${chart}<div data-sampling-changes="${d.sampling.length}">${table(['When', 'Workflow', 'State', 'Rate', 'Cause', 'Detail', 'By'], rows)}</div>`);
}

export function controlsSection(d: ReviewData): string {
  const details = d.current.families.controls?.details as { total: number; by_control: Record<string, { count: number; case_ids: string[]; truncated: boolean }> } | undefined;
  const rows = CONTROLS.filter((c) => (details?.by_control[c]?.count ?? 0) > 0).map((c) => {
    const b = details!.by_control[c];
    const links = b.case_ids.slice(0, CASE_LINKS_PER_CONTROL).map((id) => caseLink(d.caseLinkBase, id)).join(' ');
    const more = b.count > CASE_LINKS_PER_CONTROL ? ` <span class="note">and ${count(b.count - CASE_LINKS_PER_CONTROL)} more</span>` : '';
    return [`<code>${esc(c)}</code>`, `<span data-metric="controls" data-path="details.by_control.${c}.count" data-value="${b.count}">${count(b.count)}</span>`, links + more];
  });
  return section('controls', 'Control violations', table(['Control', 'Cases', 'Case links'], rows), { pageBreak: true, lead: 'Silent exceptions: cases that broke a control without anybody raising it (docs/metrics.md#controls).' });
}

/** Rows printed before the rest goes into a closed <details> (open on screen, left out on paper). */
const PRINTED_ROWS = 15;

export async function linesSection(d: ReviewData): Promise<string> {
  const stops = pairStops(d.logEvents);
  const incidents = d.logEvents.filter((e) => e.type === 'incident.reported');
  const byWorkflow = new Map<string, { stops: number; open: number; seconds: number[]; sev: Record<string, number> }>();
  const entry = (w: string | null) => {
    const k = w ?? 'all workflows';
    let e = byWorkflow.get(k);
    if (!e) byWorkflow.set(k, (e = { stops: 0, open: 0, seconds: [], sev: {} }));
    return e;
  };
  for (const s of stops) {
    const e = entry(s.stop.workflow);
    e.stops++;
    if (s.seconds === null) e.open++;
    else e.seconds.push(s.seconds);
  }
  for (const i of incidents) entry(i.workflow).sev[i.severity ?? '?'] = (entry(i.workflow).sev[i.severity ?? '?'] ?? 0) + 1;
  const summary = table(
    ['Workflow', 'Stops', 'Still stopped', 'Time stopped', 'Longest', 'Incidents (sev1 / sev2 / sev3 / sev4)'],
    [...byWorkflow.entries()].sort().map(([w, e]) => [esc(w), count(e.stops), count(e.open), duration(e.seconds.reduce((a, b) => a + b, 0)), duration(e.seconds.length ? Math.max(...e.seconds) : null), esc(['sev1', 'sev2', 'sev3', 'sev4'].map((s) => e.sev[s] ?? 0).join(' / '))]),
  );
  const perDay = new Map<string, number>();
  for (const e of d.logEvents.filter((x) => x.type !== 'line.resumed')) {
    const k = `${e.ts.toISOString().slice(0, 10)}|${e.type === 'line.stopped' ? 'stops' : 'incidents'}`;
    perDay.set(k, (perDay.get(k) ?? 0) + 1);
  }
  const chart = figure(await renderChart('lines-per-day', 'Stops and incidents', [...perDay.entries()].map(([k, v]) => ({ t: `${k.split('|')[0]}T00:00:00Z`, series: k.split('|')[1], value: v })), barsOverTimeSpec('events')), 'per day');
  const severe = incidents.filter((i) => i.severity === 'sev1' || i.severity === 'sev2');
  const incidentRows = (list: typeof incidents) => list.map((e) => [minute(e.ts), esc(e.severity ?? ''), esc(e.workflow ?? 'all workflows'), esc(d.name(e.actor_id)), e.case_id ? caseLink(d.caseLinkBase, e.case_id) : '']);
  const longest = [...stops].sort((a, b) => (b.seconds ?? Infinity) - (a.seconds ?? Infinity)).slice(0, PRINTED_ROWS);
  const stopRows = (list: typeof stops) => list.map((s) => [minute(s.stop.ts), esc(s.stop.workflow ?? ''), esc(s.stop.trigger ?? ''), esc(d.name(s.stop.actor_id)), s.seconds === null ? '<span class="pill fired">still stopped</span>' : duration(s.seconds)]);
  const all = d.logEvents.map((e) => [minute(e.ts), esc(e.type), esc(e.workflow ?? 'all workflows'), esc(e.severity ?? e.trigger ?? ''), esc(d.name(e.actor_id)), e.case_id ? caseLink(d.caseLinkBase, e.case_id) : '']);
  const body = `${summary}${chart}<h3>Incidents of severity 1 and 2</h3>${table(['When', 'Severity', 'Workflow', 'Reported by', 'Case'], incidentRows(severe))}
<h3>Longest stops</h3>${table(['Stopped', 'Workflow', 'Trigger', 'By', 'For'], stopRows(longest))}
<details><summary>Every stop, resume and incident (${count(d.logEvents.length)})</summary>${table(['When', 'Event', 'Workflow', 'Trigger / severity', 'By', 'Case'], all)}</details>`;
  return section('lines', 'Stop-the-line events and incidents', body, {
    pageBreak: true,
    lead: `${count(stops.length)} stops and ${count(incidents.length)} incidents. Every material failure deserves a post-incident review: <code>loopwatch review --incident &lt;case_id&gt;</code>. The full list is on screen (expand it); paper gets the summary.`,
  });
}

/** Each stop with the next resume of its workflow (as the stop_the_line metric pairs them); seconds null while stopped. */
function pairStops(events: ReviewData['logEvents']): { stop: ReviewData['logEvents'][number]; seconds: number | null }[] {
  const out: { stop: ReviewData['logEvents'][number]; seconds: number | null }[] = [];
  for (const [i, e] of events.entries()) {
    if (e.type !== 'line.stopped') continue;
    const resume = events.slice(i + 1).find((r) => r.type === 'line.resumed' && r.workflow === e.workflow && r.ts > e.ts);
    out.push({ stop: e, seconds: resume ? (resume.ts.getTime() - e.ts.getTime()) / 1000 : null });
  }
  return out;
}

export function versionsSection(d: ReviewData): string {
  const row = (v: ReviewData['versions']['introduced'][number]) => [esc(v.kind === 'model_version' ? 'model' : 'policy'), esc(v.workflow ?? '—'), `<code>${esc(v.version)}</code>`, minute(v.first_seen), minute(v.last_seen), count(v.events)];
  const headers = ['Kind', 'Workflow', 'Version', 'First seen', 'Last seen', 'Events'];
  return section('versions', 'Policy and model versions', `<h3>Introduced in this period</h3>${table(headers, d.versions.introduced.map(row))}<h3>In force during the period</h3>${table(headers, d.versions.inForce.map(row))}`);
}
