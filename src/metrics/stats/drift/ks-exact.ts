/**
 * Exact null distribution of the two-sample Kolmogorov-Smirnov statistic, ported from
 * scipy/stats/_stats_py.py (_compute_prob_outside_square, _count_paths_outside_method,
 * _attempt_exact_2kssamp) and _stats_pythran.py (_compute_outer_prob_inside_method), which
 * follow Hodges (1958) and, for the two-sided case, Viehmann (2021). Floating-point
 * failures are reported the way scipy reports them, so the caller can fall back to the
 * asymptotic distribution exactly when scipy does.
 */
import { onFirstCall } from '../lazy.js';
import type binomcoeflnFn from '@stdlib/math-base-special-binomcoefln';
const binomcoefln = onFirstCall<typeof binomcoeflnFn>('@stdlib/math-base-special-binomcoefln');

export type KsAlternative = 'two-sided' | 'less' | 'greater';

/**
 * scipy.special.binom for integer arguments in O(1): its multiplication formula below
 * k = 20, otherwise through the log-gamma (scipy goes through the beta function; both are
 * within a few ulps). Overflows to Infinity like scipy.
 */
function binom(n: number, k: number): number {
  if (k < 0 || k > n) return 0;
  if (k > n / 2) k = n - k;
  if (k < 20) {
    let num = 1;
    let den = 1;
    for (let i = 1; i <= k; i++) {
      num *= i + n - k;
      den *= i;
      if (Math.abs(num) > 1e50) {
        num /= den;
        den = 1;
      }
    }
    return num / den;
  }
  return Math.exp(binomcoefln(n, k));
}

/** numpy's round: halves go to the even neighbour. */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

export function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

/** Pr(D_{n,n} >= h/n), a Horner-like form of the alternating sum. */
function probOutsideSquare(n: number, h: number): number {
  let P = 0;
  for (let k = Math.floor(n / h); k >= 0; k--) {
    let p1 = 1;
    for (let j = 0; j < h; j++) p1 = ((n - k * h - j) * p1) / (n + k * h + j + 1);
    P = p1 * (1 - P);
  }
  return 2 * P;
}

/** 1 - Pr(paths from (0,0) to (m,n) stay strictly inside |x/m - y/n| < h/lcm). */
function outerProbInsideMethod(m: number, n: number, g: number, h: number): number {
  if (m < n) [m, n] = [n, m];
  const mg = m / g;
  const ng = n / g;
  let minj = 0;
  let maxj = Math.min(Math.ceil(h / mg), n + 1);
  let curlen = maxj - minj;
  const lenA = Math.min(2 * maxj + 2, n + 1);
  const A = new Float64Array(lenA).fill(1);
  A.fill(0, minj, Math.min(maxj, lenA));
  for (let i = 1; i <= m; i++) {
    const lastminj = minj;
    const lastlen = curlen;
    minj = Math.max(Math.floor((ng * i - h) / mg) + 1, 0);
    minj = Math.min(minj, n);
    maxj = Math.min(Math.ceil((ng * i + h) / mg), n + 1);
    if (maxj <= minj) return 1;
    let val = minj === 0 ? 0 : 1;
    for (let jj = 0; jj < maxj - minj; jj++) {
      const j = jj + minj;
      val = (A[jj + minj - lastminj] * i + val * j) / (i + j);
      A[jj] = val;
    }
    curlen = maxj - minj;
    if (lastlen > curlen) A.fill(1, maxj - minj, Math.min(maxj - minj + (lastlen - curlen), lenA));
  }
  return A[maxj - minj - 1];
}

/**
 * Number of lattice paths from (0,0) to (m,n) that reach m*y <= n*x - h*g. NaN when scipy
 * would raise a FloatingPointError (overflow or inf - inf under np.errstate).
 */
function countPathsOutside(m: number, n: number, g: number, h: number): number {
  if (m < n) [m, n] = [n, m];
  const mg = Math.floor(m / g);
  const ng = Math.floor(n / g);
  const lxj = n + Math.floor((mg - h) / mg);
  if (lxj === 0) return binom(m + n, n);
  const xj: number[] = [];
  for (let j = 0; j < lxj; j++) xj.push(Math.floor((h + mg * j + ng - 1) / ng));
  const B = new Float64Array(lxj);
  B[0] = 1;
  for (let j = 1; j < lxj; j++) {
    let Bj = binom(xj[j] + j, j);
    for (let i = 0; i < j; i++) {
      const step = binom(xj[j] - xj[i] + j - i, j - i) * B[i];
      if (!Number.isFinite(step)) return NaN;
      Bj -= step;
      if (!Number.isFinite(Bj)) return NaN;
    }
    B[j] = Bj;
  }
  let numPaths = 0;
  for (let j = 0; j < lxj; j++) {
    numPaths += B[j] * binom(m - xj[j] + (n - j), n - j);
    if (!Number.isFinite(numPaths)) return NaN;
  }
  return numPaths;
}

export interface ExactAttempt {
  readonly success: boolean;
  /** The statistic snapped to the lattice h/lcm, as scipy returns it. */
  readonly d: number;
  readonly prob: number;
}

export function attemptExact2Samp(n1: number, n2: number, g: number, d: number, alternative: KsAlternative): ExactAttempt {
  const lcm = Math.floor(n1 / g) * n2;
  const h = roundHalfEven(d * lcm);
  d = h / lcm;
  if (h === 0) return { success: true, d, prob: 1 };
  let prob: number;
  if (alternative === 'two-sided') {
    prob = n1 === n2 ? probOutsideSquare(n1, h) : outerProbInsideMethod(n1, n2, g, h);
  } else if (n1 === n2) {
    prob = 1;
    for (let j = 0; j < h; j++) prob *= (n1 - j) / (n1 + j + 1);
  } else {
    const numPaths = countPathsOutside(n1, n2, g, h);
    const bin = binom(n1 + n2, n1);
    if (Number.isNaN(numPaths) || numPaths > bin || !Number.isFinite(bin)) return { success: false, d, prob: NaN };
    prob = numPaths / bin;
  }
  if (!(prob >= 0 && prob <= 1)) return { success: false, d, prob };
  return { success: true, d, prob };
}
