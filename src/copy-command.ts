import cliProgress from 'cli-progress';
import type { Config } from './config.js';
import { LoopwatchError } from './errors.js';
import { openClickHouse } from './store/open-store.js';
import { copyEvents } from './store/copy.js';

export interface CopyFlags {
  from: string;
  to: string;
  batchSize: string;
  progress: boolean;
}

/** `loopwatch copy --from duckdb:FILE --to clickhouse:URL`: Ctrl-C stops after the current batch; run again to resume. */
export async function runCopyCommand(flags: CopyFlags, config: Config): Promise<void> {
  if (!flags.from.startsWith('duckdb:')) throw new LoopwatchError('bad_flag', `--from: expected duckdb:FILE, got ${JSON.stringify(flags.from)}`);
  if (!flags.to.startsWith('clickhouse:')) throw new LoopwatchError('bad_flag', `--to: expected clickhouse:URL, got ${JSON.stringify(flags.to)}`);
  const batchSize = Number(flags.batchSize);
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new LoopwatchError('bad_flag', `--batch-size: expected a positive integer, got ${JSON.stringify(flags.batchSize)}`);
  const target = await openClickHouse(config, flags.to.slice('clickhouse:'.length));
  const abort = new AbortController();
  process.once('SIGINT', () => abort.abort());
  const bar =
    flags.progress && process.stderr.isTTY
      ? new cliProgress.SingleBar({ format: 'copy |{bar}| {value}/{total} events | {duplicates} already there | ETA {eta_formatted}', hideCursor: true }, cliProgress.Presets.shades_classic)
      : undefined;
  let started = false;
  try {
    await target.migrate();
    const result = await copyEvents({ duckdbPath: flags.from.slice('duckdb:'.length) }, target, {
      batchSize,
      signal: abort.signal,
      onProgress: (p) => {
        if (!started) {
          bar?.start(p.total, p.copied, { duplicates: p.duplicates });
          started = true;
        }
        bar?.update(p.copied, { duplicates: p.duplicates });
      },
    });
    bar?.stop();
    process.stdout.write(
      `${result.done ? 'copied' : 'stopped after'} ${result.copied} of ${result.total} events (${result.duplicates} of them were already there)` +
        `${result.resumedFrom ? `, resumed from ${result.resumedFrom}` : ''}${result.done ? '' : '; run the same command again to resume'}\n`,
    );
  } finally {
    bar?.stop();
    await target.close();
  }
}
