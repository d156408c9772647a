import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ALERT_PANELS } from '../../src/grafana/alert-links.js';
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
});
