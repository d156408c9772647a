import { parentPort, workerData } from 'node:worker_threads';
import { createValidator, type ValidatorOptions } from '../events/validate.js';
import { prepareStagedRows } from '../store/duckdb/row-text.js';
import { validateRecords } from './ingest-batch.js';
import { parseJsonLine } from './files/types.js';
import type { PrepareJob, PrepareResult } from './prepare-pool.js';

// A worker of prepare-pool.ts: validates records and serializes the valid ones for staging.
const validate = createValidator(workerData as ValidatorOptions);
parentPort!.on('message', (job: PrepareJob) => {
  let result: PrepareResult;
  try {
    // a positive line number: the value is that NDJSON line's text, parsed here
    const records = job.lineNos.length === 0 ? job.records : job.records.map((r, i) => (job.lineNos[i] > 0 ? parseJsonLine(r as string, job.lineNos[i]) : r));
    const { rows, errors } = validateRecords(records, { validate, now: () => job.receivedAt }, 0);
    // the records came without the unparseable ones: each index back to its place in the file
    for (const e of errors) e.index = job.indexes[e.index];
    result = { seq: job.seq, ok: true, valid: rows.length, errors, prepared: prepareStagedRows(rows) };
  } catch (err) {
    result = { seq: job.seq, ok: false, error: err instanceof Error ? (err.stack ?? err.message) : String(err) };
  }
  parentPort!.postMessage(result, result.ok ? [result.prepared.bytes.buffer as ArrayBuffer, result.prepared.idBytes.buffer as ArrayBuffer] : []);
});
