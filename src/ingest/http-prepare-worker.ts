import { parentPort, workerData } from 'node:worker_threads';
import { createValidator, type ValidatorOptions } from '../events/validate.js';
import { BodyError } from '../errors.js';
import { transferables } from '../store/prepared.js';
import { prepareBody, type PrepareEngine } from './http-prepare.js';
import type { HttpPrepareJob, HttpPrepareResult, HttpRecycled } from './http-prepare-pool.js';

// A worker of http-prepare-pool.ts: parses, validates and serializes POST /v1/events bodies.
const { validator, engine } = workerData as { validator: ValidatorOptions; engine: PrepareEngine };
const validate = createValidator(validator);

// Buffers the main thread gave back once it had written a batch (HttpPreparePool.recycle), for
// the next bodies' rows: a new buffer per body, made here and freed there, grows the C heap
const spare: ArrayBuffer[] = [];
const SPARE_MAX = 8;
function buffer(bytes: number): Uint8Array {
  const i = spare.findIndex((b) => b.byteLength >= bytes);
  if (i >= 0) return new Uint8Array(spare.splice(i, 1)[0]);
  // room to spare, so that a buffer serves the next bodies too
  return new Uint8Array(bytes === 0 ? 0 : Math.max(64 * 1024, 2 ** Math.ceil(Math.log2(bytes))));
}

parentPort!.on('message', (job: HttpPrepareJob | HttpRecycled) => {
  if ('recycled' in job) {
    for (const b of job.recycled) if (spare.length < SPARE_MAX) spare.push(b);
    return;
  }
  let result: HttpPrepareResult;
  let transfer: ArrayBuffer[] = [];
  try {
    const body = Buffer.from(job.body.buffer, job.body.byteOffset, job.body.byteLength);
    const prepared = prepareBody(body, job.contentType, validate, engine, job.receivedAt, buffer);
    result = { seq: job.seq, ok: true, body: prepared };
    transfer = transferables(prepared.prepared);
  } catch (err) {
    result =
      err instanceof BodyError
        ? { seq: job.seq, ok: false, bodyError: { code: err.code, message: err.message } }
        : { seq: job.seq, ok: false, error: err instanceof Error ? (err.stack ?? err.message) : String(err) };
  }
  parentPort!.postMessage(result, transfer);
});
parentPort!.postMessage({ ready: true } satisfies HttpPrepareResult);
