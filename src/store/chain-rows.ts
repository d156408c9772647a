import type { ChainLink } from './chain.js';

/**
 * The link verify asks about, and, on DuckDB, which stored row of an id belongs to which link
 * when a sender reused the id under another workflow, type or UTC day (both engines store each
 * as an event of its own; within one batch an id is stored once). DuckDB stores a batch and its link in one transaction and rowids follow
 * commit order, so the links naming an id take its rows in rowid order: the first link the
 * first row, and so on. Rows stored before the chain existed come first in rowid order and no
 * link names them (a store migrated from before it), so the count is taken from the last row
 * backwards: the link that is the k-th of L naming the id takes row R - L + k of its R rows.
 * A deleted or added row then shifts the rows of some link, which no longer hashes as written:
 * verify still reports a break.
 */
export class LinkRows {
  private bySignature = new Map<string, ChainLink[]>();
  private linksOfId: Map<string, number[]> | undefined;
  private next = 0;
  /** Ids stored more than once, asked of the engine on the first such id verify meets. */
  reused: ReadonlySet<string> | undefined;

  constructor(private readonly links: readonly ChainLink[]) {
    for (const link of links) {
      const key = signature([...link.event_ids].sort());
      const same = this.bySignature.get(key);
      if (same) same.push(link);
      else this.bySignature.set(key, [link]);
    }
  }

  /**
   * The link verify is asking about with these ids: verify asks link by link in seq order, so the
   * next link when its ids are these, else the first link naming exactly these ids.
   */
  linkOf(sortedIds: readonly string[]): ChainLink | undefined {
    const expected = this.links[this.next];
    if (expected && sameIds([...expected.event_ids].sort(), sortedIds)) {
      this.next++;
      return expected;
    }
    return this.bySignature.get(signature(sortedIds))?.find((l) => sameIds([...l.event_ids].sort(), sortedIds));
  }

  /** The index, among an id's rows in rowid order, of the row that `link` names. */
  rowIndex(id: string, link: ChainLink, rows: number): number {
    const seqs = this.seqsOf(id);
    const k = seqs.filter((s) => s < link.seq).length;
    return rows - seqs.length + k;
  }

  private seqsOf(id: string): number[] {
    if (!this.reused) return this.links.filter((l) => l.event_ids.includes(id)).map((l) => l.seq);
    // built once, for the ids stored more than once: a walk of every link's ids
    if (!this.linksOfId) {
      this.linksOfId = new Map();
      for (const link of this.links) {
        for (const linked of link.event_ids) {
          if (!this.reused.has(linked)) continue;
          const seqs = this.linksOfId.get(linked);
          if (seqs) seqs.push(link.seq);
          else this.linksOfId.set(linked, [link.seq]);
        }
      }
    }
    return this.linksOfId.get(id) ?? [];
  }
}

function signature(sorted: readonly string[]): string {
  return `${sorted.length}\u0000${sorted[0] ?? ''}\u0000${sorted[sorted.length - 1] ?? ''}`;
}

function sameIds(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((id, i) => id === b[i]);
}
