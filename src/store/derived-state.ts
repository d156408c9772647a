import { createHash } from 'node:crypto';
import type { MigrationFile } from './sql-files.js';

/**
 * Where the derived tables stand in the event log, persisted beside them (issue 14): a process
 * that opens the store later (the CLI's report after an ingest, a restarted server) refreshes
 * from here instead of rebuilding everything. Every field is compared at the next refresh; any
 * mismatch means the log was rewritten under the tables (or their definition changed) and the
 * refresh is a full build.
 */
export interface DerivedState {
  /** sha256 of the derived SQL files as run: a new version of them rebuilds the tables. */
  definition: string;
  /** Events in the log at the mark. */
  events: number;
  /** The chain's last link at the mark (seq 0 and null before the first). */
  chainSeq: number;
  chainHash: string | null;
  /** How many full builds and incremental refreshes made the tables (for tests and logs). */
  fullBuilds: number;
  incrementalRefreshes: number;
}

/** The fingerprint of the derived SQL: file names and texts, in order. */
export function definitionHash(files: readonly MigrationFile[]): string {
  const h = createHash('sha256');
  for (const f of files) h.update(`${f.version}_${f.name}\0${f.sql}\0`);
  return h.digest('hex');
}
