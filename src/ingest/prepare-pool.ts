import { Worker } from 'node:worker_threads';
import type { RejectedEvent, ValidatorOptions } from '../events/validate.js';
import type { PreparedRows } from '../store/store.js';
import { UnparseableRecord } from './unparseable.js';
import type { NdjsonBlock } from './files/ndjson.js';

export interface PrepareJob {
  seq: number;
  /** The batch's records minus the unparseable ones, which the main thread rejects itself. */
  records: unknown[];
  /** Each record's index in the batch. */
  indexes: number[];
  receivedAt: number;
}

/** NDJSON lines as bytes, decoded and parsed in the worker; its errors' indexes count from the block's first record. */
export interface PrepareBlockJob {
  seq: number;
  block: NdjsonBlock;
  receivedAt: number;
}

/** Buffers of batches the main thread has written, back to the worker that made them. */
export interface RecycledBuffers {
  recycled: ArrayBuffer[];
}

export type PrepareResult =
  | {
      seq: number;
      ok: true;
      valid: number;
      errors: RejectedEvent[];
      prepared: PreparedRows;
      /** A block job's: how many records its lines held, and its buffer given back. */
      records?: number;
      input?: ArrayBuffer;
    }
  | { seq: number; ok: false; error: string };

/** A batch's or block's answer: its errors' indexes count from its first record, of which it held `records`. */
export interface PreparedBlock {
  valid: number;
  /** In index order, the unparseable records' among them. */
  errors: RejectedEvent[];
  prepared: PreparedRows;
  records: number;
}

/**
 * A worker's young generation: a batch's records die young, and V8's default let each worker's
 * grow to tens of MB it kept. Whole-process timings of a 1M-event file ingest, same minutes:
 * peak RSS 496 MB at 16 against 527 MB by default, CPU +2%.
 */
const WORKER_YOUNG_GENERATION_MB = 16;

/** Block buffers kept for reuse: the blocks in flight (pooledIngest's few ahead) and one being filled. */
const SPARE_BLOCKS = 8;

/**
 * Worker threads that validate batches of records and serialize the valid rows for a bulk
 * writer (prepare-worker.ts), so that parsing the file, this and the engine's write run side
 * by side. Each batch is answered exactly as validateRecords + prepareStagedRows would answer
 * it in this thread (test/integration/ingest-workers.test.ts).
 */
export class PreparePool {
  private readonly workers: { worker: Worker; pending: number }[];
  private readonly waiting = new Map<
    number,
    { resolve: (r: PreparedBlock) => void; reject: (e: Error) => void; unparseable: RejectedEvent[]; records: number | undefined }
  >();
  // buffers of blocks the workers have read, for the next blocks (takeBuffer)
  private readonly spare: ArrayBuffer[] = [];
  private seq = 0;
  private failed: Error | undefined;
  // which worker made a batch's buffers, for recycle()
  private readonly madeBy = new WeakMap<ArrayBufferLike, Worker>();

  constructor(size: number, validatorOptions: ValidatorOptions) {
    // running from source, the worker needs tsx to load TypeScript (see prepare-worker.mjs)
    const fromSource = import.meta.url.endsWith('.ts');
    const url = new URL(fromSource ? './prepare-worker.mjs' : './prepare-worker.js', import.meta.url);
    this.workers = Array.from({ length: size }, () => {
      const entry = { worker: new Worker(url, { workerData: validatorOptions, resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB } }), pending: 0 };
      entry.worker.on('message', (r: PrepareResult) => {
        entry.pending--;
        if (r.ok) for (const b of [r.prepared.bytes.buffer, r.prepared.idBytes.buffer]) if (b.byteLength > 0) this.madeBy.set(b, entry.worker);
        if (r.ok && r.input && this.spare.length < SPARE_BLOCKS) this.spare.push(r.input);
        this.settle(r);
      });
      entry.worker.on('error', (err) => this.fail(err));
      entry.worker.on('exit', (code) => {
        if (code !== 0) this.fail(new Error(`an ingest worker thread exited with code ${code}`));
      });
      return entry;
    });
  }

  /**
   * Validates and prepares one batch of records; its errors' indexes count from the batch's
   * first record (as runBlock's).
   */
  run(records: readonly unknown[], receivedAt: number): Promise<PreparedBlock> {
    if (this.failed) return Promise.reject(this.failed);
    const seq = ++this.seq;
    const parsed: unknown[] = [];
    const indexes: number[] = [];
    const unparseable: RejectedEvent[] = [];
    for (let i = 0; i < records.length; i++) {
      const r = records[i];
      if (r instanceof UnparseableRecord) unparseable.push({ index: i, reason: r.message, issues: [{ field: '(event)', message: r.message }] });
      else {
        parsed.push(r);
        indexes.push(i);
      }
    }
    return this.post({ seq, records: parsed, indexes, receivedAt } satisfies PrepareJob, unparseable, [], records.length);
  }

  /**
   * Decodes, parses, validates and prepares a block of NDJSON lines (its buffer goes to the
   * worker, and comes back for takeBuffer). The errors' indexes count from the block's first
   * record: the caller, taking the answers in the file's order, knows where that is.
   */
  runBlock(block: NdjsonBlock, receivedAt: number): Promise<PreparedBlock> {
    if (this.failed) return Promise.reject(this.failed);
    const job: PrepareBlockJob = { seq: ++this.seq, block, receivedAt };
    return this.post(job, [], [block.bytes.buffer as ArrayBuffer]);
  }

  /** A buffer of at least `bytes` for a block: one a worker gave back, or a new one. */
  takeBuffer(bytes: number): Uint8Array {
    const i = this.spare.findIndex((b) => b.byteLength >= bytes);
    return new Uint8Array(i >= 0 ? this.spare.splice(i, 1)[0] : new ArrayBuffer(bytes));
  }

  private post(job: PrepareJob | PrepareBlockJob, unparseable: RejectedEvent[], transfer: ArrayBuffer[] = [], records?: number): Promise<PreparedBlock> {
    const target = this.workers.reduce((a, b) => (b.pending < a.pending ? b : a));
    target.pending++;
    return new Promise((resolve, reject) => {
      this.waiting.set(job.seq, { resolve, reject, unparseable, records });
      target.worker.postMessage(job, transfer);
    });
  }

  /**
   * Gives a batch's buffers back to the worker that made them, for its next batches: call it
   * once the bytes are written (the batch's bytes and idBytes are empty afterwards). Optional;
   * without it every batch has new buffers.
   */
  recycle(prepared: PreparedRows): void {
    if (this.failed) return;
    for (const b of new Set([prepared.bytes.buffer, prepared.idBytes.buffer])) {
      const worker = this.madeBy.get(b);
      if (!worker || !(b instanceof ArrayBuffer)) continue;
      this.madeBy.delete(b);
      worker.postMessage({ recycled: [b] } satisfies RecycledBuffers, [b]);
    }
  }

  async close(): Promise<void> {
    this.failed ??= new Error('the ingest worker pool is closed');
    await Promise.all(this.workers.map((w) => w.worker.terminate()));
  }

  private settle(r: PrepareResult): void {
    const waiter = this.waiting.get(r.seq);
    if (!waiter) return;
    this.waiting.delete(r.seq);
    if (!r.ok) return waiter.reject(new Error(`an ingest worker thread failed: ${r.error}`));
    const errors = waiter.unparseable.length === 0 ? r.errors : [...r.errors, ...waiter.unparseable].sort((a, b) => a.index - b.index);
    waiter.resolve({ valid: r.valid, errors, prepared: r.prepared, records: waiter.records ?? r.records ?? 0 });
  }

  private fail(err: Error): void {
    if (this.failed) return;
    this.failed = err;
    for (const w of this.waiting.values()) w.reject(err);
    this.waiting.clear();
  }
}
