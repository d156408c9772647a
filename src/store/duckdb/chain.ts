import { BIGINT, LIST, VARCHAR, listValue, type DuckDBConnection } from '@duckdb/node-api';
import { GENESIS, batchContent, linkHash, type ChainLink, type ChainReader } from '../chain.js';

// to_json escapes every value, so the text is one-to-one with the row
// (appendLink hashes the same way, from the staged rows)
const ROW_HASHES_SQL = `SELECT e.event_id AS id, sha256(to_json(e)::VARCHAR) AS h FROM events e WHERE e.event_id IN (SELECT unnest($ids))`;

async function rowHashes(c: DuckDBConnection, ids: readonly string[]): Promise<Map<string, string>> {
  const r = await c.runAndReadAll(ROW_HASHES_SQL, { ids: listValue([...ids]) }, { ids: LIST(VARCHAR) });
  return new Map(r.getRows().map(([id, h]) => [id as string, h as string]));
}

/**
 * Adds the link of the events just stored, on the writer's connection inside the transaction
 * that stored them (the caller commits or rolls back both). `head` is the last link, read once.
 * The rows are hashed from `stagedRows`, the staged batch as the INSERT converted it (the same
 * columns and types as `events`, so the same text): looking them up in `events` by id would
 * scan the whole table for every batch. `insertedIds` is null when every staged row was new
 * (the usual case: no list to bind).
 */
export async function appendLink(
  c: DuckDBConnection,
  insertedIds: readonly string[] | null,
  stagedRows: string,
  head: { seq: number; hash: string } | undefined,
) {
  const last = head ?? (await readHead(c));
  const where = insertedIds ? 'WHERE e.event_id IN (SELECT unnest($ids))' : '';
  const r = await c.runAndReadAll(
    `SELECT e.event_id AS id, sha256(to_json(e)::VARCHAR) AS h FROM ${stagedRows} e ${where}`,
    insertedIds ? { ids: listValue([...insertedIds]) } : {},
    insertedIds ? { ids: LIST(VARCHAR) } : {},
  );
  const hashes = new Map(r.getRows().map(([id, h]) => [id as string, h as string]));
  const { content, events } = batchContent(hashes);
  const link = { seq: last.seq + 1, hash: linkHash(last.hash, content, events) };
  await c.run(
    'INSERT INTO loopwatch_chain VALUES ($seq, $prev, $hash, $content, $events, $ids, make_timestamp($at))',
    { seq: link.seq, prev: last.hash, hash: link.hash, content, events, ids: listValue([...hashes.keys()].sort()), at: BigInt(Date.now()) * 1000n },
    { ids: LIST(VARCHAR), at: BIGINT },
  );
  return link;
}

async function readHead(c: DuckDBConnection): Promise<{ seq: number; hash: string }> {
  const rows = (await c.runAndReadAll('SELECT seq, hash FROM loopwatch_chain ORDER BY seq DESC LIMIT 1')).getRowObjectsJS();
  return rows.length === 0 ? { seq: 0, hash: GENESIS } : { seq: Number(rows[0].seq), hash: rows[0].hash as string };
}

export function duckdbChainReader(read: <T>(fn: (c: DuckDBConnection) => Promise<T>) => Promise<T>): ChainReader {
  return {
    atomic: true,
    async links() {
      const rows = await read((c) => c.runAndReadAll('SELECT seq, prev_hash, hash, content, events, event_ids FROM loopwatch_chain ORDER BY seq'));
      return rows.getRowObjectsJS().map((r) => ({ ...r, seq: Number(r.seq), events: Number(r.events) }) as unknown as ChainLink);
    },
    rowHashes: (ids) => read((c) => rowHashes(c, ids)),
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
