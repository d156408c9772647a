/**
 * Pooled two-proportion z-test for a rate (override, escalation), equal to statsmodels'
 * proportions_ztest([x_cur, x_ref], [n_cur, n_ref], value=0, alternative). The statistic
 * is oriented current minus reference, so a positive z means the rate rose.
 */
import { onFirstCall } from '../lazy.js';
import type normalCdfFn from '@stdlib/stats-base-dists-normal-cdf';
import {
  checkRate,
  INSUFFICIENT_DATA,
  resolveThresholds,
  StatsInputError,
  type DriftResult,
  type DriftThresholds,
  type RateCounts,
} from './types.js';
const normalCdf = onFirstCall<typeof normalCdfFn>('@stdlib/stats-base-dists-normal-cdf');

/** 'increase' is statsmodels' 'larger' for cur vs ref: it only flags a rise. */
export type RateAlternative = 'two-sided' | 'increase' | 'decrease';

export interface TwoProportionOptions {
  readonly alternative?: RateAlternative;
  readonly thresholds?: Partial<DriftThresholds>;
}

export interface TwoProportionResult extends DriftResult<'two_proportion_z'> {
  readonly alternative: RateAlternative;
  readonly rate_ref: number | null;
  readonly rate_cur: number | null;
}

export const NO_VARIATION = 'no variation: the pooled rate is 0 or 1';

export function twoProportionZTest(
  ref: RateCounts,
  cur: RateCounts,
  options: TwoProportionOptions = {},
): TwoProportionResult {
  const alternative = options.alternative ?? 'two-sided';
  if (!['two-sided', 'increase', 'decrease'].includes(alternative)) {
    throw new StatsInputError('alternative', `got ${alternative}`, "'two-sided', 'increase' or 'decrease'");
  }
  const alpha = resolveThresholds(options.thresholds).alpha;
  checkRate(ref, 'ref');
  checkRate(cur, 'cur');
  const base = { test: 'two_proportion_z' as const, n_ref: ref.n, n_cur: cur.n, threshold: alpha, alternative };
  if (ref.n === 0 || cur.n === 0) {
    return { ...base, statistic: null, pvalue: null, drifted: false, reason: INSUFFICIENT_DATA, rate_ref: null, rate_cur: null };
  }
  const rateRef = (ref.successes * 1) / ref.n;
  const rateCur = (cur.successes * 1) / cur.n;
  const rates = { rate_ref: rateRef, rate_cur: rateCur };
  const pooled = ((cur.successes + ref.successes) * 1) / (cur.n + ref.n);
  // statsmodels gives NaN here (0/0): with no events, or only events, nothing changed
  if (pooled === 0 || pooled === 1) {
    return { ...base, ...rates, statistic: null, pvalue: null, drifted: false, reason: NO_VARIATION };
  }
  const std = Math.sqrt(pooled * (1 - pooled) * (1 / cur.n + 1 / ref.n));
  const z = (rateCur - rateRef) / std;
  let pvalue: number;
  if (alternative === 'two-sided') pvalue = normalCdf(-Math.abs(z), 0, 1) * 2;
  else if (alternative === 'increase') pvalue = normalCdf(-z, 0, 1);
  else pvalue = normalCdf(z, 0, 1);
  return { ...base, ...rates, statistic: z, pvalue, drifted: pvalue < alpha };
}
