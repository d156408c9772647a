import type { EventRow } from '../../events/row.js';
import type { BulkWriter, PreparedRows } from '../store.js';
import { StagedFile } from './append.js';

/**
 * File ingest's writer: rows are staged to disk as they are validated and written
 * `rowsPerWrite` at a time. A write of more than a row group (122,880 rows) lets DuckDB put
 * whole row groups straight into the database file instead of the WAL, and the per-write
 * costs (duplicate lookup, link, commit) are paid a few times per million events. Memory holds
 * no staged row: one file fills while the previous one is written, never more.
 */
const ROW_GROUP_ROWS = 122_880;
const NEWLINE = 0x0a;

/** The first `n` rows and the rest (undefined when there is none). */
function splitPrepared(rows: PreparedRows, n: number): [PreparedRows, PreparedRows | undefined] {
  if (rows.ids.length <= n) return [rows, undefined];
  const cut = (bytes: Uint8Array) => {
    let end = -1;
    for (let i = 0; i < n; i++) end = bytes.indexOf(NEWLINE, end + 1);
    return [bytes.subarray(0, end + 1), bytes.subarray(end + 1)];
  };
  const [bytes, restBytes] = cut(rows.bytes);
  const [idBytes, restIdBytes] = cut(rows.idBytes);
  // longest and sortsAlike are bounds, good for both halves
  const { longest, sortsAlike } = rows;
  return [
    { ids: rows.ids.slice(0, n), bytes, idBytes, longest, sortsAlike },
    { ids: rows.ids.slice(n), bytes: restBytes, idBytes: restIdBytes, longest, sortsAlike },
  ];
}

export class DuckDBBulkWriter implements BulkWriter {
  private file: StagedFile | undefined;
  private inFlight: Promise<void> = Promise.resolve();
  private duplicates = 0;
  /** Whether a write of whole row groups went out since the last finish: a bulk load. */
  private loading = false;

  constructor(
    private readonly write: (file: StagedFile) => Promise<Set<string>>,
    private readonly rowsPerWrite: number,
    /** Runs `fn` with the engine writing on one thread (DuckDBStore.singleThreaded). */
    private readonly singleThreaded: <T>(fn: () => Promise<T>) => Promise<T> = (fn) => fn(),
    /** Folds the WAL into the database file (DuckDBStore.checkpoint). */
    private readonly checkpoint?: () => Promise<void>,
  ) {}

  async add(rows: readonly EventRow[]): Promise<void> {
    for (const row of rows) {
      (this.file ??= new StagedFile()).add(row);
      if (this.file.rows >= this.rowsPerWrite) await this.send();
    }
  }

  async addPrepared(rows: PreparedRows): Promise<void> {
    let rest: PreparedRows | undefined = rows;
    while (rest) {
      const file = (this.file ??= new StagedFile());
      // a write ends exactly at rowsPerWrite (whole row groups when it is a multiple of 122,880; see send)
      const [head, tail] = splitPrepared(rest, this.rowsPerWrite - file.rows);
      file.addPrepared(head);
      rest = tail;
      if (file.rows >= this.rowsPerWrite) await this.send();
    }
  }

  async finish(): Promise<{ duplicates: number }> {
    if (this.file) await this.send(true);
    await this.inFlight;
    // after a bulk load the last, partial write went to the WAL: folded in now, under the bulk
    // settings, where the store's close did it under its own (a file ingest's peak RSS came at
    // its very end: ~570 MB at 3M events with 128MB during the writes)
    if (this.loading && this.checkpoint) await this.singleThreaded(this.checkpoint);
    this.loading = false;
    const duplicates = this.duplicates;
    this.duplicates = 0;
    return { duplicates };
  }

  async abort(): Promise<void> {
    this.file?.remove();
    this.file = undefined;
    await this.inFlight.catch(() => undefined);
  }

  private async send(last = false): Promise<void> {
    const file = this.file!;
    this.file = undefined;
    file.seal();
    // the previous write's failure surfaces here, before another one starts
    await this.inFlight;
    if (file.rows === 0) {
      this.duplicates += file.repeats;
      file.remove();
      return;
    }
    // one thread writes whole row groups in order; several leave partial ones that the next
    // checkpoint rewrites (measured: 5–9 s of CHECKPOINT after 1M events, 0.2 s on one
    // thread, and the inserts themselves no slower on this 2-core machine)
    // the last write of a bulk load too, however few its rows
    if (file.rows >= ROW_GROUP_ROWS) this.loading = true;
    const write = file.rows >= ROW_GROUP_ROWS || (last && this.loading) ? this.singleThreaded(() => this.write(file)) : this.write(file);
    this.inFlight = write.then((stored) => {
      this.duplicates += stored.size + file.repeats;
    });
    this.inFlight.catch(() => undefined);
  }
}
