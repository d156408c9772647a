import { realpath } from 'node:fs/promises';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { EVENT_COLUMNS, type EventRow } from '../events/row.js';
import { LoopwatchError } from '../errors.js';
import type { ClickHouseStore } from './clickhouse/clickhouse-store.js';

export interface CopyProgress {
  /** Events in the source when the copy started. */
  total: number;
  /** Source events sent so far, this run and earlier runs of the same copy together. */
  copied: number;
  /** Of those sent in this run, how many the target already had (earlier runs, ingest, retries). */
  duplicates: number;
  batches: number;
}

export interface CopyOptions {
  /** Events per batch, each one insert into ClickHouse and one checkpoint (default 20,000). */
  batchSize?: number;
  /** Stop after this many batches (a copy in slices; tests interrupt a copy with it). */
  maxBatches?: number;
  signal?: AbortSignal;
  onProgress?: (progress: CopyProgress) => void;
}

export interface CopyResult extends CopyProgress {
  /** True when every source event has been sent; false when stopped early (resume by running again). */
  done: boolean;
  /** The checkpoint this run started from ('' for a fresh copy). */
  resumedFrom: string;
}

// Timestamps as epoch milliseconds and JSON as text: the shapes EventRow holds.
const SELECT_LIST = EVENT_COLUMNS.map(([col, kind]) => {
  if (kind === 'timestamp') return `epoch_ms("${col}") AS "${col}"`;
  if (kind === 'json') return `"${col}"::VARCHAR AS "${col}"`;
  return `"${col}"`;
}).join(', ');

/**
 * Copies an embedded deployment's events (a DuckDB file) into ClickHouse, in event_id order and
 * in batches. After each batch ClickHouse acknowledged, the last id is checkpointed in the
 * target (loopwatch_copy_progress, keyed by the source file), so running the copy again resumes
 * there. Nothing is duplicated: the target's insertEvents skips ids it already has, so the batch
 * that was in flight when a copy stopped is simply re-sent. Stop the embedded server first:
 * DuckDB gives a file to one process, and the copy opens it read-only.
 */
export async function copyEvents(
  from: { duckdbPath: string },
  to: ClickHouseStore,
  options: CopyOptions = {},
): Promise<CopyResult> {
  const batchSize = options.batchSize ?? 20_000;
  if (!Number.isSafeInteger(batchSize) || batchSize < 1) {
    throw new LoopwatchError('config_invalid', `copy batch size: expected a positive integer, got ${batchSize}`);
  }
  const source = `duckdb:${await realpath(from.duckdbPath)}`;
  let instance: DuckDBInstance;
  try {
    instance = await DuckDBInstance.create(from.duckdbPath, { access_mode: 'READ_ONLY' });
  } catch (err) {
    throw new LoopwatchError(
      'copy_source_unavailable',
      `cannot open ${from.duckdbPath} read-only; if a loopwatch server is using it, stop that server first`,
      { cause: err },
    );
  }
  const conn = await instance.connect();
  try {
    const checkpoint = await to.readCopyProgress(source);
    const resumedFrom = checkpoint?.position ?? '';
    const progress: CopyProgress = { total: await countEvents(conn), copied: checkpoint?.copied ?? 0, duplicates: 0, batches: 0 };
    options.onProgress?.({ ...progress });
    let after = resumedFrom;
    for (;;) {
      if (options.signal?.aborted || (options.maxBatches !== undefined && progress.batches >= options.maxBatches)) {
        return { ...progress, done: false, resumedFrom };
      }
      const rows = await readPage(conn, after, batchSize);
      if (rows.length === 0) return { ...progress, done: true, resumedFrom };
      const { duplicateIds } = await to.insertEvents(rows);
      after = rows[rows.length - 1].event_id;
      progress.copied += rows.length;
      progress.duplicates += duplicateIds.size;
      progress.batches++;
      await to.writeCopyProgress(source, after, progress.copied);
      options.onProgress?.({ ...progress });
    }
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}

async function countEvents(conn: DuckDBConnection): Promise<number> {
  const r = await conn.runAndReadAll('SELECT count(*)::DOUBLE AS n FROM events');
  return Number(r.getRowObjectsJS()[0].n);
}

/** The next page after a key: the primary key's index keeps each page a range scan. */
async function readPage(conn: DuckDBConnection, after: string, limit: number): Promise<EventRow[]> {
  const r = await conn.runAndReadAll(
    `SELECT ${SELECT_LIST} FROM events WHERE event_id > $after ORDER BY event_id LIMIT $limit`,
    { after, limit },
  );
  const rows = r.getRowObjectsJS() as unknown as Record<string, unknown>[];
  for (const row of rows) {
    row.ts = Number(row.ts);
    row.received_at = Number(row.received_at);
  }
  return rows as unknown as EventRow[];
}
