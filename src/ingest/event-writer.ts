import { DEFAULT_MAX_ROWS_PER_WRITE } from '../config/defaults.js';
import type { EventRow } from '../events/row.js';
import { preparedIds, type PreparedEvents } from '../store/prepared.js';
import type { Store } from '../store/store.js';

interface Pending {
  /** Validated rows, or rows already serialized for the engine (never both kinds in one write). */
  rows?: EventRow[];
  prepared?: PreparedEvents;
  count: number;
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
    return this.enqueue({ rows, count: rows.length });
  }

  /**
   * The same as write() for rows serialized elsewhere (src/ingest/http-prepare.ts), so that
   * the serializing was done off this thread; batches arriving together still share one write.
   */
  writePrepared(prepared: PreparedEvents): Promise<number> {
    if (this.closed) return Promise.reject(new Error('event writer is closed'));
    const count = preparedIds(prepared).length;
    if (count === 0) return Promise.resolve(0);
    return this.enqueue({ prepared, count });
  }

  private enqueue(p: Omit<Pending, 'resolve' | 'reject'>): Promise<number> {
    return new Promise((resolve, reject) => {
      this.queue.push({ ...p, resolve, reject });
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
      if (group.length > 0 && (rows + next.count > this.options.maxRowsPerWrite || !next.prepared !== !group[0].prepared)) break;
      group.push(this.queue.shift()!);
      rows += next.count;
    }
    return group;
  }

  /** Per batch of the group: how many of its rows were already stored or repeated earlier in the group. */
  private async writeGroup(group: Pending[]): Promise<number[]> {
    const seen = new Set<string>();
    const unique: EventRow[] = [];
    const idsOf = (p: Pending) => (p.prepared ? preparedIds(p.prepared) : p.rows!.map((r) => r.event_id));
    const repeatsInGroup = group.map((p) => {
      let repeats = 0;
      const ids = idsOf(p);
      for (let i = 0; i < ids.length; i++) {
        if (seen.has(ids[i])) repeats++;
        else {
          seen.add(ids[i]);
          if (p.rows) unique.push(p.rows[i]);
        }
      }
      return repeats;
    });
    // prepared batches go whole: the store keeps each id's first copy itself
    const { duplicateIds } = group[0].prepared
      ? await this.store.insertPrepared(group.map((p) => p.prepared!))
      : await this.store.insertEvents(unique);
    if (duplicateIds.size === 0) return repeatsInGroup;
    // a stored id counts against the batch that carried its first copy in this group
    const counted = new Set<string>();
    return group.map((p, i) => {
      let dupes = repeatsInGroup[i];
      for (const id of idsOf(p)) {
        if (duplicateIds.has(id) && !counted.has(id)) {
          counted.add(id);
          dupes++;
        }
      }
      return dupes;
    });
  }
}
