/**
 * One-sided upper CUSUM on a rate over time buckets, to catch a rise early instead of
 * waiting for a whole window. Montgomery, Introduction to Statistical Quality Control
 * (6th ed., sec. 9.1): the standardized tabular CUSUM
 *   z_t = (x_t - n_t p0) / sqrt(n_t p0 (1 - p0)),   C_t = max(0, C_{t-1} + z_t - k),
 * signalling when C_t > h. Standardizing each bucket by its own n_t lets bucket sizes vary.
 */
import {
  checkRate,
  INSUFFICIENT_DATA,
  StatsInputError,
  type DriftResult,
  type RateCounts,
} from './types.js';

/**
 * k = 0.5 tunes the chart to a one-sigma shift. Montgomery recommends h = 4 or 5 with it;
 * their in-control average run lengths are about 168 and 465 buckets. We run one chart per
 * workflow and model version, so we take the quieter one.
 */
export { CUSUM_DEFAULT_H, CUSUM_DEFAULT_K } from '../../../config/defaults.js';
import { CUSUM_DEFAULT_H, CUSUM_DEFAULT_K } from '../../../config/defaults.js';

export interface CusumOptions {
  readonly k?: number;
  readonly h?: number;
  /** In-control rate; defaults to the reference window's rate. */
  readonly p0?: number;
}

export interface CusumResult extends DriftResult<'cusum'> {
  readonly p0: number | null;
  readonly k: number;
  /** C_t after each bucket; an empty bucket leaves C unchanged. */
  readonly path: readonly number[];
  /** First bucket where C_t > h, or null. */
  readonly signal_index: number | null;
  /**
   * Estimated start of the rise: the bucket after C was last zero before the signal
   * (Montgomery's N+ counter).
   */
  readonly onset_index: number | null;
}

export const DEGENERATE_P0 = 'reference rate is 0 or 1: the standardized CUSUM is undefined';

export function binomialCusum(
  ref: RateCounts,
  buckets: readonly RateCounts[],
  options: CusumOptions = {},
): CusumResult {
  const k = options.k ?? CUSUM_DEFAULT_K;
  const h = options.h ?? CUSUM_DEFAULT_H;
  if (!(k >= 0 && Number.isFinite(k))) throw new StatsInputError('k', `got ${k}`, 'a finite number >= 0');
  if (!(h > 0 && Number.isFinite(h))) throw new StatsInputError('h', `got ${h}`, 'a finite number > 0');
  if (options.p0 !== undefined && !(options.p0 >= 0 && options.p0 <= 1)) {
    throw new StatsInputError('p0', `got ${options.p0}`, 'a rate in [0, 1]');
  }
  checkRate(ref, 'ref');
  buckets.forEach((b, i) => checkRate(b, `buckets[${i}]`));
  const nCur = buckets.reduce((s, b) => s + b.n, 0);
  const base = { test: 'cusum' as const, pvalue: null, n_ref: ref.n, n_cur: nCur, threshold: h, k };
  const empty = { path: [], signal_index: null, onset_index: null, statistic: null, drifted: false };
  const p0 = options.p0 ?? (ref.n > 0 ? ref.successes / ref.n : null);
  if (p0 === null || nCur === 0) return { ...base, ...empty, p0, reason: INSUFFICIENT_DATA };
  if (p0 === 0 || p0 === 1) return { ...base, ...empty, p0, reason: DEGENERATE_P0 };

  const path: number[] = [];
  let c = 0;
  let max = 0;
  let runStart = 0;
  let signal: number | null = null;
  let onset: number | null = null;
  buckets.forEach((b, t) => {
    if (b.n > 0) {
      const z = (b.successes - b.n * p0) / Math.sqrt(b.n * p0 * (1 - p0));
      const next = Math.max(0, c + z - k);
      if (c === 0 && next > 0) runStart = t;
      c = next;
    }
    path.push(c);
    max = Math.max(max, c);
    if (signal === null && c > h) {
      signal = t;
      onset = runStart;
    }
  });
  return { ...base, p0, path, statistic: max, signal_index: signal, onset_index: onset, drifted: signal !== null };
}
