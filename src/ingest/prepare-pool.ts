import { Worker } from 'node:worker_threads';
import type { RejectedEvent, ValidatorOptions } from '../events/validate.js';
import type { PreparedRows } from '../store/store.js';
import { UnparseableRecord } from './unparseable.js';
import { JsonLine } from './files/types.js';

export interface PrepareJob {
  seq: number;
  /** The batch's records minus the unparseable ones, which the main thread rejects itself. */
  records: unknown[];
  /** Per record: the line number when it is an NDJSON line's text still to parse, else 0 (empty: none is). */
  lineNos: number[];
  /** Each record's index in the file. */
  indexes: number[];
  receivedAt: number;
}

/** Buffers of batches the main thread has written, back to the worker that made them. */
export interface RecycledBuffers {
  recycled: ArrayBuffer[];
}

export type PrepareResult =
  | { seq: number; ok: true; valid: number; errors: RejectedEvent[]; prepared: PreparedRows }
  | { seq: number; ok: false; error: string };

export interface PreparedBatch {
  valid: number;
  /** In index order, the unparseable records' among them. */
  errors: RejectedEvent[];
  prepared: PreparedRows;
}

/**
 * A worker's young generation: a batch's records die young, and V8's default let each worker's
 * grow to tens of MB it kept. Whole-process timings of a 1M-event file ingest, same minutes:
 * peak RSS 496 MB at 16 against 527 MB by default, CPU +2%.
 */
const WORKER_YOUNG_GENERATION_MB = 16;

/**
 * Worker threads that validate batches of records and serialize the valid rows for a bulk
 * writer (prepare-worker.ts), so that parsing the file, this and the engine's write run side
 * by side. Each batch is answered exactly as validateRecords + prepareStagedRows would answer
 * it in this thread (test/integration/ingest-workers.test.ts).
 */
export class PreparePool {
  private readonly workers: { worker: Worker; pending: number }[];
  private readonly waiting = new Map<number, { resolve: (r: PreparedBatch) => void; reject: (e: Error) => void; unparseable: RejectedEvent[] }>();
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
        this.settle(r);
      });
      entry.worker.on('error', (err) => this.fail(err));
      entry.worker.on('exit', (code) => {
        if (code !== 0) this.fail(new Error(`an ingest worker thread exited with code ${code}`));
      });
      return entry;
    });
  }

  /** Validates and prepares one batch whose first record is record `firstIndex` of the file. */
  run(records: readonly unknown[], firstIndex: number, receivedAt: number): Promise<PreparedBatch> {
    if (this.failed) return Promise.reject(this.failed);
    const seq = ++this.seq;
    const parsed: unknown[] = [];
    const indexes: number[] = [];
    const lineNos: number[] = [];
    const unparseable: RejectedEvent[] = [];
    for (let i = 0; i < records.length; i++) {
      const r = records[i];
      if (r instanceof UnparseableRecord) unparseable.push({ index: firstIndex + i, reason: r.message, issues: [{ field: '(event)', message: r.message }] });
      else if (r instanceof JsonLine) {
        if (lineNos.length < parsed.length) for (let k = lineNos.length; k < parsed.length; k++) lineNos.push(0);
        parsed.push(r.text);
        lineNos.push(r.lineNo);
        indexes.push(firstIndex + i);
      } else {
        parsed.push(r);
        if (lineNos.length > 0) lineNos.push(0);
        indexes.push(firstIndex + i);
      }
    }
    const target = this.workers.reduce((a, b) => (b.pending < a.pending ? b : a));
    target.pending++;
    return new Promise((resolve, reject) => {
      this.waiting.set(seq, { resolve, reject, unparseable });
      target.worker.postMessage({ seq, records: parsed, lineNos, indexes, receivedAt } satisfies PrepareJob);
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
    waiter.resolve({ valid: r.valid, errors, prepared: r.prepared });
  }

  private fail(err: Error): void {
    if (this.failed) return;
    this.failed = err;
    for (const w of this.waiting.values()) w.reject(err);
    this.waiting.clear();
  }
}
