import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ALERT_PANELS, dashboardAnnotation } from '../../src/grafana/alert-links.js';
import { renderDashboards } from '../../src/grafana/dashboards.js';

const dashboards = [...renderDashboards().values()].map((t) => JSON.parse(t) as { uid: string; panels: { id: number; type: string }[] });
const ALERTS = path.resolve(import.meta.dirname, '../../prometheus/rules/alerts.yml');

describe('links from alerts to dashboard panels', () => {
  it('point at a panel that exists on the named dashboard', () => {
    for (const [alert, link] of Object.entries(ALERT_PANELS)) {
      const d = dashboards.find((x) => x.uid === link.uid);
      expect(d, alert).toBeDefined();
      const ids = typeof link.panel === 'number' ? [link.panel] : ['1', '2', '3'].map((tier) => (link.panel as (l: Record<string, string>) => number)({ tier }));
      for (const id of ids) expect(d!.panels.some((p) => p.id === id && p.type !== 'row'), `${alert} -> ${link.uid} panel ${id}`).toBe(true);
    }
  });

  it.skipIf(!existsSync(ALERTS))('cover every alert of prometheus/rules/alerts.yml', () => {
    const alerts = new Set([...readFileSync(ALERTS, 'utf8').matchAll(/alert: (\w+)/g)].map((m) => m[1]));
    expect([...alerts].filter((a) => !(a in ALERT_PANELS))).toEqual([]);
  });

  it.skipIf(!existsSync(ALERTS))('are in every alert rule: a dashboard link and the panel Grafana links the rule to', () => {
    // each rule's text up to the next rule; rules sharing an anchored annotations block (*name) carry its lines
    const text = readFileSync(ALERTS, 'utf8');
    const rules = [...text.matchAll(/- alert: (\w+)\n([\s\S]*?)(?=\n\s*- alert: |$)/g)].map((m) => ({ alert: m[1], body: m[2] }));
    expect(rules.length).toBeGreaterThanOrEqual(Object.keys(ALERT_PANELS).length);
    const anchors = new Map([...text.matchAll(/annotations: &(\w+)\n((?:\s{10}.*\n)+)/g)].map((m) => [m[1], m[2]]));
    for (const { alert, body } of rules) {
      const alias = /annotations: \*(\w+)/.exec(body);
      const annotations = alias ? anchors.get(alias[1])! : body;
      const get = (key: string) => new RegExp(`^\\s*${key}: '?(.*?)'?$`, 'm').exec(annotations)?.[1];
      const link = ALERT_PANELS[alert];
      expect(get('dashboard'), alert).toBe(dashboardAnnotation(alert, ''));
      expect(get('__dashboardUid__'), alert).toBe(link.uid);
      const panel = get('__panelId__');
      if (typeof link.panel === 'number') expect(panel, alert).toBe(String(link.panel));
      else for (const tier of ['1', '2', '3']) expect(panel, alert).toContain(`${link.panel({ tier })}`);
    }
  });
});
