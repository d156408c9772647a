import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';

const DIR = path.resolve(import.meta.dirname, '../../grafana/dashboards');

export interface PanelExpr {
  /** dashboard file / panel id / refId, for messages */
  where: string;
  title: string;
  expr: string;
}

interface Dashboard {
  panels: { id: number; type: string; title: string; targets?: { refId: string; expr?: string }[] }[];
  templating: { list: { name: string; type: string; query?: unknown }[] };
}

/** The committed dashboards that read Prometheus (their datasource variable is of that type). */
function prometheusDashboards(): [string, Dashboard][] {
  return readdirSync(DIR)
    .filter((f) => f.endsWith('.json'))
    .map((f) => [f, JSON.parse(readFileSync(path.join(DIR, f), 'utf8')) as Dashboard] as [string, Dashboard])
    .filter(([, d]) => d.templating.list.some((v) => v.type === 'datasource' && v.query === 'prometheus'));
}

/** Every PromQL expression of every panel, as committed (Grafana variables still in). */
export function panelExpressions(): PanelExpr[] {
  const out: PanelExpr[] = [];
  for (const [file, d] of prometheusDashboards()) {
    for (const p of d.panels) {
      for (const t of p.targets ?? []) {
        if (t.expr) out.push({ where: `${file} panel ${p.id} ${t.refId}`, title: p.title, expr: t.expr });
      }
    }
  }
  return out;
}

/** The metrics the dashboards' variables list labels of (label_values(metric, label)). */
export function variableMetrics(): string[] {
  const metrics = new Set<string>();
  for (const [, d] of prometheusDashboards()) {
    for (const v of d.templating.list) {
      const q = (v.query as { query?: string } | undefined)?.query;
      const m = q && /^label_values\((\w+),\s*(\w+)\)$/.exec(q);
      if (q && !m) throw new Error(`variable ${v.name}: only label_values(metric, label) is checked here, got ${q}`);
      if (m) metrics.add(m[1]);
    }
  }
  return [...metrics];
}

/**
 * The expression Grafana sends: $__rate_interval as a duration, `$workflow` as the selected
 * value (a regex for the multi-value filters, where All is `.*`). Any variable left over throws.
 */
export function instantiate(expr: string, vars: { rateInterval: string; workflow: string }): string {
  const out = expr
    .replaceAll('$__rate_interval', vars.rateInterval)
    .replaceAll('workflow=~"$workflow"', 'workflow=~".*"')
    .replaceAll('workflow="$workflow"', `workflow="${vars.workflow}"`);
  if (out.includes('$')) throw new Error(`a Grafana variable is not substituted in ${out}`);
  return out;
}

/** The hitl_ metric names an expression reads. */
export function seriesOf(expr: string): string[] {
  return [...new Set(expr.match(/\bhitl_\w+/g) ?? [])];
}

/**
 * promtool's own parser over expressions: each becomes a recording rule of a rules file that
 * `promtool check rules` loads (a parse error fails the check and names the expression).
 */
export function promtoolCheck(exprs: string[], file: string): { status: number | null; output: string } {
  const rules = exprs.map((expr, i) => ({ record: `grafana:panel_${i}:check`, expr }));
  // JSON is YAML: no YAML library needed to write it
  const text = JSON.stringify({ groups: [{ name: 'grafana-panels', rules }] }, null, 2);
  writeFileSync(file, text);
  const run = spawnSync('promtool', ['check', 'rules', file], { encoding: 'utf8', timeout: 60_000 });
  return { status: run.status, output: `${run.stdout}${run.stderr}${run.error?.message ?? ''}` };
}
