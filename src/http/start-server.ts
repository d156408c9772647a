import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import type { Config } from '../config/config.js';
import { DEFAULT_INGEST_WORKERS } from '../config/defaults.js';
import { createValidator } from '../events/validate.js';
import { EventWriter } from '../ingest/event-writer.js';
import { HttpPreparePool } from '../ingest/http-prepare-pool.js';
import { availableParallelism } from 'node:os';
import { IngestQueue, parseSize } from '../ingest/ingest-queue.js';
import { createIngestMetrics } from '../observability/ingest-metrics.js';
import { FAMILIES } from '../metrics/registry.js';
import { MetricsRunner, type RunWatcher } from '../metrics/runner.js';
import { MetricSeries } from '../observability/metric-series.js';
import { openAuth } from '../auth/guard.js';
import { createApp } from './app.js';
import { openStore } from '../store/open-store.js';
import { SamplingService } from '../feedback/sampling/service.js';
import { SamplingController } from '../feedback/sampling/controller.js';
import { registerSamplingMetrics } from '../observability/sampling-metrics.js';
import type { Store } from '../store/store.js';

export interface RunningServer {
  url: string;
  store: Store;
  runner: MetricsRunner;
  sampling: SamplingService;
  samplingController: SamplingController;
  /**
   * Stop accepting, cancel the metric computations, give requests in flight the grace period,
   * flush and close the database. Idempotent. Resolves 'clean' when all of it finished within
   * the grace, 'forced' when connections had to be cut, and 'stuck' when the database could not
   * be closed in time (work still runs on its threads: the process can only be killed).
   */
  shutdown(reason: string): Promise<ShutdownOutcome>;
}

export type ShutdownOutcome = 'clean' | 'forced' | 'stuck';

export interface ServeOptions {
  /** Run the metric suite on its schedule (tests turn it off and call runner.runNow()). */
  scheduleMetrics?: boolean;
  /** Run the sampling controller on its schedule (default: config sampling.enabled). */
  scheduleSampling?: boolean;
  /** Threads that prepare POST /v1/events bodies (default: config ingestWorkers, else one per core, at most 2); 0: the main thread does. */
  ingestWorkers?: number;
  /**
   * Start the ingest workers before listening (serve does), so that the first body does not
   * wait for them (~0.4 s of CPU each); otherwise they start at the first body.
   */
  startIngestWorkers?: boolean;
}

/** Each closing step (runner, writer, database) still gets this much once the grace is spent. */
const CLOSE_MARGIN_MS = 2_000;

/** True if `p` settles (either way) within `ms`; it goes on running if not. */
async function settlesWithin(p: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<false>((r) => (timer = setTimeout(() => r(false), ms)));
  try {
    return await Promise.race([p.then(() => true, () => true), timedOut]);
  } finally {
    clearTimeout(timer);
  }
}

export async function startServer(config: Config, logger: Logger, options: ServeOptions = {}): Promise<RunningServer> {
  // before the database is opened: a refusal to listen leaves nothing behind
  const auth = openAuth(config);
  const store = await openStore(config);
  const writer = new EventWriter(store, { maxRowsPerWrite: config.maxRowsPerWrite });
  const ingestQueue = new IngestQueue(parseSize(config.ingestQueueLimit));
  const metrics = createIngestMetrics(() => ingestQueue.queuedBytes);
  const validatorOptions = { extraReasonCodes: config.reasonCodes.extra, limits: config.limits };
  const validate = createValidator(validatorOptions);
  // one worker per core: the main thread moves bytes, the workers do the per-event work
  const workers = options.ingestWorkers ?? config.ingestWorkers ?? Math.min(DEFAULT_INGEST_WORKERS, availableParallelism());
  const prepare = workers > 0 ? new HttpPreparePool({ validator: validatorOptions, engine: store.engine }, workers) : undefined;
  const sampling = new SamplingService({ store, writer, validate, config: config.sampling, logger });
  // the series watch the runner's scheduled runs and compute their second cut with it
  const series: MetricSeries = new MetricSeries({
    registry: metrics.registry,
    families: FAMILIES,
    compute: (cuts, opts) => runner.compute(cuts, opts),
    intervalSeconds: config.metrics.schedule.intervalSeconds,
    perReviewer: config.prometheus.perReviewer,
  });
  // every workflow the metric runs see is listed by the sampling gauges at its rate, from the first
  // run on: a dashboard shows "normal, 5%" instead of no data until the controller first judges it
  const watcher: RunWatcher = {
    computed: async (snapshot, signal) => {
      for (const group of snapshot.families.quality?.groups ?? []) {
        if (typeof group.key.workflow === 'string') sampling.known.add(group.key.workflow);
      }
      await series.computed(snapshot, signal);
    },
    finished: (run) => series.finished(run),
  };
  const runner = new MetricsRunner({ store, families: FAMILIES, config: config.metrics, logger, watcher });
  const samplingController = new SamplingController(sampling, config.metrics);
  registerSamplingMetrics(metrics.registry, sampling);
  let ready = true;
  const app = createApp({
    store,
    writer,
    metrics,
    logger,
    validate,
    prepare,
    sampling,
    bodyLimit: config.bodyLimit,
    ingestQueue,
    isReady: () => ready,
    runner,
    series,
    auth,
    reviewSettings: { metrics: config.metrics, review: config.review },
    datasets: config.datasets,
  });
  if (prepare && options.startIngestWorkers) {
    try {
      await prepare.start();
    } catch (err) {
      await prepare.close().catch(() => undefined);
      await store.close().catch(() => undefined);
      throw err;
    }
  }
  const server: Server = await new Promise((resolve, reject) => {
    const s = app.listen(config.port, config.host);
    s.once('listening', () => resolve(s));
    s.once('error', reject);
  });
  const { address, port } = server.address() as AddressInfo;
  const url = `http://${address.includes(':') ? `[${address}]` : address}:${port}`;
  logger.info({ url, db: config.db, ingestWorkers: prepare?.running ?? 0 }, 'loopwatch listening');
  if (options.scheduleMetrics !== false) runner.start();
  if (options.scheduleSampling ?? (config.sampling.enabled && options.scheduleMetrics !== false)) samplingController.start();

  let stopping: Promise<ShutdownOutcome> | undefined;
  const shutdown = (reason: string) =>
    (stopping ??= (async (): Promise<ShutdownOutcome> => {
      const graceMs = config.shutdownGraceSeconds * 1000;
      logger.info({ reason, grace_ms: graceMs }, 'shutting down');
      const deadline = Date.now() + graceMs;
      const left = () => Math.max(0, deadline - Date.now());
      // what stopping the runner, the writer and the database still gets once the grace is spent
      const leftToClose = () => Math.max(left(), CLOSE_MARGIN_MS);
      ready = false;
      const closed = new Promise<void>((r) => server.close(() => r()));
      server.closeIdleConnections();
      // metric runs are cancelled at once: a later run computes the same again, and a run over
      // a large store would otherwise hold the shutdown for as long as it takes
      const runnerStopped = Promise.all([runner.stop(), samplingController.stop()]);
      let forced = false;
      if (!(await settlesWithin(closed, left()))) {
        forced = true;
        logger.warn({ grace_ms: graceMs }, 'requests still in flight after the grace period; closing their connections');
        server.closeAllConnections();
      }
      // batches already taken are stored (or failed) before the database closes; the database
      // is not closed under queries still running on its threads: that would hang the exit
      const drained = (await settlesWithin(runnerStopped, leftToClose())) && (await settlesWithin(writer.close(), leftToClose()));
      // every body taken is answered by now; a worker still busy works for a cut connection
      await prepare?.close();
      if (!drained || !(await settlesWithin(store.close(), leftToClose()))) {
        logger.error({ grace_ms: graceMs }, 'the database did not close within the grace period');
        return 'stuck';
      }
      logger.info({ forced }, 'database closed');
      return forced ? 'forced' : 'clean';
    })());
  return { url, store, runner, sampling, samplingController, shutdown };
}
