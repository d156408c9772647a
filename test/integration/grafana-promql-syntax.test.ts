import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { ALERT_PANELS, dashboardAnnotation } from '../../src/grafana/alert-links.js';
import { instantiate, panelExpressions, promtoolCheck } from '../helpers/grafana-promql.js';
import { tempDir } from '../helpers/stores.js';

const tmp = tempDir('loopwatch-promtool-');
afterAll(() => tmp.cleanup());

describe('every PromQL expression of the Prometheus dashboards', () => {
  const exprs = panelExpressions();

  it('is found (the four Prometheus dashboards have panels)', () => {
    expect(exprs.length).toBeGreaterThan(40);
  });

  it('parses with promtool (Prometheus\' own parser), variables substituted as Grafana does', () => {
    const instantiated = exprs.map((e) => instantiate(e.expr, { rateInterval: '1m', workflow: 'support_drafting' }));
    const run = promtoolCheck(instantiated, path.join(tmp.dir, 'panels.rules.yml'));
    expect(run.output).toContain(`SUCCESS: ${instantiated.length} rules found`);
    expect(run.status).toBe(0);
  });

  it('the check fails on a broken expression (the parser really runs)', () => {
    const run = promtoolCheck(['sum by (workflow (hitl_queue_depth)'], path.join(tmp.dir, 'broken.rules.yml'));
    expect(run.status).not.toBe(0);
    expect(run.output).toMatch(/parse error|unexpected/);
  });

  it('the alerts\' dashboard annotations are valid Prometheus templates (promtool check rules)', () => {
    const rules = Object.keys(ALERT_PANELS).map((alert) => ({
      alert,
      expr: 'vector(1)',
      annotations: { dashboard: dashboardAnnotation(alert, 'http://127.0.0.1:3000') },
    }));
    const file = path.join(tmp.dir, 'links.rules.yml');
    writeFileSync(file, JSON.stringify({ groups: [{ name: 'links', rules }] }));
    const run = spawnSync('promtool', ['check', 'rules', file], { encoding: 'utf8' });
    expect(`${run.stdout}${run.stderr}`).toContain(`SUCCESS: ${rules.length} rules found`);
  });
});
