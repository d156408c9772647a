import { createReadStream } from 'node:fs';
import type { ClickHouseClient, ClickHouseSettings } from '@clickhouse/client';
import type { BulkCopyTarget, ParquetChunk } from '../store.js';
import { INSERT_COLUMNS } from './append.js';
import { insertWithRetries } from './retry.js';

/**
 * Settings that make one chunk one insert block, so that sending it again yields the same
 * blocks and the token drops every one of them. ClickHouse keys a deduplicated block by the
 * token and the block's position (per partition), not by its rows: a chunk split differently on
 * a second send could have blocks dropped that had not landed the first time. Hence: squash the
 * whole chunk into one block (rows threshold = the chunk, no bytes threshold) and read the
 * file's rows in their order.
 */
function chunkSettings(chunk: ParquetChunk, cluster: boolean): ClickHouseSettings {
  return {
    insert_deduplication_token: chunk.token,
    insert_deduplicate: 1,
    min_insert_block_size_rows: String(Math.max(1, chunk.rows)),
    min_insert_block_size_bytes: '0',
    input_format_parquet_preserve_order: 1,
    // event ids are distinct within a chunk: merging equal keys while writing is wasted work
    optimize_on_insert: 0,
    async_insert: 0,
    ...(cluster ? { distributed_foreground_insert: 1 } : {}),
  };
}

/**
 * A server reads the file as the body of `INSERT ... FORMAT Parquet`, streamed from here.
 * Resolves once ClickHouse acknowledged the insert (wait_end_of_query is on for every request).
 */
export async function sendParquetToServer(client: ClickHouseClient, database: string, chunk: ParquetChunk, cluster: boolean): Promise<void> {
  await client.insert({
    table: `${database}.events`,
    values: createReadStream(chunk.file),
    format: 'Parquet',
    columns: INSERT_COLUMNS as [string, ...string[]],
    clickhouse_settings: chunkSettings(chunk, cluster),
  });
}

/**
 * The in-process engine reads the file itself (chdb takes request bodies as text, which Parquet
 * is not). The settings go in the statement's SETTINGS clause: over chdb a request setting
 * would stay set on the session for every later query. `deduplicate_insert_select =
 * 'force_enable'` makes ClickHouse refuse rather than silently skip the token if it ever judged
 * this SELECT unstable.
 */
export async function readParquetInProcess(client: ClickHouseClient, database: string, chunk: ParquetChunk): Promise<void> {
  const settings = Object.entries(chunkSettings(chunk, false))
    .filter(([name]) => name !== 'insert_deduplication_token')
    .map(([name, value]) => `${name} = ${Number(value)}`);
  const columns = INSERT_COLUMNS.join(', ');
  await client.command({
    query: `INSERT INTO ${database}.events (${columns})
SETTINGS insert_deduplication_token = {token:String}, deduplicate_insert_select = 'force_enable', ${settings.join(', ')}
SELECT ${columns} FROM file({file:String}, Parquet)`,
    query_params: { token: chunk.token, file: chunk.file },
  });
}

/**
 * ClickHouse as the target of `loopwatch copy` (src/store/copy.ts): checkpoints in
 * loopwatch_copy_progress, one row per source (latest wins), and chunks read by ClickHouse's own
 * Parquet reader: no id lookup and no JSON. A chunk resolves once ClickHouse acknowledged it.
 * Sending the same chunk again with the same token stores nothing; its events that the table
 * already had from elsewhere (ingest servers) are stored again and collapsed by the
 * ReplacingMergeTree, which FINAL keeps exact until the merge.
 */
export function bulkCopyTarget(
  client: ClickHouseClient,
  database: string,
  options: { inProcess: boolean; cluster: boolean; attempts: number },
): BulkCopyTarget {
  return {
    async readCopyProgress(source) {
      const rs = await client.query({
        query: `SELECT position, copied FROM ${database}.loopwatch_copy_progress FINAL WHERE source = {source:String}`,
        format: 'JSONEachRow',
        query_params: { source },
      });
      const [row] = await rs.json<{ position: string; copied: number }>();
      return row ? { position: row.position, copied: Number(row.copied) } : null;
    },
    async writeCopyProgress(source, position, copied) {
      await client.insert({
        table: `${database}.loopwatch_copy_progress`,
        values: [{ source, position, copied, updated_at: Date.now() }],
        format: 'JSONEachRow',
        clickhouse_settings: { insert_deduplication_token: `copy-${source}-${position}`, async_insert: 0 },
      });
    },
    async insertParquet(chunk) {
      if (chunk.rows === 0) return;
      const send = options.inProcess
        ? () => readParquetInProcess(client, database, chunk)
        : () => sendParquetToServer(client, database, chunk, options.cluster);
      await insertWithRetries(options.attempts, `a copy chunk of ${chunk.rows} events`, send);
    },
  };
}
