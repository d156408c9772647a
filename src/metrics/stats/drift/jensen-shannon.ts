/**
 * Jensen-Shannon distance between two category mixes, equal to
 * scipy.spatial.distance.jensenshannon(p, q, base): sqrt((KL(p||m) + KL(q||m)) / 2) with
 * m = (p + q) / 2 and 0 * log 0 = 0, so empty categories need no epsilon.
 */
import {
  categoryEntries,
  INSUFFICIENT_DATA,
  resolveThresholds,
  StatsInputError,
  type CategoryCounts,
  type DriftResult,
  type DriftThresholds,
} from './types.js';

export interface JensenShannonOptions {
  /**
   * Logarithm base. Default 2, which bounds the distance to [0, 1] so one threshold reads
   * the same for every field; scipy's and Evidently's default is e (bound sqrt(ln 2)).
   */
  readonly base?: number;
  readonly thresholds?: Partial<DriftThresholds>;
}

export interface JensenShannonResult extends DriftResult<'jensen_shannon'> {
  readonly base: number;
}

/** scipy's jensenshannon on two non-negative vectors of the same length. */
export function jensenShannonDistance(p: readonly number[], q: readonly number[], base = 2): number {
  const sp = p.reduce((s, x) => s + x, 0);
  const sq = q.reduce((s, x) => s + x, 0);
  let left = 0;
  let right = 0;
  for (let i = 0; i < p.length; i++) {
    const pi = p[i] / sp;
    const qi = q[i] / sq;
    const m = (pi + qi) / 2;
    if (pi > 0) left += pi * Math.log(pi / m);
    if (qi > 0) right += qi * Math.log(qi / m);
  }
  const js = (left + right) / Math.log(base) / 2;
  // rounding can leave a hair below zero for identical mixes, where scipy returns NaN
  return Math.sqrt(Math.max(js, 0));
}

export function jensenShannon(
  ref: CategoryCounts,
  cur: CategoryCounts,
  options: JensenShannonOptions = {},
): JensenShannonResult {
  const base = options.base ?? 2;
  if (!(base > 0) || base === 1 || !Number.isFinite(base)) {
    throw new StatsInputError('base', `got ${base}`, 'a finite logarithm base > 0 and != 1');
  }
  const threshold = resolveThresholds(options.thresholds).jensenShannon;
  const r = categoryEntries(ref, 'ref');
  const c = categoryEntries(cur, 'cur');
  const keys = [...new Set([...r.keys(), ...c.keys()])].sort();
  const p = keys.map((k) => r.get(k) ?? 0);
  const q = keys.map((k) => c.get(k) ?? 0);
  const nRef = p.reduce((s, x) => s + x, 0);
  const nCur = q.reduce((s, x) => s + x, 0);
  const out = { test: 'jensen_shannon' as const, pvalue: null, n_ref: nRef, n_cur: nCur, threshold, base };
  if (nRef === 0 || nCur === 0) return { ...out, statistic: null, drifted: false, reason: INSUFFICIENT_DATA };
  const statistic = jensenShannonDistance(p, q, base);
  return { ...out, statistic, drifted: statistic >= threshold };
}
