import { describe, expect, it } from 'vitest';
import { LoopwatchError } from '../../src/errors.js';
import { buildCalendar, businessTimeAt, deadlineOf, type DeadlineRule, type WorkingPeriod } from '../../src/metrics/sla/calendar.js';
import { calendarSchema } from '../../src/config/sla-policy.js';
import { offsetAt, zonedInstant } from '../../src/metrics/sla/zoned-time.js';

// Every expected instant below is worked out by hand from Europe/Berlin's rules: CET is UTC+1,
// CEST UTC+2; in 2026 clocks jump 02:00 → 03:00 on Sun 29 March (01:00Z) and fall back
// 03:00 → 02:00 on Sun 25 October (01:00Z).

const H = 3_600_000;
const utc = (s: string) => Date.parse(s);
const iso = (ms: number) => new Date(ms).toISOString();

function calendar(input: Record<string, unknown>, from: string, to: string, reach = { businessMs: 0, businessDays: 3 }): WorkingPeriod[] {
  return buildCalendar(calendarSchema.parse(input), utc(from), utc(to), reach);
}

const berlin = { timeZone: 'Europe/Berlin' }; // default hours: Mon-Fri 09:00-17:00
const deadline = (periods: WorkingPeriod[], start: string, rule: DeadlineRule) => iso(deadlineOf(periods, utc(start), rule));
const hours = (n: number): DeadlineRule => ({ kind: 'business', ms: n * H });
const sameDay: DeadlineRule = { kind: 'end_of_business_day' };
const oneDay: DeadlineRule = { kind: 'business_days', days: 1 };

describe('zoned wall time', () => {
  it('converts local times on either side of DST', () => {
    expect(iso(zonedInstant('Europe/Berlin', { year: 2026, month: 1, day: 5 }, 9 * 60))).toBe('2026-01-05T08:00:00.000Z'); // CET
    expect(iso(zonedInstant('Europe/Berlin', { year: 2026, month: 7, day: 1 }, 9 * 60))).toBe('2026-07-01T07:00:00.000Z'); // CEST
    expect(offsetAt('Europe/Berlin', utc('2026-03-29T00:59:00Z'))).toBe(1 * H);
    expect(offsetAt('Europe/Berlin', utc('2026-03-29T01:00:00Z'))).toBe(2 * H);
  });

  it('moves a time skipped by spring-forward past the gap, and takes the first of a repeated time', () => {
    // 02:30 does not exist on 29 March: it is read as 03:30 CEST = 01:30Z
    expect(iso(zonedInstant('Europe/Berlin', { year: 2026, month: 3, day: 29 }, 150))).toBe('2026-03-29T01:30:00.000Z');
    // 02:30 happens twice on 25 October: first in CEST (00:30Z), then in CET (01:30Z)
    expect(iso(zonedInstant('Europe/Berlin', { year: 2026, month: 10, day: 25 }, 150))).toBe('2026-10-25T00:30:00.000Z');
    // a zone west of UTC: New York jumps 02:00 EST → 03:00 EDT on 8 March (07:00Z)
    expect(iso(zonedInstant('America/New_York', { year: 2026, month: 3, day: 8 }, 150))).toBe('2026-03-08T07:30:00.000Z');
  });
});

describe('business calendar', () => {
  it('counts the real length of a working period that spans a DST change', () => {
    const sundays = { ...berlin, hours: { sun: [['01:00', '05:00']] } };
    // 01:00 CET = 00:00Z to 05:00 CEST = 03:00Z: three hours, not four
    const spring = calendar(sundays, '2026-03-28T00:00:00Z', '2026-03-30T00:00:00Z').find((p) => iso(p.start).startsWith('2026-03-29'))!;
    expect([iso(spring.start), iso(spring.end)]).toEqual(['2026-03-29T00:00:00.000Z', '2026-03-29T03:00:00.000Z']);
    // 01:00 CEST = 24 Oct 23:00Z to 05:00 CET = 04:00Z: five hours
    const autumn = calendar(sundays, '2026-10-24T00:00:00Z', '2026-10-26T00:00:00Z').find((p) => p.end === utc('2026-10-25T04:00:00Z'))!;
    expect(iso(autumn.start)).toBe('2026-10-24T23:00:00.000Z');
  });

  it('skips weekends: Fri 15:00 CET to Mon 10:00 CEST is 2 h + 1 h of business time', () => {
    const p = calendar(berlin, '2026-03-26T00:00:00Z', '2026-03-31T00:00:00Z');
    // Fri 27 March 09-17 CET is 08:00Z-16:00Z; Mon 30 March 09-17 CEST is 07:00Z-15:00Z
    expect(businessTimeAt(p, utc('2026-03-30T08:00:00Z')) - businessTimeAt(p, utc('2026-03-27T14:00:00Z'))).toBe(3 * H);
    // off hours business time stands still: Sat noon = Fri close = Mon opening
    expect(businessTimeAt(p, utc('2026-03-28T12:00:00Z'))).toBe(businessTimeAt(p, utc('2026-03-30T07:00:00Z')));
  });

  it('skips holidays: 4 business hours from Thu 24 Dec 15:00 CET end Mon 28 Dec 11:00 CET', () => {
    const withHoliday = calendar({ ...berlin, holidays: ['2026-12-25'] }, '2026-12-20T00:00:00Z', '2026-12-31T00:00:00Z');
    // Thu 15-17 (2 h), Fri 25 a holiday, weekend, Mon 09-11 (2 h) = 10:00Z
    expect(deadline(withHoliday, '2026-12-24T14:00:00Z', hours(4))).toBe('2026-12-28T10:00:00.000Z');
    const without = calendar(berlin, '2026-12-20T00:00:00Z', '2026-12-31T00:00:00Z');
    expect(deadline(without, '2026-12-24T14:00:00Z', hours(4))).toBe('2026-12-25T10:00:00.000Z');
  });

  it('ends a business-hours deadline that lands on closing time at the close, not at the next opening', () => {
    const p = calendar(berlin, '2026-11-23T00:00:00Z', '2026-11-28T00:00:00Z');
    // Tue 24 Nov 13:00 CET (12:00Z) + 4 h = Tue 17:00 CET = 16:00Z
    expect(deadline(p, '2026-11-24T12:00:00Z', hours(4))).toBe('2026-11-24T16:00:00.000Z');
    // started off hours (Tue 20:00 CET), the clock runs from Wed 09:00: Wed 13:00 CET = 12:00Z
    expect(deadline(p, '2026-11-24T19:00:00Z', hours(4))).toBe('2026-11-25T12:00:00.000Z');
  });

  it('does not count a lunch break', () => {
    const p = calendar({ hours: { wed: [['09:00', '12:00'], ['13:00', '17:00']] } }, '2026-11-24T00:00:00Z', '2026-11-27T00:00:00Z');
    // UTC: 11:00 + 1 h before lunch + 1 h after = 14:00
    expect(deadline(p, '2026-11-25T11:00:00Z', hours(2))).toBe('2026-11-25T14:00:00.000Z');
  });

  it('same business day: the end of the arrival day, or of the next business day after hours', () => {
    const p = calendar(berlin, '2026-11-23T00:00:00Z', '2026-12-01T00:00:00Z');
    expect(deadline(p, '2026-11-24T09:00:00Z', sameDay)).toBe('2026-11-24T16:00:00.000Z'); // Tue 10:00 CET → Tue 17:00
    expect(deadline(p, '2026-11-24T06:00:00Z', sameDay)).toBe('2026-11-24T16:00:00.000Z'); // Tue 07:00, before opening → Tue 17:00
    expect(deadline(p, '2026-11-24T17:30:00Z', sameDay)).toBe('2026-11-25T16:00:00.000Z'); // Tue 18:30 → Wed 17:00
    expect(deadline(p, '2026-11-24T16:00:00Z', sameDay)).toBe('2026-11-25T16:00:00.000Z'); // Tue 17:00 sharp is after hours
    expect(deadline(p, '2026-11-27T16:30:00Z', sameDay)).toBe('2026-11-30T16:00:00.000Z'); // Fri 17:30 → Mon 17:00
    expect(deadline(p, '2026-11-28T10:00:00Z', sameDay)).toBe('2026-11-30T16:00:00.000Z'); // Saturday → Mon 17:00
  });

  it('one business day: the same business time on the next business day', () => {
    const p = calendar(berlin, '2026-11-23T00:00:00Z', '2026-12-01T00:00:00Z');
    expect(deadline(p, '2026-11-24T09:00:00Z', oneDay)).toBe('2026-11-25T09:00:00.000Z'); // Tue 10:00 CET → Wed 10:00
    // Tue 18:30 belongs to Wednesday at 0 business hours in: due when Wednesday ends
    expect(deadline(p, '2026-11-24T17:30:00Z', oneDay)).toBe('2026-11-25T16:00:00.000Z');
    expect(deadline(p, '2026-11-27T12:00:00Z', oneDay)).toBe('2026-11-30T12:00:00.000Z'); // Fri 13:00 → Mon 13:00
  });

  it('one business day across spring-forward keeps the local time (71 wall hours)', () => {
    const p = calendar(berlin, '2026-03-25T00:00:00Z', '2026-04-01T00:00:00Z');
    // Fri 27 March 10:00 CET = 09:00Z → Mon 30 March 10:00 CEST = 08:00Z
    expect(deadline(p, '2026-03-27T09:00:00Z', oneDay)).toBe('2026-03-30T08:00:00.000Z');
  });

  it('one business day into a shorter day ends at that day\'s close', () => {
    const short = { hours: { mon: [['09:00', '17:00']], thu: [['09:00', '17:00']], fri: [['09:00', '13:00']] } };
    const p = calendar(short, '2026-11-23T00:00:00Z', '2026-12-01T00:00:00Z');
    // UTC: Thu 15:00 is 6 h into Thursday; Friday has only 4 h → Fri 13:00
    expect(deadline(p, '2026-11-26T15:00:00Z', oneDay)).toBe('2026-11-27T13:00:00.000Z');
    // Fri 10:00 is 1 h into Friday → 1 h into Monday
    expect(deadline(p, '2026-11-27T10:00:00Z', oneDay)).toBe('2026-11-30T10:00:00.000Z');
  });

  it('reaches past the data far enough for the longest target', () => {
    // data ends Friday evening, which counts as Monday 0 h in; two business days on is
    // Wednesday 0 h in, the same business instant as Tuesday's close: so Wednesday must exist
    const p = calendar({}, '2026-11-23T00:00:00Z', '2026-11-27T18:00:00Z', { businessMs: 0, businessDays: 2 });
    expect(iso(p.at(-1)!.end)).toBe('2026-12-02T17:00:00.000Z');
    expect(deadline(p, '2026-11-27T18:00:00Z', { kind: 'business_days', days: 2 })).toBe('2026-12-01T17:00:00.000Z');
  });

  it('builds nothing for a week without working time, and refuses business time from it', () => {
    const empty = calendarSchema.parse({ hours: {} });
    const [from, to] = [utc('2026-11-23T00:00:00Z'), utc('2026-11-24T00:00:00Z')];
    expect(buildCalendar(empty, from, to, { businessMs: 0, businessDays: 0 })).toEqual([]);
    expect(() => buildCalendar(empty, from, to, { businessMs: H, businessDays: 0 })).toThrow(LoopwatchError);
  });
});
