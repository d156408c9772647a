import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { LoopwatchError } from '../errors.js';
import { openCopySource } from './open-store.js';
import type { CopySource, ParquetChunk, Snapshot, Store } from './store.js';

export type { CopySource, Snapshot } from './store.js';

export interface CopyProgress {
  /** Events in the source when the copy started. */
  total: number;
  /** Source events sent so far, this run and earlier runs of the same copy together. */
  copied: number;
  /** Chunks ClickHouse acknowledged in this run. */
  chunks: number;
}

export interface CopyOptions {
  /** Source rows per chunk: one Parquet file, one insert, one checkpoint (default 250,000). */
  chunkSize?: number;
  /** Stop after this many chunks (a copy in slices; tests interrupt a copy with it). */
  maxChunks?: number;
  signal?: AbortSignal;
  onProgress?: (progress: CopyProgress) => void;
  /** Where the chunk files are written while in flight (default: the OS's temporary directory). */
  tmpDir?: string;
}

export interface CopyResult extends CopyProgress {
  /** True when every source event has been sent; false when stopped early (resume by running again). */
  done: boolean;
  /** The source row this run started at: 0 for a fresh copy, the checkpoint when resumed. */
  resumedAt: number;
  /** Set when a checkpoint existed but could not be used, so this run started over. */
  restartReason?: string;
}

export { DEFAULT_COPY_CHUNK } from '../config/defaults.js';
import { DEFAULT_COPY_CHUNK } from '../config/defaults.js';

/**
 * Copies an embedded deployment's events (a DuckDB file) into ClickHouse in bulk: DuckDB writes
 * each chunk of rows as a Parquet file and ClickHouse reads it natively (no JSON, no per-event
 * work: the events were validated and de-duplicated when DuckDB stored them). The next chunk
 * is written while ClickHouse reads the current one.
 *
 * Chunks are ranges of DuckDB's rowid. The events table is append-only, so a rowid names the
 * same event for the life of the file, new events get higher rowids (a resumed copy picks them
 * up), and a range is a cheap scan of its own row groups. After each chunk ClickHouse
 * acknowledged, the next rowid is checkpointed in the target (loopwatch_copy_progress, keyed by
 * the source file), so running the copy again resumes there.
 *
 * Nothing is duplicated: every chunk carries an insert_deduplication_token derived from the
 * source and its row range, so the chunk that was in flight when a copy stopped is dropped by
 * ClickHouse when it is sent again; events the target already had from ingest servers are
 * collapsed by the ReplacingMergeTree, and every query reads FINAL meanwhile.
 *
 * Stop the embedded server first: DuckDB gives a file to one process, and the copy opens it
 * read-only.
 */
export async function copyEvents(from: { duckdbPath: string }, to: Store, options: CopyOptions = {}): Promise<CopyResult> {
  const chunkSize = options.chunkSize ?? DEFAULT_COPY_CHUNK;
  if (!Number.isSafeInteger(chunkSize) || chunkSize < 1) {
    throw new LoopwatchError('config_invalid', `copy chunk size: expected a positive integer, got ${chunkSize}`);
  }
  const target = to.capabilities.bulkCopyTarget;
  if (!target) throw new LoopwatchError('copy_unsupported', `the ${to.engine} store cannot be a copy target`);
  const origin = await openCopySource(from);
  const source = origin.id;
  let dir: string | undefined;
  let pending: Promise<ParquetChunk & { end: number }> | undefined;
  try {
    dir = await mkdtemp(path.join(options.tmpDir ?? tmpdir(), 'loopwatch-copy-'));
    const snapshot = await origin.readSnapshot();
    const start = startingPoint(await target.readCopyProgress(source), snapshot);
    const progress: CopyProgress = { total: snapshot.total, copied: start.copied, chunks: 0 };
    const result = (done: boolean): CopyResult => ({ ...progress, done, resumedAt: start.row, ...(start.restartReason ? { restartReason: start.restartReason } : {}) });
    options.onProgress?.({ ...progress });

    const chunkDir = dir;
    const exportFrom = async (lo: number) => {
      const hi = Math.min(lo + chunkSize, snapshot.end);
      const file = path.join(chunkDir, `${lo}.parquet`);
      const rows = await origin.exportChunk(file, lo, hi);
      return { file, rows, token: chunkToken(source, snapshot.origin, lo, hi), end: hi };
    };
    // written ahead and awaited a step later: marked handled now, so that a failure while
    // ClickHouse is busy with the previous chunk is not an unhandled rejection meanwhile
    const prefetch = (lo: number) => {
      if (lo >= snapshot.end) return undefined;
      const p = exportFrom(lo);
      p.catch(() => undefined);
      return p;
    };
    pending = prefetch(start.row);
    for (;;) {
      if (!pending) return result(true);
      if (options.signal?.aborted || (options.maxChunks !== undefined && progress.chunks >= options.maxChunks)) return result(false);
      const chunk = await pending;
      // DuckDB writes the next chunk while ClickHouse reads this one
      pending = prefetch(chunk.end);
      await target.insertParquet(chunk);
      progress.copied += chunk.rows;
      progress.chunks++;
      await target.writeCopyProgress(source, formatPosition(chunk.end, snapshot.origin), progress.copied);
      await rm(chunk.file, { force: true });
      options.onProgress?.({ ...progress });
    }
  } finally {
    // an export still running holds the connection and writes into dir
    await pending?.catch(() => undefined);
    origin.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  }
}

/** Same source file, same rows: same token. A file re-created at the same path has another origin. */
function chunkToken(source: string, origin: string, lo: number, hi: number): string {
  const hash = createHash('sha256').update(`${source}\u0000${origin}\u0000${lo}\u0000${hi}`).digest('hex');
  return `loopwatch-copy-${hash}`;
}

// A checkpoint names the next source row and the file it belongs to: `rowid:<n>:<origin>`.
function formatPosition(nextRow: number, origin: string): string {
  return `rowid:${nextRow}:${origin}`;
}

interface StartingPoint {
  row: number;
  copied: number;
  restartReason?: string;
}

/**
 * Where this run starts. A checkpoint that belongs to another file at the same path, points
 * past the end, or was written by the earlier event_id-ordered copy is not used: the copy starts
 * over, and what it sends again is collapsed by the ReplacingMergeTree (and exact under FINAL).
 */
function startingPoint(checkpoint: { position: string; copied: number } | null, snapshot: Snapshot): StartingPoint {
  if (!checkpoint) return { row: 0, copied: 0 };
  const m = /^rowid:(\d+):(.*)$/s.exec(checkpoint.position);
  if (!m) return { row: 0, copied: 0, restartReason: 'the checkpoint was written by an older version of loopwatch copy' };
  const row = Number(m[1]);
  if (m[2] !== snapshot.origin) return { row: 0, copied: 0, restartReason: 'the checkpoint belongs to another file at this path' };
  if (row > snapshot.end) return { row: 0, copied: 0, restartReason: 'the checkpoint is past the end of the source' };
  return { row, copied: checkpoint.copied };
}
