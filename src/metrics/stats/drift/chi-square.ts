/**
 * Chi-square test of homogeneity on the 2 x k table (reference counts, current counts),
 * equal to scipy.stats.chi2_contingency(table, correction=True): Pearson's statistic on
 * expected = row total * column total / grand total, Yates' continuity correction only when
 * dof == 1. Docs explain why this and not Evidently's goodness-of-fit form.
 */
import { onFirstCall } from '../lazy.js';
import type gammaincFn from '@stdlib/math-base-special-gammainc';
import {
  categoryEntries,
  INSUFFICIENT_DATA,
  resolveThresholds,
  type CategoryCounts,
  type DriftResult,
  type DriftThresholds,
} from './types.js';
const gammainc = onFirstCall<typeof gammaincFn>('@stdlib/math-base-special-gammainc');

export interface ChiSquareOptions {
  /** Yates' correction when dof == 1 (scipy's default, true). */
  readonly correction?: boolean;
  readonly thresholds?: Partial<DriftThresholds>;
}

export interface ChiSquareResult extends DriftResult<'chi_square'> {
  readonly dof: number | null;
  /** Categories in the table: those seen in either window, sorted. */
  readonly categories: readonly string[];
}

/** scipy.stats.chi2.sf: the regularized upper incomplete gamma Q(dof/2, x/2). */
export function chiSquareSf(x: number, dof: number): number {
  return gammainc(x / 2, dof / 2, true, true);
}

/** chi2_contingency on a 2 x k table whose columns all have a non-zero total. */
export function chi2Contingency2xK(
  ref: readonly number[],
  cur: readonly number[],
  correction = true,
): { statistic: number; pvalue: number; dof: number } {
  const rows = [ref, cur];
  const rowSums = rows.map((r) => r.reduce((s, c) => s + c, 0));
  const total = rowSums[0] + rowSums[1];
  const dof = ref.length - 1;
  // scipy: a table with one nontrivial dimension has observed == expected
  if (dof === 0) return { statistic: 0, pvalue: 1, dof };
  let statistic = 0;
  for (let j = 0; j < ref.length; j++) {
    const colSum = ref[j] + cur[j];
    for (let i = 0; i < 2; i++) {
      const expected = (rowSums[i] * colSum) / total;
      let observed = rows[i][j];
      if (correction && dof === 1) {
        const diff = expected - observed;
        observed += Math.min(0.5, Math.abs(diff)) * Math.sign(diff);
      }
      statistic += (observed - expected) ** 2 / expected;
    }
  }
  return { statistic, pvalue: chiSquareSf(statistic, dof), dof };
}

/**
 * Categories absent from both windows are dropped before the test: they carry no
 * information, and scipy raises on the zero expected frequency they would cause.
 */
export function chiSquareHomogeneity(
  ref: CategoryCounts,
  cur: CategoryCounts,
  options: ChiSquareOptions = {},
): ChiSquareResult {
  const alpha = resolveThresholds(options.thresholds).alpha;
  const r = categoryEntries(ref, 'ref');
  const c = categoryEntries(cur, 'cur');
  const categories = [...new Set([...r.keys(), ...c.keys()])]
    .filter((k) => (r.get(k) ?? 0) + (c.get(k) ?? 0) > 0)
    .sort();
  const refCounts = categories.map((k) => r.get(k) ?? 0);
  const curCounts = categories.map((k) => c.get(k) ?? 0);
  const nRef = refCounts.reduce((s, x) => s + x, 0);
  const nCur = curCounts.reduce((s, x) => s + x, 0);
  const base = { test: 'chi_square' as const, n_ref: nRef, n_cur: nCur, threshold: alpha, categories };
  if (nRef === 0 || nCur === 0) {
    return { ...base, statistic: null, pvalue: null, dof: null, drifted: false, reason: INSUFFICIENT_DATA };
  }
  const { statistic, pvalue, dof } = chi2Contingency2xK(refCounts, curCounts, options.correction ?? true);
  return { ...base, statistic, pvalue, dof, drifted: pvalue < alpha };
}
