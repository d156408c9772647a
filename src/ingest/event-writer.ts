import { DEFAULT_MAX_ROWS_PER_WRITE } from '../config/defaults.js';
import type { EventRow } from '../events/row.js';
import type { Store } from '../store/store.js';

interface Pending {
  rows: EventRow[];
  resolve: (duplicates: number) => void;
  reject: (err: unknown) => void;
}

export interface EventWriterOptions {
  /** Most rows one database write takes; batches are never split across writes. */
  maxRowsPerWrite: number;
}

/**
 * Group commit: concurrent batches that arrive while a write is in flight are merged into
 * the next write, so many small senders cost one transaction (and one WAL sync) per round
 * instead of one each. Each caller learns how many of its own rows were duplicates.
 */
export class EventWriter {
  private queue: Pending[] = [];
  private writing = false;
  private closed = false;
  private idle: Promise<void> = Promise.resolve();
  private markIdle: () => void = () => undefined;

  constructor(
    private readonly store: Store,
    private readonly options: EventWriterOptions = { maxRowsPerWrite: DEFAULT_MAX_ROWS_PER_WRITE },
  ) {}

  /** Resolves with the number of duplicates once every row of the batch is durable. */
  write(rows: EventRow[]): Promise<number> {
    if (this.closed) return Promise.reject(new Error('event writer is closed'));
    if (rows.length === 0) return Promise.resolve(0);
    return new Promise((resolve, reject) => {
      this.queue.push({ rows, resolve, reject });
      if (!this.writing) void this.drain();
    });
  }

  /** Stops taking batches and waits until every accepted one is written. */
  async close(): Promise<void> {
    this.closed = true;
    await this.idle;
  }

  private async drain(): Promise<void> {
    this.writing = true;
    this.idle = new Promise((r) => (this.markIdle = r));
    try {
      while (this.queue.length > 0) {
        const group = this.takeGroup();
        try {
          const dupes = await this.writeGroup(group);
          group.forEach((p, i) => p.resolve(dupes[i]));
        } catch (err) {
          for (const p of group) p.reject(err);
        }
      }
    } finally {
      this.writing = false;
      this.markIdle();
    }
  }

  private takeGroup(): Pending[] {
    const group: Pending[] = [];
    let rows = 0;
    while (this.queue.length > 0) {
      const next = this.queue[0];
      if (group.length > 0 && rows + next.rows.length > this.options.maxRowsPerWrite) break;
      group.push(this.queue.shift()!);
      rows += next.rows.length;
    }
    return group;
  }

  /** Per batch of the group: how many of its rows were already stored or repeated earlier in the group. */
  private async writeGroup(group: Pending[]): Promise<number[]> {
    const seen = new Set<string>();
    const unique: EventRow[] = [];
    const repeatsInGroup = group.map((p) => {
      let repeats = 0;
      for (const row of p.rows) {
        if (seen.has(row.event_id)) repeats++;
        else {
          seen.add(row.event_id);
          unique.push(row);
        }
      }
      return repeats;
    });
    const { duplicateIds } = await this.store.insertEvents(unique);
    if (duplicateIds.size === 0) return repeatsInGroup;
    // a stored id counts against the batch that carried its first copy in this group
    const counted = new Set<string>();
    return group.map((p, i) => {
      let dupes = repeatsInGroup[i];
      for (const row of p.rows) {
        if (duplicateIds.has(row.event_id) && !counted.has(row.event_id)) {
          counted.add(row.event_id);
          dupes++;
        }
      }
      return dupes;
    });
  }
}
