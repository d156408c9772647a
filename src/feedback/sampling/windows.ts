import type { MetricsConfig } from '../../config/metrics.js';
import type { SamplingConfig } from '../../config/sampling.js';
import { cutsSchema } from '../../metrics/cuts.js';
import { driftFamily, type DriftMetrics } from '../../metrics/families/drift.js';
import { Q } from '../../store/queries.js';
import type { Store } from '../../store/store.js';
import { verdict, type WindowVerdict } from './switching.js';

const HOUR_MS = 3_600_000;

/** The window [start, end) of the given length that ends at or before `t`, aligned to the Unix epoch. */
export function windowEndingBy(t: number, windowHours: number): { start: Date; end: Date } {
  const len = windowHours * HOUR_MS;
  const end = Math.floor(t / len) * len;
  return { start: new Date(end - len), end: new Date(end) };
}

/** Does a flagged check (`confidence.ks`) count under one of the configured paths or prefixes? */
export function counts(check: string, configured: readonly string[]): boolean {
  return configured.some((p) => check === p || check.startsWith(`${p}.`));
}

/**
 * Judges one window for every workflow with something to judge: the drift family with the
 * window as its current window (its reference as configured in metrics.drift), and the audits
 * of auto-approved cases completed in it. Reads the derived tables: refresh them first.
 */
export async function judgeWindow(store: Store, metrics: MetricsConfig, sampling: SamplingConfig, start: Date, end: Date): Promise<Map<string, WindowVerdict>> {
  const drift = new Map<string, { judged: boolean; checks: Set<string> }>();
  if (sampling.driftChecks.length > 0) {
    const cuts = cutsSchema.parse({ from: start.toISOString(), to: end.toISOString(), group_by: 'workflow' });
    const result = await driftFamily.compute({ store, cuts, config: metrics, now: end });
    for (const g of result.groups) {
      const workflow = g.key.workflow;
      const m = g.metrics as DriftMetrics;
      if (typeof workflow !== 'string' || m.status !== 'ok') continue;
      const d = drift.get(workflow) ?? { judged: true, checks: new Set<string>() };
      for (const c of m.drifted_checks) if (counts(c, sampling.driftChecks)) d.checks.add(c);
      drift.set(workflow, d);
    }
  }
  const audits = await store.query(Q.samplingAuditDefects, { workflow: null, from: start, to: end });
  const out = new Map<string, WindowVerdict>();
  for (const workflow of new Set([...drift.keys(), ...audits.map((a) => a.workflow)])) {
    const d = drift.get(workflow);
    const a = audits.find((r) => r.workflow === workflow);
    out.set(workflow, verdict(sampling, start, end, { judged: d !== undefined, checks: d ? [...d.checks].sort() : [] }, a?.audited_cases ?? 0, a?.incorrect ?? 0));
  }
  return out;
}
