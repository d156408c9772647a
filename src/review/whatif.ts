import { LoopwatchError } from '../errors.js';
import { HIGH_RISK_SIGNALS } from '../events/vocabulary.js';
import { hajekProportion } from '../metrics/stats/proportions.js';
import type { WhatIfBinRow } from '../store/review-rows.js';

/** Thresholds are resolved to thousandths: the bins whatif_bins.sql groups confidence into. */
export const BIN_SCALE = 1000;
/** The grid a review shows when none is asked for. */
export const DEFAULT_GRID = [0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95, 0.97, 0.99] as const;

export interface ThresholdEstimate {
  threshold: number;
  /** Cases with a confidence that would be auto-approved at this threshold, and their share of all such cases. */
  auto_approved: number;
  auto_share: number | null;
  /**
   * Hájek estimate of the share of those whose model output was wrong: reviewed cases by their
   * human (or audited) outcome, weight 1; auto-approved cases by their QA audit, weight
   * 1/sampling rate. 95% Wilson interval at Kish's effective sample size.
   */
  false_accept: { value: number | null; ci95: [number, number] | null; evidence: number; reviewed: number; audits: number; n_eff: number };
  /** Reviewer hours no longer spent on cases this threshold would auto-approve, and hours added for cases it would send to review. */
  hours_saved: number;
  hours_added: number;
  /** Cases left in lanes people work, and that as a share of today's. */
  review_load: { cases: number; vs_current: number | null };
}

export interface WhatIf {
  workflow: string | null;
  /** The threshold in force: given, or the lowest confidence an eligible case was auto-approved at. */
  current: number | null;
  current_source: 'given' | 'inferred' | 'none';
  cases: number;
  /** Mean reviewer seconds per reviewed eligible case (timed ones): the cost of a review. */
  seconds_per_review: number | null;
  grid: ThresholdEstimate[];
  /** Signals that keep a case out of auto-approval at any threshold (the playbook's list). */
  always_reviewed_signals: readonly string[];
}

export function checkThreshold(value: unknown, name = 'confidence'): number {
  const n = typeof value === 'number' ? value : Number(value);
  if (typeof value === 'string' && value.trim() === '') throw badThreshold(name, value);
  if (!Number.isFinite(n) || n < 0 || n > 1) throw badThreshold(name, value);
  return n;
}

function badThreshold(name: string, value: unknown): LoopwatchError {
  return new LoopwatchError('invalid_whatif', `${name}: expected a confidence threshold between 0 and 1, got ${JSON.stringify(value)}`);
}

/**
 * The what-if of one workflow from its confidence bins (docs/whatif.md): for each threshold,
 * what auto-approving every eligible case at or above it would have done over the same cases.
 */
export function estimateWhatIf(bins: readonly WhatIfBinRow[], thresholds: readonly number[], current?: number): WhatIf {
  const sorted = [...bins].sort((a, b) => a.bin - b.bin);
  const total = (pick: (b: WhatIfBinRow) => number, rows = sorted) => rows.reduce((s, b) => s + pick(b), 0);
  const cases = total((b) => b.cases);
  const reviewedTimed = total((b) => b.review_timed);
  const secondsPerReview = reviewedTimed > 0 ? total((b) => b.review_seconds) / reviewedTimed : null;
  const lowestAuto = sorted.find((b) => b.auto_cases > 0);
  const inferred = lowestAuto ? lowestAuto.bin / BIN_SCALE : null;
  const currentLoad = total((b) => b.human_lane_cases);
  const inForce = current ?? inferred;
  // the threshold in force is always a row of the grid, so that the others compare with it
  const grid = [...new Set([...thresholds, ...(inForce === null ? [] : [inForce])].map((t) => Math.round(t * BIN_SCALE)))].sort((a, b) => a - b).map((tb) => {
    const above = sorted.filter((b) => b.bin >= tb);
    const below = sorted.filter((b) => b.bin < tb);
    const autoApproved = total((b) => b.eligible, above);
    const humanN = total((b) => b.human_n, above);
    const auditN = total((b) => b.audit_n, above);
    const est = hajekProportion({
      n: humanN + auditN,
      sumW: humanN + total((b) => b.audit_w, above),
      sumWy: total((b) => b.human_wrong, above) + total((b) => b.audit_wy, above),
      sumW2: humanN + total((b) => b.audit_w2, above),
    });
    // reviewed cases above the threshold stop costing review; auto-approved ones below start to
    const movedToAuto = total((b) => b.reviewed_cases, above);
    const movedToReview = total((b) => b.auto_cases, below);
    const perCase = secondsPerReview ?? 0;
    const load = currentLoad - movedToAuto + movedToReview;
    return {
      threshold: tb / BIN_SCALE,
      auto_approved: autoApproved,
      auto_share: cases > 0 ? autoApproved / cases : null,
      false_accept: {
        value: est.value,
        ci95: est.lower === null || est.upper === null ? null : ([est.lower, est.upper] as [number, number]),
        evidence: humanN + auditN,
        reviewed: humanN,
        audits: auditN,
        n_eff: est.nEff,
      },
      hours_saved: (movedToAuto * perCase) / 3600,
      hours_added: (movedToReview * perCase) / 3600,
      review_load: { cases: load, vs_current: currentLoad > 0 ? load / currentLoad : null },
    } satisfies ThresholdEstimate;
  });
  return {
    workflow: sorted[0]?.workflow ?? null,
    current: inForce,
    current_source: current !== undefined ? 'given' : inferred !== null ? 'inferred' : 'none',
    cases,
    seconds_per_review: secondsPerReview,
    grid,
    always_reviewed_signals: HIGH_RISK_SIGNALS,
  };
}

/** Splits the query's rows by workflow. */
export function binsByWorkflow(rows: readonly WhatIfBinRow[]): Map<string | null, WhatIfBinRow[]> {
  const out = new Map<string | null, WhatIfBinRow[]>();
  for (const r of rows) {
    const list = out.get(r.workflow) ?? [];
    list.push(r);
    out.set(r.workflow, list);
  }
  return out;
}
