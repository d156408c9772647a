/**
 * Holds a batch back while another batch of this process carrying one of its ids is being
 * stored. The two would otherwise both look the id up before either insert lands, both store it
 * and both report it new; and the later one's chain link would name a row that FINAL does not
 * keep (the earliest arrival wins), which verify reports as a break. Held back, the later batch
 * finds the id stored and reports it as a duplicate, as DuckDB's single writer does.
 */
export class IdGate {
  private readonly inFlight = new Set<{ ids: ReadonlySet<string>; done: Promise<void> }>();

  /** Waits until no batch in flight shares an id with these; the returned function lets the next one in. */
  async enter(ids: ReadonlySet<string>): Promise<() => void> {
    for (;;) {
      let clash: Promise<void> | undefined;
      for (const other of this.inFlight) {
        if (overlaps(ids, other.ids)) {
          clash = other.done;
          break;
        }
      }
      if (!clash) break;
      await clash;
    }
    let release!: () => void;
    const entry = { ids, done: new Promise<void>((resolve) => (release = resolve)) };
    this.inFlight.add(entry);
    return () => {
      this.inFlight.delete(entry);
      release();
    };
  }
}

function overlaps(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  for (const id of small) if (large.has(id)) return true;
  return false;
}
