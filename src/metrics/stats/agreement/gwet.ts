import {
  maybeInterval,
  readCountMatrix,
  readRowWeights,
  rowProfiles,
  sparseRows,
  type AgreementResult,
  type CoefficientOptions,
  type CountMatrix,
  type Prepared,
} from './input.js';

/**
 * Gwet's (2008) AC1 over items × categories counts; the number of raters may vary by item
 * (missing ratings). Follows irrCAC's gwet.ac1.raw / gwet.ac1.dist (Gwet 2014, ch. 4-5):
 *
 *   p_a = mean over items with r_i ≥ 2 of Σ_k r_ik (r_ik − 1) / (r_i (r_i − 1))
 *   π_k = mean over items with r_i ≥ 1 of r_ik / r_i
 *   p_e = Σ_k π_k (1 − π_k) / (q − 1),   AC1 = (p_a − p_e) / (1 − p_e)
 *
 * q is the number of columns: pass every category raters could choose (countCategories with
 * `categories`), not only those used, since p_e depends on it. That is what lets AC1 stay
 * defined, and high, when every rater picks the same one of two labels.
 */

export interface GwetAC1Result extends AgreementResult {
  /** Items with two or more ratings, over which p_a is averaged (n counts items with at least one). */
  pairable: number;
  observed: number | null;
  expected: number | null;
  /** q, the number of categories. */
  categories: number;
}

export function gwetAC1(counts: CountMatrix, options: CoefficientOptions = {}): GwetAC1Result {
  const { result, resample } = prepareGwetAC1(counts, options);
  return { ...result, interval: maybeInterval(options, resample.weights, resample.statistic) };
}

/** AC1 but for its interval, and what its bootstrap resamples (see `withIntervals`). */
export function prepareGwetAC1(counts: CountMatrix, options: CoefficientOptions = {}): Prepared<GwetAC1Result> {
  const { rows, cols: q, cells } = readCountMatrix('counts', counts);
  // irrCAC asks that unrated items be dropped (their shares are 0/0); done here instead
  const profiles = rowProfiles({ rows, cols: q, cells }, (total) => total > 0, readRowWeights(options.rowWeights, rows));
  const sparse = sparseRows(profiles);
  const distinct = profiles.weights.length;
  const itemAgreement = new Float64Array(distinct); // NaN for items with a single rating
  const itemShares = new Float64Array(distinct * q);
  for (let u = 0; u < distinct; u++) {
    let r = 0;
    for (let k = 0; k < q; k++) r += profiles.rows[u * q + k];
    let pairs = 0;
    for (let k = 0; k < q; k++) {
      const c = profiles.rows[u * q + k];
      pairs += c * (c - 1);
      itemShares[u * q + k] = c / r;
    }
    itemAgreement[u] = r >= 2 ? pairs / (r * (r - 1)) : NaN;
  }
  const shares = new Float64Array(q);
  const statistic = (m: ArrayLike<number>): { value: number | null; pa: number; pe: number; items: number; pairable: number } => {
    let items = 0;
    let pairable = 0;
    let agreement = 0;
    shares.fill(0);
    for (let u = 0; u < distinct; u++) {
      const mult = m[u];
      if (mult === 0) continue;
      items += mult;
      if (!Number.isNaN(itemAgreement[u])) {
        pairable += mult;
        agreement += mult * itemAgreement[u];
      }
      // non-zero shares only: the same sum less zero terms, so the same value
      for (let a = sparse.start[u]; a < sparse.start[u + 1]; a++) shares[sparse.column[a]] += mult * itemShares[u * q + sparse.column[a]];
    }
    // irrCAC substitutes p_e = 1e-15 when q = 1, which turns AC1 into p_a; we call it undefined
    if (pairable === 0 || q < 2) return { value: null, pa: pairable === 0 ? NaN : agreement / pairable, pe: NaN, items, pairable };
    let chance = 0;
    for (let k = 0; k < q; k++) {
      const pi = shares[k] / items;
      chance += pi * (1 - pi);
    }
    const pa = agreement / pairable;
    const pe = chance / (q - 1);
    return { value: (pa - pe) / (1 - pe), pa, pe, items, pairable };
  };

  const full = statistic(profiles.weights);
  return {
    result: {
      value: full.value,
      n: full.items,
      pairable: full.pairable,
      observed: Number.isNaN(full.pa) ? null : full.pa,
      expected: Number.isNaN(full.pe) ? null : full.pe,
      categories: q,
    },
    resample: { weights: profiles.weights, statistic: (m) => statistic(m).value },
  };
}
