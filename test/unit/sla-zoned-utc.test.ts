import { afterEach, describe, expect, it, vi } from 'vitest';
import { buildCalendar } from '../../src/metrics/sla/calendar.js';
import { calendarSchema } from '../../src/config/sla-policy.js';
import { isTimeZone, localDateOf, offsetAt, UTC_NAMES, zonedInstant } from '../../src/metrics/sla/zoned-time.js';

// UTC is answered without Intl (issue 14: the first Intl formatter of a process costs 50-120 ms
// of CPU, and the default SLA calendar is in UTC). What Intl itself says is the reference.

const DAY_MS = 86_400_000;

function intlFields(timeZone: string, ms: number): Record<string, number> {
  const f = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
  return Object.fromEntries(f.formatToParts(new Date(ms)).filter((p) => p.type !== 'literal').map((p) => [p.type, Number(p.value)]));
}

/** Instants from year 1000 to 9999, the Unix epoch and leap days among them, at odd times of day. */
function instants(): number[] {
  const out = [0, -1, 1, Date.UTC(2000, 1, 29, 23, 59, 59, 999), Date.UTC(2024, 1, 29, 12), Date.UTC(2100, 2, 1)];
  for (let year = 1000; year <= 9999; year += 37) out.push(Date.UTC(year, year % 12, 1 + (year % 28), year % 24, year % 60, year % 60, year % 1000));
  return out;
}

describe('the UTC calendar zone', () => {
  afterEach(() => vi.restoreAllMocks());

  it('is what Intl resolves each of its spellings to', () => {
    for (const name of UTC_NAMES) expect(new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone).toBe('UTC');
  });

  it('gives the offsets, dates and instants Intl gives, for every spelling', () => {
    for (const name of UTC_NAMES) {
      expect(isTimeZone(name)).toBe(true);
      for (const ms of instants()) {
        const f = intlFields(name, ms);
        expect(offsetAt(name, ms)).toBe(Date.UTC(f.year, f.month - 1, f.day, f.hour, f.minute, f.second) - (ms - (((ms % 1000) + 1000) % 1000)));
        expect(localDateOf(name, ms)).toEqual({ year: f.year, month: f.month, day: f.day });
        const d = { year: f.year, month: f.month, day: f.day };
        // Intl's own answer through a zone that is not spelled as UTC, so not on the fast path
        expect(zonedInstant(name, d, 9 * 60 + 30)).toBe(zonedInstant('Etc/Universal', d, 9 * 60 + 30));
      }
    }
  });

  it('builds a calendar without Intl', () => {
    const cal = calendarSchema.parse({ timeZone: 'UTC' });
    const created = vi.spyOn(Intl, 'DateTimeFormat');
    const from = Date.UTC(2026, 2, 27);
    const periods = buildCalendar(cal, from, from + 10 * DAY_MS, { businessMs: 0, businessDays: 3 });
    expect(periods.length).toBeGreaterThan(5);
    expect(periods[0].start).toBe(Date.UTC(2026, 2, 26, 9));
    expect(created).not.toHaveBeenCalled();
  });
});
