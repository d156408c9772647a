/**
 * Local wall time ↔ instant in an IANA time zone, with nothing but Intl: the zone rules come
 * from the ICU data Node ships, so a DST change or a zone's new rules need no table of ours.
 * UTC, the default calendar's zone, needs no rules: its wall time is the instant's UTC fields,
 * and answering it without Intl spares a process ICU's start (the first formatter of a process
 * costs 50-120 ms of CPU, most of what a one-shot report spent building its SLA calendar).
 */

const DAY_MS = 86_400_000;
const formatters = new Map<string, Intl.DateTimeFormat>();

/**
 * Spellings of UTC as the config file gives them, answered without Intl. Only exact ones:
 * Intl takes any case and more aliases, which still go through Intl and give the same answers
 * (test/unit/sla-zoned-utc.test.ts checks these against Intl).
 */
export const UTC_NAMES: ReadonlySet<string> = new Set(['UTC', 'Etc/UTC', 'GMT', 'Etc/GMT']);

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    // h23, not hour12: false, which prints midnight as "24" on some ICU versions
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

export function isTimeZone(timeZone: string): boolean {
  if (UTC_NAMES.has(timeZone)) return true;
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** A calendar date in some zone, month 1-12. */
export interface LocalDate {
  year: number;
  month: number;
  day: number;
}

function localFields(timeZone: string, ms: number): Record<string, number> {
  if (UTC_NAMES.has(timeZone)) {
    const t = new Date(ms);
    return { year: t.getUTCFullYear(), month: t.getUTCMonth() + 1, day: t.getUTCDate(), hour: t.getUTCHours(), minute: t.getUTCMinutes(), second: t.getUTCSeconds() };
  }
  const out: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(new Date(ms))) {
    if (p.type !== 'literal') out[p.type] = Number(p.value);
  }
  return out;
}

/** The zone's offset from UTC at an instant, in ms (Europe/Berlin in July: +7,200,000). */
export function offsetAt(timeZone: string, ms: number): number {
  const f = localFields(timeZone, ms);
  const wholeSecond = ms - (((ms % 1000) + 1000) % 1000);
  return Date.UTC(f.year, f.month - 1, f.day, f.hour, f.minute, f.second) - wholeSecond;
}

export function localDateOf(timeZone: string, ms: number): LocalDate {
  const f = localFields(timeZone, ms);
  return { year: f.year, month: f.month, day: f.day };
}

/** The date `days` after `d` (negative: before), by the calendar, whatever the zone. */
export function addDays(d: LocalDate, days: number): LocalDate {
  const t = new Date(Date.UTC(d.year, d.month - 1, d.day + days));
  return { year: t.getUTCFullYear(), month: t.getUTCMonth() + 1, day: t.getUTCDate() };
}

/** 0 = Sunday … 6 = Saturday, as Date#getUTCDay. */
export function weekdayOf(d: LocalDate): number {
  return new Date(Date.UTC(d.year, d.month - 1, d.day)).getUTCDay();
}

export function isoDate(d: LocalDate): string {
  return `${String(d.year).padStart(4, '0')}-${String(d.month).padStart(2, '0')}-${String(d.day).padStart(2, '0')}`;
}

/**
 * The instant at which the clocks of `timeZone` show `minuteOfDay` (0-1440) on date `d`.
 * A wall time skipped by a DST jump resolves forward by the length of the gap (02:30 on
 * Berlin's spring-forward night is 03:30 CEST), a repeated one to its first occurrence: the
 * "compatible" rule of Temporal and of RFC 5545, so a calendar agrees with other tools.
 */
export function zonedInstant(timeZone: string, d: LocalDate, minuteOfDay: number): number {
  const wall = Date.UTC(d.year, d.month - 1, d.day, 0, minuteOfDay);
  // zones change offset at most once in any two days, so the offsets a day either side
  // are the only candidates
  const before = offsetAt(timeZone, wall - DAY_MS);
  const after = offsetAt(timeZone, wall + DAY_MS);
  const early = wall - before;
  const late = wall - after;
  const earlyOk = offsetAt(timeZone, early) === before;
  const lateOk = offsetAt(timeZone, late) === after;
  if (earlyOk && lateOk) return Math.min(early, late);
  if (lateOk) return late;
  // earlyOk, or neither (the gap): wall minus the old offset lands after the jump
  return early;
}
