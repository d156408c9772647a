import { DEFAULT_INGEST_BATCH_SIZE, DEFAULT_INGEST_KEEP_ERRORS } from '../config/defaults.js';
import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import cliProgress from 'cli-progress';
import { addResult, emptyResult, type BatchResult } from './batch-result.js';
import { ingestBatch, validateRecords, type IngestContext } from './ingest-batch.js';
import { openRecordSource, type FileFormat } from './files/index.js';
import type { BulkWriter, DerivedRefresh, Store } from '../store/store.js';
import type { ValidatorOptions } from '../events/validate.js';
import { PreparePool, type PreparedBlock } from './prepare-pool.js';

export interface IngestFilesOptions {
  format?: FileFormat;
  batchSize?: number;
  /** NDJSON file receiving one line per rejected event: file, index, reason, issues. */
  rejectsPath?: string;
  /** Show a progress bar (on a terminal); off for tests and pipes. */
  progress?: boolean;
  /** Errors kept in memory for the summary; the rejects file has them all. */
  keepErrors?: number;
  /**
   * The store's writer for large loads (Store.openBulkWriter): rows go to it as they are
   * validated and are durable at the end of each file, instead of batch by batch through
   * ctx.writer.
   */
  bulk?: BulkWriter;
  /**
   * Worker threads that validate and serialize for the bulk writer (when it takes prepared
   * rows), with the options ctx.validate was created with: the workers create the same
   * validator. 0 or absent: all in this thread.
   */
  workers?: { count: number; validator: ValidatorOptions };
}

export interface FileSummary extends BatchResult {
  file: string;
  format: FileFormat;
  seconds: number;
}

/**
 * Ingests files one after another in bounded memory: one batch is validated while the
 * previous one is being written, and no more than two batches are ever held.
 */
export async function ingestFiles(paths: string[], ctx: IngestContext, options: IngestFilesOptions = {}): Promise<FileSummary[]> {
  const batchSize = options.batchSize ?? DEFAULT_INGEST_BATCH_SIZE;
  const keepErrors = options.keepErrors ?? DEFAULT_INGEST_KEEP_ERRORS;
  const rejects = options.rejectsPath ? createWriteStream(options.rejectsPath) : undefined;
  const summaries: FileSummary[] = [];
  const pool =
    options.bulk?.addPrepared && options.workers && options.workers.count > 0 ? new PreparePool(options.workers.count, options.workers.validator) : undefined;
  try {
    for (const path of paths) {
      summaries.push(await ingestOne(path, ctx, { ...options, batchSize, keepErrors }, rejects, pool));
    }
  } finally {
    await pool?.close();
    if (rejects) {
      rejects.end();
      await once(rejects, 'finish');
    }
  }
  return summaries;
}

async function ingestOne(
  path: string,
  ctx: IngestContext,
  options: IngestFilesOptions & { batchSize: number; keepErrors: number },
  rejects: WriteStream | undefined,
  pool: PreparePool | undefined,
): Promise<FileSummary> {
  const started = performance.now();
  const source = await openRecordSource(path, { format: options.format });
  const bar = options.progress
    ? new cliProgress.SingleBar(
        {
          format: `${path} |{bar}| {percentage}% | {events} events | {rate} ev/s | ETA {eta_formatted}`,
          hideCursor: true,
          etaBuffer: 50,
        },
        cliProgress.Presets.shades_classic,
      )
    : undefined;
  bar?.start(Math.max(1, source.totalBytes), 0, { events: 0, rate: 0 });
  const total = emptyResult();
  let index = 0;
  const account = (result: BatchResult, read = index) => {
    if (rejects) for (const e of result.errors) rejects.write(`${JSON.stringify({ file: path, ...e })}\n`);
    addResult(total, result, false);
    if (total.errors.length < options.keepErrors) total.errors.push(...result.errors.slice(0, options.keepErrors - total.errors.length));
    const seconds = (performance.now() - started) / 1000;
    bar?.update(source.bytesRead(), { events: read, rate: Math.round(read / seconds) });
  };
  try {
    const batch = Math.min(options.batchSize, BULK_VALIDATION_BATCH);
    if (options.bulk && pool && source.blocks) {
      // NDJSON goes to the workers as bytes, about `batch` events' worth a block
      const blocks = source.blocks(batch * BLOCK_BYTES_PER_EVENT, (n) => pool.takeBuffer(n));
      index = await pooledIngest(blocks, (block) => pool.runBlock(block, (ctx.now ?? Date.now)()), pool, options.bulk, total, account);
    } else if (options.bulk && pool) {
      index = await pooledIngest(source.batches(batch), (records) => pool.run(records, (ctx.now ?? Date.now)()), pool, options.bulk, total, account);
    } else if (options.bulk) {
      index = await bulkIngest(source.batches(batch), ctx, options.bulk, total, account);
    } else {
      let inFlight: Promise<void> = Promise.resolve();
      for await (const records of source.batches(options.batchSize)) {
        const firstIndex = index;
        index += records.length;
        // ingestBatch validates now and queues the write, so this batch is checked while the
        // previous one is being written; waiting for that one keeps at most two batches held
        const current = ingestBatch(records, ctx, firstIndex).then((r) => account(r));
        current.catch(() => undefined); // surfaced by the await below, not as an unhandled rejection
        await inFlight;
        inFlight = current;
      }
      await inFlight;
    }
  } finally {
    bar?.update(source.totalBytes);
    bar?.stop();
    await source.close();
  }
  return { file: path, format: source.format, seconds: (performance.now() - started) / 1000, ...total };
}

/**
 * Records validated at a time on the bulk path, where a batch is no write unit: parsed records
 * that die young cost the garbage collector little, and 20,000 of them outlived the young
 * generation (measured: a third less CPU per event at 2,000).
 */
const BULK_VALIDATION_BATCH = 2_000;

/** An NDJSON block's bytes per event of BULK_VALIDATION_BATCH: the bench's events are ~340 bytes a line. */
const BLOCK_BYTES_PER_EVENT = 256;

/**
 * One file through a bulk writer: each batch is validated and its valid rows handed over (the
 * writer stages them and writes many batches at once); the accepted and duplicate counts are
 * known once the last write is durable. Returns how many records were read.
 */
async function bulkIngest(
  batches: AsyncIterable<unknown[]>,
  ctx: IngestContext,
  bulk: BulkWriter,
  total: BatchResult,
  account: (result: BatchResult, read: number) => void,
): Promise<number> {
  return throughBulk(bulk, total, async () => {
    let index = 0;
    let valid = 0;
    for await (const records of batches) {
      const { rows, errors } = validateRecords(records, ctx, index);
      index += records.length;
      valid += rows.length;
      account({ accepted: 0, duplicates: 0, rejected: errors.length, errors }, index);
      await bulk.add(rows);
    }
    return { read: index, valid };
  });
}

/**
 * Feeds a bulk writer and then waits for its last write: the accepted and duplicate counts are
 * known only then. Any failure aborts the write (its staged rows never become events).
 */
async function throughBulk(bulk: BulkWriter, total: BatchResult, feed: () => Promise<{ read: number; valid: number }>): Promise<number> {
  try {
    const { read, valid } = await feed();
    const { duplicates } = await bulk.finish();
    total.accepted += valid - duplicates;
    total.duplicates += duplicates;
    return read;
  } catch (err) {
    await bulk.abort();
    throw err;
  }
}

/**
 * bulkIngest with the validation and serialization in worker threads: this thread reads, hands
 * each batch (or NDJSON block) to the pool, and takes the answers back in the file's order (a
 * few ahead, so that both workers stay busy and memory holds a handful of batches); each
 * answer's indexes count from its first record, which is known once the answers before it are.
 */
async function pooledIngest<T>(
  items: AsyncIterable<T>,
  run: (item: T) => Promise<PreparedBlock>,
  pool: PreparePool,
  bulk: BulkWriter,
  total: BatchResult,
  account: (result: BatchResult, read: number) => void,
): Promise<number> {
  const AHEAD = 4;
  let index = 0;
  let valid = 0;
  const queue: Promise<PreparedBlock>[] = [];
  const takeOne = async () => {
    const b = await queue.shift()!;
    for (const e of b.errors) e.index += index;
    index += b.records;
    valid += b.valid;
    account({ accepted: 0, duplicates: 0, rejected: b.errors.length, errors: b.errors }, index);
    await bulk.addPrepared!(b.prepared);
    // written: its memory serves the workers' next batches
    pool.recycle(b.prepared);
  };
  return throughBulk(bulk, total, async () => {
    for await (const item of items) {
      const answer = run(item);
      answer.catch(() => undefined); // surfaced when its turn comes
      queue.push(answer);
      if (queue.length >= AHEAD) await takeOne();
    }
    while (queue.length > 0) await takeOne();
    return { read: index, valid };
  });
}

/** How the derived tables came out of the step that ends an ingest. */
export type DeriveSummary =
  | { ok: true; mode: DerivedRefresh['mode']; cases: number | null; seconds: number }
  | { ok: false; error: string; seconds: number };

/**
 * The last step of an ingest: brings the derived tables up to date, so the first report after
 * it finds them so and rebuilds nothing (issue 14). It runs once every event is durable, and
 * the refresh is one transaction on its own tables: a failure here leaves the stored events as
 * they are and the tables as they were, and the next report (or server start) builds them.
 */
export async function deriveAfterIngest(store: Pick<Store, 'refreshDerived'>, options: { progress?: boolean } = {}): Promise<DeriveSummary> {
  const started = performance.now();
  // one step of unknown length: the bar says that it runs, and which step it is
  const bar = options.progress
    ? new cliProgress.SingleBar({ format: 'derived tables |{bar}| {step}', hideCursor: true }, cliProgress.Presets.shades_classic)
    : undefined;
  bar?.start(1, 0, { step: 'refreshing' });
  try {
    const refresh = await store.refreshDerived();
    bar?.update(1, { step: refresh.mode });
    return { ok: true, ...refresh, seconds: (performance.now() - started) / 1000 };
  } catch (err) {
    bar?.update(0, { step: 'failed' });
    return { ok: false, error: err instanceof Error ? err.message : String(err), seconds: (performance.now() - started) / 1000 };
  } finally {
    bar?.stop();
  }
}
