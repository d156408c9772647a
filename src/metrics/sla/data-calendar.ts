import type { Store } from '../../store/store.js';
import { buildCalendarOver, type CalendarSpan, type WorkingPeriod } from './calendar.js';
import { calendarReach } from './params.js';
import type { SlaPolicy } from '../../config/sla-policy.js';
import { Q } from '../../store/queries.js';

const DAY_MS = 86_400_000;

/**
 * The business calendar the stored data needs: working periods around each UTC day that
 * holds events (every clock starts at an event) and around `now`, each reaching past its day
 * by the policy's longest target. Its size follows the number of days with data, not the
 * distance between the first and the last event (docs/metrics/queues-sla.md#business-calendar).
 */
export async function calendarForData(store: Store, policy: SlaPolicy, now: Date): Promise<WorkingPeriod[]> {
  const rows = await store.query(Q.eventDays);
  const days = rows.map((r) => Number(r.day) * DAY_MS);
  days.push(Math.floor(now.getTime() / DAY_MS) * DAY_MS);
  // a day either side: the local calendar day of an instant may be the UTC day before or after
  const spans: CalendarSpan[] = days.map((d) => ({ from: d - DAY_MS, to: d + 2 * DAY_MS }));
  return buildCalendarOver(policy.calendar, spans, calendarReach(policy));
}
