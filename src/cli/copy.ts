import type { Command } from 'commander';
import type { Config } from '../config/config.js';
import { LoopwatchError } from '../errors.js';
import { openClickHouse } from '../store/open-store.js';
import { DEFAULT_COPY_CHUNK } from '../config/defaults.js';
import { configFrom, withStoreOptions } from './options.js';

export interface CopyFlags {
  from: string;
  to: string;
  /** Source rows per chunk (one Parquet file, one insert, one checkpoint). */
  batchSize: string;
  progress: boolean;
}

export function copyCommand(program: Command): void {
  withStoreOptions(program.command('copy'))
    .description("move an embedded deployment's history to ClickHouse: resumable, nothing duplicated")
    .requiredOption('--from <source>', 'duckdb:FILE (the server on it must be stopped)')
    .requiredOption('--to <target>', 'clickhouse:http(s)://host:8123 or clickhouse:chdb:/path')
    .option('--batch-size <n>', 'events per chunk (one Parquet file, one ClickHouse insert)', String(DEFAULT_COPY_CHUNK))
    .option('--no-progress', 'no progress bar')
    .action(async (opts) => {
      await runCopyCommand(opts, configFrom(opts));
    });
}

/** `loopwatch copy --from duckdb:FILE --to clickhouse:URL`: Ctrl-C stops after the current chunk; run again to resume. */
export async function runCopyCommand(flags: CopyFlags, config: Config): Promise<void> {
  if (!flags.from.startsWith('duckdb:')) throw new LoopwatchError('bad_flag', `--from: expected duckdb:FILE, got ${JSON.stringify(flags.from)}`);
  if (!flags.to.startsWith('clickhouse:')) throw new LoopwatchError('bad_flag', `--to: expected clickhouse:URL, got ${JSON.stringify(flags.to)}`);
  const chunkSize = Number(flags.batchSize);
  if (!Number.isInteger(chunkSize) || chunkSize < 1) throw new LoopwatchError('bad_flag', `--batch-size: expected a positive integer, got ${JSON.stringify(flags.batchSize)}`);
  // both engines and the progress bar load only when a copy runs
  const { copyEvents } = await import('../store/copy.js');
  const { default: cliProgress } = await import('cli-progress');
  const target = await openClickHouse(config, flags.to.slice('clickhouse:'.length));
  const abort = new AbortController();
  process.once('SIGINT', () => abort.abort());
  const bar =
    flags.progress && process.stderr.isTTY
      ? new cliProgress.SingleBar({ format: 'copy |{bar}| {value}/{total} events | {rate} events/s | ETA {eta_formatted}', hideCursor: true }, cliProgress.Presets.shades_classic)
      : undefined;
  const started = performance.now();
  let first: number | undefined;
  const rate = (copied: number) => Math.round((copied - (first ?? copied)) / Math.max((performance.now() - started) / 1000, 1e-3));
  try {
    await target.migrate();
    const result = await copyEvents({ duckdbPath: flags.from.slice('duckdb:'.length) }, target, {
      chunkSize,
      signal: abort.signal,
      onProgress: (p) => {
        if (first === undefined) {
          first = p.copied;
          bar?.start(p.total, p.copied, { rate: 0 });
        }
        bar?.update(p.copied, { rate: rate(p.copied) });
      },
    });
    bar?.stop();
    const seconds = (performance.now() - started) / 1000;
    if (result.done && result.chunks === 0 && !result.restartReason) {
      process.stdout.write(`nothing to copy: all ${result.total} events were copied by an earlier run\n`);
      return;
    }
    process.stdout.write(
      `${result.restartReason ? `started over: ${result.restartReason}\n` : ''}` +
        `${result.done ? 'copied' : 'stopped after'} ${result.copied} of ${result.total} events` +
        `${result.resumedAt > 0 ? ` (resumed at source row ${result.resumedAt})` : ''}` +
        ` in ${seconds.toFixed(1)} s, ${rate(result.copied)} events/s` +
        `${result.done ? '' : '; run the same command again to resume'}\n`,
    );
  } finally {
    bar?.stop();
    await target.close();
  }
}
