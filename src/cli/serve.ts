import type { Command } from 'commander';
import type { Logger } from 'pino';
import { DEFAULT_DEMO_CASES, DEMO_TS_MAX_AHEAD_MS, SHUTDOWN_BACKSTOP_MS } from '../config/defaults.js';
import { createLogger } from '../observability/logger.js';
import { configFrom, withStoreOptions } from './options.js';

/** `loopwatch serve`: the HTTP server until SIGINT/SIGTERM, optionally fed by the demo. */
export function serveCommand(program: Command): void {
  withStoreOptions(program.command('serve'))
    .description('run the HTTP server: POST /v1/events, /healthz, /readyz, /metrics')
    .option('--host <host>', 'address to listen on (or LOOPWATCH_HOST)')
    .option('--port <port>', 'port to listen on, 0 for any free one (or LOOPWATCH_PORT)')
    .option('--auth <mode>', 'auto (tokens once one exists) or required (refuse to start without one) (or LOOPWATCH_AUTH)')
    .option('--tokens-file <path>', 'tokens file; default next to the DuckDB file (or LOOPWATCH_TOKENS_FILE)')
    .option('--ingest-workers <n>', 'threads that parse and validate POST /v1/events bodies, 0 for none (or LOOPWATCH_INGEST_WORKERS; default one per core, at most 2)')
    .option('--allow-unauthenticated', 'listen on a non-loopback address with no token (or LOOPWATCH_ALLOW_UNAUTHENTICATED)')
    .option('--demo', 'feed the server with simulated workflows and print where to look')
    .option('--demo-cases <n>', 'cases the demo simulates', String(DEFAULT_DEMO_CASES))
    .action(async (opts) => {
      const config = configFrom(opts, {
        host: opts.host,
        port: opts.port,
        auth: opts.auth,
        tokensFile: opts.tokensFile,
        allowUnauthenticated: opts.allowUnauthenticated,
        ingestWorkers: opts.ingestWorkers,
      });
      // the demo simulates follow-ups past the clock, and a second run the stretch after the
      // stored history: its own server accepts that far ahead (a real deployment keeps a day)
      if (opts.demo) config.limits.tsMaxAheadMs = Math.max(config.limits.tsMaxAheadMs, DEMO_TS_MAX_AHEAD_MS);
      const logger = createLogger(config.logLevel, { format: config.logFormat ?? (process.stderr.isTTY ? 'pretty' : 'json') });
      const { startServer } = await import('../http/start-server.js');
      const server = await startServer(config, logger, { startIngestWorkers: true });
      for (const signal of ['SIGINT', 'SIGTERM'] as const) {
        process.once(signal, () => {
          // a backstop past the grace: whatever hangs, a supervisor waiting for the process
          // does not wait forever
          const watchdog = setTimeout(() => killSelf(logger, 'shutdown did not finish'), config.shutdownGraceSeconds * 1000 + SHUTDOWN_BACKSTOP_MS);
          watchdog.unref();
          server.shutdown(signal).then(
            (outcome) => (outcome === 'stuck' ? killSelf(logger, 'the database is still busy') : process.exit(outcome === 'clean' ? 0 : 1)),
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
}

/**
 * Exit when work still runs on the database's native threads: process.exit would wait for it
 * (DuckDB and chdb join their threads at exit). SIGKILL loses nothing acknowledged: every
 * acknowledged event is durable before its answer went out.
 */
function killSelf(logger: Logger, why: string): void {
  logger.fatal({ why }, 'shutdown forced: killing the process');
  logger.flush?.();
  process.kill(process.pid, 'SIGKILL');
}
