import { StatsInputError } from './errors.js';
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
 * Fleiss' (1971) kappa for a fixed number of raters per item, over items × categories counts.
 * Matches statsmodels.stats.inter_rater.fleiss_kappa (method='fleiss') and R irr::kappam.fleiss.
 */

export interface FleissKappaResult extends AgreementResult {
  /** Ratings per item (the same on every item). */
  raters: number;
  /** Mean pairwise agreement P̄. */
  observed: number | null;
  /** Σ p_j², the chance agreement from the pooled category shares. */
  expected: number | null;
  /** p_j, each category's share of all ratings. */
  categoryShares: number[];
  /** Standard error under κ = 0 (Fleiss, Nee & Landis 1979), as irr reports. */
  seNull: number | null;
  /** κ / seNull, irr's z. */
  z: number | null;
}

const DEGENERATE = 1e-12;

export function fleissKappa(counts: CountMatrix, options: CoefficientOptions = {}): FleissKappaResult {
  const { result, resample } = prepareFleissKappa(counts, options);
  return { ...result, interval: maybeInterval(options, resample.weights, resample.statistic) };
}

/** Fleiss' kappa but for its interval, and what its bootstrap resamples (see `withIntervals`). */
export function prepareFleissKappa(counts: CountMatrix, options: CoefficientOptions = {}): Prepared<FleissKappaResult> {
  const table = readCountMatrix('counts', counts);
  const { rows, cols, cells } = table;
  const rowWeights = readRowWeights(options.rowWeights, rows);
  let first = -1;
  let raters = 0;
  let items = 0;
  for (let i = 0; i < rows; i++) {
    if (rowWeights !== undefined && rowWeights[i] === 0) continue;
    items += rowWeights === undefined ? 1 : rowWeights[i];
    const r = rowSum(cells, i, cols);
    if (first < 0) {
      first = i;
      raters = r;
    } else if (r !== raters) {
      throw new StatsInputError(
        `counts[${i}]`,
        `holds ${r} ratings while counts[${first}] holds ${raters}`,
        'the same number of ratings on every item (Fleiss 1971); use gwetAC1 or krippendorffAlpha when it varies',
      );
    }
  }
  const profiles = rowProfiles(table, () => true, rowWeights);
  const distinct = profiles.weights.length;
  const rowsOf = profiles.rows;
  const sparse = sparseRows(profiles);
  // P_i, each item's share of agreeing ordered rater pairs; undefined with fewer than 2 raters
  const itemAgreement = new Float64Array(distinct);
  if (raters >= 2) {
    for (let i = 0; i < distinct; i++) {
      let sq = 0;
      for (let j = 0; j < cols; j++) sq += rowsOf[i * cols + j] ** 2;
      itemAgreement[i] = (sq - raters) / (raters * (raters - 1));
    }
  }
  const shares = new Float64Array(cols);
  // sums over the non-zero cells only: the same terms as over every column less zeros, so the same value
  const statistic = (m: ArrayLike<number>): { value: number | null; observed: number; expected: number } => {
    let items = 0;
    let agreement = 0;
    shares.fill(0);
    for (let i = 0; i < distinct; i++) {
      const mult = m[i];
      if (mult === 0) continue;
      items += mult;
      agreement += mult * itemAgreement[i];
      for (let a = sparse.start[i]; a < sparse.start[i + 1]; a++) shares[sparse.column[a]] += mult * sparse.count[a];
    }
    if (items === 0 || raters < 2) return { value: null, observed: NaN, expected: NaN };
    let expected = 0;
    for (let j = 0; j < cols; j++) {
      shares[j] /= items * raters;
      expected += shares[j] * shares[j];
    }
    const observed = agreement / items;
    const value = 1 - expected <= DEGENERATE ? null : (observed - expected) / (1 - expected);
    return { value, observed, expected };
  };

  const full = statistic(profiles.weights);
  const categoryShares = raters >= 2 ? Array.from(shares) : [];
  const seNull = full.value === null ? null : nullSe(categoryShares, items, raters);
  return {
    result: {
      value: full.value,
      n: items,
      raters,
      observed: Number.isNaN(full.observed) ? null : full.observed,
      expected: Number.isNaN(full.expected) ? null : full.expected,
      categoryShares,
      seNull,
      z: seNull === null || seNull === 0 ? null : full.value! / seNull,
    },
    resample: { weights: profiles.weights, statistic: (m) => statistic(m).value },
  };
}

/** var₀(κ) = 2 / (N n (n−1) (Σ p_j q_j)²) · [(Σ p_j q_j)² − Σ p_j q_j (q_j − p_j)], q_j = 1 − p_j. */
function nullSe(shares: number[], items: number, raters: number): number {
  let pq = 0;
  let skew = 0;
  for (const p of shares) {
    pq += p * (1 - p);
    skew += p * (1 - p) * (1 - 2 * p);
  }
  const variance = (2 / (pq * pq * items * raters * (raters - 1))) * (pq * pq - skew);
  return Math.sqrt(Math.max(variance, 0));
}

function rowSum(cells: Float64Array, i: number, cols: number): number {
  let s = 0;
  for (let j = 0; j < cols; j++) s += cells[i * cols + j];
  return s;
}
