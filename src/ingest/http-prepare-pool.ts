import { Worker } from 'node:worker_threads';
import type { ValidatorOptions } from '../events/validate.js';
import { BodyError } from '../errors.js';
import type { PrepareEngine, PreparedBody } from './http-prepare.js';

export interface HttpPrepareJob {
  seq: number;
  body: Uint8Array;
  contentType: string | undefined;
  receivedAt: number;
}

export type HttpPrepareResult =
  | { seq: number; ok: true; body: PreparedBody }
  | { seq: number; ok: false; bodyError: { code: string; message: string } }
  | { seq: number; ok: false; error: string };

interface Slot {
  worker: Worker;
  pending: Map<number, { resolve: (r: PreparedBody) => void; reject: (e: Error) => void }>;
}

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
  // started at the first body: a server that is never sent events starts no thread
  private slots: Slot[] = [];
  private seq = 0;
  private closed = false;

  constructor(
    private readonly options: { validator: ValidatorOptions; engine: PrepareEngine },
    private readonly size: number,
  ) {}

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
    const slot: Slot = { worker: new Worker(url, { workerData: this.options }), pending: new Map() };
    slot.worker.on('message', (r: HttpPrepareResult) => {
      const waiter = slot.pending.get(r.seq);
      if (!waiter) return;
      slot.pending.delete(r.seq);
      if (r.ok) waiter.resolve(r.body);
      else if ('bodyError' in r) waiter.reject(new BodyError(r.bodyError.code, r.bodyError.message));
      else waiter.reject(new Error(`an HTTP ingest worker failed: ${r.error}`));
    });
    const lost = (err: Error) => {
      for (const w of slot.pending.values()) w.reject(err);
      slot.pending.clear();
      const i = this.slots.indexOf(slot);
      if (i >= 0 && !this.closed) this.slots[i] = this.spawn();
    };
    slot.worker.on('error', (err) => lost(err));
    slot.worker.on('exit', (code) => lost(new Error(`an HTTP ingest worker exited with code ${code}`)));
    // a worker between bodies must not hold the process open (tests, shutdown)
    slot.worker.unref();
    return slot;
  }
}
