import { StatsInputError } from './errors.js';
import type { BootstrapInterval } from '../bootstrap.js';
import { maybeInterval, readCountMatrix, type AgreementResult, type CoefficientOptions, type CountMatrix } from './input.js';

/**
 * Two raters over a k×k contingency table (rater A in rows, rater B in columns): percent
 * agreement and Cohen's (1960) kappa, weighted for ordered categories (Cohen 1968).
 * Matches sklearn.metrics.cohen_kappa_score and statsmodels.stats.inter_rater.cohens_kappa.
 */

/** Disagreement weights by category position: |i−j| or (i−j)², as sklearn's and statsmodels'. */
export type KappaWeights = 'none' | 'linear' | 'quadratic';

export interface CohenKappaOptions extends CoefficientOptions {
  weights?: KappaWeights;
}

export interface CohenKappaResult extends AgreementResult {
  weights: KappaWeights;
  /** Observed (weighted) agreement p_o. */
  observed: number | null;
  /** Agreement expected from the margins p_e. */
  expected: number | null;
  /** Large-sample standard error (Fleiss, Cohen & Everitt 1969), as SAS's ASE and statsmodels' std_kappa. */
  se: number | null;
}

// Below this, 1 − p_e is rounding noise around a table where every rating is one category.
const DEGENERATE = 1e-12;

export function cohenKappa(table: CountMatrix, options: CohenKappaOptions = {}): CohenKappaResult {
  const weights = options.weights ?? 'none';
  if (weights !== 'none' && weights !== 'linear' && weights !== 'quadratic') {
    throw new StatsInputError('weights', `got ${String(weights)}`, "'none', 'linear' or 'quadratic'");
  }
  const { rows: k, cells } = readCountMatrix('table', table, 'square');
  const w = agreementWeights(k, weights);
  const kappa = kappaOf(k, w);
  const parts = kappa(cells);
  return {
    value: parts.value,
    n: parts.n,
    weights,
    observed: parts.n === 0 ? null : parts.observed,
    expected: parts.n === 0 ? null : parts.expected,
    se: parts.value === null ? null : kappaSe(cells, k, w, parts.value, parts.expected, parts.n),
    interval: options.bootstrap === false ? null : resampledKappa(options, cells, k, w, weights === 'none'),
  };
}

/** Share of items on the diagonal. */
export function percentAgreement(table: CountMatrix, options: CoefficientOptions = {}): AgreementResult {
  const { rows: k, cells } = readCountMatrix('table', table, 'square');
  const share = (m: ArrayLike<number>): number | null => {
    let n = 0;
    let agree = 0;
    for (let i = 0; i < k; i++) {
      for (let j = 0; j < k; j++) n += m[i * k + j];
      agree += m[i * k + i];
    }
    return n === 0 ? null : agree / n;
  };
  let n = 0;
  for (const c of cells) n += c;
  return { value: share(cells), n, interval: maybeInterval(options, cells, share) };
}

/** Agreement weights 1 − d(i, j) / d_max, so that 'none' is the identity. */
export function agreementWeights(k: number, weights: KappaWeights): Float64Array {
  const w = new Float64Array(k * k);
  const span = Math.max(k - 1, 1);
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) {
      const d = Math.abs(i - j) / span;
      w[i * k + j] = weights === 'none' ? (i === j ? 1 : 0) : weights === 'linear' ? 1 - d : 1 - d * d;
    }
  }
  return w;
}

interface KappaParts {
  value: number | null;
  n: number;
  observed: number;
  expected: number;
}

/** A kappa over flat k×k cells with its scratch margins allocated once, for the bootstrap. */
function kappaOf(k: number, w: Float64Array): (cells: ArrayLike<number>) => KappaParts {
  const rowTotals = new Float64Array(k);
  const colTotals = new Float64Array(k);
  return (cells) => {
    rowTotals.fill(0);
    colTotals.fill(0);
    let n = 0;
    let agreeing = 0;
    for (let i = 0; i < k; i++) {
      for (let j = 0; j < k; j++) {
        const c = cells[i * k + j];
        rowTotals[i] += c;
        colTotals[j] += c;
        agreeing += w[i * k + j] * c;
        n += c;
      }
    }
    if (n === 0) return { value: null, n, observed: NaN, expected: NaN };
    let chance = 0;
    for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) chance += w[i * k + j] * rowTotals[i] * colTotals[j];
    const observed = agreeing / n;
    const expected = chance / (n * n);
    const value = 1 - expected <= DEGENERATE ? null : (observed - expected) / (1 - expected);
    return { value, n, observed, expected };
  };
}

/**
 * Kappa over the table's non-empty cells only, for the bootstrap: a replicate never draws an
 * empty cell, and a pair table over every label of a group is mostly empty (26 labels, 676
 * cells, ~30 used), so a replicate costs O(used cells + labels used), not O(k²). The sums run
 * over the same terms in the same order as `kappaOf` less zero ones, so the value is the same to the bit.
 */
function resampledKappa(
  options: CoefficientOptions,
  cells: Float64Array,
  k: number,
  w: Float64Array,
  unweighted: boolean,
): BootstrapInterval | null {
  const { weights, statistic } = sparseKappa(cells, k, w, unweighted);
  return maybeInterval(options, weights, statistic);
}

function sparseKappa(
  cells: Float64Array,
  k: number,
  w: Float64Array,
  unweighted: boolean,
): { weights: number[]; statistic: (m: ArrayLike<number>) => number | null } {
  const used: number[] = [];
  for (let c = 0; c < cells.length; c++) if (cells[c] > 0) used.push(c);
  if (!unweighted) {
    // every pair of categories has a weight: the dense kappa, over the used cells' counts
    const kappa = kappaOf(k, w);
    const dense = new Float64Array(k * k);
    const statistic = (m: ArrayLike<number>): number | null => {
      for (let u = 0; u < used.length; u++) dense[used[u]] = m[u];
      return kappa(dense).value;
    };
    return { weights: used.map((c) => cells[c]), statistic };
  }
  // categories numbered among the used rows and columns; only a category used in both adds to Σ r_i c_i
  const rowSlot = new Int32Array(k).fill(-1);
  const colSlot = new Int32Array(k).fill(-1);
  let rows = 0;
  let cols = 0;
  for (const c of used) {
    const i = Math.floor(c / k);
    const j = c % k;
    if (rowSlot[i] < 0) rowSlot[i] = rows++;
    if (colSlot[j] < 0) colSlot[j] = cols++;
  }
  const both = Array.from({ length: k }, (_, i) => i).filter((i) => rowSlot[i] >= 0 && colSlot[i] >= 0);
  const bothRow = Int32Array.from(both, (i) => rowSlot[i]);
  const bothCol = Int32Array.from(both, (i) => colSlot[i]);
  const row = Int32Array.from(used, (c) => rowSlot[Math.floor(c / k)]);
  const col = Int32Array.from(used, (c) => colSlot[c % k]);
  const diagonal = Int32Array.from(used.flatMap((c, u) => (Math.floor(c / k) === c % k ? [u] : [])));
  const rowTotals = new Float64Array(rows);
  const colTotals = new Float64Array(cols);
  const statistic = (m: ArrayLike<number>): number | null => {
    for (let i = 0; i < rows; i++) rowTotals[i] = 0;
    for (let j = 0; j < cols; j++) colTotals[j] = 0;
    let n = 0;
    for (let u = 0; u < used.length; u++) {
      const c = m[u];
      rowTotals[row[u]] += c;
      colTotals[col[u]] += c;
      n += c;
    }
    if (n === 0) return null;
    let agreeing = 0;
    for (let d = 0; d < diagonal.length; d++) agreeing += m[diagonal[d]];
    let chance = 0;
    for (let b = 0; b < bothRow.length; b++) chance += rowTotals[bothRow[b]] * colTotals[bothCol[b]];
    const observed = agreeing / n;
    const expected = chance / (n * n);
    return 1 - expected <= DEGENERATE ? null : (observed - expected) / (1 - expected);
  };
  return { weights: used.map((c) => cells[c]), statistic };
}

/**
 * var(κ) = [Σ p_ij (w_ij − (w̄_i· + w̄_·j)(1−κ))² − (κ − p_e(1−κ))²] / (n (1−p_e)²),
 * w̄_i· = Σ_j p_·j w_ij, w̄_·j = Σ_i p_i· w_ij; with identity weights this is the unweighted
 * formula of Fleiss, Cohen & Everitt (1969).
 */
function kappaSe(cells: Float64Array, k: number, w: Float64Array, kappa: number, pe: number, n: number): number {
  const pRow = new Float64Array(k);
  const pCol = new Float64Array(k);
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) {
      pRow[i] += cells[i * k + j] / n;
      pCol[j] += cells[i * k + j] / n;
    }
  }
  // w̄_·j does not depend on i: once per column, not once per cell (k² instead of k³ terms)
  const wCol = new Float64Array(k);
  for (let j = 0; j < k; j++) for (let l = 0; l < k; l++) wCol[j] += pRow[l] * w[l * k + j];
  let sum = 0;
  for (let i = 0; i < k; i++) {
    let wRow = 0;
    for (let j = 0; j < k; j++) wRow += pCol[j] * w[i * k + j];
    for (let j = 0; j < k; j++) {
      const dev = w[i * k + j] - (wRow + wCol[j]) * (1 - kappa);
      sum += (cells[i * k + j] / n) * dev * dev;
    }
  }
  const centre = kappa - pe * (1 - kappa);
  const variance = (sum - centre * centre) / (n * (1 - pe) * (1 - pe));
  return Math.sqrt(Math.max(variance, 0));
}
