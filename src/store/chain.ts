import { createHash } from 'node:crypto';

/**
 * Tamper evidence (docs/security.md, "Tamper evidence"): every durable write of events adds one
 * link to a hash chain. A link's `content` is the engine's digest of the batch's stored rows,
 * recomputed from the table by `loopwatch verify`; its `hash` covers the previous link's hash,
 * so an edited event, a deleted one or an edited link breaks the chain from there on.
 */
export interface ChainLink {
  seq: number;
  prev_hash: string;
  hash: string;
  content: string;
  events: number;
  /** The batch's event ids, sorted. */
  event_ids: string[];
  /**
   * Which definition of a row's hash `content` was computed with (an engine's own numbering;
   * DuckDB: migration 0006); absent means the first, the only one an engine without it has.
   */
  row_hash?: number;
}

/** The previous hash of the first link. */
export const GENESIS = '0'.repeat(64);

export function linkHash(prevHash: string, content: string, events: number): string {
  return createHash('sha256').update(`${prevHash}\n${content}\n${events}`).digest('hex');
}

/**
 * A batch's content from its stored rows' hashes (the engine hashes each row's full text, every
 * column escaped): one line per stored event, in id order. Computed the same way at write time
 * and by verify.
 */
export function batchContent(rowHashes: ReadonlyMap<string, string>): { content: string; events: number } {
  const hash = createHash('sha256');
  for (const id of [...rowHashes.keys()].sort()) hash.update(`${id}\t${rowHashes.get(id)}\n`);
  return { content: hash.digest('hex'), events: rowHashes.size };
}

/** What an engine gives `verify`: its links in order and a digest of stored events, computed as at write time. */
export interface ChainReader {
  /** The links, by seq. */
  links(): Promise<ChainLink[]>;
  /** The hash of each stored event among these ids, by id, as the link's row-hash version defines it (default 1). */
  rowHashes(ids: readonly string[], rowHashVersion?: number): Promise<Map<string, string>>;
  /** Events no link names: stored outside the chain (or before it existed). */
  unchained(): Promise<{ count: number; sample: string[] }>;
  /**
   * Whether a link is written in the same transaction as its events (DuckDB). Without it
   * (ClickHouse) a crash between the two leaves events without a link: verify reports them as
   * unchained, not as a break.
   */
  readonly atomic: boolean;
}

export interface ChainBreak {
  seq: number;
  reason: string;
  expected: string;
  found: string;
  /** The events the break concerns (missing ones, or the link's ids when a row changed). */
  eventIds: string[];
}

export interface ChainReport {
  ok: boolean;
  links: number;
  events: number;
  unchained: { count: number; sample: string[] };
  firstBreak: ChainBreak | null;
}

/** Recomputes the chain from the stored events; stops at the first broken link. */
export async function verifyChain(reader: ChainReader): Promise<ChainReport> {
  const links = await reader.links();
  let prev = GENESIS;
  let events = 0;
  let firstBreak: ChainBreak | null = null;
  for (let i = 0; i < links.length && !firstBreak; i++) {
    const link = links[i];
    const ids = [...link.event_ids].sort();
    if (link.seq !== i + 1) {
      firstBreak = { seq: i + 1, reason: 'a link is missing', expected: `seq ${i + 1}`, found: `seq ${link.seq}`, eventIds: [] };
    } else if (link.prev_hash !== prev) {
      firstBreak = { seq: link.seq, reason: "the link does not follow the previous link's hash", expected: prev, found: link.prev_hash, eventIds: ids };
    } else {
      const hashes = await reader.rowHashes(ids, link.row_hash ?? 1);
      const stored = batchContent(hashes);
      const expected = linkHash(prev, stored.content, stored.events);
      if (expected !== link.hash || stored.content !== link.content || stored.events !== link.events) {
        const missing = ids.filter((id) => !hashes.has(id));
        firstBreak = {
          seq: link.seq,
          reason:
            missing.length > 0
              ? `${missing.length} of the link's events are no longer stored`
              : stored.content !== link.content
                ? "the link's stored events differ from what was written"
                : 'the link row was altered',
          expected: stored.content !== link.content ? `content ${link.content}` : link.hash,
          found: stored.content !== link.content ? `content ${stored.content}` : expected,
          eventIds: missing.length > 0 ? missing : ids,
        };
      }
    }
    prev = link.hash;
    events += link.events;
  }
  const unchained = await reader.unchained();
  const unchainedBreaks = reader.atomic && unchained.count > 0;
  return { ok: !firstBreak && !unchainedBreaks, links: links.length, events, unchained, firstBreak };
}
