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
export class DuckDBBulkWriter implements BulkWriter {
  private file: StagedFile | undefined;
  private inFlight: Promise<void> = Promise.resolve();
  private duplicates = 0;

  constructor(
    private readonly write: (file: StagedFile) => Promise<Set<string>>,
    private readonly rowsPerWrite: number,
  ) {}

  async add(rows: readonly EventRow[]): Promise<void> {
    for (const row of rows) {
      (this.file ??= new StagedFile()).add(row);
      if (this.file.rows >= this.rowsPerWrite) await this.send();
    }
  }

  async addPrepared(rows: PreparedRows): Promise<void> {
    (this.file ??= new StagedFile()).addPrepared(rows);
    // a write unit may end a little past rowsPerWrite: the prepared rows are not split
    if (this.file.rows >= this.rowsPerWrite) await this.send();
  }

  async finish(): Promise<{ duplicates: number }> {
    if (this.file) await this.send();
    await this.inFlight;
    const duplicates = this.duplicates;
    this.duplicates = 0;
    return { duplicates };
  }

  async abort(): Promise<void> {
    this.file?.remove();
    this.file = undefined;
    await this.inFlight.catch(() => undefined);
  }

  private async send(): Promise<void> {
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
    this.inFlight = this.write(file).then((stored) => {
      this.duplicates += stored.size + file.repeats;
    });
    this.inFlight.catch(() => undefined);
  }
}
