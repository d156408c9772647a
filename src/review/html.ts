/** HTML building blocks of the review page: escaping, number formats, the page frame and its CSS. */

export function esc(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

export const count = (n: number | null | undefined) => (n === null || n === undefined ? '—' : Math.round(n).toLocaleString('en-US'));

export function pct(v: number | null | undefined, digits = 1): string {
  return v === null || v === undefined || !Number.isFinite(v) ? '—' : `${(v * 100).toFixed(digits)}%`;
}

export function ci(c: readonly [number, number] | null | undefined, asPct = true): string {
  if (!c) return '';
  return asPct ? `${pct(c[0])} – ${pct(c[1])}` : `${c[0].toFixed(2)} – ${c[1].toFixed(2)}`;
}

export function duration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return '—';
  if (seconds < 90) return `${seconds.toFixed(0)} s`;
  if (seconds < 5400) return `${(seconds / 60).toFixed(1)} min`;
  if (seconds < 172_800) return `${(seconds / 3600).toFixed(1)} h`;
  return `${(seconds / 86_400).toFixed(1)} d`;
}

export const day = (d: Date) => d.toISOString().slice(0, 10);
export const minute = (d: Date) => `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;

/** A table; `rows` are already-escaped cell HTML. */
export function table(headers: readonly string[], rows: readonly (readonly string[])[], cls = ''): string {
  if (rows.length === 0) return '<p class="empty">None in this period.</p>';
  const head = headers.map((h) => `<th>${esc(h)}</th>`).join('');
  const body = rows.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`).join('\n');
  return `<table class="${cls}"><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

export function section(id: string, title: string, body: string, opts: { pageBreak?: boolean; lead?: string } = {}): string {
  const cls = opts.pageBreak ? ' class="page"' : '';
  const lead = opts.lead ? `<p class="lead">${opts.lead}</p>` : '';
  return `<section id="${esc(id)}"${cls}><h2>${esc(title)}</h2>${lead}${body}</section>`;
}

export function caseLink(base: string, id: string | null | undefined): string {
  if (!id) return '—';
  return `<a class="case" href="${esc(`${base}/v1/cases/${encodeURIComponent(id)}`)}">${esc(id)}</a>`;
}

const CSS = `
:root { --fg:#1f2328; --muted:#59636e; --line:#d1d9e0; --accent:#1f6feb; --bad:#d1242f; --good:#1a7f37; --bg2:#f6f8fa; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); margin: 0; }
main { max-width: 980px; margin: 0 auto; padding: 24px 28px 48px; }
header.top { border-bottom: 3px solid var(--accent); margin-bottom: 16px; padding-bottom: 8px; }
h1 { font-size: 24px; margin: 0 0 4px; }
h2 { font-size: 18px; margin: 28px 0 8px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
h3 { font-size: 15px; margin: 16px 0 6px; }
.meta, .lead, .note, figcaption { color: var(--muted); }
.meta { font-size: 12px; margin: 0; }
.lead { margin: 4px 0 10px; }
nav.toc { columns: 3; font-size: 12px; margin: 8px 0 4px; }
nav.toc a { color: var(--accent); text-decoration: none; display: block; }
table { border-collapse: collapse; width: 100%; font-size: 12px; margin: 6px 0 12px; }
th, td { border-bottom: 1px solid var(--line); padding: 4px 6px; text-align: left; vertical-align: top; }
th { background: var(--bg2); font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.kpis { display: grid; grid-template-columns: repeat(4, 1fr); gap: 8px; margin: 8px 0 14px; }
.kpi { border: 1px solid var(--line); border-radius: 6px; padding: 8px 10px; }
.kpi .v { font-size: 20px; font-weight: 600; font-variant-numeric: tabular-nums; }
.kpi .l { font-size: 11px; color: var(--muted); text-transform: uppercase; letter-spacing: .03em; }
.kpi .c { font-size: 11px; color: var(--muted); }
.up { color: var(--bad); } .down { color: var(--good); } .flat { color: var(--muted); }
figure.chart { margin: 10px 0 16px; break-inside: avoid; page-break-inside: avoid; }
figure.chart svg { max-width: 100%; height: auto; }
figcaption { font-size: 12px; margin-bottom: 4px; }
.empty { color: var(--muted); font-style: italic; }
a.case { color: var(--accent); font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: 11px; }
code, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: 11px; }
.pill { display: inline-block; padding: 0 6px; border-radius: 9px; font-size: 11px; background: var(--bg2); border: 1px solid var(--line); }
.pill.fired { background: #ffebe9; border-color: #ffcecb; color: var(--bad); }
tr.current td { background: #ddf4ff; font-weight: 600; }
details > summary { cursor: pointer; color: var(--accent); font-size: 12px; margin: 4px 0; }
footer { margin-top: 32px; font-size: 11px; color: var(--muted); border-top: 1px solid var(--line); padding-top: 8px; }
@page { size: A4; margin: 14mm 12mm; }
@media print {
  body { font-size: 11px; }
  main { max-width: none; padding: 0; }
  nav.toc { display: none; }
  section.page { break-before: page; page-break-before: always; }
  h2 { break-after: avoid; page-break-after: avoid; }
  thead { display: table-header-group; }
  tr { break-inside: avoid; page-break-inside: avoid; }
  a { color: inherit; text-decoration: none; }
  .kpis { grid-template-columns: repeat(4, 1fr); }
}
`;

export function page(title: string, header: string, toc: readonly [string, string][], body: string, footer: string): string {
  const nav = toc.map(([id, t]) => `<a href="#${esc(id)}">${esc(t)}</a>`).join('');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="loopwatch review">
<title>${esc(title)}</title>
<style>${CSS}</style>
</head>
<body>
<main>
<header class="top">${header}</header>
<nav class="toc">${nav}</nav>
${body}
<footer>${footer}</footer>
</main>
</body>
</html>
`;
}
