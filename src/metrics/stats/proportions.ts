import betaQuantile from '@stdlib/stats-base-dists-beta-quantile';
import normalQuantile from '@stdlib/stats-base-dists-normal-quantile';

export interface Interval {
  lower: number;
  upper: number;
}

function z(level: number): number {
  return normalQuantile(1 - (1 - level) / 2, 0, 1);
}

/**
 * Wilson score interval for successes out of n (Wilson 1927); equals statsmodels
 * proportion_confint(method='wilson') and scipy binomtest(...).proportion_ci('wilson').
 */
export function wilsonInterval(successes: number, n: number, level = 0.95): Interval {
  if (n <= 0) throw new RangeError('wilsonInterval needs n > 0');
  if (successes < 0 || successes > n) throw new RangeError('successes must lie in [0, n]');
  const q = z(level);
  const p = successes / n;
  const q2 = q * q;
  const denom = 1 + q2 / n;
  const centre = (p + q2 / (2 * n)) / denom;
  const half = (q * Math.sqrt((p * (1 - p)) / n + q2 / (4 * n * n))) / denom;
  // clamp the rounding residue at the ends (0 and n give exactly 0 and 1 in exact arithmetic)
  return { lower: successes === 0 ? 0 : Math.max(0, centre - half), upper: successes === n ? 1 : Math.min(1, centre + half) };
}

/** Clopper-Pearson exact interval from beta quantiles; equals statsmodels method='beta'. */
export function clopperPearsonInterval(successes: number, n: number, level = 0.95): Interval {
  if (n <= 0) throw new RangeError('clopperPearsonInterval needs n > 0');
  const alpha = 1 - level;
  const lower = successes === 0 ? 0 : betaQuantile(alpha / 2, successes, n - successes + 1);
  const upper = successes === n ? 1 : betaQuantile(1 - alpha / 2, successes + 1, n - successes);
  return { lower, upper };
}

/** Sums over audited units, each with weight w = 1/sampling probability and outcome y in {0,1}. */
export interface WeightedSums {
  /** Number of audited units (reported back; the estimate needs only the sums). */
  n?: number;
  /** Σ w */
  sumW: number;
  /** Σ w·y */
  sumWy: number;
  /** Σ w² */
  sumW2: number;
}

export interface WeightedProportion extends Interval {
  /** null when nothing was audited. */
  value: number | null;
  n: number;
  /** Kish's effective sample size (Σw)² / Σw². */
  nEff: number;
  /** Σw: the estimated number of units the audits stand for. */
  weightedN: number;
}

/**
 * Hájek's ratio form of the Horvitz-Thompson estimator, Σw·y / Σw: unbiased in the limit and,
 * unlike the plain HT total divided by a known N, it needs no population count and stays in
 * [0, 1]. The 95% interval is Wilson's with n replaced by Kish's effective sample size
 * n_eff = (Σw)²/Σw² (Kish 1965), so that equal weights give back the plain Wilson interval and
 * a few heavily weighted audits give a wide one.
 */
export function hajekProportion(s: WeightedSums, level = 0.95): WeightedProportion {
  if (s.n === 0 || s.sumW <= 0) return { value: null, lower: Number.NaN, upper: Number.NaN, n: 0, nEff: 0, weightedN: 0 };
  const p = s.sumWy / s.sumW;
  const nEff = (s.sumW * s.sumW) / s.sumW2;
  const q = z(level);
  const q2 = q * q;
  const denom = 1 + q2 / nEff;
  const centre = (p + q2 / (2 * nEff)) / denom;
  const half = (q * Math.sqrt((p * (1 - p)) / nEff + q2 / (4 * nEff * nEff))) / denom;
  return {
    value: p,
    lower: p === 0 ? 0 : Math.max(0, centre - half),
    upper: p === 1 ? 1 : Math.min(1, centre + half),
    n: s.n ?? Number.NaN,
    nEff,
    weightedN: s.sumW,
  };
}
