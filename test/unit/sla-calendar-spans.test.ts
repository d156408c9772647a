import { describe, expect, it } from 'vitest';
import { buildCalendar, buildCalendarOver, deadlineOf, type DeadlineRule } from '../../src/metrics/sla/calendar.js';
import { calendarSchema } from '../../src/config/sla-policy.js';

// The calendar built only around the days that matter (issue 13) must give every deadline the
// calendar over the whole span gives: checked here instant by instant, across DST changes,
// holidays and spans that overlap, touch or lie months apart.

const DAY = 86_400_000;
const H = 3_600_000;
const cal = calendarSchema.parse({
  timeZone: 'Europe/Berlin',
  hours: { mon: [['09:00', '12:00'], ['13:00', '17:00']], tue: [['09:00', '17:00']], wed: [['09:00', '17:00']], thu: [['09:00', '17:00']], fri: [['09:00', '13:00']] },
  holidays: ['2026-03-30', '2026-03-31', '2026-04-01', '2026-04-02', '2026-04-03', '2026-10-26', '2026-12-24', '2026-12-25'],
});
const reach = { businessMs: 20 * H, businessDays: 3 };
const rules: DeadlineRule[] = [
  { kind: 'business', ms: 4 * H },
  { kind: 'business', ms: 20 * H },
  { kind: 'end_of_business_day' },
  { kind: 'business_days', days: 1 },
  { kind: 'business_days', days: 3 },
];

describe('calendar built around chosen days', () => {
  // instants every 7 h 13 min through two DST changes, in clusters with gaps between them
  const instants: number[] = [];
  for (let t = Date.UTC(2026, 2, 20); t < Date.UTC(2027, 0, 10); t += 7 * H + 13 * 60_000) {
    const dayOfYear = Math.floor((t - Date.UTC(2026, 0, 1)) / DAY);
    // days 9 and 11 of each 40 lie within the reach of the cluster before them: the calendar resumes there
    if (dayOfYear % 40 < 6 || dayOfYear % 40 === 9 || dayOfYear % 40 === 11 || dayOfYear % 97 === 0) instants.push(t);
  }
  const whole = buildCalendar(cal, instants[0] - DAY, instants.at(-1)!, reach);
  const spans = instants.map((t) => ({ from: Math.floor(t / DAY) * DAY - DAY, to: Math.floor(t / DAY) * DAY + 2 * DAY }));
  const around = buildCalendarOver(cal, spans, reach);

  it('gives every deadline the whole calendar gives', () => {
    const diffs = instants.flatMap((t) => rules.filter((r) => deadlineOf(whole, t, r) !== deadlineOf(around, t, r)).map((r) => [new Date(t).toISOString(), r]));
    expect(diffs).toEqual([]);
    expect(instants.length).toBeGreaterThan(100);
  });

  it('builds fewer periods than the whole span needs', () => {
    expect(around.length).toBeLessThan(whole.length * 0.6);
  });

  it('costs the same for two days ten thousand years apart as for two days a week apart', () => {
    const near = buildCalendarOver(cal, [{ from: Date.UTC(2026, 5, 1), to: Date.UTC(2026, 5, 2) }, { from: Date.UTC(2026, 5, 8), to: Date.UTC(2026, 5, 9) }], reach);
    const far = buildCalendarOver(cal, [{ from: Date.parse('0001-01-03T00:00:00Z'), to: Date.parse('0001-01-04T00:00:00Z') }, { from: Date.UTC(9999, 11, 1), to: Date.UTC(9999, 11, 2) }], reach);
    expect(far.length).toBeLessThanOrEqual(near.length + 4);
  });
});
