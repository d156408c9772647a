import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAMILIES } from '../../src/metrics/registry.js';
import { MetricSeries } from '../../src/observability/metric-series.js';
import type { RunningServer } from '../../src/http/start-server.js';
import { simulate } from '../../src/simulate/index.js';
import { parseExposition, sampleKey } from '../helpers/exposition.js';
import { overdueCase, run } from '../helpers/prometheus.js';
import { expectedSamples } from '../helpers/prometheus-expected.js';
import { engineFlags, postEvents, ROOT, startTestServer, tempDir } from '../helpers/server.js';
import { forEachStore } from '../helpers/stores.js';

// /metrics against /v1/metrics on simulated data: every series of the metric jobs equals the
// JSON field docs/prometheus.md names, exactly, on both engines; the exposition passes
// `promtool check metrics`; OpenMetrics carries the same samples.

/** Series that are not the metric jobs' numbers: the service's own and the sampling controller's. */
const NOT_JOB_SERIES = /^hitl_(process_|ingest_|metric_job_|sampling_)/;
const OPENMETRICS_ACCEPT = 'application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1';

async function getJson(url: string) {
  const res = await fetch(url);
  expect(res.status, url).toBe(200);
  return res.json() as Promise<any>;
}

forEachStore((kind) => {
  describe(`Prometheus series (${kind})`, () => {
    const tmp = tempDir('loopwatch-prom-series-');
    let server: RunningServer;
    let text: string;

    beforeAll(async () => {
      server = await startTestServer(path.join(tmp.dir, 'series.duckdb'), { ...engineFlags(kind), prometheus: { perReviewer: true } });
      // a week of history up to now: open items, breaches, drift windows with data on both sides
      const start = new Date(Date.now() - 8 * 86_400_000);
      for (const batch of simulate({ seed: 16, cases: 700, start, casesPerHour: 4 }, 2_000)) {
        const r = await postEvents(server.url, JSON.stringify(batch));
        expect(r.status).toBeLessThan(300);
      }
      // and items open past their SLA now (the simulated cases all finish)
      const overdue = [...overdueCase('prom-late-1', 'support_drafting', 3, 120), ...overdueCase('prom-late-2', 'finance_adjustments', 2, 45)];
      expect((await postEvents(server.url, JSON.stringify(overdue))).status).toBe(200);
      await server.runner.runNow();
      text = await (await fetch(`${server.url}/metrics`)).text();
    }, 240_000);
    afterAll(async () => {
      await server?.shutdown('test done');
      tmp.cleanup();
    });

    it('every metric-job series equals the JSON of /v1/metrics for the same group, and nothing else is exported', async () => {
      const byWorkflow = await getJson(`${server.url}/v1/metrics`);
      const tier = (family: string) => getJson(`${server.url}/v1/metrics/${family}?group_by=workflow,tier`).then((j) => j.families[family]);
      const byTier = { quality: await tier('quality'), queues: await tier('queues'), sla: await tier('sla') };
      const expected = expectedSamples(byWorkflow, byTier, true);
      const got = new Map(
        parseExposition(text)
          .filter((s) => !NOT_JOB_SERIES.test(s.name))
          .map((s) => [sampleKey(s.name, s.labels), s.value]),
      );
      // the data exercises what matters: open breaches, drift, violations, reviewers, both cuts
      expect([...expected.keys()].filter((k) => k.startsWith('hitl_sla_open_past_due')).some((k) => expected.get(k)! > 0)).toBe(true);
      expect([...expected.keys()].some((k) => k.startsWith('hitl_drift_statistic'))).toBe(true);
      expect([...expected.keys()].some((k) => k.startsWith('hitl_reviewer_rubber_stamp'))).toBe(true);
      expect([...expected.keys()].some((k) => k.startsWith('hitl_queue_oldest_age_seconds'))).toBe(true);
      expect(expected.size).toBeGreaterThan(500);
      const missing = [...expected.keys()].filter((k) => !got.has(k));
      const extra = [...got.keys()].filter((k) => !expected.has(k));
      expect(missing, 'series the JSON has and /metrics lacks').toEqual([]);
      expect(extra, 'series /metrics has and the JSON does not').toEqual([]);
      const differ = [...expected].filter(([k, v]) => !Object.is(got.get(k), v)).map(([k, v]) => `${k}: json ${v}, series ${got.get(k)}`);
      expect(differ).toEqual([]);
    });

    it('labels come only from the bounded set: never a case or event id', () => {
      const allowed = new Set(['workflow', 'tier', 'stage', 'level', 'control', 'check', 'model_version', 'coefficient', 'percentile', 'reviewer']);
      const used = new Set(parseExposition(text).filter((s) => !NOT_JOB_SERIES.test(s.name)).flatMap((s) => Object.keys(s.labels)));
      expect([...used].filter((l) => !allowed.has(l))).toEqual([]);
      expect(text).not.toMatch(/prom-late-|case-16-|sim-16-/);
    });

    it('the JSON and the series come from the same run', async () => {
      const samples = parseExposition(text);
      const lastSuccess = samples.find((s) => s.name === 'hitl_metric_job_last_success_timestamp_seconds')!.value;
      const byWorkflow = await getJson(`${server.url}/v1/metrics`);
      const byTier = await getJson(`${server.url}/v1/metrics/sla?group_by=workflow,tier`);
      expect(Date.parse(byWorkflow.generated_at) / 1000).toBe(lastSuccess);
      // the workflow,tier cut is computed right after, from the same refresh
      expect(byTier.refresh_mode).toBe('skipped');
      expect(Date.parse(byTier.generated_at)).toBeGreaterThanOrEqual(Date.parse(byWorkflow.generated_at));
      expect(samples.find((s) => s.name === 'hitl_metric_job_duration_seconds_count')!.value).toBe(1);
      expect(samples.find((s) => s.name === 'hitl_metric_job_failures_total')!.value).toBe(0);
    });

    it('promtool check metrics prints nothing on the exposition', () => {
      const r = run('promtool', ['check', 'metrics'], text);
      expect(r.stdout + r.stderr).toBe('');
      expect(r.status).toBe(0);
    });

    it('answers OpenMetrics when asked, with the same samples', async () => {
      const res = await fetch(`${server.url}/metrics`, { headers: { accept: OPENMETRICS_ACCEPT } });
      expect(res.headers.get('content-type')).toBe('application/openmetrics-text; version=1.0.0; charset=utf-8');
      const om = await res.text();
      expect(om.endsWith('\n# EOF\n')).toBe(true);
      expect(om).not.toMatch(/\n\n/);
      // a counter's family is named without _total; its samples keep it
      expect(om).toMatch(/^# TYPE hitl_sla_breaches counter$/m);
      expect(om).toMatch(/^hitl_sla_breaches_total\{/m);
      const key = (s: { name: string; labels: Record<string, string> }) => sampleKey(s.name, s.labels);
      const stable = (s: { name: string }) => !/^hitl_process_|^hitl_ingest_queue_bytes/.test(s.name);
      const classic = new Map(parseExposition(text).filter(stable).map((s) => [key(s), s.value]));
      const open = new Map(parseExposition(om).filter(stable).map((s) => [key(s), s.value]));
      expect(open).toEqual(classic);
      // the classic format is intact after an OpenMetrics scrape (prom-client's own switch renames counters in place)
      const again = await (await fetch(`${server.url}/metrics`)).text();
      expect(again).toMatch(/^# TYPE hitl_sla_breaches_total counter$/m);
    });
  });
});

describe('Prometheus series configuration', () => {
  const names = (perReviewer: boolean) => {
    const registry = new Registry();
    new MetricSeries({ registry, families: FAMILIES, compute: () => Promise.reject(new Error('not run')), intervalSeconds: 60, perReviewer });
    return registry.getMetricsAsArray().map((m) => m.name);
  };

  it('has per-reviewer series only when prometheus.perReviewer is on', () => {
    expect(names(false).filter((n) => n.includes('reviewer'))).toEqual([]);
    expect(names(true).filter((n) => n.startsWith('hitl_reviewer_')).length).toBe(6);
  });

  it('docs/prometheus.md lists every series and no other, with its type and HELP', () => {
    const doc = readFileSync(path.join(ROOT, 'docs/prometheus.md'), 'utf8');
    const documented = new Map([...doc.matchAll(/^\| `(hitl_[a-z_]+)` \| (\w*) \|.*\| ([^|]+) \|$/gm)].map((m) => [m[1], { type: m[2], help: m[3] }]));
    const registry = new Registry();
    new MetricSeries({ registry, families: FAMILIES, compute: () => Promise.reject(new Error('not run')), intervalSeconds: 60, perReviewer: true });
    const exported = registry.getMetricsAsArray() as unknown as { name: string; type: string; help: string }[];
    expect(exported.filter((m) => !documented.has(m.name)).map((m) => m.name), 'exported, not documented').toEqual([]);
    expect(exported.filter((m) => documented.get(m.name)!.type !== m.type || documented.get(m.name)!.help !== m.help).map((m) => m.name), 'type or HELP differ').toEqual([]);
    const names = new Set(exported.map((m) => m.name));
    const ours = [...documented.keys()].filter((n) => !/^hitl_(ingest_|sampling_|process_)/.test(n));
    expect(ours.filter((n) => !names.has(n)), 'documented, not exported').toEqual([]);
  });
});
