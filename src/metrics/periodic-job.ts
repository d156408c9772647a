import type { Logger } from 'pino';

export interface PeriodicJobOptions {
  name: string;
  intervalMs: number;
  timeoutMs: number;
  logger: Logger;
}

/**
 * The OpenTelemetry PeriodicExportingMetricReader skeleton: a run is skipped while the last
 * one is still going, a run past its timeout is reported (and still waited for), the loop
 * never rejects, the timer never keeps the process alive. Each run gets an AbortSignal:
 * stop() aborts the run in progress and waits for it to give up.
 */
export class PeriodicJob {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private abort: AbortController | undefined;
  private stopped = false;

  constructor(
    private readonly options: PeriodicJobOptions,
    private readonly run: (signal: AbortSignal) => Promise<void>,
  ) {}

  start(): void {
    this.stopped = false;
    void this.tick();
    this.timer = setInterval(() => void this.tick(), this.options.intervalMs);
    this.timer.unref();
  }

  /** Runs now unless a run is already going, in which case it waits for that one. */
  trigger(): Promise<void> {
    return this.tick();
  }

  /** Stops the schedule, aborts the run in progress and waits for it to settle. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.abort?.abort(new Error(`${this.options.name} stopped`));
    await this.running;
  }

  private tick(): Promise<void> {
    if (this.running) return this.running;
    if (this.stopped && this.timer) return Promise.resolve();
    const { name, timeoutMs, logger } = this.options;
    // A run past its timeout is reported, not abandoned: nothing can cancel the queries it has
    // in flight, and a second run beside it would rebuild the same derived tables at once (a
    // first full build on ClickHouse at 10M events on 2 cores takes about two minutes).
    const started = Date.now();
    const abort = (this.abort = new AbortController());
    logger.info({ job: name }, `${name} run started`);
    const timeout = setTimeout(
      () => logger.error({ job: name, timeout_ms: timeoutMs }, `${name} still running after ${timeoutMs} ms; later runs wait for it`),
      timeoutMs,
    );
    timeout.unref();
    this.running = this.run(abort.signal)
      .then(() => {
        const ms = Date.now() - started;
        if (ms > timeoutMs) logger.warn({ job: name, duration_ms: ms }, `${name} finished after its timeout`);
      })
      .catch((err) =>
        abort.signal.aborted
          ? logger.info({ job: name, duration_ms: Date.now() - started }, `${name} run cancelled`)
          : logger.error({ err, job: name }, 'periodic job failed'),
      )
      .finally(() => {
        clearTimeout(timeout);
        this.running = undefined;
      });
    return this.running;
  }
}
