import { utcText } from './params.js';

/**
 * "Which of this batch's ids are stored?" as a primary-index lookup whose cost follows the
 * batch, not the table.
 *
 * A stored copy of an event has the same workflow, type and ts as the event (the sort key and
 * the ReplacingMergeTree key rely on that already), so it can only sit in the index ranges of
 * the batch's own (workflow, toDate(ts), type) prefixes: the query names those prefixes (a
 * batch of a few thousand live events has a few dozen) and the ids. ClickHouse reads only the
 * granules of those ranges, whatever the size of the table. A lookup by id alone cannot do
 * that: ids from senders are random (UUIDs), so any sorted-by-id index (the by_event_id
 * projection this replaces) touches nearly every granule of every part once a batch holds
 * thousands of ids, and its cost grew with the table.
 *
 * The batch's earliest and latest ts bound the lookup too (a stored copy has the event's ts):
 * every part keeps the minimum and maximum ts of its rows (the monthly partition key's index),
 * so parts wholly outside the batch's span are skipped without reading their index, and
 * within the ranges left the cheap ts column is filtered before any event_id is read.
 *
 * Prefixes and ids are named apart, so a stored row matches when its id is one of the batch's
 * and its prefix is one of the batch's, not necessarily that id's own: the rows come back with
 * their prefix, and storedIdOf keeps those whose prefix is their id's own in the batch (an id
 * reused under another prefix is another event, on both engines).
 *
 * transform_null_in: workflow is nullable (incident reports have none), and a NULL prefix
 * must match the stored NULL. It is a query-level SETTINGS clause, not a request setting:
 * over chdb a request setting stays set on the session for every later query.
 */
export function storedIdsQuery(database: string): string {
  return `SELECT event_id, workflow, toUInt32(toDate(ts)) AS day, type FROM ${database}.events
PREWHERE ts BETWEEN {from:DateTime64(3, 'UTC')} AND {to:DateTime64(3, 'UTC')}
WHERE (workflow, toDate(ts), type) IN arrayZip(
        {workflows:Array(Nullable(String))},
        arrayMap(t -> toDate(t), {times:Array(DateTime64(3, 'UTC'))}),
        {types:Array(String)})
  AND event_id IN {ids:Array(String)}
SETTINGS transform_null_in = 1`;
}

/** A row's (workflow, UTC day, type), as a key. */
export function prefixKey(workflow: string | null, day: number, type: string): string {
  return `${workflow ?? '\u0000'}\u0001${day}\u0001${type}`;
}

/** The id of a row storedIdsQuery returned if it is a stored copy of the batch's event of that id. */
export function storedIdOf(row: [string, string | null, number, string], prefixOfId: ReadonlyMap<string, string>): string | undefined {
  const [id, workflow, day, type] = row;
  return prefixOfId.get(id) === prefixKey(workflow, Number(day), type) ? id : undefined;
}

/** Query parameters of one lookup: the ids, and one (workflow, a ts of that day, type) per prefix. */
export interface StoredIdsParams {
  ids: string[];
  workflows: (string | null)[];
  /** One event time per prefix; the query takes its day with toDate, the sort key's own function. */
  times: string[];
  types: string[];
  /** The earliest and latest ts of the lookup's rows. */
  from: string;
  to: string;
}

const DAY_MS = 86_400_000;

/** What a lookup reads of a row: its id and sort-key prefix. */
export interface LookupRow {
  event_id: string;
  workflow: string | null;
  ts: number;
  type: string;
}

/**
 * The batch's lookups, each one under a budget of encoded characters: over HTTP the query
 * parameters travel in the URL, which ClickHouse caps (http_max_uri_size, 1 MiB by default).
 * Each lookup carries the prefixes of its own rows only.
 */
export function storedIdsLookups(rows: readonly LookupRow[], budgetChars: number): StoredIdsParams[] {
  const lookups: StoredIdsParams[] = [];
  let cur = emptyLookup();
  let seen = new Set<string>();
  let size = 0;
  let lo = Infinity;
  let hi = -Infinity;
  const close = (): void => {
    cur.from = utcText(new Date(lo));
    cur.to = utcText(new Date(hi));
    lookups.push(cur);
  };
  // in process (chdb) nothing travels in a URL: the cost of encoding every id is spared
  const budgeted = Number.isFinite(budgetChars);
  for (const row of rows) {
    const prefix = prefixKey(row.workflow, Math.floor(row.ts / DAY_MS), row.type);
    const fresh = !seen.has(prefix);
    if (budgeted) {
      // quotes, escapes and a comma, URL-encoded
      const cost = encodeURIComponent(row.event_id).length * 1.1 + 12 + (fresh ? encodeURIComponent(prefix).length * 1.1 + 60 : 0);
      if (cur.ids.length > 0 && size + cost > budgetChars) {
        close();
        cur = emptyLookup();
        seen = new Set();
        size = 0;
        lo = Infinity;
        hi = -Infinity;
      }
      size += cost;
    }
    if (!seen.has(prefix)) {
      seen.add(prefix);
      cur.workflows.push(row.workflow);
      cur.times.push(utcText(new Date(row.ts)));
      cur.types.push(row.type);
    }
    cur.ids.push(row.event_id);
    if (row.ts < lo) lo = row.ts;
    if (row.ts > hi) hi = row.ts;
  }
  if (cur.ids.length > 0) close();
  return lookups;
}

function emptyLookup(): StoredIdsParams {
  return { ids: [], workflows: [], times: [], types: [], from: '', to: '' };
}
