import { createHash } from 'node:crypto';
import type { Writable } from 'node:stream';
import type { DatasetsConfig } from '../../config/datasets.js';
import { LoopwatchError } from '../../errors.js';
import { Q } from '../../store/queries.js';
import type { Store } from '../../store/store.js';
import { ExampleBuilder, TRAINING_SCHEMAS, type TrainingFormat } from './formats.js';
import { Tally, type DatasetManifest } from './manifest.js';
import { describeFilters, SPLIT_PARTS, TRAINING_FORMATS, type ExportOptions, type SplitPart } from './options.js';
import { noRedactions, pseudonymizer, redactText } from './privacy.js';
import { answerInCuts, caseInCuts, FLAT_COLUMNS, flatRecord } from './record.js';
import { resolveCase } from './resolve.js';
import { SeenInputs } from './seen-inputs.js';
import { ArrowSink, CsvSink, JsonLinesSink, ParquetSink, type RowSink } from './sinks.js';
import { splitOf } from './split.js';

export interface ExportTarget {
  /** The destination of one file: `part` is null for a single file, else the split part it holds. */
  open(part: SplitPart | null): { dest: Writable; name: string };
  /** Where Parquet's intermediate file goes (default: the OS's temporary directory). */
  tmpDir?: string;
}

export interface ExportProgress {
  casesRead: number;
  rows: number;
}

export interface ExportRun {
  options: ExportOptions;
  config: DatasetsConfig;
  version: string;
  now?: () => Date;
  onProgress?: (p: ExportProgress) => void;
  signal?: AbortSignal;
}

/**
 * The files of an export: one, or with a split in a training format (whose lines have no room
 * for a split column) one per part, as fine-tuning APIs take a training and a validation file.
 */
export function exportParts(o: ExportOptions): (SplitPart | null)[] {
  if (!o.split || !TRAINING_FORMATS.has(o.format)) return [null];
  if (o.part) return [o.part];
  return SPLIT_PARTS.filter((p) => o.split![p] > 0);
}

/**
 * Streams a labeled dataset out of the store (docs/datasets.md): reviewed and audited cases a
 * page at a time in case_id order, each resolved to one answer, cut, split, de-duplicated,
 * pseudonymized and redacted, written in the asked format. Memory holds two pages of cases (the
 * one being written, the next being read) and the hashes of the inputs seen; the output is the same bytes for the same data.
 */
export async function exportDataset(store: Store, run: ExportRun, target: ExportTarget): Promise<DatasetManifest> {
  const o = run.options;
  const config = run.config;
  // refused before a byte is written
  const pseudonym = o.reviewer_ids ? pseudonymizer(config.pseudonymKey) : null;
  const trainingFormat: TrainingFormat | null = !TRAINING_FORMATS.has(o.format)
    ? null
    : o.format === 'preference' && o.flavor === 'trl'
      ? 'preference_trl'
      : (o.format as TrainingFormat);
  const builder = trainingFormat ? new ExampleBuilder(trainingFormat, config) : null;

  const parts = exportParts(o);
  const multi = parts.length > 1 || parts[0] !== null;
  const files = new Map<SplitPart | null, { sink: RowSink; name: string; rows: number }>();
  for (const part of parts) {
    const { dest, name } = target.open(part);
    files.set(part, { sink: sinkFor(o.format, dest, target.tmpDir), name, rows: 0 });
  }

  const counts = { cases_read: 0, cases_in_cuts: 0, cases_exported: 0, rows: 0 };
  const byLabel = new Tally();
  const byReason = new Tally();
  const byDecision = new Tally();
  const bySplit = new Tally();
  const exclusions = new Tally();
  const redactions = noRedactions();
  const seen = new SeenInputs();
  const redact = (s: string | null) => (o.redact && s !== null ? redactText(s, redactions) : s);

  // The next page is asked for as soon as a page arrives, so that the store's query (on its
  // own threads) runs while this one is resolved and written: the two took about as long.
  const pageAfter = (after: string) => {
    const p = store.query(Q.datasetCases, { after, page_size: config.pageSize });
    p.catch(() => undefined); // awaited below; an export that fails first must not leave it unhandled
    return p;
  };
  let next = pageAfter('');
  for (;;) {
    if (run.signal?.aborted) throw new LoopwatchError('export_aborted', 'the export was stopped before it finished');
    const rows = await next;
    const more = rows.length >= config.pageSize;
    if (more) next = pageAfter(rows[rows.length - 1].case_id);
    for (const row of rows) {
      counts.cases_read++;
      if (!caseInCuts(row, o)) continue;
      const r = resolveCase(row);
      if (typeof r === 'string') {
        if (!o.decision && !o.reason_code) {
          counts.cases_in_cuts++;
          exclusions.add(r);
        }
        continue;
      }
      if (!answerInCuts(r, o)) continue;
      counts.cases_in_cuts++;
      if (o.agreed_only && !r.agreed) {
        exclusions.add('not_agreed');
        continue;
      }
      const split = o.split ? splitOf(o.split, config.splitKey, row.case_id) : null;
      const record = flatRecord(row, r, split, pseudonym && r.reviewerId ? pseudonym(r.reviewerId) : null);
      const lines = builder ? builder.examples(record) : [record];
      if (typeof lines === 'string') {
        exclusions.add(lines);
        continue;
      }
      // identical inputs collapse to the first case (in case_id order) that gives an example
      if (record.input !== null && record.input !== '' && seen.seen(record.workflow ?? '', record.input)) {
        exclusions.add('duplicate_input');
        continue;
      }
      const file = files.get(multi ? split : null);
      if (!file) continue; // another part than the one asked for
      if (o.redact) {
        record.input = redact(record.input);
        record.model_output = redact(record.model_output);
        record.final_output = redact(record.final_output);
      }
      const out = o.redact && builder ? builder.examples(record) : lines;
      for (const line of out as object[]) file.sink.add(line);
      file.rows += (out as object[]).length;
      counts.rows += (out as object[]).length;
      counts.cases_exported++;
      byLabel.add(record.final_label ?? '(none)');
      byReason.add(record.reason_code ?? '(none)');
      byDecision.add(record.decision);
      bySplit.add(split ?? '(none)');
    }
    for (const f of files.values()) await f.sink.page();
    run.onProgress?.({ casesRead: counts.cases_read, rows: counts.rows });
    if (!more) break;
  }

  const written: DatasetManifest['files'] = [];
  for (const [part, f] of files) {
    const result = await f.sink.finish();
    written.push({ part, file: f.name, rows: f.rows, bytes: result.bytes, sha256: result.sha256 });
  }
  const contentHash =
    written.length === 1 ? written[0].sha256 : createHash('sha256').update(written.map((w) => w.sha256).join('\n')).digest('hex');
  return {
    loopwatch_version: run.version,
    created_at: (run.now?.() ?? new Date()).toISOString(),
    engine: store.engine,
    format: o.format,
    flavor: o.format === 'preference' ? o.flavor : null,
    filters: describeFilters(o),
    split: o.split ?? null,
    reviewer_ids: pseudonym ? 'pseudonymized (HMAC-SHA256, 64 bits)' : 'omitted',
    redaction: { enabled: o.redact, counts: redactions },
    counts: { ...counts, by_label: byLabel.toJSON(), by_reason_code: byReason.toJSON(), by_decision: byDecision.toJSON(), by_split: bySplit.toJSON() },
    exclusions: exclusions.toJSON(),
    schema: trainingFormat ? TRAINING_SCHEMAS[trainingFormat] : Object.fromEntries(FLAT_COLUMNS.map(([n, t]) => [n, `${t} (nullable)`])),
    files: written,
    content_sha256: contentHash,
  };
}

function sinkFor(format: ExportOptions['format'], dest: Writable, tmpDir?: string): RowSink {
  switch (format) {
    case 'csv':
      return new CsvSink(dest);
    case 'arrow':
      return new ArrowSink(dest);
    case 'parquet':
      return new ParquetSink(dest, tmpDir);
    default:
      return new JsonLinesSink(dest);
  }
}
