import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { cutsSchema, type Cuts } from '../metrics/cuts.js';
import type { MetricFamily } from '../metrics/family.js';
import type { MetricsSnapshot, RunWatcher } from '../metrics/runner.js';
import { registerCaseSeries } from './series/case-series.js';
import type { LatestRuns } from './series/groups.js';
import { registerJudgementSeries } from './series/judgement-series.js';

/** The second cut of each scheduled run: SLA severity and objectives go by service tier. */
export const TIER_CUTS: Cuts = cutsSchema.parse({ group_by: 'workflow,tier' });
/** The families that cut serves; the others are per workflow only (agreement, drift, controls, reviewers). */
export const TIER_FAMILY_NAMES: readonly string[] = ['quality', 'queues', 'sla'];

export interface MetricSeriesOptions {
  registry: Registry;
  families: readonly MetricFamily[];
  /** The runner's compute (the runner is built with this as its watcher, hence a function). */
  compute: (cuts: Cuts, options: { families: readonly MetricFamily[]; signal: AbortSignal }) => Promise<MetricsSnapshot>;
  intervalSeconds: number;
  perReviewer: boolean;
}

/**
 * The metric jobs' latest results as Prometheus series (docs/prometheus.md), and the job's own
 * health. Watches the scheduled runs: each one also computes the workflow,tier cut from the
 * same refresh, and both are kept together so that a scrape reads one run's numbers.
 */
export class MetricSeries implements RunWatcher {
  private latest: LatestRuns = {};
  private readonly tierFamilies: readonly MetricFamily[];
  private readonly duration: Histogram;
  private readonly failures: Counter;
  private readonly lastSuccess: Gauge;

  constructor(private readonly options: MetricSeriesOptions) {
    const { registry } = options;
    this.tierFamilies = options.families.filter((f) => TIER_FAMILY_NAMES.includes(f.name));
    this.duration = new Histogram({
      name: 'hitl_metric_job_duration_seconds',
      help: 'Wall time of a scheduled metric run (refresh and both cuts), failed runs included.',
      buckets: [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300],
      registers: [registry],
    });
    this.failures = new Counter({
      name: 'hitl_metric_job_failures_total',
      help: 'Scheduled metric runs that failed (runs cancelled by a shutdown are not failures).',
      registers: [registry],
    });
    this.lastSuccess = new Gauge({
      name: 'hitl_metric_job_last_success_timestamp_seconds',
      help: 'The instant the last successful metric run computed its numbers as of (its generated_at); 0 before the first.',
      registers: [registry],
    });
    this.lastSuccess.set(0);
    new Gauge({
      name: 'hitl_metric_job_interval_seconds',
      help: 'The configured metric schedule interval (metrics.schedule.intervalSeconds), to judge staleness by.',
      registers: [registry],
    }).set(options.intervalSeconds);
    registerCaseSeries(registry, () => this.latest);
    registerJudgementSeries(registry, () => this.latest, { perReviewer: options.perReviewer });
  }

  async computed(snapshot: MetricsSnapshot, signal: AbortSignal): Promise<void> {
    const byTier = await this.options.compute(TIER_CUTS, { families: this.tierFamilies, signal });
    this.latest = { byWorkflow: snapshot, byTier };
    this.lastSuccess.set(Date.parse(snapshot.generated_at) / 1000);
  }

  finished(run: { seconds: number; error?: unknown }): void {
    this.duration.observe(run.seconds);
    if ('error' in run) this.failures.inc();
  }

  /** The workflow,tier cut of the last successful run, for GET /v1/metrics/<family>?group_by=workflow,tier. */
  tierSnapshot(): { cuts: Cuts; snapshot: MetricsSnapshot | undefined } {
    return { cuts: TIER_CUTS, snapshot: this.latest.byTier };
  }
}
