import { closeSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { EventRow } from '../../events/row.js';
import { readStaged, rowHash, rowText, stagedRows } from './row-text.js';

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
    if (this.seen.has(row.event_id)) {
      this.repeats++;
      return;
    }
    this.seen.add(row.event_id);
    const text = rowText(row);
    this.ids.push(row.event_id);
    this.hashes.push(rowHash(text));
    if (text.length > this.longestLine) this.longestLine = text.length;
    this.pending += `${text}\n`;
    if (this.pending.length >= FLUSH_CHARS) this.flush();
  }

  /** Ends the writing: the file is complete for read_json. */
  seal(): void {
    if (this.fd === undefined) return;
    this.flush();
    closeSync(this.fd);
    this.fd = undefined;
  }

  remove(): void {
    this.pending = '';
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
    rmSync(this.path, { force: true });
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
  const idsOnly = readStaged(file.path, maxBytes, { event_id: 'VARCHAR' });
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
