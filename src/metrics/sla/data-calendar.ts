import type { Store } from '../../store/store.js';
import { buildCalendarOver, type CalendarSpan, type WorkingPeriod } from './calendar.js';
import { calendarReach } from './params.js';
import type { SlaPolicy } from '../../config/sla-policy.js';
import { Q } from '../../store/queries.js';
import { cachedResult } from '../result-cache.js';

const DAY_MS = 86_400_000;


/**
 * The business calendar the stored data needs: working periods around each UTC day that
 * holds events (every clock starts at an event) and around `now`, each reaching past its day
 * by the policy's longest target. Its size follows the number of days with data, not the
 * distance between the first and the last event (docs/metrics/queues-sla.md#business-calendar).
 */
export async function calendarForData(store: Store, policy: SlaPolicy, now: Date): Promise<WorkingPeriod[]> {
  const days = (await eventDays(store)).map((d) => d * DAY_MS);
  days.push(Math.floor(now.getTime() / DAY_MS) * DAY_MS);
  // a day either side: the local calendar day of an instant may be the UTC day before or after
  const spans: CalendarSpan[] = days.map((d) => ({ from: d - DAY_MS, to: d + 2 * DAY_MS }));
  return buildCalendarOver(policy.calendar, spans, calendarReach(policy));
}

/**
 * The days with events, kept in the database with the derived tables' version (issue 14: a
 * scan of the whole log, on the SLA family's path, at every one-shot report). The clocks the
 * SLA query reads are those of that version, so the days read when it was made cover every
 * clock's start, and so do the days of any later log: the calendar only needs each clock's
 * start inside one of its spans (calendar.ts, buildCalendarOver).
 */
async function eventDays(store: Store): Promise<number[]> {
  return cachedResult(store, 'sla/event_days', {}, async () => (await store.query(Q.eventDays)).map((r) => Number(r.day)));
}
