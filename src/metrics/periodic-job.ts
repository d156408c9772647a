import type { Logger } from 'pino';

export interface PeriodicJobOptions {
  name: string;
  intervalMs: number;
  timeoutMs: number;
  logger: Logger;
}

/**
 * The OpenTelemetry PeriodicExportingMetricReader skeleton: a run is skipped while the last
 * one is still going, each run is timed out, the loop never rejects, the timer never keeps the
 * process alive, and stop() waits for the run in progress.
 */
export class PeriodicJob {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;

  constructor(
    private readonly options: PeriodicJobOptions,
    private readonly run: () => Promise<void>,
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

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  private tick(): Promise<void> {
    if (this.running) return this.running;
    if (this.stopped && this.timer) return Promise.resolve();
    const { name, timeoutMs, logger } = this.options;
    let timeout: NodeJS.Timeout | undefined;
    const timedOut = new Promise<never>((_, reject) => {
      timeout = setTimeout(() => reject(new Error(`${name} timed out after ${timeoutMs} ms`)), timeoutMs);
      timeout.unref();
    });
    this.running = Promise.race([this.run(), timedOut])
      .catch((err) => logger.error({ err, job: name }, 'periodic job failed'))
      .finally(() => {
        clearTimeout(timeout);
        this.running = undefined;
      });
    return this.running;
  }
}
