import { batchContent, type ChainLink } from './chain.js';
import type { LinkRows } from './chain-rows.js';

/** Past this many combinations of rows a link is not searched: its latest rows stand, and verify reports what differs. */
const MAX_COMBINATIONS = 4096;

/**
 * One row hash per id for a link, from every stored row of its ids in arrival order. An id a
 * sender reused under another workflow, type or UTC day is stored once per event (docs/scaling.md,
 * "Looking up stored ids"), and FINAL keeps each, since their sort keys differ; nothing in a
 * ClickHouse row names the link that wrote it. The links naming an id take its rows in arrival
 * order (as DuckDB's take them in rowid order, chain-rows.ts); arrival times may tie, so when
 * that choice does not give the link's content, the combinations of the ids' rows are tried (up
 * to MAX_COMBINATIONS). A content is a digest of every row's full text, so a match means each
 * of the link's events is stored as written; when none matches, a row was edited or deleted and
 * verify reports the break.
 */
export function chooseRows(rows: readonly [string, string][], link: ChainLink | undefined, linkRows: LinkRows | undefined): Map<string, string> {
  const candidates = new Map<string, string[]>();
  for (const [id, h] of rows) {
    const all = candidates.get(id);
    if (all) all.push(h);
    else candidates.set(id, [h]);
  }
  const chosen = new Map<string, string>();
  const open: [string, string[]][] = [];
  let combinations = 1;
  for (const [id, all] of candidates) {
    chosen.set(id, all[all.length - 1]);
    if (all.length > 1) {
      open.push([id, all]);
      combinations *= all.length;
    }
  }
  if (open.length === 0 || !link) return chosen;
  if (linkRows) {
    for (const [id, all] of open) {
      const at = linkRows.rowIndex(id, link, all.length);
      if (at >= 0 && at < all.length) chosen.set(id, all[at]);
      else chosen.delete(id);
    }
    if (batchContent(chosen).content === link.content) return chosen;
  }
  // with or without the rowid order, a search past the bound would not end in any useful time
  if (combinations > MAX_COMBINATIONS) return chosen;
  const byOrder = new Map(chosen);
  for (let n = 0; n < combinations; n++) {
    let rest = n;
    for (const [id, all] of open) {
      chosen.set(id, all[rest % all.length]);
      rest = Math.floor(rest / all.length);
    }
    if (batchContent(chosen).content === link.content) return chosen;
  }
  return byOrder;
}
