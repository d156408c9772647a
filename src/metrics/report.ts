import type { MetricsSnapshot } from './runner.js';

/**
 * The terminal report: one table per family, a row per group. Rates read "12.3% [10.1–14.5]
 * 120/1000"; nested objects with plain leaves become dotted columns; anything deeper is left to
 * --json, which prints exactly what GET /v1/metrics answers.
 */
export function renderReport(snapshot: MetricsSnapshot, options: { color?: boolean } = {}): string {
  const bold = (s: string) => (options.color ? `\x1b[1m${s}\x1b[22m` : s);
  const out: string[] = [];
  out.push(bold(`Loopwatch report — generated ${snapshot.generated_at} in ${snapshot.duration_ms} ms`));
  const cut = Object.entries(snapshot.cuts)
    .filter(([, v]) => v !== undefined && !(Array.isArray(v) && v.length === 0))
    .map(([k, v]) => `${k}=${v instanceof Date ? v.toISOString() : Array.isArray(v) ? v.join(',') : v}`);
  out.push(`cut: ${cut.length ? cut.join(' ') : 'all events'}`);
  for (const [name, family] of Object.entries(snapshot.families)) {
    out.push('', bold(`## ${name}`) + ` (${family.duration_ms} ms)`);
    if (family.groups.length === 0) {
      out.push('  no data in this cut');
    } else if (name === 'drift') {
      out.push(...renderDrift(family.groups));
    } else {
      const rows = family.groups.map((g) => ({ ...prefix('', g.key), ...flatten(g.metrics) }));
      out.push(table(rows));
    }
    if (family.details) out.push(...renderDetails(family.details));
  }
  return `${out.join('\n')}\n`;
}

function prefix(p: string, o: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [p + k, v === null ? '(none)' : String(v)]));
}

function isRate(v: unknown): v is { value: number | null; numerator: number; denominator: number; ci95: [number, number] | null } {
  return typeof v === 'object' && v !== null && 'numerator' in v && 'denominator' in v && 'value' in v;
}

/** A statistic with its sample size and interval: { value, n, ci95, note? }. */
function isEstimate(v: unknown): v is { value: number | null; n: number; ci95: [number, number] | null; note?: string } {
  return typeof v === 'object' && v !== null && 'value' in v && 'n' in v && 'ci95' in v && !('numerator' in v);
}

export function formatValue(v: unknown): string {
  if (v === null || v === undefined) return '—';
  if (isEstimate(v)) {
    if (v.value === null) return v.note ? `— (${v.note})` : '—';
    const ci = v.ci95 ? ` [${v.ci95[0].toFixed(3)}–${v.ci95[1].toFixed(3)}]` : '';
    return `${v.value.toFixed(3)}${ci} n=${v.n}`;
  }
  if (isRate(v)) {
    if (v.value === null) return `— 0/0`;
    const ci = v.ci95 ? ` [${pct(v.ci95[0])}–${pct(v.ci95[1])}]` : '';
    return `${pct(v.value)}%${ci} ${v.numerator}/${v.denominator}`;
  }
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : v.toPrecision(4);
  if (Array.isArray(v)) {
    // lists of records (pairwise kappas, per-reviewer rows) are for --json; the table counts them
    if (v.some((x) => typeof x === 'object' && x !== null)) return `(${v.length} rows, see --json)`;
    // numbers as everywhere else: a ci95 pair shows 4 digits, not 17
    const items = v.map((x) => formatValue(x));
    return items.length > 4 ? `${items.slice(0, 4).join(',')},…(${items.length})` : items.join(',');
  }
  return String(v);
}

function pct(x: number): string {
  return (x * 100).toFixed(1);
}

/** Scalars and rates as columns; one level of plain nesting as dotted columns. */
function flatten(metrics: unknown, depth = 0, path = ''): Record<string, string> {
  const cols: Record<string, string> = {};
  if (typeof metrics !== 'object' || metrics === null) return cols;
  for (const [k, v] of Object.entries(metrics)) {
    const name = path ? `${path}.${k}` : k;
    if (v === null || typeof v !== 'object' || isRate(v) || isEstimate(v) || Array.isArray(v)) cols[name] = formatValue(v);
    else if (depth < 1) Object.assign(cols, flatten(v, depth + 1, name));
  }
  return cols;
}

function table(rows: Record<string, string>[]): string {
  const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const widths = columns.map((c) => Math.max(c.length, ...rows.map((r) => (r[c] ?? '').length)));
  const line = (cells: string[]) => `  ${cells.map((c, i) => c.padEnd(widths[i])).join('  ')}`.trimEnd();
  return [line(columns), line(widths.map((w) => '-'.repeat(w))), ...rows.map((r) => line(columns.map((c) => r[c] ?? '')))].join('\n');
}

function renderDetails(details: Record<string, unknown>): string[] {
  const lines: string[] = [];
  const byControl = details.by_control as Record<string, { count: number; case_ids: string[] }> | undefined;
  if (byControl) {
    for (const [control, { count, case_ids }] of Object.entries(byControl)) {
      if (count === 0) continue;
      lines.push(`  ${control}: ${count} — ${formatValue(case_ids)}`);
    }
    if (lines.length === 0) lines.push('  no control violations');
  }
  return lines;
}

/** Drift reads better as a verdict per group and the checks that fired than as a table. */
function renderDrift(groups: { key: Record<string, unknown>; metrics: unknown }[]): string[] {
  const lines: string[] = [];
  for (const g of groups) {
    const m = g.metrics as {
      status: string;
      drifted: boolean;
      drifted_checks: string[];
      window: { reference: { cases: number; note?: string }; current: { cases: number } };
    };
    const key = Object.entries(g.key).map(([k, v]) => `${k}=${v ?? '(none)'}`).join(' ');
    const verdict = m.status !== 'ok' ? m.status : m.drifted ? `DRIFTED (${m.drifted_checks.length} checks)` : 'stable';
    lines.push(`  ${key}: ${verdict} — reference ${m.window.reference.cases} cases, current ${m.window.current.cases}${m.window.reference.note ? ` (${m.window.reference.note})` : ''}`);
    for (const path of m.drifted_checks) {
      const check = path.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], m) as
        | { statistic: number | null; pvalue: number | null; threshold?: number }
        | undefined;
      if (!check) continue;
      const p = check.pvalue === null || check.pvalue === undefined ? '' : ` p=${check.pvalue.toPrecision(3)}`;
      lines.push(`    ${path}: ${check.statistic === null ? '—' : check.statistic.toPrecision(4)}${p}`);
    }
  }
  return lines;
}
