import { LoopwatchError } from '../errors.js';

/**
 * The span a review covers: a calendar month (`2026-11`), a quarter (`2026-Q4`) or any
 * `from..to` range of RFC 3339 instants or dates. Periods are UTC, [from, to).
 */
export interface Period {
  /** As the user wrote it, normalized: `2026-11`, `2026-Q4`, or `<from>..<to>`. */
  label: string;
  kind: 'month' | 'quarter' | 'range';
  from: Date;
  to: Date;
  /** The trend charts' bucket: days for a month or a short range, weeks for a quarter. */
  bucket: 'day' | 'week';
}

const DAY_MS = 86_400_000;

export function parsePeriod(text: string): Period {
  const t = text.trim();
  let m = /^(\d{4})-(\d{2})$/.exec(t);
  if (m) {
    const [y, mo] = [Number(m[1]), Number(m[2])];
    if (mo < 1 || mo > 12) throw badPeriod(text);
    return { label: t, kind: 'month', from: utc(y, mo - 1), to: utc(y, mo), bucket: 'day' };
  }
  m = /^(\d{4})-[Qq]([1-4])$/.exec(t);
  if (m) {
    const [y, q] = [Number(m[1]), Number(m[2])];
    return { label: `${y}-Q${q}`, kind: 'quarter', from: utc(y, 3 * (q - 1)), to: utc(y, 3 * q), bucket: 'week' };
  }
  const range = parseRange(t);
  if (range) return range;
  throw badPeriod(text);
}

/** `from..to`, each an RFC 3339 instant or a YYYY-MM-DD date (UTC midnight); null when not a range. */
export function parseRange(text: string): Period | null {
  const parts = text.split('..');
  if (parts.length !== 2) return null;
  const [from, to] = parts.map(instant);
  if (!from || !to) throw new LoopwatchError('bad_period', `${JSON.stringify(text)}: expected <from>..<to> with RFC 3339 times or YYYY-MM-DD dates`);
  if (from >= to) throw new LoopwatchError('bad_period', `${JSON.stringify(text)}: the range must end after it starts`);
  const days = (to.getTime() - from.getTime()) / DAY_MS;
  return { label: `${from.toISOString()}..${to.toISOString()}`, kind: 'range', from, to, bucket: days > 45 ? 'week' : 'day' };
}

/** The period of the same length just before: the month, quarter or range before it. */
export function previousPeriod(p: Period): Period {
  if (p.kind === 'month') {
    const from = utc(p.from.getUTCFullYear(), p.from.getUTCMonth() - 1);
    return { ...p, label: monthLabel(from), from, to: p.from };
  }
  if (p.kind === 'quarter') {
    const from = utc(p.from.getUTCFullYear(), p.from.getUTCMonth() - 3);
    return { ...p, label: `${from.getUTCFullYear()}-Q${Math.floor(from.getUTCMonth() / 3) + 1}`, from, to: p.from };
  }
  const from = new Date(2 * p.from.getTime() - p.to.getTime());
  return { ...p, label: `${from.toISOString()}..${p.from.toISOString()}`, from, to: p.from };
}

/** Consecutive [from, to) windows of at most `days` covering the period (the drift timeline). */
export function windowsOf(p: Period, days: number): { from: Date; to: Date }[] {
  const out: { from: Date; to: Date }[] = [];
  for (let t = p.from.getTime(); t < p.to.getTime(); t += days * DAY_MS) {
    out.push({ from: new Date(t), to: new Date(Math.min(t + days * DAY_MS, p.to.getTime())) });
  }
  return out;
}

function instant(s: string): Date | null {
  const text = /^\d{4}-\d{2}-\d{2}$/.test(s) ? `${s}T00:00:00Z` : s;
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?([Zz]|[+-]\d{2}:\d{2})$/.test(text)) return null;
  const d = new Date(text);
  return Number.isFinite(d.getTime()) ? d : null;
}

function utc(year: number, month: number): Date {
  return new Date(Date.UTC(year, month, 1));
}

function monthLabel(d: Date): string {
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
}

function badPeriod(text: string): LoopwatchError {
  return new LoopwatchError('bad_period', `period ${JSON.stringify(text)}: expected a month (2026-11), a quarter (2026-Q4) or a range (2026-11-01..2026-11-15)`);
}
