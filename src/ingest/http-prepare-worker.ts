import { parentPort, workerData } from 'node:worker_threads';
import { createValidator, type ValidatorOptions } from '../events/validate.js';
import { BodyError } from '../errors.js';
import { transferables } from '../store/prepared.js';
import { prepareBody, type PrepareEngine } from './http-prepare.js';
import type { HttpPrepareJob, HttpPrepareResult } from './http-prepare-pool.js';

// A worker of http-prepare-pool.ts: parses, validates and serializes POST /v1/events bodies.
const { validator, engine } = workerData as { validator: ValidatorOptions; engine: PrepareEngine };
const validate = createValidator(validator);
parentPort!.on('message', (job: HttpPrepareJob) => {
  let result: HttpPrepareResult;
  let transfer: ArrayBuffer[] = [];
  try {
    const body = Buffer.from(job.body.buffer, job.body.byteOffset, job.body.byteLength);
    const prepared = prepareBody(body, job.contentType, validate, engine, job.receivedAt);
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
