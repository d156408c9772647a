import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROMETHEUS_DIR, run } from '../helpers/prometheus.js';

// Every file under prometheus/ checked by the real tools (Debian's prometheus and
// prometheus-alertmanager): rules, their unit tests, the Alertmanager config and its routes.

const file = (...p: string[]) => path.join(PROMETHEUS_DIR, ...p);
const RULE_FILES = readdirSync(file('rules')).map((f) => file('rules', f));
const UNIT_TESTS = readdirSync(file('tests')).filter((f) => f.endsWith('.test.yml')).map((f) => file('tests', f));
const ALERTMANAGER = file('alertmanager.yml');

describe('prometheus/ rules', () => {
  it('every rule file passes promtool check rules (lint included)', () => {
    const r = run('promtool', ['check', 'rules', ...RULE_FILES]);
    expect(r.stderr + r.stdout).not.toMatch(/FAILED|lint/i);
    expect(r.status, r.stderr + r.stdout).toBe(0);
  });

  it('prometheus.yml passes promtool check config (the rule files it names included)', () => {
    const r = run('promtool', ['check', 'config', file('prometheus.yml')]);
    expect(r.status, r.stderr + r.stdout).toBe(0);
    expect(r.stdout).toMatch(/SUCCESS: 28 rules found/);
    expect(r.stdout).toMatch(/SUCCESS: 15 rules found/);
  });

  it('the promtool unit tests pass: each alert firing and not firing, the burn-rate windows included', () => {
    const r = run('promtool', ['test', 'rules', ...UNIT_TESTS]);
    expect(r.status, r.stderr + r.stdout).toBe(0);
    expect((r.stdout.match(/SUCCESS/g) ?? []).length).toBe(UNIT_TESTS.length);
  }, 120_000);

  it('every alert of alerts.yml is exercised by a unit test, firing and not firing', () => {
    const alerts = new Set([...readFileSync(file('rules', 'alerts.yml'), 'utf8').matchAll(/- alert: (\w+)/g)].map((m) => m[1]));
    const tests = UNIT_TESTS.map((f) => readFileSync(f, 'utf8')).join('\n');
    for (const alert of alerts) {
      // a firing expectation names the alert's labels; a quiet one is an empty exp_alerts
      const cases = [...tests.matchAll(new RegExp(`alertname: ${alert}\\n\\s+exp_alerts:(.*)`, 'g'))].map((m) => m[1].trim());
      const viaAlerts = tests.includes(`ALERTS{alertname="${alert}",alertstate="firing"}`);
      expect(cases.some((c) => c === '[]'), `${alert} never tested quiet`).toBe(true);
      expect(cases.some((c) => c === '') || viaAlerts, `${alert} never tested firing`).toBe(true);
    }
    expect(alerts.size).toBe(13);
  });
});

/** Each alert as the rules label it, and the receivers it must reach: the level's primary, then its backup. */
const ROUTES: [string, Record<string, string>, string[]][] = [
  ['SLA breach, tier 3', { alertname: 'HitlSlaBreach', level: '3', severity: 'critical', tier: '3', workflow: 'w', stage: 'acknowledge' }, ['level3-approvers', 'level3-approvers-backup']],
  ['SLA breach, tier 2', { alertname: 'HitlSlaBreach', level: '2', severity: 'warning', tier: '2', workflow: 'w', stage: 'complete' }, ['level2-specialists', 'level2-specialists-backup']],
  ['SLA breach, tier 1', { alertname: 'HitlSlaBreach', level: '1', severity: 'info', tier: '1', workflow: 'w', stage: 'complete' }, ['level1-reviewers', 'level1-reviewers-backup']],
  ['oldest item growing, unassigned (level 1)', { alertname: 'HitlQueueOldestAgeGrowing', level: '1', severity: 'warning', workflow: 'w', tier: '2' }, ['level1-reviewers', 'level1-reviewers-backup']],
  ['oldest item growing at level 2', { alertname: 'HitlQueueOldestAgeGrowing', level: '2', severity: 'warning', workflow: 'w', tier: '2' }, ['level2-specialists', 'level2-specialists-backup']],
  ['oldest item growing at level 3', { alertname: 'HitlQueueOldestAgeGrowing', level: '3', severity: 'warning', workflow: 'w', tier: '3' }, ['level3-approvers', 'level3-approvers-backup']],
  ['fast burn', { alertname: 'HitlSloBurnRateFast', level: '2', severity: 'critical', workflow: 'w' }, ['level2-specialists', 'level2-specialists-backup']],
  ['slow burn', { alertname: 'HitlSloBurnRateSlow', level: '1', severity: 'warning', workflow: 'w' }, ['level1-reviewers', 'level1-reviewers-backup']],
  ['line stopped', { alertname: 'HitlLineStopped', level: 'emergency', severity: 'critical', workflow: 'w' }, ['emergency-oncall-owner', 'emergency-oncall-backup']],
  ['line stopped over an hour', { alertname: 'HitlStopTheLineUnresolved', level: 'emergency', severity: 'critical', workflow: 'w' }, ['emergency-oncall-owner', 'emergency-oncall-backup']],
  ['drift', { alertname: 'HitlDriftDetected', level: '2', severity: 'warning', workflow: 'w', check: 'confidence.ks' }, ['level2-specialists', 'level2-specialists-backup']],
  ['false accepts', { alertname: 'HitlFalseAcceptAboveObjective', level: '3', severity: 'critical', workflow: 'w', tier: '3' }, ['level3-approvers', 'level3-approvers-backup']],
  ['control violation', { alertname: 'HitlControlViolation', level: '3', severity: 'warning', workflow: 'w', control: 'approved_by_creator' }, ['level3-approvers', 'level3-approvers-backup']],
  ['ingest stalled', { alertname: 'HitlIngestStalled', level: 'service', severity: 'warning', instance: 'lw:8080' }, ['platform-oncall', 'platform-oncall-backup']],
  ['metric job failing', { alertname: 'HitlMetricJobFailing', level: 'service', severity: 'warning', instance: 'lw:8080' }, ['platform-oncall', 'platform-oncall-backup']],
  ['metric job stale', { alertname: 'HitlMetricJobStale', level: 'service', severity: 'critical', instance: 'lw:8080' }, ['platform-oncall', 'platform-oncall-backup']],
  ['service down', { alertname: 'HitlServiceDown', level: 'service', severity: 'critical', instance: 'lw:8080' }, ['platform-oncall', 'platform-oncall-backup']],
  ['an alert without a level', { alertname: 'SomethingElse' }, ['platform-oncall']],
];

describe('prometheus/alertmanager.yml', () => {
  it('passes amtool check-config', () => {
    const r = run('amtool', ['check-config', ALERTMANAGER]);
    expect(r.status, r.stderr + r.stdout).toBe(0);
    expect(r.stdout).toMatch(/SUCCESS/);
  });

  it.each(ROUTES)('routes %s to its receivers (amtool config routes test)', (_name, labels, receivers) => {
    const args = Object.entries(labels).map(([k, v]) => `${k}=${v}`);
    const r = run('amtool', ['config', 'routes', 'test', `--config.file=${ALERTMANAGER}`, `--verify.receivers=${receivers.join(',')}`, ...args]);
    expect(r.stdout.trim()).toBe(receivers.join(','));
    expect(r.status, r.stderr + r.stdout).toBe(0);
  });

  it('gives each level its maximum response time as group_interval and repeat_interval, and the backup that wait', () => {
    const text = readFileSync(ALERTMANAGER, 'utf8');
    const levels: [string, string, string][] = [
      ['emergency', '15m', 'emergency-oncall-backup'],
      ['3', '1h', 'level3-approvers-backup'],
      ['2', '30m', 'level2-specialists-backup'],
      ['1', '15m', 'level1-reviewers-backup'],
      ['service', '30m', 'platform-oncall-backup'],
    ];
    for (const [level, wait, backup] of levels) {
      const route = text.slice(text.indexOf(`- matchers: ['level="${level}"']`)).split(/\n    - matchers/)[0];
      expect(route, level).toMatch(new RegExp(`group_interval: ${wait}\\n`));
      expect(route, level).toMatch(new RegExp(`repeat_interval: ${wait}\\n`));
      expect(route, level).toMatch(new RegExp(`continue: true[\\s\\S]*receiver: ${backup}\\n\\s+group_wait: ${wait}(\\n|$)`));
    }
  });
});
