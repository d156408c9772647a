/**
 * First Wasserstein (earth mover's) distance between two weighted 1-D samples, equal to
 * scipy.stats.wasserstein_distance(u_values, v_values, u_weights, v_weights): the area
 * between the two CDFs, sum over consecutive pooled values of |F_ref - F_cur| * gap.
 */
import {
  INSUFFICIENT_DATA,
  normalizeSample,
  resolveThresholds,
  type DriftResult,
  type DriftThresholds,
  type NormalizedSample,
  type WeightedSample,
} from './types.js';

export interface WassersteinOptions {
  readonly thresholds?: Partial<DriftThresholds>;
}

export interface WassersteinResult extends DriftResult<'wasserstein'> {
  /** Distance in units of the reference standard deviation; the drift decision uses it. */
  readonly normed: number | null;
  readonly ref_std: number | null;
}

/**
 * The raw distance is in the feature's units, so no single threshold fits every feature.
 * Like Evidently we divide by the reference's population standard deviation, floored at
 * 0.001 so a constant reference does not divide by zero.
 */
const STD_FLOOR = 0.001;

export function wassersteinDistance(u: NormalizedSample, v: NormalizedSample): number {
  let i = 0;
  let j = 0;
  let cu = 0;
  let cv = 0;
  let sum = 0;
  let prev = NaN;
  let gapWeight = 0;
  while (i < u.values.length || j < v.values.length) {
    const x = j >= v.values.length || (i < u.values.length && u.values[i] <= v.values[j]) ? u.values[i] : v.values[j];
    if (!Number.isNaN(prev)) sum += gapWeight * (x - prev);
    if (i < u.values.length && u.values[i] === x) cu += u.counts[i++];
    if (j < v.values.length && v.values[j] === x) cv += v.counts[j++];
    gapWeight = Math.abs(cu / u.n - cv / v.n);
    prev = x;
  }
  return sum;
}

function populationStd(s: NormalizedSample): number {
  let mean = 0;
  for (let i = 0; i < s.values.length; i++) mean += s.counts[i] * s.values[i];
  mean /= s.n;
  let ss = 0;
  for (let i = 0; i < s.values.length; i++) ss += s.counts[i] * (s.values[i] - mean) ** 2;
  return Math.sqrt(ss / s.n);
}

/** Counts may be fractional weights here, as scipy allows. */
export function wasserstein(ref: WeightedSample, cur: WeightedSample, options: WassersteinOptions = {}): WassersteinResult {
  const threshold = resolveThresholds(options.thresholds).wassersteinNormed;
  const a = normalizeSample(ref, 'ref', false);
  const b = normalizeSample(cur, 'cur', false);
  const base = { test: 'wasserstein' as const, pvalue: null, n_ref: a.n, n_cur: b.n, threshold };
  if (a.n === 0 || b.n === 0) {
    return { ...base, statistic: null, normed: null, ref_std: null, drifted: false, reason: INSUFFICIENT_DATA };
  }
  const statistic = wassersteinDistance(a, b);
  const refStd = populationStd(a);
  const normed = statistic / Math.max(refStd, STD_FLOOR);
  return { ...base, statistic, normed, ref_std: refStd, drifted: normed >= threshold };
}
