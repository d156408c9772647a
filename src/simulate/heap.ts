/** Anything the simulator schedules: ordered by time, ties broken by a unique sequence number. */
export interface Scheduled {
  ts: number;
  seq: number;
}

function before(a: Scheduled, b: Scheduled): boolean {
  // the sequence tie-break makes the order total, which is what keeps output deterministic
  return a.ts < b.ts || (a.ts === b.ts && a.seq < b.seq);
}

/**
 * A binary min-heap over in-flight tracks (cases and background processes). It holds one
 * entry per track, not per event, so memory follows the number of cases in flight.
 */
export class MinHeap<T extends Scheduled> {
  private readonly items: T[] = [];

  get size(): number {
    return this.items.length;
  }

  peek(): T | undefined {
    return this.items[0];
  }

  push(item: T): void {
    const items = this.items;
    let i = items.length;
    items.push(item);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(item, items[parent])) break;
      items[i] = items[parent];
      i = parent;
    }
    items[i] = item;
  }

  pop(): T | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (items.length > 0 && last !== undefined) this.siftDown(last);
    return top;
  }

  /** The top entry's key has grown: restore order in one pass instead of pop and push. */
  updateTop(): void {
    if (this.items.length > 1) this.siftDown(this.items[0]);
  }

  private siftDown(item: T): void {
    const items = this.items;
    const n = items.length;
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= n) break;
      if (child + 1 < n && before(items[child + 1], items[child])) child++;
      if (!before(items[child], item)) break;
      items[i] = items[child];
      i = child;
    }
    items[i] = item;
  }
}
