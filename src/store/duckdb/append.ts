import { closeSync, openSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { EventRow } from '../../events/row.js';
import type { PreparedRows } from '../store.js';
import { readStaged, rowHash, rowText, stagedId, stagedRows } from './row-text.js';

let fileSeq = 0;
const FLUSH_CHARS = 1 << 22;

/**
 * A batch staged for DuckDB as NDJSON in a temporary file (row-text.ts), which the INSERT reads
 * with read_json: DuckDB parses it in C++ on every core, where the appender took one native call
 * per value (issue 14: 14–16 µs per event). Rows wait on disk, not in memory, so a large write
 * (file ingest) costs no heap. Each row's text is hashed for the chain as it is written. A repeat
 * of an id already in the file is left out (the first copy is the one stored) and counted.
 */
export class StagedFile {
  readonly path = path.join(tmpdir(), `loopwatch-staging-${process.pid}-${++fileSeq}.ndjson`);
  /** The ids alone, one small JSON object a line: what the duplicate lookup and the chain link read. */
  readonly idsPath = this.path.replace(/\.ndjson$/, '-ids.ndjson');
  readonly ids: string[] = [];
  readonly hashes: string[] = [];
  repeats = 0;
  /** Longest line's length in UTF-16 units (its UTF-8 bytes are at most 3 times that). */
  longestLine = 0;
  private readonly seen = new Set<string>();
  private fd: number | undefined = openSync(this.path, 'w');
  private pending = '';

  get rows(): number {
    return this.ids.length;
  }

  add(row: EventRow): void {
    const id = stagedId(row.event_id);
    if (this.seen.has(id)) {
      this.repeats++;
      return;
    }
    this.seen.add(id);
    const text = rowText(row);
    this.ids.push(id);
    this.hashes.push(rowHash(text));
    if (text.length > this.longestLine) this.longestLine = text.length;
    this.pending += `${text}\n`;
    if (this.pending.length >= FLUSH_CHARS) this.flush();
  }

  /** Rows serialized elsewhere (prepareStagedRows), as add() would have taken them one by one. */
  addPrepared(rows: PreparedRows): void {
    const { ids, hashes } = rows;
    let i = 0;
    for (; i < ids.length; i++) {
      if (this.seen.has(ids[i])) break;
      this.seen.add(ids[i]);
      this.ids.push(ids[i]);
      this.hashes.push(hashes.slice(i * 64, i * 64 + 64));
    }
    if (i === ids.length) {
      // the usual case: no repeat, the bytes go in whole
      if (rows.longest > this.longestLine) this.longestLine = rows.longest;
      this.flush();
      if (this.fd !== undefined && rows.bytes.length > 0) writeSync(this.fd, rows.bytes);
      return;
    }
    // a repeat of an id staged before or earlier in these rows: from there on line by line
    const lines = new TextDecoder().decode(rows.bytes).split('\n');
    for (let j = 0; j < ids.length; j++) {
      if (j >= i) {
        if (this.seen.has(ids[j])) {
          this.repeats++;
          continue;
        }
        this.seen.add(ids[j]);
        this.ids.push(ids[j]);
        this.hashes.push(hashes.slice(j * 64, j * 64 + 64));
      }
      if (lines[j].length > this.longestLine) this.longestLine = lines[j].length;
      this.pending += `${lines[j]}\n`;
    }
    if (this.pending.length >= FLUSH_CHARS) this.flush();
  }

  /** Ends the writing: the file is complete for read_json. */
  seal(): void {
    if (this.fd === undefined) return;
    this.flush();
    closeSync(this.fd);
    this.fd = undefined;
    // ~50 bytes an id: reading them costs the engine a seventh of reading the rows again
    writeFileSync(this.idsPath, this.ids.length === 0 ? '' : `${this.ids.map((id) => `{"event_id":${JSON.stringify(id)}}`).join('\n')}\n`);
  }

  remove(): void {
    this.pending = '';
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
    rmSync(this.path, { force: true });
    rmSync(this.idsPath, { force: true });
  }

  private flush(): void {
    if (this.pending.length > 0 && this.fd !== undefined) writeSync(this.fd, this.pending);
    this.pending = '';
  }
}

/**
 * Inserts the staged rows whose ids are not stored yet, in the file's order (rowids follow it),
 * on the writer's connection inside the caller's transaction; returns the ids already stored.
 * They are looked up first, with the batch as the join's build side: no anti-join in the INSERT
 * and no hash table over the whole log, and nearly always an empty answer (the writer is the
 * only one, so nothing slips in between).
 */
export async function insertStaged(c: DuckDBConnection, file: StagedFile): Promise<{ duplicates: Set<string>; storedIds: string }> {
  // DuckDB's read buffers grow with maximum_object_size: its default unless a line needs more
  const maxBytes = Math.max(16 * 1024 * 1024, file.longestLine * 3 + 1024);
  const idsOnly = readStaged(file.idsPath, maxBytes, { event_id: 'VARCHAR' });
  await c.run(`CREATE OR REPLACE TEMP TABLE loopwatch_stored_before AS SELECT event_id FROM events WHERE event_id IN (SELECT event_id FROM ${idsOnly})`);
  const stored = await c.runAndReadAll('SELECT event_id FROM loopwatch_stored_before');
  const duplicates = new Set((stored.getColumnsJS()[0] ?? []) as string[]);
  if (duplicates.size === 0) {
    await c.run(`INSERT INTO events SELECT * FROM ${stagedRows(file.path, maxBytes)}`);
    return { duplicates, storedIds: idsOnly };
  }
  if (duplicates.size < file.rows) {
    await c.run(`INSERT INTO events SELECT * FROM ${stagedRows(file.path, maxBytes)} s WHERE s.event_id NOT IN (SELECT event_id FROM loopwatch_stored_before)`);
  }
  return { duplicates, storedIds: `(SELECT event_id FROM ${idsOnly} WHERE event_id NOT IN (SELECT event_id FROM loopwatch_stored_before))` };
}
