import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import type { Config } from '../config/config.js';
import { createValidator } from '../events/validate.js';
import { EventWriter } from '../ingest/event-writer.js';
import { createIngestMetrics } from '../observability/ingest-metrics.js';
import { FAMILIES } from '../metrics/registry.js';
import { MetricsRunner } from '../metrics/runner.js';
import { openAuth } from '../auth/guard.js';
import { createApp } from './app.js';
import { openStore } from '../store/open-store.js';
import type { Store } from '../store/store.js';

export interface RunningServer {
  url: string;
  store: Store;
  runner: MetricsRunner;
  /** Stop accepting, finish in-flight batches, flush and close the database. Idempotent. */
  shutdown(reason: string): Promise<void>;
}

export interface ServeOptions {
  /** Run the metric suite on its schedule (tests turn it off and call runner.runNow()). */
  scheduleMetrics?: boolean;
}

export async function startServer(config: Config, logger: Logger, options: ServeOptions = {}): Promise<RunningServer> {
  // before the database is opened: a refusal to listen leaves nothing behind
  const auth = openAuth(config);
  const store = await openStore(config);
  const writer = new EventWriter(store, { maxRowsPerWrite: config.maxRowsPerWrite });
  const metrics = createIngestMetrics();
  const runner = new MetricsRunner({ store, families: FAMILIES, config: config.metrics, logger });
  let ready = true;
  const app = createApp({
    store,
    writer,
    metrics,
    logger,
    validate: createValidator({ extraReasonCodes: config.reasonCodes.extra, limits: config.limits }),
    bodyLimit: config.bodyLimit,
    isReady: () => ready,
    runner,
    auth,
  });
  const server: Server = await new Promise((resolve, reject) => {
    const s = app.listen(config.port, config.host);
    s.once('listening', () => resolve(s));
    s.once('error', reject);
  });
  const { address, port } = server.address() as AddressInfo;
  const url = `http://${address.includes(':') ? `[${address}]` : address}:${port}`;
  logger.info({ url, db: config.db }, 'loopwatch listening');
  if (options.scheduleMetrics !== false) runner.start();

  let stopping: Promise<void> | undefined;
  const shutdown = (reason: string) =>
    (stopping ??= (async () => {
      logger.info({ reason }, 'shutting down');
      ready = false;
      const closed = new Promise<void>((r) => server.close(() => r()));
      server.closeIdleConnections();
      const grace = setTimeout(() => server.closeAllConnections(), config.shutdownGraceSeconds * 1000);
      grace.unref();
      await closed;
      clearTimeout(grace);
      await runner.stop();
      await writer.close();
      await store.close();
      logger.info('database closed');
    })());
  return { url, store, runner, shutdown };
}
