import type { EncodedEvents } from '../prepared.js';

/** Rows as RowBinary (row-binary.ts) with their ids: row i is body[ends[i-1]..ends[i]]. */
export interface EncodedBatch {
  ids: string[];
  body: Buffer;
  ends: Uint32Array;
}

/**
 * Encoded batches as one, keeping the first copy of each id (as insertEvents does): the
 * group commit's batches become one insert, one part and one chain link. A single batch
 * without a repeated id is returned as it is.
 */
export function mergeEncoded(parts: readonly EncodedEvents[]): EncodedEvents {
  const seen = new Set<string>();
  let rows = 0;
  let bytes = 0;
  for (const p of parts) {
    for (const id of p.ids) seen.add(id);
    rows += p.ids.length;
    bytes += p.body.length;
  }
  if (seen.size === rows) return parts.length === 1 ? parts[0] : concatEncoded(parts, rows, bytes);
  seen.clear();
  const out: EncodedEvents = { ids: [], workflows: [], ts: new Float64Array(rows), types: [], body: new Uint8Array(bytes), ends: new Uint32Array(rows) };
  let n = 0;
  let pos = 0;
  for (const p of parts) {
    for (let i = 0; i < p.ids.length; i++) {
      const id = p.ids[i];
      if (seen.has(id)) continue;
      seen.add(id);
      const start = i === 0 ? 0 : p.ends[i - 1];
      out.body.set(p.body.subarray(start, p.ends[i]), pos);
      pos += p.ends[i] - start;
      out.ids.push(id);
      out.workflows.push(p.workflows[i]);
      out.types.push(p.types[i]);
      out.ts[n] = p.ts[i];
      out.ends[n++] = pos;
    }
  }
  return { ...out, ts: out.ts.subarray(0, n), body: out.body.subarray(0, pos), ends: out.ends.subarray(0, n) };
}

/** Batches without a repeated id, one after the other: each one's bytes copied whole. */
function concatEncoded(parts: readonly EncodedEvents[], rows: number, bytes: number): EncodedEvents {
  const out: EncodedEvents = { ids: [], workflows: [], ts: new Float64Array(rows), types: [], body: new Uint8Array(bytes), ends: new Uint32Array(rows) };
  let n = 0;
  let pos = 0;
  for (const p of parts) {
    out.body.set(p.body, pos);
    out.ts.set(p.ts, n);
    for (let i = 0; i < p.ids.length; i++) {
      out.ids.push(p.ids[i]);
      out.workflows.push(p.workflows[i]);
      out.types.push(p.types[i]);
      out.ends[n + i] = pos + p.ends[i];
    }
    n += p.ids.length;
    pos += p.body.length;
  }
  return out;
}

/** The rows whose id `keep` accepts, in order, their bytes cut out of the batch's. */
export function selectRows(batch: EncodedBatch, keep: (id: string) => boolean): EncodedBatch {
  const ids: string[] = [];
  const ends: number[] = [];
  const pieces: Buffer[] = [];
  let pos = 0;
  for (let i = 0; i < batch.ids.length; i++) {
    if (!keep(batch.ids[i])) continue;
    const start = i === 0 ? 0 : batch.ends[i - 1];
    pieces.push(batch.body.subarray(start, batch.ends[i]));
    pos += batch.ends[i] - start;
    ids.push(batch.ids[i]);
    ends.push(pos);
  }
  return { ids, body: Buffer.concat(pieces, pos), ends: Uint32Array.from(ends) };
}
