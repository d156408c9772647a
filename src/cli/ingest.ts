import { existsSync } from 'node:fs';
import { Option, type Command } from 'commander';
import { LoopwatchError } from '../errors.js';
import { DEFAULT_BULK_ROWS_PER_WRITE, DEFAULT_INGEST_BATCH_SIZE, DEFAULT_INGEST_WORKERS } from '../config/defaults.js';
import { createValidator } from '../events/validate.js';
import { EventWriter } from '../ingest/event-writer.js';
import type { FileFormat } from '../ingest/files/index.js';
import { openStore } from '../store/open-store.js';
import { configFrom, formatCount as n, withStoreOptions } from './options.js';

/**
 * `loopwatch ingest FILES...`: a summary line per file, then the derived tables brought up to
 * date (unless --no-derive); exit code 2 when any event was rejected.
 */
export function ingestCommand(program: Command): void {
  withStoreOptions(program.command('ingest'))
    .description('load event files (NDJSON, JSON, CSV, Parquet, Arrow IPC; .gz too) into the store')
    .argument('<files...>', 'files to ingest, in order')
    .addOption(new Option('--format <format>', 'format for all files instead of guessing from the extension').choices(['ndjson', 'json', 'csv', 'parquet', 'arrow']))
    .option('--rejects <file>', 'write every rejected event (index, reason) to this NDJSON file')
    .option('--batch-size <n>', 'events validated at a time (and per write where the store has no bulk path)', String(DEFAULT_INGEST_BATCH_SIZE))
    .option('--rows-per-write <n>', 'events per transaction where the store writes in bulk (DuckDB)', String(DEFAULT_BULK_ROWS_PER_WRITE))
    .option('--workers <n>', 'worker threads that validate events beside the reading and the writing (0: none)', String(DEFAULT_INGEST_WORKERS))
    .option('--no-progress', 'no progress bar')
    .option('--no-derive', 'leave the derived tables for the next report to bring up to date')
    .action(async (files: string[], opts) => {
      const config = configFrom(opts);
      // a wrong path is said before the database is opened (or created)
      const missing = files.filter((f) => !existsSync(f));
      if (missing.length > 0) throw new LoopwatchError('file_not_found', missing.map((f) => `${f}: cannot open: no such file`).join('; '));
      // the file readers (Arrow, Parquet) load only when a file is ingested
      const { deriveAfterIngest, ingestFiles } = await import('../ingest/ingest-files.js');
      const store = await openStore(config);
      const writer = new EventWriter(store, { maxRowsPerWrite: config.maxRowsPerWrite });
      const bulk = store.openBulkWriter?.({ rowsPerWrite: positive(opts.rowsPerWrite, '--rows-per-write') });
      let writerClosed = false;
      try {
        const validator = { extraReasonCodes: config.reasonCodes.extra, limits: config.limits };
        const workers = Number(opts.workers);
        if (!Number.isSafeInteger(workers) || workers < 0) throw new LoopwatchError('bad_flag', `--workers: expected 0 or a positive whole number, got ${JSON.stringify(opts.workers)}`);
        const summaries = await ingestFiles(
          files,
          { validate: createValidator(validator), writer },
          {
            format: opts.format as FileFormat | undefined,
            batchSize: positive(opts.batchSize, '--batch-size'),
            rejectsPath: opts.rejects,
            bulk,
            workers: { count: workers, validator },
            progress: opts.progress && process.stderr.isTTY,
          },
        );
        for (const s of summaries) {
          const rate = Math.round((s.accepted + s.duplicates + s.rejected) / Math.max(s.seconds, 1e-9));
          process.stdout.write(
            `${s.file} (${s.format}): ${n(s.accepted)} accepted, ${n(s.duplicates)} duplicates, ${n(s.rejected)} rejected in ${s.seconds.toFixed(1)} s (${n(rate)} events/s)\n`,
          );
          for (const e of s.errors.slice(0, 5)) process.stdout.write(`  rejected #${e.index}${e.event_id ? ` (${e.event_id})` : ''}: ${e.reason}\n`);
          if (s.rejected > 5) process.stdout.write(`  ... ${s.rejected - 5} more${opts.rejects ? ` in ${opts.rejects}` : ' (use --rejects FILE to keep them all)'}\n`);
        }
        if (summaries.some((s) => s.rejected > 0)) process.exitCode = 2;
        // every accepted event is durable once the writer has drained: only then the derived
        // tables, so that whatever happens to them the events stay stored and acknowledged
        await writer.close();
        writerClosed = true;
        if (opts.derive) {
          const d = await deriveAfterIngest(store, { progress: opts.progress && process.stderr.isTTY });
          if (d.ok) {
            const what = d.mode === 'unchanged' ? 'already up to date' : d.mode === 'full' ? 'built' : `refreshed (${n(d.cases ?? 0)} cases)`;
            process.stdout.write(`derived tables: ${what} in ${d.seconds.toFixed(1)} s\n`);
          } else {
            // a warning, not a failed ingest: the events are in (a script that retried on a
            // non-zero exit would load them again for nothing), and the next report or server
            // start builds the tables instead
            process.stderr.write(`derived tables: refresh failed, the events above are stored and the next report builds them: ${d.error}\n`);
          }
        }
      } finally {
        if (!writerClosed) await writer.close();
        await store.close();
      }
    });
}

function positive(value: string, option: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 1) throw new LoopwatchError('bad_flag', `${option}: expected a positive whole number, got ${JSON.stringify(value)}`);
  return n;
}
