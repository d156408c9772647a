import { BIGINT, LIST, VARCHAR, listValue, type DuckDBConnection } from './node-api.js';
import { GENESIS, batchContent, linkHash, type ChainLink, type ChainReader } from '../chain.js';
import { LinkRows } from '../chain-rows.js';
import { STORED_TEXT_SELECT, rowHash, storedRowText } from './row-text.js';

/** The row-hash definition new links are written with (migration 0006 lists them). */
export const ROW_HASH_VERSION = 2;

// Row hash version 1 (links written before migration 0006): to_json escapes every value, so the
// text is one-to-one with the row
const ROW_HASHES_SQL = `SELECT e.event_id AS id, sha256(to_json(e)::VARCHAR) AS h FROM events e WHERE e.event_id IN (SELECT unnest($ids)) ORDER BY e.rowid`;

/**
 * The stored rows' hashes of these ids, each id's rows in rowid order; one per id of the link
 * verify asks about: an id a sender reused under another prefix has a row per link naming it
 * (chain-rows.ts picks the link's).
 */
async function rowHashes(c: DuckDBConnection, ids: readonly string[], version: number, linkRows: LinkRows | undefined): Promise<Map<string, string>> {
  const sorted = [...ids].sort();
  const link = linkRows?.linkOf(sorted);
  let pairs: [string, string][];
  if (version === 1) {
    const r = await c.runAndReadAll(ROW_HASHES_SQL, { ids: listValue([...ids]) }, { ids: LIST(VARCHAR) });
    pairs = r.getRows().map(([id, h]) => [id as string, h as string]);
  } else {
    if (version !== 2) throw new Error(`this Loopwatch does not know row hash version ${version}: verify with the version that wrote the store`);
    const r = await c.runAndReadAll(`SELECT ${STORED_TEXT_SELECT} FROM events WHERE event_id IN (SELECT unnest($ids)) ORDER BY rowid`, { ids: listValue([...ids]) }, { ids: LIST(VARCHAR) });
    pairs = r.getRowObjectsJS().map((row) => [row.event_id as string, rowHash(storedRowText(row))]);
  }
  const hashes = new Map<string, string>();
  let several: Map<string, string[]> | undefined;
  for (const [id, h] of pairs) {
    const before = hashes.get(id);
    if (before === undefined) {
      hashes.set(id, h);
      continue;
    }
    several ??= new Map();
    const all = several.get(id) ?? [before];
    all.push(h);
    several.set(id, all);
  }
  if (several) {
    if (linkRows && !linkRows.reused) {
      const r = await c.runAndReadAll('SELECT event_id FROM events GROUP BY event_id HAVING count(*) > 1');
      linkRows.reused = new Set(r.getColumnsJS()[0] as string[]);
    }
    for (const [id, all] of several) {
      // without the links (a caller outside verify's walk), the latest row
      const at = link && linkRows ? linkRows.rowIndex(id, link, all.length) : all.length - 1;
      if (at >= 0 && at < all.length) hashes.set(id, all[at]);
      else hashes.delete(id);
    }
  }
  return hashes;
}

/**
 * Adds the link of the events just stored (version 2: their row hashes were taken from the text
 * the writer staged, append.ts), on the writer's connection inside the transaction that stored
 * them. `stored` is a FROM clause of their ids and row hashes (event_id, h). The content is
 * batchContent's text, aggregated by the engine in id order, so no id or hash crosses into
 * JavaScript. DuckDB orders text by code point, JavaScript's sort (which verify uses) by UTF-16
 * unit; the two differ only between characters from U+E000 up and those above U+FFFF, so a
 * batch with an id holding any of those (`sortsAlike` false) is hashed in JavaScript.
 */
export async function appendStagedLink(
  c: DuckDBConnection,
  stored: string,
  sortsAlike: boolean,
  head: { seq: number; hash: string } | undefined,
): Promise<{ seq: number; hash: string }> {
  const last = head ?? (await readHead(c));
  let content: string;
  let events: number;
  if (sortsAlike) {
    const r = await c.runAndReadAll(
      `SELECT sha256(string_agg(event_id || chr(9) || h || chr(10), '' ORDER BY event_id)) AS content, count(*)::INTEGER AS events FROM ${stored}`,
    );
    [content, events] = r.getRows()[0] as [string, number];
  } else {
    const r = await c.runAndReadAll(`SELECT event_id, h FROM ${stored}`);
    ({ content, events } = batchContent(new Map(r.getRows().map(([id, h]) => [id as string, h as string]))));
  }
  const link = { seq: last.seq + 1, hash: linkHash(last.hash, content, events) };
  await c.run(
    `INSERT INTO loopwatch_chain (seq, prev_hash, hash, content, events, event_ids, created_at, row_hash)
       SELECT $seq, $prev, $hash, $content, $events, list(event_id ORDER BY event_id), make_timestamp($at), ${ROW_HASH_VERSION} FROM ${stored}`,
    { seq: link.seq, prev: last.hash, hash: link.hash, content, events, at: BigInt(Date.now()) * 1000n },
    { at: BIGINT },
  );
  return link;
}

async function readHead(c: DuckDBConnection): Promise<{ seq: number; hash: string }> {
  const rows = (await c.runAndReadAll('SELECT seq, hash FROM loopwatch_chain ORDER BY seq DESC LIMIT 1')).getRowObjectsJS();
  return rows.length === 0 ? { seq: 0, hash: GENESIS } : { seq: Number(rows[0].seq), hash: rows[0].hash as string };
}

export function duckdbChainReader(read: <T>(fn: (c: DuckDBConnection) => Promise<T>) => Promise<T>): ChainReader {
  // the links of the last links() call: verify walks them asking rowHashes link by link
  let linkRows: LinkRows | undefined;
  return {
    atomic: true,
    async links() {
      const rows = await read((c) => c.runAndReadAll('SELECT seq, prev_hash, hash, content, events, event_ids, row_hash FROM loopwatch_chain ORDER BY seq'));
      const links = rows.getRowObjectsJS().map((r) => ({ ...r, seq: Number(r.seq), events: Number(r.events), row_hash: Number(r.row_hash ?? 1) }) as unknown as ChainLink);
      linkRows = new LinkRows(links);
      return links;
    },
    rowHashes: (ids, version = 1) => read((c) => rowHashes(c, ids, version, linkRows)),
    async unchained() {
      // events stored before the first link (rowids grow in commit order) predate the chain:
      // a store migrated from before it
      const rows = await read((c) =>
        c.runAndReadAll(`SELECT count(*)::INTEGER AS n, coalesce(list(event_id ORDER BY event_id)[1:5], []) AS sample FROM events
          WHERE rowid >= (SELECT min(rowid) FROM events WHERE event_id IN (SELECT unnest(event_ids) FROM loopwatch_chain WHERE seq = 1))
            AND event_id NOT IN (SELECT unnest(event_ids) FROM loopwatch_chain)`),
      );
      const r = rows.getRowObjectsJS()[0];
      return { count: Number(r.n), sample: r.sample as string[] };
    },
  };
}
