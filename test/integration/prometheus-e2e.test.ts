import type { ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALERT_PANELS } from '../../src/grafana/alert-links.js';
import { simulate } from '../../src/simulate/index.js';
import { overdueCase, PROMETHEUS_DIR } from '../helpers/prometheus.js';
import { delivered, freePort, spawnBinary, testAlertmanagerConfig, waitFor, webhookRecorder } from '../helpers/prom-stack.js';
import { postEvents, spawnServer, tempDir } from '../helpers/server.js';

// The whole chain on 127.0.0.1 with the real programs: a Loopwatch server (the CLI, fed by the
// simulator) scraped by Debian's Prometheus with prometheus/'s rules, alerting Debian's
// Alertmanager with prometheus/alertmanager.yml, whose webhooks a recorder here receives. An
// SLA breach posted to /v1/events must page the level-3 approvers, then their backup.
//
// Test copies shrink the times only: scrape and evaluation every second, every `for:` to 1 s,
// the metric job every second, Alertmanager's waits to seconds (testAlertmanagerConfig).

const WORKFLOW = 'e2e_payments';

describe('Prometheus and Alertmanager end to end', () => {
  const tmp = tempDir('loopwatch-prom-e2e-');
  let loopwatch: { child: ChildProcess; url: string; logs: string[] };
  let prometheus: ReturnType<typeof spawnBinary>;
  let alertmanager: ReturnType<typeof spawnBinary>;
  let recorder: Awaited<ReturnType<typeof webhookRecorder>>;
  let promUrl: string;

  beforeAll(async () => {
    recorder = await webhookRecorder();
    const amPort = await freePort();
    const amConfig = path.join(tmp.dir, 'alertmanager.yml');
    writeFileSync(amConfig, testAlertmanagerConfig(readFileSync(path.join(PROMETHEUS_DIR, 'alertmanager.yml'), 'utf8'), recorder.url));
    alertmanager = spawnBinary('alertmanager', [
      `--config.file=${amConfig}`,
      `--storage.path=${path.join(tmp.dir, 'am-data')}`,
      `--web.listen-address=127.0.0.1:${amPort}`,
      '--cluster.listen-address=',
    ]);

    const lwConfig = path.join(tmp.dir, 'loopwatch.json');
    writeFileSync(lwConfig, JSON.stringify({ metrics: { schedule: { intervalSeconds: 1, timeoutSeconds: 60 } } }));
    loopwatch = await spawnServer(path.join(tmp.dir, 'e2e.duckdb'), ['--config', lwConfig]);
    const start = new Date(Date.now() - 3 * 86_400_000);
    for (const batch of simulate({ seed: 21, cases: 300, start, casesPerHour: 4 }, 2_000)) {
      expect((await postEvents(loopwatch.url, JSON.stringify(batch))).status).toBe(200);
    }

    const promPort = await freePort();
    promUrl = `http://127.0.0.1:${promPort}`;
    for (const rules of ['recording.yml', 'alerts.yml']) {
      const text = readFileSync(path.join(PROMETHEUS_DIR, 'rules', rules), 'utf8').replace(/^(\s+for:) \S+$/gm, '$1 1s');
      writeFileSync(path.join(tmp.dir, rules), text);
    }
    const target = new URL(loopwatch.url).host;
    const promConfig = readFileSync(path.join(PROMETHEUS_DIR, 'prometheus.yml'), 'utf8')
      .replace(/scrape_interval: \S+/, 'scrape_interval: 1s')
      .replace(/evaluation_interval: \S+/, 'evaluation_interval: 1s')
      .replace('rules/recording.yml', path.join(tmp.dir, 'recording.yml'))
      .replace('rules/alerts.yml', path.join(tmp.dir, 'alerts.yml'))
      .replace("'127.0.0.1:9093'", `'127.0.0.1:${amPort}'`)
      .replace("'127.0.0.1:8080'", `'${target}'`);
    expect(promConfig).toContain(target);
    expect(promConfig).toContain(`127.0.0.1:${amPort}`);
    writeFileSync(path.join(tmp.dir, 'prometheus.yml'), promConfig);
    prometheus = spawnBinary('prometheus', [
      `--config.file=${path.join(tmp.dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${path.join(tmp.dir, 'tsdb')}`,
      `--web.listen-address=127.0.0.1:${promPort}`,
    ]);
    await waitFor('Prometheus ready', 30_000, async () => ((await fetch(`${promUrl}/-/ready`)).ok ? true : undefined), () => prometheus.output.join(''));
  }, 180_000);

  afterAll(async () => {
    await prometheus?.stop();
    await alertmanager?.stop();
    if (loopwatch && loopwatch.child.exitCode === null) {
      const exited = new Promise((r) => loopwatch.child.once('exit', r));
      loopwatch.child.kill('SIGTERM');
      await exited;
    }
    await recorder?.close();
    tmp.cleanup();
  });

  const query = async (promql: string) => {
    const res = await fetch(`${promUrl}/api/v1/query?query=${encodeURIComponent(promql)}`);
    const body = (await res.json()) as any;
    if (body.status !== 'success') throw new Error(JSON.stringify(body));
    return body.data.result as { metric: Record<string, string>; value: [number, string] }[];
  };

  it('Prometheus scrapes Loopwatch (in OpenMetrics) and records the job series', async () => {
    const up = await waitFor('the target up with governance series', 60_000, async () => {
      const r = await query('hitl_cases_created_total');
      return r.length > 0 ? r : undefined;
    }, () => prometheus.output.join(''));
    expect(new Set(up.map((s) => s.metric.workflow))).toEqual(new Set(['finance_adjustments', 'it_access_requests', 'support_drafting']));
    const targets = ((await (await fetch(`${promUrl}/api/v1/targets`)).json()) as any).data.activeTargets;
    expect(targets.map((t: any) => [t.labels.job, t.health, t.lastError])).toEqual([['loopwatch', 'up', '']]);
    // a counter family named without _total in the metadata: Prometheus parsed OpenMetrics
    const meta = ((await (await fetch(`${promUrl}/api/v1/targets/metadata?metric=hitl_sla_breaches`)).json()) as any).data;
    expect(meta.map((m: any) => m.type)).toEqual(['counter']);
    // the recording rules evaluate on the real series
    await waitFor('a recorded SLO error ratio', 30_000, async () => ((await query('workflow:hitl_sla_completion_error:ratio_rate5m')).length > 0 ? true : undefined));
  }, 90_000);

  it('an SLA breach posted to /v1/events fires HitlSlaBreach and pages the level-3 approvers, then their backup', async () => {
    const posted = await postEvents(loopwatch.url, JSON.stringify(overdueCase('e2e-late-1', WORKFLOW, 3, 120)));
    expect(posted.status).toBe(200);
    const explain = () => `deliveries: ${JSON.stringify(recorder.deliveries.map((d) => [d.path, d.body.alerts.map((a: any) => `${a.labels.alertname}/${a.labels.workflow}/${a.status}`)]))}\nalertmanager: ${alertmanager.output.join('').slice(-2000)}`;
    const series = await waitFor('hitl_sla_open_past_due of the new workflow', 60_000, async () => {
      const r = await query(`hitl_sla_open_past_due{workflow="${WORKFLOW}",tier="3",stage="acknowledge"} > 0`);
      return r.length > 0 ? r : undefined;
    });
    expect(series[0].value[1]).toBe('1');
    const alert = await waitFor('HitlSlaBreach firing in Prometheus', 60_000, async () => {
      const alerts = ((await (await fetch(`${promUrl}/api/v1/alerts`)).json()) as any).data.alerts as any[];
      return alerts.find((a) => a.labels.alertname === 'HitlSlaBreach' && a.labels.workflow === WORKFLOW && a.labels.stage === 'acknowledge' && a.state === 'firing');
    });
    expect(alert.labels).toMatchObject({ severity: 'critical', level: '3', tier: '3' });
    expect(alert.annotations.summary).toBe(`${WORKFLOW} tier 3: 1 open item(s) past the acknowledge SLA`);
    expect(alert.annotations.description).toMatch(/the most overdue by 1h 4\dm/);
    // the workflow dashboard's SLA panel, with the alert's workflow selected (relative to Grafana's URL)
    expect(alert.annotations.dashboard).toBe(`/d/${ALERT_PANELS.HitlSlaBreach.uid}/?orgId=1&var-workflow=${WORKFLOW}&viewPanel=panel-${ALERT_PANELS.HitlSlaBreach.panel as number}`);
    expect(alert.annotations).toMatchObject({ __dashboardUid__: ALERT_PANELS.HitlSlaBreach.uid, __panelId__: String(ALERT_PANELS.HitlSlaBreach.panel) });

    const page = await waitFor('the page at the level-3 approvers', 60_000, () => delivered(recorder.deliveries, 'level3-approvers', { alertname: 'HitlSlaBreach', workflow: WORKFLOW, stage: 'acknowledge' })[0], explain);
    expect(page.receiver).toBe('level3-approvers');
    expect(page.annotations.runbook).toMatch(/Take or reassign the overdue items/);
    expect(page.annotations.dashboard).toBe(alert.annotations.dashboard);
    await waitFor('the page at their backup', 30_000, () => delivered(recorder.deliveries, 'level3-approvers-backup', { alertname: 'HitlSlaBreach', workflow: WORKFLOW, stage: 'acknowledge' })[0], explain);
    // no other level was paged for it
    const elsewhere = recorder.deliveries
      .filter((d) => !d.path.startsWith('/hooks/level3-approvers'))
      .flatMap((d) => d.body.alerts)
      .filter((a: any) => a.labels.alertname === 'HitlSlaBreach' && a.labels.workflow === WORKFLOW);
    expect(elsewhere, explain()).toEqual([]);
  }, 150_000);
});
