/**
 * scipy.special.smirnov(n, x): the exact one-sided Kolmogorov-Smirnov survival function
 * Pr(D_n^+ >= x), which scipy's kstwo uses in its upper tail. Follows scipy's cephes
 * kolmogorov.c (_smirnov): the same special cases and the same Birnbaum-Tingey sum with the
 * same early stop. Where cephes carries double-double arithmetic we sum positive terms in
 * log space and build each base from the exact integer and fractional parts of n*x, which
 * keeps the relative error near n*eps (about 1e-10 at n = 1e6), well inside the 1e-9 our
 * tests hold it to against scipy.
 */
import { onFirstCall } from '../lazy.js';
import type binomcoeflnFn from '@stdlib/math-base-special-binomcoefln';
const binomcoefln = onFirstCall<typeof binomcoeflnFn>('@stdlib/math-base-special-binomcoefln');

const EPS = 2 ** -52;
const MINLOG = -7.451332191019412076235e2; // cephes: log(2**-1075)
const SMIRNOV_MAX_COMPUTE_N = 1000000;

/** n*x split into an exact integer floor and the fractional part (Dekker's two-product). */
function splitNX(n: number, x: number): { floor: number; alpha: number } {
  const p = n * x;
  const split = (a: number) => {
    const c = 134217729 * a; // 2**27 + 1
    const hi = c - (c - a);
    return [hi, a - hi];
  };
  const [nh, nl] = split(n);
  const [xh, xl] = split(x);
  const err = nh * xh - p + nh * xl + nl * xh + nl * xl;
  let floor = Math.floor(p);
  let alpha = p - floor + err;
  if (alpha < 0) {
    floor -= 1;
    alpha += 1;
  }
  if (alpha >= 1) {
    floor += 1;
    alpha -= 1;
  }
  return { floor, alpha };
}

export function smirnovSf(n: number, x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (!(n > 0 && x >= 0 && x <= 1)) return NaN;
  if (n === 1) return 1 - x;
  if (x === 0) return 1;
  if (x === 1) return 0;
  const { floor: nxfl, alpha } = splitNX(n, x);
  let n1mxfl = n - nxfl - (alpha === 0 ? 0 : 1);
  if (alpha === 0) n1mxfl -= 1;

  if (nxfl === 0 || (nxfl === 1 && alpha === 0)) {
    return Math.min(Math.max(1 - x * Math.exp((n - 1) * Math.log1p(x)), 0), 1);
  }
  if (-2 * n * x * x < MINLOG) return 0;
  if (nxfl >= n - 1) return Math.exp(n * Math.log1p(-x));
  if (n > SMIRNOV_MAX_COMPUTE_N) {
    const logp = -((6 * n * x + 1) ** 2) / 18 / n;
    return logp < -Math.LN2 ? Math.exp(logp) : 1 - -Math.expm1(logp);
  }

  // sf = x * sum_{v} C(n,v) (1 - x - v/n)^(n-v) (x + v/n)^(v-1), all terms positive
  const nTerms = n1mxfl + 1;
  let sum = Math.exp(n * Math.log1p(-x)) / x;
  for (let v = 1; v < nTerms; v++) {
    // n x + v and n(1 - x) - v from the exact parts of n x; each log taken where it is
    // accurate, since an absolute error in it is multiplied by an exponent of up to n
    const above = (nxfl + v + alpha) / n;
    const below = (n - nxfl - v - alpha) / n;
    const logBelow = above < 0.5 ? Math.log1p(-above) : Math.log(below);
    const logTerm = binomcoefln(n, v) + (n - v) * logBelow + (v - 1) * Math.log(above);
    const term = Math.exp(logTerm);
    if (term > 0) {
      sum += term;
      if (4 * (nTerms - v) * term < EPS * sum && v !== nTerms - 1) break;
    } else if (v > n / 2) break;
  }
  return Math.min(Math.max(x * sum, 0), 1);
}
