import { parentPort, workerData } from 'node:worker_threads';
import { createValidator, type ValidatorOptions } from '../events/validate.js';
import { BodyError } from '../errors.js';
import { transferables } from '../store/prepared.js';
import { SpareBuffers } from './spare-buffers.js';
import { prepareBody, type PrepareEngine } from './http-prepare.js';
import type { HttpPrepareJob, HttpPrepareResult, HttpRecycled } from './http-prepare-pool.js';

// A worker of http-prepare-pool.ts: parses, validates and serializes POST /v1/events bodies.
const { validator, engine } = workerData as { validator: ValidatorOptions; engine: PrepareEngine };
const validate = createValidator(validator);

const buffers = new SpareBuffers();

parentPort!.on('message', (job: HttpPrepareJob | HttpRecycled) => {
  if ('recycled' in job) {
    buffers.giveBack(job.recycled);
    return;
  }
  let result: HttpPrepareResult;
  let transfer: ArrayBuffer[] = [];
  try {
    const body = Buffer.from(job.body.buffer, job.body.byteOffset, job.body.byteLength);
    const prepared = prepareBody(body, job.contentType, validate, engine, job.receivedAt, buffers.take);
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
