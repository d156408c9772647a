import { LoopwatchError } from '../../errors.js';
import { minuteOfDay, WEEKDAYS, type CalendarConfig } from '../../config/sla-policy.js';
import { addDays, isoDate, localDateOf, weekdayOf, zonedInstant, type LocalDate } from './zoned-time.js';

/**
 * One stretch of working time, as instants (epoch ms). `cumBefore` is the business time of
 * every period before it, so business time between two instants is a difference of two
 * lookups (B(t2) - B(t1)) and never a loop over days; `day` numbers the business days.
 */
export interface WorkingPeriod {
  start: number;
  end: number;
  cumBefore: number;
  day: number;
}

/** How a deadline follows from the instant a clock started (docs/metrics/queues-sla.md#deadlines). */
export type DeadlineRule =
  | { kind: 'wall'; ms: number }
  | { kind: 'business'; ms: number }
  | { kind: 'business_days'; days: number }
  | { kind: 'end_of_business_day' };

/** How far past the last instant of the data the calendar must reach for every deadline to land in it. */
export interface CalendarReach {
  businessMs: number;
  businessDays: number;
}

const DAY_MS = 86_400_000;
/** Past the data, a calendar whose next working day is further away than this is a mistake. */
const MAX_DAYS_PAST = 3_660;

/** An interval of instants (epoch ms) the calendar must answer for. */
export interface CalendarSpan {
  from: number;
  to: number;
}

/**
 * The working periods from the local day before `fromMs` until past `toMs` by `reach`, in the
 * calendar's zone: each weekday's hours as instants on that date (DST-correct, see
 * zonedInstant), holidays left out.
 */
export function buildCalendar(cal: CalendarConfig, fromMs: number, toMs: number, reach: CalendarReach): WorkingPeriod[] {
  return buildCalendarOver(cal, [{ from: fromMs, to: toMs }], reach);
}

/**
 * The working periods around each span only, each span covered as buildCalendar covers one:
 * its cost follows the number of spans and the policy's reach, never the distance between
 * them (one event in year 9999 adds one span, not three million days). Between spans the
 * calendar has a gap; business time and day numbers run on across it, which changes no
 * deadline: every lookup starts inside a span and lands within its reach, and only
 * differences of business time and of day numbers are ever used
 * (docs/metrics/queues-sla.md#business-calendar).
 */
export function buildCalendarOver(cal: CalendarConfig, spans: readonly CalendarSpan[], reach: CalendarReach): WorkingPeriod[] {
  const needed = reach.businessMs > 0 || reach.businessDays > 0;
  if (!WEEKDAYS.some((d) => cal.hours[d].length > 0)) {
    // a policy of wall clocks only needs no calendar; the policy schema refuses the other case
    if (needed) throw new LoopwatchError('sla_calendar_empty', 'the SLA calendar has no working hours, but a target counts business time');
    return [];
  }
  const state: BuildState = { periods: [], cum: 0, day: 0, next: undefined };
  for (const span of mergeSpans(spans)) extendOver(cal, state, span, reach);
  return state.periods;
}

interface BuildState {
  periods: WorkingPeriod[];
  cum: number;
  day: number;
  /** The local date the calendar is built up to (exclusive); undefined before the first span. */
  next: LocalDate | undefined;
}

/** Sorted, overlapping spans joined: each day is built once. */
function mergeSpans(spans: readonly CalendarSpan[]): CalendarSpan[] {
  const sorted = [...spans].sort((a, b) => a.from - b.from);
  const merged: CalendarSpan[] = [];
  for (const s of sorted) {
    const last = merged.at(-1);
    if (last && s.from <= last.to) last.to = Math.max(last.to, s.to);
    else merged.push({ ...s });
  }
  return merged;
}

const dateKey = (d: LocalDate) => d.year * 10_000 + d.month * 100 + d.day;

/** Adds days from the span's start (or where the calendar already reaches) until past its end by `reach`. */
function extendOver(cal: CalendarConfig, state: BuildState, span: CalendarSpan, reach: CalendarReach): void {
  const first = addDays(localDateOf(cal.timeZone, span.from), -1);
  const resumes = state.next !== undefined && dateKey(state.next) >= dateKey(first);
  let date = resumes ? state.next! : first;
  const holidays = new Set(cal.holidays);
  const periods = state.periods;
  // what an earlier span's reach already built past this span's end counts towards its reach
  let { daysPast, msPast } = resumes ? pastEnd(periods, span.to) : { daysPast: 0, msPast: 0 };
  const maxDays = Math.ceil((span.to - span.from) / DAY_MS) + 3 + MAX_DAYS_PAST;
  for (let i = 0; ; i++) {
    if (zonedInstant(cal.timeZone, date, 0) > span.to && daysPast > reach.businessDays && msPast >= reach.businessMs) break;
    if (i > maxDays) {
      throw new LoopwatchError('sla_calendar_exhausted', `the SLA calendar has no working time within ${MAX_DAYS_PAST} days after ${new Date(span.to).toISOString()}`);
    }
    const hours = holidays.has(isoDate(date)) ? [] : cal.hours[WEEKDAYS[weekdayOf(date)]];
    let working = false;
    for (const [from, to] of hours) {
      const last = periods.at(-1);
      // on the night clocks fall back, a period may start at a wall time the previous one
      // already covered; business time must never run twice
      const start = Math.max(zonedInstant(cal.timeZone, date, minuteOfDay(from)), last?.end ?? -Infinity);
      const end = zonedInstant(cal.timeZone, date, minuteOfDay(to));
      if (end <= start) continue; // swallowed by a spring-forward gap
      periods.push({ start, end, cumBefore: state.cum, day: state.day });
      state.cum += end - start;
      working = true;
      if (start >= span.to) msPast += end - start;
    }
    if (working) {
      if (periods.at(-1)!.start >= span.to) daysPast++;
      state.day++;
    }
    date = addDays(date, 1);
  }
  state.next = date;
}

/** Business days (counted by their last period) and business time already built from `toMs` on. */
function pastEnd(periods: readonly WorkingPeriod[], toMs: number): { daysPast: number; msPast: number } {
  let daysPast = 0;
  let msPast = 0;
  let seenDay = -1;
  for (let i = periods.length - 1; i >= 0 && periods[i].start >= toMs; i--) {
    msPast += periods[i].end - periods[i].start;
    if (periods[i].day !== seenDay) {
      daysPast++;
      seenDay = periods[i].day;
    }
  }
  return { daysPast, msPast };
}

// What follows is the executable specification of the deadline arithmetic that
// sql/duckdb/metrics/sla/breaches.sql does with ASOF joins; the integration tests check one against
// the other.

/** Index of the first period ending after t: the one t is in, or the next one if t is off hours. */
function periodAtOrAfter(periods: readonly WorkingPeriod[], t: number): number {
  let lo = 0;
  let hi = periods.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (periods[mid].end > t) hi = mid;
    else lo = mid + 1;
  }
  if (lo === periods.length) throw new RangeError(`${new Date(t).toISOString()} is past the end of the calendar`);
  return lo;
}

/** B(t): business time (ms) from the calendar's first period up to t; flat outside working hours. */
export function businessTimeAt(periods: readonly WorkingPeriod[], t: number): number {
  const p = periods[periodAtOrAfter(periods, t)];
  return p.cumBefore + Math.max(t - p.start, 0);
}

/** The earliest instant at which B reaches b: a deadline falling on a period's end is that end, not the next opening. */
export function instantAtBusinessTime(periods: readonly WorkingPeriod[], b: number): number {
  const p = periods.find((q) => q.cumBefore + (q.end - q.start) >= b);
  if (!p) throw new RangeError(`business time ${b} is past the end of the calendar`);
  return p.start + (b - p.cumBefore);
}

interface BusinessDay {
  cum: number;
  len: number;
}

function businessDays(periods: readonly WorkingPeriod[]): BusinessDay[] {
  const days: BusinessDay[] = [];
  for (const p of periods) {
    days[p.day] ??= { cum: p.cumBefore, len: 0 };
    days[p.day].len += p.end - p.start;
  }
  return days;
}

/** The instant a clock started at `t` under `rule` is due. */
export function deadlineOf(periods: readonly WorkingPeriod[], t: number, rule: DeadlineRule): number {
  if (rule.kind === 'wall') return t + rule.ms;
  const b = businessTimeAt(periods, t);
  if (rule.kind === 'business') return instantAtBusinessTime(periods, b + rule.ms);
  // the business day an arrival belongs to: the one it falls in, or the next one when it
  // arrives off hours
  const d = periods[periodAtOrAfter(periods, t)].day;
  const days = businessDays(periods);
  if (rule.kind === 'end_of_business_day') return instantAtBusinessTime(periods, days[d].cum + days[d].len);
  const later = days[d + rule.days];
  if (!later) throw new RangeError(`${rule.days} business days after ${new Date(t).toISOString()} is past the end of the calendar`);
  return instantAtBusinessTime(periods, later.cum + Math.min(b - days[d].cum, later.len));
}
