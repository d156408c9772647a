import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { createGzip } from 'node:zlib';
import type { Writable } from 'node:stream';
import type { Command } from 'commander';
import { LoopwatchError } from '../errors.js';
import { addResult, describeResult, emptyResult } from '../ingest/batch-result.js';
import { sendBatch } from '../ingest/http-sender.js';
import { networkFailure, serverUrl, unreachable } from './errors.js';
import {
  DEFAULT_SIMULATE_BATCH_SIZE,
  DEFAULT_SIMULATE_CASES,
  DEFAULT_SIMULATE_CASES_PER_HOUR,
  DEFAULT_SIMULATE_SEED,
} from '../config/defaults.js';
import type { SimulationOptions } from '../simulate/index.js';
import { bearerHeaders } from '../auth/client.js';

/** `loopwatch simulate`: the simulator and the progress bar load only when it runs. */
export function simulateCommand(program: Command): void {
  program
    .command('simulate')
    .description('generate a realistic, seeded HITL event stream to a file, stdout or a server')
    .option('--seed <n>', 'random seed', String(DEFAULT_SIMULATE_SEED))
    .option('--cases <n>', 'number of cases', String(DEFAULT_SIMULATE_CASES))
    .option('--start <time>', 'simulated start time (RFC 3339); default 7 days ago')
    .option('--cases-per-hour <n>', 'arrival rate', String(DEFAULT_SIMULATE_CASES_PER_HOUR))
    .option('--drift-at <time>', 'switch drift on at this simulated time (RFC 3339)')
    .option('--drift-until <time>', 'switch drift off again at this simulated time (RFC 3339; needs --drift-at)')
    .option('--out <file>', 'NDJSON file to write (.gz compresses); stdout when absent')
    .option('--url <url>', 'send to a running Loopwatch server instead of a file')
    .option('--batch-size <n>', 'events per POST with --url', String(DEFAULT_SIMULATE_BATCH_SIZE))
    .option('--no-progress', 'no progress bar')
    .action(async (flags: SimulateFlags) => {
      await runSimulateCommand(flags);
    });
}

export interface SimulateFlags {
  seed: string;
  cases: string;
  start?: string;
  casesPerHour: string;
  driftAt?: string;
  driftUntil?: string;
  out?: string;
  url?: string;
  batchSize: string;
  progress: boolean;
}

export function simulationOptionsFrom(flags: SimulateFlags, now = new Date()): SimulationOptions {
  const start = flags.start ? parseTime('--start', flags.start) : defaultStart(now);
  const options: SimulationOptions = {
    seed: positiveInt('--seed', flags.seed, true),
    cases: positiveInt('--cases', flags.cases),
    start,
    casesPerHour: positiveInt('--cases-per-hour', flags.casesPerHour),
  };
  if (flags.driftAt) options.driftAt = parseTime('--drift-at', flags.driftAt);
  if (flags.driftUntil) options.driftUntil = parseTime('--drift-until', flags.driftUntil);
  return options;
}

/** Seven days before now, on the hour: a week of history that ends about now. */
export function defaultStart(now: Date): Date {
  const d = new Date(now.getTime() - 7 * 24 * 3600_000);
  d.setUTCMinutes(0, 0, 0);
  return d;
}

export async function runSimulateCommand(flags: SimulateFlags): Promise<void> {
  const options = simulationOptionsFrom(flags);
  const { simulate } = await import('../simulate/index.js');
  const { default: cliProgress } = await import('cli-progress');
  const batchSize = positiveInt('--batch-size', flags.batchSize);
  const url = flags.url === undefined ? undefined : serverUrl(flags.url).href;
  const bar =
    flags.progress && process.stderr.isTTY
      ? new cliProgress.SingleBar({ format: 'simulate |{bar}| {value}/{total} cases | {events} events', hideCursor: true }, cliProgress.Presets.shades_classic)
      : undefined;
  bar?.start(options.cases, 0, { events: 0 });
  let events = 0;
  const progress = (batch: Record<string, unknown>[]) => {
    events += batch.length;
    const last = batch[batch.length - 1]?.case_id;
    const n = typeof last === 'string' ? Number(last.split('-').pop()) : NaN;
    bar?.update(Number.isFinite(n) ? Math.min(n, options.cases) : 0, { events });
  };
  try {
    if (flags.url) {
      const total = emptyResult();
      let busy = 0;
      const onRetry = (r: { status?: number }) => void (r.status === 429 && busy++);
      for (const batch of simulate(options, batchSize)) {
        let result;
        try {
          result = await sendBatch(batch, { url: url!, onRetry, headers: bearerHeaders() });
        } catch (err) {
          // a server never reached is said so; its refusal is printed as it gave it
          throw networkFailure(err) ? unreachable(flags.url, err) : err;
        }
        addResult(total, result, false);
        progress(batch);
      }
      bar?.stop();
      process.stderr.write(`sent ${events} events to ${flags.url}: ${describeResult(total)}\n`);
      if (busy > 0) process.stderr.write(`  the server was busy ${busy} times (429); those batches were resent unchanged after its Retry-After\n`);
      if (total.duplicates > 0) {
        // ids depend on the seed alone: the same --seed resends the same events, whatever --start says
        process.stderr.write(`  ${total.duplicates} of them were stored before (same --seed, same event ids); another --seed sends new events\n`);
      }
      return;
    }
    const out: Writable = flags.out ? createWriteStream(flags.out) : process.stdout;
    const sink: Writable = flags.out?.endsWith('.gz') ? createGzip() : out;
    if (sink !== out) sink.pipe(out);
    for (const batch of simulate(options, batchSize)) {
      let text = '';
      for (const e of batch) text += `${JSON.stringify(e)}\n`;
      if (!sink.write(text)) await once(sink, 'drain');
      progress(batch);
    }
    bar?.stop();
    if (out !== process.stdout) {
      sink.end();
      await once(out, 'finish');
      process.stderr.write(`wrote ${events} events to ${flags.out}\n`);
    }
  } finally {
    bar?.stop();
  }
}

function parseTime(flag: string, value: string): Date {
  const t = Date.parse(value);
  if (!Number.isFinite(t)) throw new LoopwatchError('bad_flag', `${flag}: expected an RFC 3339 time such as 2026-11-20T00:00:00Z, got ${JSON.stringify(value)}`);
  return new Date(t);
}

function positiveInt(flag: string, value: string, allowZero = false): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < (allowZero ? 0 : 1)) {
    throw new LoopwatchError('bad_flag', `${flag}: expected a ${allowZero ? 'non-negative' : 'positive'} integer, got ${JSON.stringify(value)}`);
  }
  return n;
}
