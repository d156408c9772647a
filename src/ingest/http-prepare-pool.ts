import { Worker } from 'node:worker_threads';
import type { ValidatorOptions } from '../events/validate.js';
import { BodyError } from '../errors.js';
import type { PreparedEvents } from '../store/prepared.js';
import type { PrepareEngine, PreparedBody } from './http-prepare.js';

export interface HttpPrepareJob {
  seq: number;
  body: Uint8Array;
  contentType: string | undefined;
  receivedAt: number;
}

/** Buffers of a written batch, given back to the worker that made them (HttpPreparePool.recycle). */
export interface HttpRecycled {
  recycled: ArrayBuffer[];
}

export type HttpPrepareResult =
  | { ready: true }
  | { seq: number; ok: true; body: PreparedBody }
  | { seq: number; ok: false; bodyError: { code: string; message: string } }
  | { seq: number; ok: false; error: string };

interface Slot {
  worker: Worker;
  pending: Map<number, { resolve: (r: PreparedBody) => void; reject: (e: Error) => void }>;
  /** Settles once the worker has loaded its modules and built its validator. */
  ready: Promise<void>;
  started: boolean;
}

// A worker's young generation (V8's default grows to 32-64 MB a thread) as file ingest's
// workers have it (prepare-pool.ts): a body's garbage is short-lived, and the server's peak is
// the main thread's and DuckDB's memory plus every worker's heap
const WORKER_YOUNG_GENERATION_MB = 16;

/**
 * Worker threads for POST /v1/events (http-prepare-worker.ts): a body goes to the least busy
 * one, which parses, validates and serializes it (prepareBody, exactly as in this thread), so
 * the server's main thread only moves bytes: it reads requests, hands bodies over and writes
 * serialized groups while the workers do the per-event work of the next bodies.
 *
 * A worker that dies (it should not: every event's failure is caught and answered) takes only
 * its own bodies with it: they fail (the sender retries; nothing of them was stored) and a new
 * worker takes its place, so one hostile body cannot leave the server without workers.
 */
export class HttpPreparePool {
  // started by start() (serve: before it listens) or else at the first body
  private slots: Slot[] = [];
  // which worker made a prepared batch's buffers, for recycle()
  private makers = new WeakMap<ArrayBufferLike, Slot>();
  private seq = 0;
  private closed = false;

  constructor(
    private readonly options: { validator: ValidatorOptions; engine: PrepareEngine },
    private readonly size: number,
  ) {}

  /**
   * Starts the workers and resolves once each has loaded its modules and built its validator
   * (~0.4 s of CPU a worker), so that the first body is not the one to wait for it.
   */
  async start(): Promise<void> {
    if (this.slots.length === 0) this.slots = Array.from({ length: Math.max(1, this.size) }, () => this.spawn());
    await Promise.all(this.slots.map((s) => s.ready));
  }

  /** Workers started and ready. */
  get running(): number {
    return this.slots.filter((s) => s.started).length;
  }

  /**
   * Gives a written batch's buffers back to the worker that made them, for its next bodies: a
   * new buffer per body, made there and freed here, grows the C heap (file ingest found it so,
   * issue 14). Only once the batch is written: the buffers leave this thread.
   */
  recycle(prepared: PreparedEvents): void {
    if (prepared.engine !== 'duckdb') return;
    for (const b of new Set([prepared.rows.bytes.buffer, prepared.rows.idBytes.buffer])) {
      const slot = this.makers.get(b);
      if (!slot || this.closed || !this.slots.includes(slot) || b.byteLength === 0) continue;
      this.makers.delete(b);
      slot.worker.postMessage({ recycled: [b as ArrayBuffer] } satisfies HttpRecycled, [b as ArrayBuffer]);
    }
  }

  /** The body parsed, validated and serialized; rejects with the BodyError a bad body gets in this thread. */
  run(body: Buffer, contentType: string | undefined, receivedAt: number): Promise<PreparedBody> {
    if (this.closed) return Promise.reject(new Error('the HTTP ingest workers are closed'));
    const seq = ++this.seq;
    if (this.slots.length === 0) this.slots = Array.from({ length: Math.max(1, this.size) }, () => this.spawn());
    const slot = this.slots.reduce((a, b) => (b.pending.size < a.pending.size ? b : a));
    // the body's own memory goes over whole; a body in a shared pool buffer is copied out first
    const own = body.byteOffset === 0 && body.byteLength === body.buffer.byteLength ? body : Buffer.from(body);
    const bytes = new Uint8Array(own.buffer, own.byteOffset, own.byteLength);
    return new Promise((resolve, reject) => {
      slot.pending.set(seq, { resolve, reject });
      slot.worker.postMessage({ seq, body: bytes, contentType, receivedAt } satisfies HttpPrepareJob, [bytes.buffer as ArrayBuffer]);
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }

  private spawn(): Slot {
    // running from source, the worker needs tsx to load TypeScript (see http-prepare-worker.mjs)
    const fromSource = import.meta.url.endsWith('.ts');
    const url = new URL(fromSource ? './http-prepare-worker.mjs' : './http-prepare-worker.js', import.meta.url);
    const worker = new Worker(url, { workerData: this.options, resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB } });
    let ready!: () => void;
    let failed!: (err: Error) => void;
    const slot: Slot = { worker, pending: new Map(), ready: new Promise<void>((res, rej) => ((ready = res), (failed = rej))), started: false };
    // start() awaits it; a worker that never starts fails start(), not a later body
    slot.ready.catch(() => undefined);
    slot.worker.on('message', (r: HttpPrepareResult) => {
      if ('ready' in r) {
        slot.started = true;
        // a worker between bodies must not hold the process open (tests, shutdown); while it
        // starts it must, or a server awaiting start() would exit with nothing else to wait for
        slot.worker.unref();
        ready();
        return;
      }
      const waiter = slot.pending.get(r.seq);
      if (!waiter) return;
      slot.pending.delete(r.seq);
      if (r.ok) {
        if (r.body.prepared.engine === 'duckdb') {
          this.makers.set(r.body.prepared.rows.bytes.buffer, slot);
          this.makers.set(r.body.prepared.rows.idBytes.buffer, slot);
        }
        waiter.resolve(r.body);
      }
      else if ('bodyError' in r) waiter.reject(new BodyError(r.bodyError.code, r.bodyError.message));
      else waiter.reject(new Error(`an HTTP ingest worker failed: ${r.error}`));
    });
    const lost = (err: Error) => {
      for (const w of slot.pending.values()) w.reject(err);
      slot.pending.clear();
      failed(err);
      const i = this.slots.indexOf(slot);
      // a worker that never started would only fail again
      if (i >= 0 && !this.closed && slot.started) this.slots[i] = this.spawn();
      else if (i >= 0) this.slots.splice(i, 1);
    };
    slot.worker.on('error', (err) => lost(err));
    slot.worker.on('exit', (code) => lost(new Error(`an HTTP ingest worker exited with code ${code}`)));
    return slot;
  }
}
