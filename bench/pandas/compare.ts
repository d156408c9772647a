// What both Loopwatch and the pandas notebook (bench/pandas/notebook.py) compute, compared
// number by number: the harness (bench/run.ts) and test/integration/pandas-peer.test.ts use it.
import { spawnSync } from 'node:child_process';
import path from 'node:path';

export const NOTEBOOK = path.join(import.meta.dirname, 'notebook.py');

export interface PeerResult {
  events: number;
  cases: number;
  /** the drift's current window end, RFC 3339: give it to the report as its `to` */
  to: string;
  override_rate: Record<string, { numerator: number; denominator: number }>;
  ack_breaches: Record<string, { met: number; breached: number }>;
  controls: Record<string, Record<string, number>>;
  pairwise_kappa: Record<string, { reviewer_a: string; reviewer_b: string; n: number; kappa: number | null }[]>;
  drift: {
    workflow: string;
    model_version: string;
    compared_with: string;
    n_ref: number;
    n_cur: number;
    ks?: { statistic: number; pvalue: number };
    chi_square?: { statistic: number; pvalue: number; dof: number };
  }[];
  load_seconds: number;
  compute_seconds: number;
}

/** Runs the notebook with Debian's Python (pandas, scipy, sklearn) on an NDJSON file. */
export function runNotebook(file: string, options: { python?: string; now?: string; to?: string } = {}): PeerResult & { wall_seconds: number } {
  const started = performance.now();
  const args = [NOTEBOOK, file, ...(options.now ? ['--now', options.now] : []), ...(options.to ? ['--to', options.to] : [])];
  const run = spawnSync(options.python ?? '/usr/bin/python3', args, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (run.status !== 0) throw new Error(`the pandas notebook failed: ${run.error?.message ?? run.stderr}`);
  return { ...(JSON.parse(run.stdout) as PeerResult), wall_seconds: (performance.now() - started) / 1000 };
}

interface Group {
  key: Record<string, unknown>;
  metrics: any;
}

/** The report's groups of one family by workflow (the report grouped by workflow alone). */
function byWorkflow(report: { families: Record<string, { groups: Group[] }> }, family: string): Map<string, any> {
  const groups = report.families[family]?.groups ?? [];
  return new Map(groups.filter((g) => typeof g.key.workflow === 'string').map((g) => [g.key.workflow as string, g.metrics]));
}

const close = (a: number | null | undefined, b: number | null | undefined, tol = 1e-9) =>
  a === b || (typeof a === 'number' && typeof b === 'number' && Math.abs(a - b) <= tol * Math.max(1, Math.abs(a), Math.abs(b)));

/**
 * Every number both give, side by side: counts exactly, statistics and p-values to 1e-9 relative.
 * `report` is `loopwatch report --json` (or a MetricsSnapshot) of the same events, grouped by
 * workflow, with `to` = the notebook's `to`.
 */
export function comparePeer(report: { families: Record<string, { groups: Group[] }> }, peer: PeerResult): { checked: number; mismatches: string[] } {
  const mismatches: string[] = [];
  let checked = 0;
  const check = (what: string, ours: unknown, theirs: unknown, equal: boolean) => {
    checked++;
    if (!equal) mismatches.push(`${what}: loopwatch ${JSON.stringify(ours)}, pandas ${JSON.stringify(theirs)}`);
  };
  const quality = byWorkflow(report, 'quality');
  for (const [wf, p] of Object.entries(peer.override_rate)) {
    const o = quality.get(wf)?.override_rate;
    check(`override_rate ${wf}`, o && [o.numerator, o.denominator], [p.numerator, p.denominator], o?.numerator === p.numerator && o?.denominator === p.denominator);
  }
  const sla = byWorkflow(report, 'sla');
  for (const [wf, p] of Object.entries(peer.ack_breaches)) {
    const a = sla.get(wf)?.acknowledge;
    check(`acknowledge ${wf}`, a && [a.met, a.breached], [p.met, p.breached], a?.met === p.met && a?.breached === p.breached);
  }
  const controls = byWorkflow(report, 'controls');
  for (const [wf, p] of Object.entries(peer.controls)) {
    for (const [control, n] of Object.entries(p)) {
      // a workflow without violations has no group: zero
      const ours = controls.get(wf)?.by_control?.[control] ?? 0;
      check(`controls ${wf} ${control}`, ours, n, ours === n);
    }
  }
  const agreement = byWorkflow(report, 'agreement');
  for (const [wf, pairs] of Object.entries(peer.pairwise_kappa)) {
    const ours = new Map<string, any>((agreement.get(wf)?.pairwise_cohen ?? []).map((x: any) => [`${x.reviewer_a}|${x.reviewer_b}`, x]));
    check(`pairwise_cohen ${wf} pairs`, ours.size, pairs.length, ours.size === pairs.length);
    for (const p of pairs) {
      const o = ours.get(`${p.reviewer_a}|${p.reviewer_b}`);
      check(`pairwise_cohen ${wf} ${p.reviewer_a}/${p.reviewer_b}`, o && [o.n, o.kappa], [p.n, p.kappa], o?.n === p.n && close(o?.kappa, p.kappa));
    }
  }
  const drift = new Map((report.families.drift?.groups ?? []).map((g) => [`${g.key.workflow}|${g.key.model_version}`, g.metrics]));
  for (const p of peer.drift) {
    const o = drift.get(`${p.workflow}|${p.model_version}`);
    const what = `drift ${p.workflow} ${p.model_version}`;
    check(`${what} reference`, o?.window?.reference?.compared_with, p.compared_with, o?.window?.reference?.compared_with === p.compared_with);
    if (p.ks) {
      const ks = o?.confidence?.ks;
      check(`${what} ks`, ks && [ks.statistic, ks.pvalue], [p.ks.statistic, p.ks.pvalue], close(ks?.statistic, p.ks.statistic) && close(ks?.pvalue, p.ks.pvalue));
    }
    if (p.chi_square) {
      const chi = o?.labels?.chi_square;
      check(`${what} chi_square`, chi && [chi.statistic, chi.pvalue], [p.chi_square.statistic, p.chi_square.pvalue], close(chi?.statistic, p.chi_square.statistic) && close(chi?.pvalue, p.chi_square.pvalue));
    }
  }
  return { checked, mismatches };
}
