/**
 * Population Stability Index: sum over bins of (cur - ref) * ln(cur / ref), with ref and
 * cur the share of each window in the bin. Numeric features are binned on reference
 * quantiles; categorical mixes use one bin per category.
 */
import {
  categoryEntries,
  INSUFFICIENT_DATA,
  normalizeSample,
  resolveThresholds,
  StatsInputError,
  type CategoryCounts,
  type DriftResult,
  type DriftThresholds,
  type NormalizedSample,
  type WeightedSample,
} from './types.js';

/**
 * Stand-in share for a bin one window leaves empty, so ln(0) never occurs. 1e-4 is the
 * value common practice uses (Evidently's get_binned_data, for one); it caps an empty
 * bin's contribution at about (share) * ln(share / 1e-4).
 */
export { PSI_DEFAULT_BINS, PSI_EPSILON } from '../../../config/defaults.js';
import { PSI_DEFAULT_BINS, PSI_EPSILON } from '../../../config/defaults.js';

export interface PsiOptions {
  /** Number of reference quantile bins before merging duplicate edges (default deciles). */
  readonly bins?: number;
  readonly epsilon?: number;
  readonly thresholds?: Partial<DriftThresholds>;
}

export interface PsiBin {
  /** Upper edge, inclusive; null for the open-ended last bin (or the category name). */
  readonly upper: number | null;
  readonly ref: number;
  readonly cur: number;
}

export interface PsiNumericResult extends DriftResult<'psi'> {
  readonly bins: readonly PsiBin[];
}

export interface PsiCategoricalResult extends DriftResult<'psi'> {
  readonly categories: readonly { readonly category: string; readonly ref: number; readonly cur: number }[];
}

/**
 * Inner bin edges: the inverted-CDF quantile of the reference at j/bins (the smallest value
 * whose cumulative share reaches j/bins), j = 1..bins-1, with duplicate edges merged. Bins
 * are (-inf, e1], (e1, e2], ..., (e_last, +inf), so a value tied at an edge stays in one bin.
 * Integer arithmetic (cum * bins >= j * n) avoids rounding j/bins.
 */
export function quantileBinEdges(ref: NormalizedSample, bins: number): number[] {
  const edges: number[] = [];
  let cum = 0;
  let i = 0;
  for (let j = 1; j < bins; j++) {
    while (cum * bins < j * ref.n) cum += ref.counts[i++];
    const edge = ref.values[i - 1];
    if (edges.length === 0 || edges[edges.length - 1] !== edge) edges.push(edge);
  }
  return edges;
}

function countIntoBins(sample: NormalizedSample, edges: readonly number[]): number[] {
  const counts = new Array<number>(edges.length + 1).fill(0);
  let bin = 0;
  for (let i = 0; i < sample.values.length; i++) {
    while (bin < edges.length && sample.values[i] > edges[bin]) bin++;
    counts[bin] += sample.counts[i];
  }
  return counts;
}

/** PSI from per-bin counts of each window; exported for callers that bin in SQL. */
export function psiFromCounts(ref: readonly number[], cur: readonly number[], epsilon = PSI_EPSILON): number {
  const nRef = ref.reduce((s, c) => s + c, 0);
  const nCur = cur.reduce((s, c) => s + c, 0);
  let psi = 0;
  for (let i = 0; i < ref.length; i++) {
    const e = ref[i] === 0 ? epsilon : ref[i] / nRef;
    const a = cur[i] === 0 ? epsilon : cur[i] / nCur;
    psi += (a - e) * Math.log(a / e);
  }
  return psi;
}

function checkOptions(options: PsiOptions): { bins: number; epsilon: number; threshold: number } {
  const bins = options.bins ?? PSI_DEFAULT_BINS;
  const epsilon = options.epsilon ?? PSI_EPSILON;
  if (!Number.isInteger(bins) || bins < 2) throw new StatsInputError('bins', `got ${bins}`, 'an integer >= 2');
  if (!(epsilon > 0 && epsilon < 1)) throw new StatsInputError('epsilon', `got ${epsilon}`, 'a number in (0, 1)');
  return { bins, epsilon, threshold: resolveThresholds(options.thresholds).psi };
}

export function psiNumeric(ref: WeightedSample, cur: WeightedSample, options: PsiOptions = {}): PsiNumericResult {
  const { bins, epsilon, threshold } = checkOptions(options);
  const a = normalizeSample(ref, 'ref');
  const b = normalizeSample(cur, 'cur');
  const base = { test: 'psi' as const, pvalue: null, n_ref: a.n, n_cur: b.n, threshold };
  if (a.n === 0 || b.n === 0) return { ...base, statistic: null, drifted: false, reason: INSUFFICIENT_DATA, bins: [] };
  const edges = quantileBinEdges(a, bins);
  const refCounts = countIntoBins(a, edges);
  const curCounts = countIntoBins(b, edges);
  const statistic = psiFromCounts(refCounts, curCounts, epsilon);
  return {
    ...base, statistic, drifted: statistic >= threshold,
    bins: refCounts.map((r, i) => ({ upper: i < edges.length ? edges[i] : null, ref: r, cur: curCounts[i] })),
  };
}

export function psiCategorical(ref: CategoryCounts, cur: CategoryCounts, options: PsiOptions = {}): PsiCategoricalResult {
  const { epsilon, threshold } = checkOptions(options);
  const r = categoryEntries(ref, 'ref');
  const c = categoryEntries(cur, 'cur');
  const keys = [...new Set([...r.keys(), ...c.keys()])].filter((k) => (r.get(k) ?? 0) + (c.get(k) ?? 0) > 0).sort();
  const categories = keys.map((category) => ({ category, ref: r.get(category) ?? 0, cur: c.get(category) ?? 0 }));
  const nRef = categories.reduce((s, x) => s + x.ref, 0);
  const nCur = categories.reduce((s, x) => s + x.cur, 0);
  const base = { test: 'psi' as const, pvalue: null, n_ref: nRef, n_cur: nCur, threshold };
  if (nRef === 0 || nCur === 0) return { ...base, statistic: null, drifted: false, reason: INSUFFICIENT_DATA, categories };
  const statistic = psiFromCounts(
    categories.map((x) => x.ref),
    categories.map((x) => x.cur),
    epsilon,
  );
  return { ...base, statistic, drifted: statistic >= threshold, categories };
}
