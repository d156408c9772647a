/**
 * Runs its tasks one after another, each starting when the one before settled (a failure does
 * not stop the queue): a store's writes, its derived-table refreshes, each DuckDB reader's
 * queries.
 */
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();
  /** Tasks queued or running. */
  pending = 0;

  run<T>(fn: () => Promise<T>): Promise<T> {
    this.pending += 1;
    const next = this.tail.then(fn, fn).finally(() => {
      this.pending -= 1;
    });
    this.tail = next.catch(() => undefined);
    return next;
  }

  /** Settles once everything queued so far has. */
  async idle(): Promise<void> {
    await this.tail;
  }
}
