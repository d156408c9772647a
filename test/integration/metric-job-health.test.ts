import pino from 'pino';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultMetricsConfig } from '../../src/config/metrics.js';
import type { MetricFamily } from '../../src/metrics/family.js';
import { MetricsRunner } from '../../src/metrics/runner.js';
import { MetricSeries } from '../../src/observability/metric-series.js';
import type { Store } from '../../src/store/store.js';
import { parseExposition } from '../helpers/exposition.js';
import { openTestStore, tempDir } from '../helpers/stores.js';

// The metric job's own series through a real runner over a real (empty) DuckDB store: a failed
// run counts as a failure and keeps the last success time, a good one sets it to its generated_at.

describe('metric job health series', () => {
  const tmp = tempDir('loopwatch-job-health-');
  let store: Store;
  beforeAll(async () => {
    store = await openTestStore('duckdb', tmp.dir);
  });
  afterAll(async () => {
    await store.close();
    tmp.cleanup();
  });

  it('counts failures, times every run, and keeps the last success time', async () => {
    let fail = true;
    const family: MetricFamily = {
      name: 'quality',
      description: 'a family that fails on demand',
      compute: async () => {
        if (fail) throw new Error('boom');
        return { family: 'quality', groups: [] };
      },
    };
    const registry = new Registry();
    let runner: MetricsRunner | undefined;
    const series = new MetricSeries({ registry, families: [family], compute: (cuts, o) => runner!.compute(cuts, o), intervalSeconds: 7, perReviewer: false });
    runner = new MetricsRunner({ store, families: [family], config: defaultMetricsConfig(), logger: pino({ level: 'silent' }), watcher: series });
    const value = async (name: string) => parseExposition(await registry.metrics()).find((s) => s.name === name)?.value;

    await runner.runNow();
    expect(await value('hitl_metric_job_failures_total')).toBe(1);
    expect(await value('hitl_metric_job_duration_seconds_count')).toBe(1);
    expect(await value('hitl_metric_job_last_success_timestamp_seconds')).toBe(0);
    expect(await value('hitl_metric_job_interval_seconds')).toBe(7);

    fail = false;
    const snapshot = await runner.runNow();
    expect(await value('hitl_metric_job_failures_total')).toBe(1);
    expect(await value('hitl_metric_job_duration_seconds_count')).toBe(2);
    expect(await value('hitl_metric_job_last_success_timestamp_seconds')).toBe(Date.parse(snapshot!.generated_at) / 1000);
    // the workflow,tier cut was computed by the same run and is what the JSON route serves
    expect(series.tierSnapshot().snapshot?.cuts.group_by).toEqual(['workflow', 'tier']);
  });
});
