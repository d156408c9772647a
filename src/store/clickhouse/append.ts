import { rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { ClickHouseClient, ClickHouseSettings } from '@clickhouse/client';
import { EVENT_COLUMNS } from '../../events/row.js';
import { WIRE_COLUMNS } from './row-binary.js';

/** The insert's column list, in EVENT_COLUMNS order (the table's MATERIALIZED column is left out). */
export const INSERT_COLUMNS: readonly string[] = EVENT_COLUMNS.map(([col]) => col);

// The columns as RowBinary carries them (row-binary.ts), for file()'s structure argument; the
// INSERT casts them to the table's own types (LowCardinality, UInt8 widths) as a server would.
const STRUCTURE = WIRE_COLUMNS.map(([col, type]) => `${col} ${type}`).join(', ');

/**
 * insert_deduplication_token for one batch: its chain content (row-text.ts), a digest of every
 * byte of its rows, arrival times included. A retry of the same insert sends the same token, so
 * ClickHouse drops the copy if the first attempt landed after all. Arrival times make a later,
 * genuinely new insert of the same ids (after a TTL or a manual delete removed them) a different
 * token, so it is not silently dropped.
 */
export function dedupToken(content: string): string {
  return `loopwatch-${content}`;
}

let fileSeq = 0;

/**
 * Sends validated rows to the events table as RowBinary (row-binary.ts), not as JSON rows: the
 * issue-14 profile had JSON encoding here and JSON parsing in ClickHouse as most of an insert.
 * Resolves once ClickHouse acknowledged the rows (wait_end_of_query is on for every request).
 *
 * A server takes the bytes as the body of `INSERT ... FORMAT RowBinary` (exec: the client's
 * insert() knows text formats only). The in-process engine (chdb) takes request bodies as text,
 * which RowBinary is not, so it reads them from a file of this process, as `loopwatch copy` does
 * with Parquet (copy.ts); its settings go in the statement, since over chdb a request setting
 * would stay set on the session. The whole batch is one block either way, so that a retry
 * carrying the same token is dropped whole (`deduplicate_insert_select = 'force_enable'` makes
 * ClickHouse refuse rather than silently skip the token for the INSERT ... SELECT).
 */
export async function insertRowBinary(
  client: ClickHouseClient,
  database: string,
  body: Buffer,
  rowCount: number,
  settings: ClickHouseSettings,
  inProcess: boolean,
): Promise<void> {
  const columns = INSERT_COLUMNS.join(', ');
  const oneBlock: ClickHouseSettings = { min_insert_block_size_rows: String(Math.max(1, rowCount)), min_insert_block_size_bytes: '0' };
  if (!inProcess) {
    const { stream } = await client.exec({
      query: `INSERT INTO ${database}.events (${columns}) FORMAT RowBinary`,
      values: Readable.from([body]),
      clickhouse_settings: { ...settings, ...oneBlock },
    });
    // nothing to read: an insert answers with an empty body, and the socket goes back to the pool
    stream.destroy();
    return;
  }
  const file = path.join(tmpdir(), `loopwatch-insert-${process.pid}-${++fileSeq}.rowbinary`);
  await writeFile(file, body);
  try {
    const { insert_deduplication_token: token, ...rest } = { ...settings, ...oneBlock };
    const clauses = Object.entries(rest).map(([name, value]) => `${name} = ${Number(value)}`);
    await client.command({
      query: `INSERT INTO ${database}.events (${columns})
SETTINGS insert_deduplication_token = {token:String}, deduplicate_insert_select = 'force_enable', ${clauses.join(', ')}
SELECT * FROM file({file:String}, RowBinary, {structure:String})`,
      query_params: { token: String(token), file, structure: STRUCTURE },
    });
  } finally {
    await rm(file, { force: true });
  }
}
