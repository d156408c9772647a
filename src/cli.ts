#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { Command, Option } from 'commander';
import { loadConfig, type Config } from './config.js';
import { LoopwatchError } from './errors.js';
import { createLogger } from './logger.js';
import { createValidator } from './events/validate.js';
import { EventWriter } from './ingest/event-writer.js';
import { openStore } from './store/open-store.js';
import type { FileFormat } from './ingest/files/index.js';

// command modules load on use: `serve` starts without parsing the simulator or file readers

// `loopwatch simulate | head` closes the pipe early: that is the reader's choice, not an error
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});

const program = new Command()
  .name('loopwatch')
  .description('Analytics for human-in-the-loop review of LLM outputs')
  .version(packageVersion(), '-V, --version', 'print the version and exit')
  .showHelpAfterError();

/** Counts in summaries with thousands separators, as the report prints them. */
const n = (x: number) => x.toLocaleString('en-US');

function packageVersion(): string {
  return (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
}

/** Options every command that opens the database shares. */
function withStoreOptions(cmd: Command): Command {
  return cmd
    .option('--config <file>', 'JSON config file (or LOOPWATCH_CONFIG)')
    .option('--db <path>', 'DuckDB file (or LOOPWATCH_DB)', undefined)
    .option('--store <engine>', 'duckdb (embedded, default) or clickhouse (or LOOPWATCH_STORE)')
    .option('--clickhouse-url <url>', 'http(s)://user:pass@host:8123, or chdb:/path (or LOOPWATCH_CLICKHOUSE_URL)')
    .option('--log-level <level>', 'fatal|error|warn|info|debug|trace|silent (or LOOPWATCH_LOG_LEVEL)')
    .option('--log-format <format>', 'pretty|json; default pretty when stderr is a terminal (or LOOPWATCH_LOG_FORMAT)');
}

function configFrom(opts: Record<string, unknown>, extra: Partial<Record<keyof Config, unknown>> = {}): Config {
  return loadConfig({
    env: process.env,
    file: opts.config as string | undefined,
    flags: { db: opts.db, logLevel: opts.logLevel, logFormat: opts.logFormat, store: opts.store, clickhouseUrl: opts.clickhouseUrl, ...extra },
  });
}

withStoreOptions(program.command('serve'))
  .description('run the HTTP server: POST /v1/events, /healthz, /readyz, /metrics')
  .option('--host <host>', 'address to listen on (or LOOPWATCH_HOST)')
  .option('--port <port>', 'port to listen on, 0 for any free one (or LOOPWATCH_PORT)')
  .option('--demo', 'feed the server with simulated workflows and print where to look')
  .option('--demo-cases <n>', 'cases the demo simulates', '20000')
  .action(async (opts) => {
    const config = configFrom(opts, { host: opts.host, port: opts.port });
    const logger = createLogger(config.logLevel, { format: config.logFormat ?? (process.stderr.isTTY ? 'pretty' : 'json') });
    const { startServer } = await import('./serve.js');
    const server = await startServer(config, logger);
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      process.once(signal, () => {
        server.shutdown(signal).then(
          () => process.exit(0),
          (err) => {
            logger.error({ err }, 'shutdown failed');
            process.exit(1);
          },
        );
      });
    }
    if (opts.demo) {
      const { runDemo } = await import('./demo.js');
      await runDemo(server, Number(opts.demoCases), logger);
    }
  });

withStoreOptions(program.command('ingest'))
  .description('load event files (NDJSON, JSON, CSV, Parquet, Arrow IPC; .gz too) into the store')
  .argument('<files...>', 'files to ingest, in order')
  .addOption(new Option('--format <format>', 'format for all files instead of guessing from the extension').choices(['ndjson', 'json', 'csv', 'parquet', 'arrow']))
  .option('--rejects <file>', 'write every rejected event (index, reason) to this NDJSON file')
  .option('--batch-size <n>', 'events per write', '20000')
  .option('--no-progress', 'no progress bar')
  .action(async (files: string[], opts) => {
    const config = configFrom(opts);
    const { ingestFiles } = await import('./ingest/ingest-files.js');
    const store = await openStore(config);
    const writer = new EventWriter(store, { maxRowsPerWrite: config.maxRowsPerWrite });
    try {
      const summaries = await ingestFiles(
        files,
        { validate: createValidator({ extraReasonCodes: config.reasonCodes.extra }), writer },
        {
          format: opts.format as FileFormat | undefined,
          batchSize: Number(opts.batchSize),
          rejectsPath: opts.rejects,
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
    } finally {
      await writer.close();
      await store.close();
    }
  });

program
  .command('simulate')
  .description('generate a realistic, seeded HITL event stream to a file, stdout or a server')
  .option('--seed <n>', 'random seed', '42')
  .option('--cases <n>', 'number of cases', '10000')
  .option('--start <time>', 'simulated start time (RFC 3339); default 7 days ago')
  .option('--cases-per-hour <n>', 'arrival rate', '600')
  .option('--drift-at <time>', 'switch drift on at this simulated time (RFC 3339)')
  .option('--out <file>', 'NDJSON file to write (.gz compresses); stdout when absent')
  .option('--url <url>', 'send to a running Loopwatch server instead of a file')
  .option('--batch-size <n>', 'events per POST with --url', '5000')
  .option('--no-progress', 'no progress bar')
  .action(async (flags) => {
    const { runSimulateCommand } = await import('./simulate-command.js');
    await runSimulateCommand(flags);
  });

withStoreOptions(program.command('report'))
  .description('print the governance metrics: quality, queues and SLAs, reviewers, controls')
  .option('--url <url>', 'ask a running Loopwatch server instead of opening the database')
  .option('--json', 'print the JSON that GET /v1/metrics answers')
  .option('--width <columns>', "fit the report to this width (default: the terminal's, or 100 when not a terminal)")
  .option('--family <name...>', 'only these metric families')
  .option('--workflow <name>')
  .option('--tier <n>')
  .option('--lane <lane>')
  .option('--model-version <v>')
  .option('--policy-version <v>')
  .option('--reviewer <id>')
  .option('--from <time>', 'window start, RFC 3339')
  .option('--to <time>', 'window end (exclusive), RFC 3339')
  .option('--bucket <hour|day|week>')
  .option('--group-by <dims>', 'comma-separated: workflow,tier,lane,model_version,policy_version,reviewer ("" for one total)', 'workflow')
  .action(async (opts) => {
    const { runReportCommand } = await import('./report-command.js');
    await runReportCommand(opts, configFrom(opts));
  });

withStoreOptions(program.command('copy'))
  .description("move an embedded deployment's history to ClickHouse: resumable, nothing duplicated")
  .requiredOption('--from <source>', 'duckdb:FILE (the server on it must be stopped)')
  .requiredOption('--to <target>', 'clickhouse:http(s)://host:8123 or clickhouse:chdb:/path')
  .option('--batch-size <n>', 'events per chunk (one Parquet file, one ClickHouse insert)', '250000')
  .option('--no-progress', 'no progress bar')
  .action(async (opts) => {
    const { runCopyCommand } = await import('./copy-command.js');
    await runCopyCommand(opts, configFrom(opts));
  });

withStoreOptions(program.command('migrate'))
  .description('apply pending schema migrations and exit')
  .action(async (opts) => {
    const config = configFrom(opts);
    const store = await openStore(config);
    process.stdout.write(`schema up to date (${store.engine} at ${store.location})\n`);
    await store.close();
  });

program.parseAsync(process.argv).catch((err: unknown) => {
  if (err instanceof LoopwatchError) {
    process.stderr.write(`loopwatch: ${err.message}\n`);
    process.exit(1);
  }
  process.stderr.write(`loopwatch: ${(err as Error)?.stack ?? err}\n`);
  process.exit(1);
});
