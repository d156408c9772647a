import type { Store } from '../store/store.js';
import { defaultStart } from './simulate.js';
import { Q } from '../store/queries.js';

/** Where a demo run's simulated history goes. */
export interface DemoStretch {
  start: Date;
  /** Namespaces the run's ids; absent on an empty database, so the first run's ids stay case-42-1, ... */
  idTag?: string;
  /** Events already stored, and the latest event time among them. */
  stored: number;
  lastTs: Date | null;
}

const HOUR = 3600_000;

/**
 * The first run fills the week before now. A later run on the same database continues on the
 * hour after the last stored event, with ids tagged by that hour: resending the same seeded
 * week would only be counted as duplicates, and repeating its ids in another week would be
 * refused as duplicates too.
 */
export async function nextDemoStretch(store: Store, now: Date): Promise<DemoStretch> {
  const stored = await store.countEvents();
  const [range] = stored > 0 ? await store.query(Q.eventTimeSpan) : [];
  const lastTs = range?.max_ts ? new Date(range.max_ts) : null;
  if (!lastTs) return { start: defaultStart(now), stored, lastTs };
  const start = new Date((Math.floor(lastTs.getTime() / HOUR) + 1) * HOUR);
  // 2026-12-12T07:00:00.000Z → 20261212T07
  const idTag = start.toISOString().slice(0, 13).replace(/-/g, '');
  return { start, idTag, stored, lastTs };
}
