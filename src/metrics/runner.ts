import type { Logger } from 'pino';
import type { DerivedRefresh, Store } from '../store/store.js';
import { cutsSchema, type Cuts } from './cuts.js';
import type { FamilyResult, MetricFamily } from './family.js';
import type { MetricsConfig } from '../config/metrics.js';
import { PeriodicJob } from './periodic-job.js';
import { cancellable } from './cancellable-store.js';
import { capCuts, capsFor } from './caps.js';

/**
 * A refresh of the derived tables already under way, with when it started: `loopwatch report`
 * starts it as soon as the store is open, while this thread still loads the metric modules.
 */
export type RefreshUnderWay = Promise<{ result: DerivedRefresh; started: number }>;

export interface MetricsSnapshot {
  generated_at: string;
  /** Wall time of the run: derived-table refresh plus every family. */
  duration_ms: number;
  refresh_ms: number;
  /** How the derived tables were brought up to date: full build, only the changed cases, or not at all. */
  refresh_mode: DerivedRefresh['mode'] | 'skipped';
  /** Cases rebuilt by an incremental refresh (null after a full build or none). */
  refreshed_cases: number | null;
  cuts: Cuts;
  families: Record<string, FamilyResult & { duration_ms: number }>;
}

export interface RunnerOptions {
  store: Store;
  families: readonly MetricFamily[];
  config: MetricsConfig;
  logger: Logger;
  /** The cut the scheduled run computes; on-demand requests may ask for any other. */
  defaultCuts?: Cuts;
  clock?: () => Date;
  /** Told of each scheduled run; src/observability/metric-series.ts turns runs into Prometheus series. */
  watcher?: RunWatcher;
}

/** Watches the scheduled runs (not on-demand computations, not cancelled runs). */
export interface RunWatcher {
  /** Awaited inside the run, after its snapshot is cached: more cuts from the same refresh; a throw fails the run. */
  computed(snapshot: MetricsSnapshot, signal: AbortSignal): Promise<void>;
  /** Every run's end: its wall time, and its error if it failed. */
  finished(run: { seconds: number; error?: unknown }): void;
}

/**
 * Recomputes the metric suite on a schedule and on demand. Scheduled runs refresh the derived
 * tables and cache a snapshot for the default cut; other cuts are computed on request from the
 * same derived tables, so they are at most one interval old (ask with fresh=true to refresh).
 */
export class MetricsRunner {
  private snapshot: MetricsSnapshot | undefined;
  private readonly job: PeriodicJob;
  private lastRefresh = 0;
  private readonly clock: () => Date;
  // aborted by stop(): cancels every computation, scheduled or on demand, and refuses new ones
  private readonly closing = new AbortController();
  private readonly computing = new Set<Promise<unknown>>();
  readonly defaultCuts: Cuts;

  constructor(private readonly options: RunnerOptions) {
    this.clock = options.clock ?? (() => new Date());
    this.defaultCuts = options.defaultCuts ?? cutsSchema.parse({ group_by: 'workflow' });
    this.job = new PeriodicJob(
      {
        name: 'metrics',
        intervalMs: options.config.schedule.intervalSeconds * 1000,
        timeoutMs: options.config.schedule.timeoutSeconds * 1000,
        logger: options.logger,
      },
      async (signal) => {
        const started = performance.now();
        const seconds = () => (performance.now() - started) / 1000;
        try {
          this.snapshot = await this.compute(this.defaultCuts, { refresh: true, signal });
          await options.watcher?.computed(this.snapshot, signal);
        } catch (err) {
          if (!signal.aborted && !this.closing.signal.aborted) options.watcher?.finished({ seconds: seconds(), error: err });
          throw err;
        }
        options.watcher?.finished({ seconds: seconds() });
        options.logger.info({ duration_ms: this.snapshot.duration_ms }, 'metrics computed');
      },
    );
  }

  start(): void {
    this.job.start();
  }

  /** Stops the schedule, cancels every computation in progress and waits for them to give up. */
  async stop(): Promise<void> {
    this.closing.abort(new Error('metrics runner stopped'));
    await this.job.stop();
    await Promise.allSettled([...this.computing]);
  }

  /** Runs the scheduled job now (or waits for the one in progress) and returns its snapshot. */
  async runNow(): Promise<MetricsSnapshot | undefined> {
    await this.job.trigger();
    return this.snapshot;
  }

  latest(): MetricsSnapshot | undefined {
    return this.snapshot;
  }

  /** `signal` cancels the computation: the queries running stop, and no further ones start. */
  async compute(
    cuts: Cuts,
    options: { refresh?: boolean | RefreshUnderWay; families?: readonly MetricFamily[]; signal?: AbortSignal } = {},
  ): Promise<MetricsSnapshot> {
    const run = this.computeCancellable(cuts, options);
    this.computing.add(run);
    try {
      return await run;
    } finally {
      this.computing.delete(run);
    }
  }

  private async computeCancellable(
    cuts: Cuts,
    options: { refresh?: boolean | RefreshUnderWay; families?: readonly MetricFamily[]; signal?: AbortSignal },
  ): Promise<MetricsSnapshot> {
    let started = performance.now();
    // a signal of its own each time: listeners added to it go with it
    const signal = AbortSignal.any([this.closing.signal, ...(options.signal ? [options.signal] : [])]);
    const store = cancellable(this.options.store, signal);
    let refresh: DerivedRefresh | undefined;
    if (options.refresh instanceof Promise) {
      // the run's times count from the refresh's own start
      ({ result: refresh, started } = await options.refresh);
      this.lastRefresh = Date.now();
    } else if (options.refresh || this.lastRefresh === 0) {
      refresh = await store.refreshDerived();
      this.lastRefresh = Date.now();
    }
    const refreshMs = performance.now() - started;
    const now = this.clock();
    // families run side by side: their queries are small, and a store with several read
    // connections (DuckDB's reader pool, ClickHouse's HTTP connections) keeps both cores busy
    const list = options.families ?? this.options.families;
    const { cuts: cappedCuts, capped } = await capCuts(store, cuts, this.options.config);
    // settled, not raced: a failed or cancelled computation returns only once none of its
    // families has a query left running, so whoever waits for it may close the store next
    const settled = await Promise.allSettled(
      list.map(async (family) => {
        const t = performance.now();
        const result = await family.compute({ store, cuts: cappedCuts, config: this.options.config, now });
        const notes = capsFor(capped, cuts, family.name);
        return { ...result, ...(notes ? { capped: notes } : {}), duration_ms: round(performance.now() - t) };
      }),
    );
    const results = settled.map((r) => {
      if (r.status === 'rejected') throw r.reason;
      return r.value;
    });
    const families: MetricsSnapshot['families'] = {};
    list.forEach((family, i) => (families[family.name] = results[i]));
    return {
      generated_at: now.toISOString(),
      duration_ms: round(performance.now() - started),
      refresh_ms: round(refreshMs),
      refresh_mode: refresh?.mode ?? 'skipped',
      refreshed_cases: refresh?.cases ?? null,
      cuts,
      families,
    };
  }
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}
