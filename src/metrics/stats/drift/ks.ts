/**
 * Two-sample Kolmogorov-Smirnov test over weighted samples, equal to
 * scipy.stats.ks_2samp(ref, cur, alternative, method) on the expanded data (scipy >= 1.10).
 */
import { attemptExact2Samp, gcd, roundHalfEven, type KsAlternative } from './ks-exact.js';
import { kstwoSf } from './kolmogorov.js';
import {
  INSUFFICIENT_DATA,
  normalizeSample,
  resolveThresholds,
  StatsInputError,
  type DriftResult,
  type DriftThresholds,
  type WeightedSample,
} from './types.js';

export type { KsAlternative } from './ks-exact.js';
export type KsMethod = 'auto' | 'exact' | 'asymp';

/** scipy's MAX_AUTO_N: 'auto' is exact while both samples have at most this many points. */
export const KS_MAX_AUTO_N = 10000;
const INT32_MAX = 2147483647;

export interface KsOptions {
  readonly alternative?: KsAlternative;
  readonly method?: KsMethod;
  readonly thresholds?: Partial<DriftThresholds>;
}

export interface KsResult extends DriftResult<'ks'> {
  readonly alternative: KsAlternative;
  /** Which distribution gave the p-value; 'asymp' after a failed exact attempt too. */
  readonly method: 'exact' | 'asymp' | null;
  /** scipy falls back (with a RuntimeWarning) when the exact computation overflows. */
  readonly exact_failed: boolean;
  readonly statistic_location: number | null;
  readonly statistic_sign: 1 | -1 | null;
}

export function ksTwoSample(ref: WeightedSample, cur: WeightedSample, options: KsOptions = {}): KsResult {
  const alternative = options.alternative ?? 'two-sided';
  const requested = options.method ?? 'auto';
  if (!['two-sided', 'less', 'greater'].includes(alternative)) {
    throw new StatsInputError('alternative', `got ${alternative}`, "'two-sided', 'less' or 'greater'");
  }
  if (!['auto', 'exact', 'asymp'].includes(requested)) {
    throw new StatsInputError('method', `got ${requested}`, "'auto', 'exact' or 'asymp'");
  }
  const alpha = resolveThresholds(options.thresholds).alpha;
  const a = normalizeSample(ref, 'ref');
  const b = normalizeSample(cur, 'cur');
  const n1 = a.n;
  const n2 = b.n;
  const base = { test: 'ks' as const, n_ref: n1, n_cur: n2, threshold: alpha, alternative };
  if (n1 === 0 || n2 === 0) {
    return {
      ...base, statistic: null, pvalue: null, drifted: false, reason: INSUFFICIENT_DATA,
      method: null, exact_failed: false, statistic_location: null, statistic_sign: null,
    };
  }

  // ECDF difference at every pooled value, as count/n like scipy's searchsorted(...)/n.
  // argmax/argmin in scipy run over concat(sorted ref, sorted cur): on ties the first
  // reference value wins, else the first current value.
  let i = 0;
  let j = 0;
  let c1 = 0;
  let c2 = 0;
  let maxS = -Infinity;
  let minD = Infinity;
  let maxLoc: [number, number] = [2, 0]; // [0 = in ref, 1 = only in cur; value]
  let minLoc: [number, number] = [2, 0];
  const better = (cand: [number, number], best: [number, number]) =>
    cand[0] < best[0] || (cand[0] === best[0] && cand[1] < best[1]);
  while (i < a.values.length || j < b.values.length) {
    const v = j >= b.values.length || (i < a.values.length && a.values[i] <= b.values[j]) ? a.values[i] : b.values[j];
    const inRef = i < a.values.length && a.values[i] === v;
    if (inRef) c1 += a.counts[i++];
    if (j < b.values.length && b.values[j] === v) c2 += b.counts[j++];
    const diff = c1 / n1 - c2 / n2;
    const loc: [number, number] = [inRef ? 0 : 1, v];
    if (diff > maxS || (diff === maxS && better(loc, maxLoc))) [maxS, maxLoc] = [diff, loc];
    if (diff < minD || (diff === minD && better(loc, minLoc))) [minD, minLoc] = [diff, loc];
  }
  const minS = Math.min(Math.max(-minD, 0), 1);
  const useMin = alternative === 'less' || (alternative === 'two-sided' && minS > maxS);
  let d = useMin ? minS : maxS;
  const location = useMin ? minLoc[1] : maxLoc[1];
  const sign: 1 | -1 = useMin ? -1 : 1;

  const g = gcd(n1, n2);
  const n1g = n1 / g;
  const n2g = n2 / g;
  let mode: 'exact' | 'asymp';
  if (requested === 'auto') mode = Math.max(n1, n2) <= KS_MAX_AUTO_N ? 'exact' : 'asymp';
  else mode = requested === 'exact' && n1g >= INT32_MAX / n2g ? 'asymp' : requested;

  let prob = NaN;
  let exactFailed = false;
  if (mode === 'exact') {
    const attempt = attemptExact2Samp(n1, n2, g, d, alternative);
    d = attempt.d;
    prob = attempt.prob;
    if (!attempt.success) {
      mode = 'asymp';
      exactFailed = true;
    }
  }
  if (mode === 'asymp') {
    const [m, n] = n1 >= n2 ? [n1, n2] : [n2, n1];
    const en = (m * n) / (m + n);
    if (alternative === 'two-sided') prob = kstwoSf(roundHalfEven(en), d);
    else {
      // Hodges (1958) eq. 5.3, which wants m the larger sample
      const z = Math.sqrt(en) * d;
      prob = Math.exp(-2 * z ** 2 - (2 * z * (m + 2 * n)) / Math.sqrt(m * n * (m + n)) / 3);
    }
  }
  const pvalue = Math.min(Math.max(prob, 0), 1);
  return {
    ...base, statistic: d, pvalue, drifted: pvalue < alpha,
    method: mode, exact_failed: exactFailed, statistic_location: location, statistic_sign: sign,
  };
}
