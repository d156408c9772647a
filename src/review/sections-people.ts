import type { MetricGroup } from '../metrics/family.js';
import { rate } from '../metrics/rate.js';
import { figure, hbarSpec, renderChart } from './charts.js';
import { caseLink, ci, count, day, duration, esc, pct, section, table } from './html.js';
import type { ReviewData } from './gather.js';
import type { WhatIf } from './whatif.js';

/** Rows the disagreement list holds (the open ones first); beyond it they are counted. */
const MAX_DISAGREEMENTS = 1000;
const PRINTED = 40;
const CHART_REVIEWERS = 30;

export function disagreementSection(d: ReviewData): string {
  // open ones first: those are what the lead has to settle
  const sorted = [...d.disagreements].sort((a, b) => Number(a.adjudicated_label !== null) - Number(b.adjudicated_label !== null));
  const open = sorted.filter((r) => r.adjudicated_label === null).length;
  const rows = sorted.slice(0, MAX_DISAGREEMENTS).map((r) => [
    caseLink(d.caseLinkBase, r.case_id),
    esc(r.workflow ?? '—'),
    day(r.created_at),
    `${esc(d.name(r.reviewer_a))}<br><code>${esc(r.label_a)}</code>${r.reason_a ? ` <span class="pill">${esc(r.reason_a)}</span>` : ''}`,
    `${esc(d.name(r.reviewer_b))}<br><code>${esc(r.label_b)}</code>${r.reason_b ? ` <span class="pill">${esc(r.reason_b)}</span>` : ''}`,
    `<code>${esc(r.model_label ?? '—')}</code>`,
    r.adjudicated_label === null ? '<span class="pill fired">open</span>' : `<code>${esc(r.adjudicated_label)}</code>`,
  ]);
  const more = sorted.length > MAX_DISAGREEMENTS ? `<p class="note">${count(sorted.length - MAX_DISAGREEMENTS)} more not listed.</p>` : '';
  const headers = ['Case', 'Workflow', 'Created', 'Reviewer A', 'Reviewer B', 'Model said', 'Adjudicated'];
  // the first ones on paper, the rest on screen (a closed <details> does not print)
  const rest = rows.length > PRINTED ? `<details><summary>${count(rows.length - PRINTED)} more</summary>${table(headers, rows.slice(PRINTED))}</details>` : '';
  return section('disagreements', 'Disagreements for adjudication', `<div data-disagreements="${sorted.length}">${table(headers, rows.slice(0, PRINTED))}${rest}</div>${more}`, {
    pageBreak: true,
    lead: `${count(sorted.length)} reviewer pairs gave different labels to the same case; ${count(open)} are not yet settled by an audit. An adjudicating audit (<code>audit.completed</code> with <code>correct_label</code>) settles a case and feeds the dataset export's resolution rule.`,
  });
}

interface ReviewerMetrics {
  decisions: number;
  seconds_per_decision: { p50: number | null };
  rubber_stamp: { flagged: boolean };
}

export async function reviewerSection(d: ReviewData): Promise<string> {
  const speed = new Map(((d.current.families.reviewers?.groups ?? []) as unknown as MetricGroup<ReviewerMetrics>[]).map((g) => [String(g.key.reviewer), g.metrics]));
  const ids = [...new Set([...d.progress.map((p) => p.reviewer), ...speed.keys()])];
  const progress = new Map(d.progress.map((p) => [p.reviewer, p]));
  const lines = ids
    .map((id) => ({ id, p: progress.get(id), s: speed.get(id) }))
    .sort((a, b) => (b.p?.assigned ?? 0) - (a.p?.assigned ?? 0) || a.id.localeCompare(b.id));
  const rows = lines.map(({ id, p, s }) => {
    const agree = p && p.adjudicated > 0 ? rate(p.agreed, p.adjudicated) : null;
    return [
      `<span class="mono">${esc(d.name(id))}</span>`,
      count(p?.assigned ?? 0),
      count(p?.done ?? 0),
      count((p?.assigned ?? 0) - (p?.done ?? 0)),
      count(s?.decisions ?? 0),
      duration(s?.seconds_per_decision.p50),
      agree ? `${pct(agree.value)} <span class="note">(${count(p!.adjudicated)}; ${esc(ci(agree.ci95))})</span>` : '—',
      s?.rubber_stamp.flagged ? '<span class="pill fired">likely rubber-stamping</span>' : '',
    ];
  });
  const chartRows = lines.slice(0, CHART_REVIEWERS).filter((l) => (l.p?.assigned ?? 0) > 0).map((l) => ({ label: d.name(l.id), value: l.p!.assigned }));
  const chart = figure(await renderChart('reviewer-load', 'Items assigned per reviewer', chartRows, hbarSpec('items assigned')), `the ${chartRows.length} busiest reviewers`);
  const idNote = d.ids === 'pseudonymized' ? 'Reviewer ids are pseudonyms (a keyed hash, docs/review.md#reviewer-ids).' : 'Reviewer ids are shown as recorded (configured: review.reviewerIds = plain).';
  return section('reviewers', 'Reviewer progress and load', `${chart}${table(['Reviewer', 'Assigned', 'Done', 'Open', 'Decisions', 'Median time', 'Agrees with adjudication', ''], rows)}`, {
    pageBreak: true,
    lead: `Items assigned in the period, those ended by its end, decisions and their median time, and agreement with the label an audit settled. ${idNote}`,
  });
}

export async function whatifSection(d: ReviewData): Promise<string> {
  if (!d.whatif) return '';
  const parts: string[] = [];
  for (const w of d.whatif) parts.push(await whatifBlock(w));
  return section('whatif', 'Triage threshold what-if', parts.join('') || '<p class="empty">No case with a confidence in this period.</p>', {
    pageBreak: true,
    lead: `What auto-approving every eligible case at or above a confidence threshold would have done over this period's cases, estimated from the cases people reviewed and the audits of auto-approved ones (docs/whatif.md). Cases with a high-risk signal (${d.whatif[0]?.always_reviewed_signals.map((s) => `<code>${esc(s)}</code>`).join(', ') ?? ''}) stay out of auto-approval at any threshold, and so do cases routed by other rules (tier 3, legal, dual review, stop-the-line).`,
  });
}

export async function whatifBlock(w: WhatIf): Promise<string> {
  const rows = w.grid.map((g) => {
    const cur = w.current !== null && Math.abs(g.threshold - w.current) < 1e-9;
    return `<tr class="${cur ? 'current' : ''}"><td>${g.threshold.toFixed(3)}${cur ? ` <span class="pill">current (${esc(w.current_source)})</span>` : ''}</td><td class="num">${count(g.auto_approved)}</td><td class="num">${pct(g.auto_share)}</td><td class="num" data-whatif-fa="${g.false_accept.value ?? 'null'}">${pct(g.false_accept.value, 2)}</td><td>${esc(ci(g.false_accept.ci95))}</td><td class="num">${count(g.false_accept.evidence)}</td><td class="num">${g.hours_saved.toFixed(1)}</td><td class="num">${g.hours_added.toFixed(1)}</td><td class="num">${count(g.review_load.cases)} (${pct(g.review_load.vs_current, 0)})</td></tr>`;
  });
  const band = w.grid.filter((g) => g.false_accept.value !== null).map((g) => ({ t: g.threshold, value: g.false_accept.value, lo: g.false_accept.ci95![0], hi: g.false_accept.ci95![1] }));
  const spec = {
    height: 160,
    layer: [
      { mark: { type: 'area', opacity: 0.2 }, encoding: { x: { field: 't', type: 'quantitative', title: 'auto-approve threshold', scale: { zero: false } }, y: { field: 'lo', type: 'quantitative', title: 'false-accept rate', axis: { format: '.0%' } }, y2: { field: 'hi' } } },
      { mark: { type: 'line', point: true }, encoding: { x: { field: 't', type: 'quantitative' }, y: { field: 'value', type: 'quantitative' } } },
      ...(w.current === null ? [] : [{ mark: { type: 'rule', strokeDash: [4, 3], color: '#d1242f' }, encoding: { x: { datum: w.current } } }]),
    ],
  };
  const chart = figure(await renderChart(`whatif-${w.workflow ?? 'all'}`, `Estimated false-accept rate among auto-approved cases: ${w.workflow ?? 'all'}`, band, spec as never), 'with its 95% interval; dashed: the threshold in force');
  const head = '<thead><tr><th>Threshold</th><th class="num">Auto-approved</th><th class="num">Share</th><th class="num">False accepts</th><th>95% interval</th><th class="num">Evidence</th><th class="num">Hours saved</th><th class="num">Hours added</th><th class="num">Review load</th></tr></thead>';
  return `<h3>${esc(w.workflow ?? 'all workflows')}</h3><p class="note">${count(w.cases)} cases with a confidence; a review took ${duration(w.seconds_per_review)} of reviewer time on average.</p>${chart}<table class="whatif">${head}<tbody>${rows.join('')}</tbody></table>`;
}
