/**
 * How one metric value reads in the terminal report. The JSON keeps full precision; a person
 * reading a table wants units: durations as `11h 21m` or `4.2 s`, ratios as `19.3% [18.2–20.4]`,
 * counts as `12,345`, other numbers to three significant digits and never in exponent notation.
 * The unit comes from the value's shape and its field name (`*_seconds`, `*_rate`), which the
 * metric families follow throughout.
 */

/** A formatted cell; a note too long for a cell (why a value is missing) goes under the table. */
export interface Cell {
  text: string;
  note?: string;
}

/** A rate: { value, numerator, denominator, ci95 }. */
function isRate(v: unknown): v is { value: number | null; numerator: number; denominator: number; ci95: [number, number] | null } {
  return typeof v === 'object' && v !== null && 'numerator' in v && 'denominator' in v && 'value' in v;
}

/** A statistic with its sample size and interval: { value, n, ci95, note? }. */
function isEstimate(v: unknown): v is { value: number | null; n: number; ci95: [number, number] | null; note?: string | null } {
  return typeof v === 'object' && v !== null && 'value' in v && 'n' in v && 'ci95' in v && !('numerator' in v);
}

/** An estimate whose sample is counted under another name (false_accept_rate: audits). */
function isBounded(v: unknown): v is { value: number | null; ci95: [number, number] | null; audits: number } {
  return typeof v === 'object' && v !== null && 'value' in v && 'ci95' in v && 'audits' in v;
}

/** Values that are one cell however they are built; anything else nests into dotted columns. */
export function isLeaf(v: unknown): boolean {
  return v === null || typeof v !== 'object' || Array.isArray(v) || isRate(v) || isEstimate(v) || isBounded(v);
}

const RATIO_NAME = /(^|_)(rate|ratio|share|fraction)$|^percent_agreement$/;
const SECONDS_NAME = /seconds/;
/** Summary statistics of a duration (`age_seconds.p90`) are durations too; `timed` or `n` are counts. */
const STATISTIC_NAME = /^(p\d+|mean|median|min|max|avg)$/;
const MS_NAME = /(^|[._])duration_ms$|_ms$/;

/** Formats `v`, the metric at dotted path `name`. */
export function formatCell(v: unknown, name = ''): Cell {
  const leaf = name.split('.').at(-1) ?? '';
  if (v === null || v === undefined) return { text: '—' };
  if (isRate(v)) {
    const counts = `${formatCount(v.numerator)}/${formatCount(v.denominator)}`;
    if (v.value === null) return { text: `— ${counts}` };
    return { text: `${percentWithInterval(v.value, v.ci95)} ${counts}` };
  }
  if (isEstimate(v)) {
    const ratio = RATIO_NAME.test(leaf);
    if (v.value === null) return v.note ? { text: '—', note: v.note } : { text: '—' };
    const text = ratio ? percentWithInterval(v.value, v.ci95) : coefficientWithInterval(v.value, v.ci95);
    return { text: `${text} n=${formatCount(v.n)}`, ...(v.note ? { note: v.note } : {}) };
  }
  if (isBounded(v)) {
    const size = ` n=${formatCount(v.audits)}`;
    if (v.value === null) return { text: `—${size}` };
    return { text: `${percentWithInterval(v.value, v.ci95)}${size}` };
  }
  if (typeof v === 'number') {
    const parent = name.split('.').at(-2) ?? '';
    if (SECONDS_NAME.test(leaf) || (SECONDS_NAME.test(parent) && STATISTIC_NAME.test(leaf))) return { text: formatDuration(v) };
    if (MS_NAME.test(leaf)) return { text: formatDuration(v / 1000) };
    if (RATIO_NAME.test(leaf) && v >= 0 && v <= 1) return { text: `${pct(v)}%` };
    return { text: formatNumber(v) };
  }
  if (typeof v === 'boolean') return { text: v ? 'yes' : 'no' };
  if (Array.isArray(v)) {
    // lists of records (pairwise kappas, per-lane rows) are for --json; the table counts them
    if (v.some((x) => typeof x === 'object' && x !== null)) return { text: `${formatCount(v.length)} ${v.length === 1 ? 'row' : 'rows'} (--json)` };
    return { text: v.length === 0 ? '—' : v.map((x) => (typeof x === 'number' ? formatNumber(x) : String(x))).join(', ') };
  }
  return { text: String(v) };
}

function percentWithInterval(value: number, ci: [number, number] | null): string {
  return `${pct(value)}%${ci ? ` [${pct(ci[0])}–${pct(ci[1])}]` : ''}`;
}

function coefficientWithInterval(value: number, ci: [number, number] | null): string {
  return `${value.toFixed(3)}${ci ? ` [${ci[0].toFixed(3)}–${ci[1].toFixed(3)}]` : ''}`;
}

function pct(x: number): string {
  return (x * 100).toFixed(1);
}

export function formatCount(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

/** Three significant digits at most, thousands separators, no exponent (1.43e+4 reads 14,300). */
export function formatNumber(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (Number.isInteger(x) || Math.abs(x) >= 100) return formatCount(x);
  if (x === 0) return '0';
  if (Math.abs(x) < 0.001) return x < 0 ? '>-0.001' : '<0.001';
  // toPrecision(3) gives e.g. 15.3, 9.13, 0.0123; Number() drops trailing zeros (2.00 -> 2)
  return String(Number(x.toPrecision(3)));
}

/** 850 ms, 4.2 s, 12m 5s, 11h 21m, 3d 4h: two units at most, the way people say them. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return String(seconds);
  const sign = seconds < 0 ? '-' : '';
  const s = Math.abs(seconds);
  if (s < 1) return `${sign}${Math.round(s * 1000)} ms`;
  if (s < 10) return `${sign}${s.toFixed(1)} s`;
  if (s < 59.5) return `${sign}${Math.round(s)} s`;
  const total = Math.round(s);
  const [d, h, m, sec] = [Math.floor(total / 86_400), Math.floor((total % 86_400) / 3600), Math.floor((total % 3600) / 60), total % 60];
  if (d > 0) return `${sign}${d}d ${h}h`;
  if (h > 0) return `${sign}${h}h ${m}m`;
  return `${sign}${m}m ${sec}s`;
}

const ISO = /^(\d{4}-\d\d-\d\d)T(\d\d:\d\d):(\d\d(\.\d+)?)Z$/;

/** A group key value: time buckets read as a day (`2026-11-28`) or an hour (`2026-11-28 14:00Z`). */
export function formatKey(v: unknown): string {
  if (v === null || v === undefined) return '(none)';
  const s = v instanceof Date ? v.toISOString() : String(v);
  const m = ISO.exec(s);
  if (!m) return s;
  if (m[2] === '00:00' && Number(m[3]) === 0) return m[1];
  return Number(m[3]) === 0 ? `${m[1]} ${m[2]}Z` : s;
}
