import { formatCell, formatCount, formatDuration, formatKey, formatNumber, isLeaf, type Cell } from './report-format.js';
import { clip, renderTable, wrap } from './report-table.js';
import type { MetricsSnapshot } from './runner.js';

export interface ReportOptions {
  color?: boolean;
  /** Columns every line fits in (the terminal's width, or --width). */
  width?: number;
}

export const DEFAULT_WIDTH = 100;
/** Narrower than this and not even a key column and a rate fit side by side. */
export const MIN_WIDTH = 40;
/** Case ids listed under a control before the rest is left to --json. */
const MAX_LIST_LINES = 3;

/**
 * The terminal report: one table per family, a row per group, fitted to the width. Rates read
 * "12.3% [10.1–14.5] 120/1,000", durations "11h 21m"; nested objects with plain leaves become
 * dotted columns; anything deeper is left to --json, which prints exactly what GET /v1/metrics
 * answers.
 */
export function renderReport(snapshot: MetricsSnapshot, options: ReportOptions = {}): string {
  const width = Math.max(MIN_WIDTH, Math.floor(options.width ?? DEFAULT_WIDTH));
  const bold = (s: string) => (options.color ? `\x1b[1m${s}\x1b[22m` : s);
  const out: string[] = [];
  out.push(bold(clip(`Loopwatch report — generated ${snapshot.generated_at} in ${formatDuration(snapshot.duration_ms / 1000)}`, width)));
  const cut = Object.entries(snapshot.cuts)
    .filter(([, v]) => v !== undefined && !(Array.isArray(v) && v.length === 0))
    .map(([k, v]) => `${k}=${v instanceof Date ? v.toISOString() : Array.isArray(v) ? v.join(',') : v}`);
  out.push(...wrap(`cut: ${cut.length ? cut.join(' ') : 'all events'}`, width, '', '     '));
  for (const [name, family] of Object.entries(snapshot.families)) {
    out.push('', bold(clip(`## ${name}`, width)) + clip(` (${formatDuration(family.duration_ms / 1000)})`, width - name.length - 3));
    if (family.groups.length === 0) {
      out.push('  no data in this cut');
    } else if (name === 'drift') {
      out.push(...renderDrift(family.groups, width));
    } else {
      out.push(...renderFamilyTable(family.groups, width));
    }
    if (family.details) out.push(...renderDetails(family.details, width));
    // the overflow group is only readable with what it holds (docs/metrics.md#label-cardinality)
    for (const [dimension, c] of Object.entries(family.capped ?? {})) {
      out.push(...wrap(`${dimension}s capped: ${c.limit} of ${c.distinct_values} shown, the other ${c.overflow_values} grouped as ${c.overflow} (metrics.cardinality)`, width, '  ', '    '));
    }
  }
  return `${out.join('\n')}\n`;
}

function renderFamilyTable(groups: { key: Record<string, unknown>; metrics: unknown }[], width: number): string[] {
  const keys = [...new Set(groups.flatMap((g) => Object.keys(g.key)))];
  const notes: string[] = [];
  const noteRef = (column: string, note: string) => {
    const text = `${column}: ${note}`;
    const i = notes.indexOf(text);
    return `note ${i < 0 ? notes.push(text) : i + 1}`;
  };
  const rows = groups.map((g) => {
    const row: Record<string, string> = {};
    for (const [k, v] of Object.entries(g.key)) row[k] = formatKey(v);
    for (const [column, cell] of Object.entries(flatten(g.metrics))) {
      row[column] = cell.note ? `${cell.text} (${noteRef(column, cell.note)})` : cell.text;
    }
    return row;
  });
  const metrics = [...new Set(rows.flatMap((r) => Object.keys(r)))].filter((c) => !keys.includes(c));
  const lines = renderTable(keys, metrics, rows, width);
  for (const [i, note] of notes.entries()) lines.push(...wrap(`note ${i + 1}: ${note}`, width, '  ', '    '));
  return lines;
}

/** Scalars and rates as columns; one level of plain nesting as dotted columns. */
function flatten(metrics: unknown, depth = 0, path = ''): Record<string, Cell> {
  const cols: Record<string, Cell> = {};
  if (typeof metrics !== 'object' || metrics === null) return cols;
  for (const [k, v] of Object.entries(metrics)) {
    const name = path ? `${path}.${k}` : k;
    if (isLeaf(v)) cols[name] = formatCell(v, name);
    else if (depth < 1) Object.assign(cols, flatten(v, depth + 1, name));
  }
  return cols;
}

/** Case ids per control, wrapped to the width; a long list ends with how many more --json has. */
function renderDetails(details: Record<string, unknown>, width: number): string[] {
  const lines: string[] = [];
  const byControl = details.by_control as Record<string, { count: number; case_ids: string[] }> | undefined;
  if (byControl) {
    for (const [control, { count, case_ids }] of Object.entries(byControl)) {
      if (count === 0) continue;
      const wrapped = wrap(`${control}: ${formatCount(count)} — ${case_ids.join(', ')}`, width, '  ', '      ');
      if (wrapped.length > MAX_LIST_LINES) {
        const shown = wrapped.slice(0, MAX_LIST_LINES).join(' ').split(/[\s,—]+/).filter((w) => case_ids.includes(w)).length;
        lines.push(...wrapped.slice(0, MAX_LIST_LINES), clip(`      … ${formatCount(count - shown)} more (--json)`, width));
      } else {
        lines.push(...wrapped);
      }
    }
    if (lines.length === 0) lines.push('  no control violations');
  }
  return lines;
}

/** Drift reads better as a verdict per group and the checks that fired than as a table. */
function renderDrift(groups: { key: Record<string, unknown>; metrics: unknown }[], width: number): string[] {
  const lines: string[] = [];
  for (const g of groups) {
    const m = g.metrics as {
      status: string;
      drifted: boolean;
      drifted_checks: string[];
      window: { reference: { cases: number; note?: string | null }; current: { cases: number } };
    };
    const key = Object.entries(g.key).map(([k, v]) => `${k}=${formatKey(v)}`).join(' ');
    const verdict = m.status !== 'ok' ? m.status : m.drifted ? `DRIFTED (${m.drifted_checks.length} checks)` : 'stable';
    const ref = m.window.reference;
    const text = `${key}: ${verdict} — reference ${formatCount(ref.cases)} cases, current ${formatCount(m.window.current.cases)}${ref.note ? ` (${ref.note})` : ''}`;
    lines.push(...wrap(text, width, '  ', '      '));
    for (const path of m.drifted_checks) {
      const check = path.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], m) as
        | { statistic: number | null; pvalue: number | null }
        | undefined;
      if (!check) continue;
      const pv = check.pvalue === null || check.pvalue === undefined ? undefined : formatNumber(check.pvalue);
      const p = pv === undefined ? '' : pv.startsWith('<') ? ` p${pv}` : ` p=${pv}`;
      lines.push(clip(`    ${path}: ${check.statistic === null ? '—' : formatNumber(check.statistic)}${p}`, width));
    }
  }
  return lines;
}
