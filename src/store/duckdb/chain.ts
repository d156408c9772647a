import { BIGINT, LIST, VARCHAR, listValue, type DuckDBConnection, type DuckDBType, type DuckDBValue } from './node-api.js';
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
 *
 * The batch's content digest and id list are computed by the engine (batchContent's text,
 * aggregated in id order), so the link costs a few statements per batch and no value per
 * event crosses into JavaScript. DuckDB orders text by code point, JavaScript's sort (which
 * verify uses) by UTF-16 unit; the two differ only between characters from U+E000 up and
 * those above U+FFFF, so a batch with an id holding any of those is hashed in JavaScript.
 */
export async function appendLink(
  c: DuckDBConnection,
  insertedIds: readonly string[] | null,
  stagedRows: string,
  head: { seq: number; hash: string } | undefined,
  idsSortAlike: boolean,
) {
  const last = head ?? (await readHead(c));
  const where = insertedIds ? 'WHERE e.event_id IN (SELECT unnest($ids))' : '';
  const values: Record<string, DuckDBValue> = insertedIds ? { ids: listValue([...insertedIds]) } : {};
  const types: Record<string, DuckDBType> = insertedIds ? { ids: LIST(VARCHAR) } : {};
  let content: string;
  let events: number;
  if (idsSortAlike) {
    const r = await c.runAndReadAll(
      `SELECT sha256(string_agg(e.event_id || chr(9) || sha256(to_json(e)::VARCHAR) || chr(10), '' ORDER BY e.event_id)) AS content,
              count(*)::INTEGER AS events FROM ${stagedRows} e ${where}`,
      values,
      types,
    );
    [content, events] = r.getRows()[0] as [string, number];
  } else {
    const r = await c.runAndReadAll(`SELECT e.event_id AS id, sha256(to_json(e)::VARCHAR) AS h FROM ${stagedRows} e ${where}`, values, types);
    ({ content, events } = batchContent(new Map(r.getRows().map(([id, h]) => [id as string, h as string]))));
  }
  const link = { seq: last.seq + 1, hash: linkHash(last.hash, content, events) };
  await c.run(
    `INSERT INTO loopwatch_chain SELECT $seq, $prev, $hash, $content, $events, list(e.event_id ORDER BY e.event_id), make_timestamp($at)
       FROM ${stagedRows} e ${where}`,
    { ...values, seq: link.seq, prev: last.hash, hash: link.hash, content, events, at: BigInt(Date.now()) * 1000n },
    { ...types, at: BIGINT },
  );
  return link;
}

/** Whether the engine's text order and JavaScript's sort agree on these ids (see appendLink). */
export function sortsAlike(ids: Iterable<string>): boolean {
  for (const id of ids) if (HIGH_UNITS.test(id)) return false;
  return true;
}
const HIGH_UNITS = /[\uD800-\uFFFF]/;

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
