import type { SplitPart, SplitSpec } from './options.js';
import type { RedactionCounts } from './privacy.js';

/** What `FILE.manifest.json` says of one export (docs/datasets.md#manifest). */
export interface DatasetManifest {
  loopwatch_version: string;
  created_at: string;
  engine: string;
  format: string;
  flavor: string | null;
  filters: Record<string, unknown>;
  split: SplitSpec | null;
  reviewer_ids: 'omitted' | 'pseudonymized (HMAC-SHA256, 64 bits)';
  redaction: { enabled: boolean; counts: RedactionCounts };
  counts: {
    /** Reviewed or audited cases read from the store. */
    cases_read: number;
    /** Cases inside the cuts (before the exclusions below). */
    cases_in_cuts: number;
    /** Cases with at least one row written. */
    cases_exported: number;
    /** Rows written (KTO writes two for a correction). */
    rows: number;
    by_label: Record<string, number>;
    by_reason_code: Record<string, number>;
    by_decision: Record<string, number>;
    by_split: Record<string, number>;
  };
  /** Cases inside the cuts that were left out, by cause. */
  exclusions: Record<string, number>;
  schema: Record<string, string>;
  files: { part: SplitPart | null; file: string; rows: number; bytes: number; sha256: string }[];
  /** SHA-256 of the file; of several files, SHA-256 of their hashes joined by newlines, in the order listed. */
  content_sha256: string;
}

/** A counter whose keys come out sorted, so that the manifest of the same data reads the same. */
export class Tally {
  private readonly counts = new Map<string, number>();
  add(key: string, n = 1): void {
    this.counts.set(key, (this.counts.get(key) ?? 0) + n);
  }
  toJSON(): Record<string, number> {
    return Object.fromEntries([...this.counts.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  }
}
