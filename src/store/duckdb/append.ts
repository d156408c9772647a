import { closeSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { EventRow } from '../../events/row.js';
import type { PreparedRows } from '../store.js';
import { removeStaleTempFiles } from '../stale-temp.js';
import { storedId } from '../stored-id.js';
import { idLine, readStaged, rowHash, rowText, stagedRows } from './row-text.js';

let fileSeq = 0;
const FLUSH_CHARS = 1 << 22;
const HIGH_UNITS = /[\uD800-\uFFFF]/;

/**
 * A batch staged for DuckDB as NDJSON in a temporary file (row-text.ts), which the INSERT reads
 * with read_json: DuckDB parses it in C++, where the appender took one native call per value
 * (issue 14: 14–16 µs per event). Beside it a small file of each row's id and hash (idLine),
 * which the duplicate lookup and the chain link read. Rows wait on disk, not in memory, so a
 * large write (file ingest) costs no heap. A repeat of an id already in the file is left out
 * (the first copy is the one stored) and counted.
 */
export class StagedFile {
  readonly path = path.join(tmpdir(), `loopwatch-staging-${process.pid}-${++fileSeq}.ndjson`);
  readonly idsPath = this.path.replace(/\.ndjson$/, '-ids.ndjson');
  rows = 0;
  repeats = 0;
  /** Longest line's length in UTF-16 units (its UTF-8 bytes are at most 3 times that). */
  longestLine = 0;
  /** Whether the engine orders these ids as JavaScript's sort does (chain.ts, appendStagedLink). */
  sortsAlike = true;
  private seen = new Set<string>();
  private rowsFile = new Sink(this.path);
  private idsFile = new Sink(this.idsPath);

  add(row: EventRow): void {
    const id = storedId(row.event_id);
    if (this.seen.has(id)) {
      this.repeats++;
      return;
    }
    this.seen.add(id);
    this.rows++;
    if (this.sortsAlike && HIGH_UNITS.test(id)) this.sortsAlike = false;
    const text = rowText(row);
    if (text.length > this.longestLine) this.longestLine = text.length;
    this.rowsFile.write(`${text}\n`);
    this.idsFile.write(`${idLine(id, rowHash(text))}\n`);
  }

  /** Rows serialized elsewhere (prepareStagedRows), as add() would have taken them one by one. */
  addPrepared(rows: PreparedRows): void {
    const { ids } = rows;
    let i = 0;
    for (; i < ids.length; i++) {
      if (this.seen.has(ids[i])) break;
      this.seen.add(ids[i]);
    }
    if (i === ids.length) {
      // the usual case: no repeat, the bytes go in whole
      this.rows += ids.length;
      if (!rows.sortsAlike) this.sortsAlike = false;
      if (rows.longest > this.longestLine) this.longestLine = rows.longest;
      this.rowsFile.write(rows.bytes);
      this.idsFile.write(rows.idBytes);
      return;
    }
    // a repeat of an id staged before or earlier in these rows: from there on line by line
    const decoder = new TextDecoder();
    const lines = decoder.decode(rows.bytes).split('\n');
    const idLines = decoder.decode(rows.idBytes).split('\n');
    for (let j = 0; j < ids.length; j++) {
      if (j >= i) {
        if (this.seen.has(ids[j])) {
          this.repeats++;
          continue;
        }
        this.seen.add(ids[j]);
      }
      this.rows++;
      if (this.sortsAlike && HIGH_UNITS.test(ids[j])) this.sortsAlike = false;
      if (lines[j].length > this.longestLine) this.longestLine = lines[j].length;
      this.rowsFile.write(`${lines[j]}\n`);
      this.idsFile.write(`${idLines[j]}\n`);
    }
  }

  /** Ends the writing: the files are complete for read_json. */
  seal(): void {
    this.seen = new Set();
    this.rowsFile.close();
    this.idsFile.close();
  }

  remove(): void {
    this.seal();
    rmSync(this.path, { force: true });
    rmSync(this.idsPath, { force: true });
  }
}

/** A process killed mid-write leaves its staging files behind: they go when a store opens. */
export function removeStaleStagingFiles(): void {
  removeStaleTempFiles(/^loopwatch-staging-(\d+)-\d+(-ids)?\.ndjson$/);
}

/** Text and bytes appended to a file, written a few MB at a time. */
class Sink {
  private fd: number | undefined;
  private pending = '';

  constructor(file: string) {
    this.fd = openSync(file, 'w');
  }

  write(data: string | Uint8Array): void {
    if (this.fd === undefined) return;
    if (typeof data === 'string') {
      this.pending += data;
      if (this.pending.length >= FLUSH_CHARS) this.flush();
    } else if (data.length > 0) {
      this.flush();
      writeSync(this.fd, data);
    }
  }

  close(): void {
    if (this.fd === undefined) return;
    this.flush();
    closeSync(this.fd);
    this.fd = undefined;
  }

  private flush(): void {
    if (this.pending.length > 0 && this.fd !== undefined) writeSync(this.fd, this.pending);
    this.pending = '';
  }
}

const DAY_US = 86_400_000_000;

/** A TIMESTAMP literal of epoch microseconds: a constant the scan's zonemaps can prune by. */
function timestampLiteral(us: number): string {
  return `TIMESTAMP '${new Date(us / 1000).toISOString().replace('T', ' ').replace('Z', '')}'`;
}

/**
 * Inserts the staged rows not stored yet, in the file's order (rowids follow it), on the
 * writer's connection inside the caller's transaction; returns the ids already stored and a
 * FROM clause of the stored rows' ids and hashes (event_id, h).
 *
 * A stored copy of an event (a retry) has the event's own workflow, type and ts, so it is looked
 * up as ClickHouse looks it up (docs/scaling.md, "Looking up stored ids"): by id within the
 * batch's (workflow, UTC day, type), and only in the span of the batch's days, a constant range
 * of `ts` by which DuckDB's zonemaps skip every row group outside it. Live traffic touches the
 * last row groups only, so the lookup costs what the batch costs, not what the log holds (by id
 * alone it read every stored event_id: 27 ms of CPU per write at 1M events). An id a sender
 * reuses under another workflow, type or day is another event, stored, on both engines.
 * The batch is the join's build side: no hash table over the log, and nearly always an empty
 * answer (the writer is the only one, so nothing slips in between).
 */
export async function insertStaged(c: DuckDBConnection, file: StagedFile): Promise<{ duplicates: Set<string>; stored: string }> {
  // DuckDB's read buffers grow with maximum_object_size: its default unless a line needs more
  const maxBytes = Math.max(16 * 1024 * 1024, file.longestLine * 3 + 1024);
  const idsOnly = readStaged(file.idsPath, maxBytes, { event_id: 'VARCHAR', h: 'VARCHAR' });
  await c.run(
    `CREATE OR REPLACE TEMP TABLE loopwatch_batch_keys AS SELECT event_id, workflow, type, make_timestamp(ts) AS ts FROM ${readStaged(file.path, maxBytes, { event_id: 'VARCHAR', workflow: 'VARCHAR', type: 'VARCHAR', ts: 'BIGINT' })}`,
  );
  const span = (await c.runAndReadAll('SELECT epoch_us(min(ts))::DOUBLE, epoch_us(max(ts))::DOUBLE FROM loopwatch_batch_keys')).getRows()[0] as [number | null, number | null];
  let duplicates = new Set<string>();
  if (span[0] !== null && span[1] !== null) {
    const from = Math.floor(span[0] / DAY_US) * DAY_US;
    const to = (Math.floor(span[1] / DAY_US) + 1) * DAY_US;
    await c.run(`CREATE OR REPLACE TEMP TABLE loopwatch_stored_before AS
      SELECT e.event_id FROM events e SEMI JOIN loopwatch_batch_keys b
        ON e.event_id = b.event_id AND e.type = b.type AND e.workflow IS NOT DISTINCT FROM b.workflow AND e.ts::DATE = b.ts::DATE
      WHERE e.ts >= ${timestampLiteral(from)} AND e.ts < ${timestampLiteral(to)}`);
    const stored = await c.runAndReadAll('SELECT event_id FROM loopwatch_stored_before');
    duplicates = new Set((stored.getColumnsJS()[0] ?? []) as string[]);
  }
  if (duplicates.size === 0) {
    await c.run(`INSERT INTO events SELECT * FROM ${stagedRows(file.path, maxBytes)}`);
    return { duplicates, stored: idsOnly };
  }
  if (duplicates.size < file.rows) {
    await c.run(`INSERT INTO events SELECT * FROM ${stagedRows(file.path, maxBytes)} s WHERE s.event_id NOT IN (SELECT event_id FROM loopwatch_stored_before)`);
  }
  return { duplicates, stored: `(SELECT * FROM ${idsOnly} WHERE event_id NOT IN (SELECT event_id FROM loopwatch_stored_before))` };
}
