import { parentPort, workerData } from 'node:worker_threads';
import { createValidator, type ValidatorOptions } from '../events/validate.js';
import { prepareStagedRows } from '../store/duckdb/row-text.js';
import { validateRecords } from './ingest-batch.js';
import { blockRecords } from './files/ndjson.js';
import { transferables } from '../store/prepared.js';
import { SpareBuffers } from './spare-buffers.js';
import type { PrepareBlockJob, PrepareJob, PrepareResult, RecycledBuffers } from './prepare-pool.js';

// A worker of prepare-pool.ts: validates records and serializes the valid ones for staging.
const validate = createValidator(workerData as ValidatorOptions);

const buffers = new SpareBuffers();

parentPort!.on('message', (job: PrepareJob | PrepareBlockJob | RecycledBuffers) => {
  if ('recycled' in job) {
    buffers.giveBack(job.recycled);
    return;
  }
  let result: PrepareResult;
  try {
    if ('block' in job) {
      // NDJSON bytes: decoded and parsed here; indexes count from the block's first record
      const records = blockRecords(job.block);
      const { rows, errors } = validateRecords(records, { validate, now: () => job.receivedAt }, 0);
      const input = job.block.bytes.buffer as ArrayBuffer;
      result = { seq: job.seq, ok: true, valid: rows.length, errors, prepared: prepareStagedRows(rows, buffers.take), records: records.length, input };
    } else {
      const { rows, errors } = validateRecords(job.records, { validate, now: () => job.receivedAt }, 0);
      // the records came without the unparseable ones: each index back to its place in the file
      for (const e of errors) e.index = job.indexes[e.index];
      result = { seq: job.seq, ok: true, valid: rows.length, errors, prepared: prepareStagedRows(rows, buffers.take) };
    }
  } catch (err) {
    result = { seq: job.seq, ok: false, error: err instanceof Error ? (err.stack ?? err.message) : String(err) };
  }
  const transfer = result.ok ? transferables({ engine: 'duckdb', rows: result.prepared }) : [];
  if (result.ok && result.input) transfer.push(result.input);
  parentPort!.postMessage(result, transfer);
});
