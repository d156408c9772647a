import type { ReviewData } from './gather.js';
import { esc, minute, page } from './html.js';
import { escalationSection, headlineSection, qualitySection, queueSection, slaSection } from './sections-ops.js';
import { agreementSection, controlsSection, driftSection, linesSection, samplingSection, versionsSection } from './sections-governance.js';
import { disagreementSection, reviewerSection, whatifSection } from './sections-people.js';

const TOC: readonly [string, string][] = [
  ['headline', 'Headline numbers'],
  ['sla', 'SLA compliance'],
  ['queues', 'Queue age'],
  ['quality', 'Override and false-accept trends'],
  ['escalations', 'Escalations'],
  ['agreement', 'Reviewer agreement'],
  ['drift', 'Drift checks'],
  ['sampling', 'Sampling-rate changes'],
  ['controls', 'Control violations'],
  ['lines', 'Stop-the-line and incidents'],
  ['versions', 'Policy and model versions'],
  ['disagreements', 'Disagreements for adjudication'],
  ['reviewers', 'Reviewer progress and load'],
  ['whatif', 'Triage threshold what-if'],
];

const KIND = { month: 'Monthly', quarter: 'Quarterly', range: 'Period' } as const;

/** The review as one self-contained HTML page: inline CSS and SVG, no script, nothing fetched. */
export async function renderReview(d: ReviewData): Promise<string> {
  const scope = d.workflow ?? 'all workflows';
  const title = `${KIND[d.period.kind]} governance review ${d.period.label} — ${scope}`;
  const header = `<h1>${esc(title)}</h1>
<p class="meta" data-period-from="${d.period.from.toISOString()}" data-period-to="${d.period.to.toISOString()}">Period ${esc(d.period.from.toISOString().slice(0, 10))} to ${esc(new Date(d.period.to.getTime() - 1).toISOString().slice(0, 10))} (UTC) · compared with ${esc(d.previous.label)} · generated ${esc(minute(d.generated_at))} by Loopwatch</p>`;
  const sections = [
    headlineSection(d),
    await slaSection(d),
    await queueSection(d),
    await qualitySection(d),
    await escalationSection(d),
    await agreementSection(d),
    await driftSection(d),
    await samplingSection(d),
    controlsSection(d),
    await linesSection(d),
    versionsSection(d),
    disagreementSection(d),
    await reviewerSection(d),
    await whatifSection(d),
  ];
  const toc = TOC.filter(([id]) => id !== 'whatif' || d.whatif);
  const footer = `Definitions: docs/review.md and docs/metrics/. Numbers come from the metric families (the same as <code>/v1/metrics</code> for the period's cut). Data gathered in ${Object.values(d.timings).reduce((a, b) => a + b, 0)} ms (${Object.entries(d.timings).map(([k, v]) => `${esc(k)} ${v}`).join(', ')}).`;
  return page(title, header, toc, sections.join('\n'), footer);
}
