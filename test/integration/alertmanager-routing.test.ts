import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROMETHEUS_DIR } from '../helpers/prometheus.js';
import { delivered, freePort, spawnBinary, testAlertmanagerConfig, waitFor, webhookRecorder } from '../helpers/prom-stack.js';
import { tempDir } from '../helpers/server.js';

// The routing tree's behaviour in a real Alertmanager (Debian's prometheus-alertmanager) on
// 127.0.0.1, alerts posted to its API: a stopped line silences the SLA pages of its workflow
// only, and a level's backup hears of an alert only if it is still firing after the wait.

const BACKUP_WAIT_S = 4;

describe('alertmanager.yml in a real Alertmanager', () => {
  const tmp = tempDir('loopwatch-am-');
  let recorder: Awaited<ReturnType<typeof webhookRecorder>>;
  let am: ReturnType<typeof spawnBinary>;
  let amUrl: string;

  beforeAll(async () => {
    recorder = await webhookRecorder();
    const config = path.join(tmp.dir, 'alertmanager.yml');
    writeFileSync(config, testAlertmanagerConfig(readFileSync(path.join(PROMETHEUS_DIR, 'alertmanager.yml'), 'utf8'), recorder.url, `${BACKUP_WAIT_S}s`));
    const port = await freePort();
    amUrl = `http://127.0.0.1:${port}`;
    am = spawnBinary('alertmanager', [
      `--config.file=${config}`,
      `--storage.path=${path.join(tmp.dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      // no cluster: it would listen on every interface
      '--cluster.listen-address=',
    ]);
    await waitFor('Alertmanager ready', 30_000, async () => ((await fetch(`${amUrl}/-/ready`)).ok ? true : undefined), () => am.output.join(''));
  }, 60_000);
  afterAll(async () => {
    await am?.stop();
    await recorder?.close();
    tmp.cleanup();
  });

  const post = async (alerts: { labels: Record<string, string>; endsInMs?: number }[]) => {
    const now = Date.now();
    const body = alerts.map((a) => ({
      labels: a.labels,
      annotations: { summary: 'test' },
      startsAt: new Date(now).toISOString(),
      endsAt: new Date(now + (a.endsInMs ?? 600_000)).toISOString(),
    }));
    const res = await fetch(`${amUrl}/api/v2/alerts`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect(res.status, await res.text()).toBe(200);
  };
  const explain = () => JSON.stringify(recorder.deliveries.map((d) => [d.path, d.body.alerts.map((a: any) => a.labels.alertname + '/' + a.labels.workflow + '/' + a.status)]));

  it('a stopped line silences the SLA pages of its own workflow, not of the others', async () => {
    await post([
      { labels: { alertname: 'HitlLineStopped', level: 'emergency', severity: 'critical', workflow: 'stopped_wf' } },
      { labels: { alertname: 'HitlSlaBreach', level: '3', severity: 'critical', workflow: 'stopped_wf', tier: '3', stage: 'acknowledge' } },
      { labels: { alertname: 'HitlSloBurnRateFast', level: '2', severity: 'critical', workflow: 'stopped_wf' } },
      { labels: { alertname: 'HitlSlaBreach', level: '3', severity: 'critical', workflow: 'running_wf', tier: '3', stage: 'acknowledge' } },
    ]);
    await waitFor('the emergency page to the on-call owner', 20_000, () => delivered(recorder.deliveries, 'emergency-oncall-owner', { alertname: 'HitlLineStopped', workflow: 'stopped_wf' })[0], explain);
    await waitFor('the running workflow\'s SLA page to the approvers', 20_000, () => delivered(recorder.deliveries, 'level3-approvers', { alertname: 'HitlSlaBreach', workflow: 'running_wf' })[0], explain);
    // and past the backups' wait, so that every route has flushed
    await waitFor('the backups', 20_000, () => delivered(recorder.deliveries, 'level3-approvers-backup', { workflow: 'running_wf' })[0], explain);
    const inhibited = recorder.deliveries.flatMap((d) => d.body.alerts).filter((a: any) => a.labels.workflow === 'stopped_wf' && a.labels.alertname !== 'HitlLineStopped');
    expect(inhibited, explain()).toEqual([]);
  }, 60_000);

  it("a level's backup hears only of alerts still firing after the level's response time", async () => {
    const posted = Date.now();
    await post([
      // answered (resolved) within the wait: the backup is never told
      { labels: { alertname: 'HitlDriftDetected', level: '2', severity: 'warning', workflow: 'answered_wf', check: 'confidence.ks' }, endsInMs: 1_500 },
      // nobody answers
      { labels: { alertname: 'HitlDriftDetected', level: '2', severity: 'warning', workflow: 'ignored_wf', check: 'confidence.ks' } },
    ]);
    await waitFor('both at the specialists', 20_000, () => {
      const got = delivered(recorder.deliveries, 'level2-specialists', { alertname: 'HitlDriftDetected' });
      return got.some((a) => a.labels.workflow === 'answered_wf') && got.some((a) => a.labels.workflow === 'ignored_wf') ? true : undefined;
    }, explain);
    const backup = await waitFor('the ignored one at the backup', 20_000, () => delivered(recorder.deliveries, 'level2-specialists-backup', { workflow: 'ignored_wf' })[0], explain);
    expect(backup.at - posted).toBeGreaterThanOrEqual(BACKUP_WAIT_S * 1000 - 500);
    // the answered one has been resolved at the primary, and its backup group has flushed by now
    await waitFor('the answered one resolved at the specialists', 20_000, () => delivered(recorder.deliveries, 'level2-specialists', { workflow: 'answered_wf' }, 'resolved')[0], explain);
    // past the backup group's flush (it started with the ignored one's) by a margin
    await new Promise((r) => setTimeout(r, Math.max(0, posted + BACKUP_WAIT_S * 1000 + 2_000 - Date.now())));
    expect(recorder.deliveries.filter((d) => d.path === '/hooks/level2-specialists-backup').flatMap((d) => d.body.alerts).filter((a: any) => a.labels.workflow === 'answered_wf'), explain()).toEqual([]);
  }, 60_000);
});
