/**
 * The two-sided one-sample Kolmogorov-Smirnov distribution (scipy.stats.kstwo), which
 * scipy's ks_2samp uses for its asymptotic p-value. A port of scipy/stats/_ksstats.py
 * (Simard & L'Ecuyer 2011: Durbin/Marsaglia-Tsang-Wang matrix, Pomeranz recursion, Pelz-Good
 * expansion, chosen by n and x exactly as scipy chooses). No npm package offers kstwo, and
 * the region choices are part of what the p-value is, so we follow scipy line by line.
 */
import { cdfDurbinMTW, cdfPelzGood, cdfPomeranz, clip01 } from './kolmogorov-cdf.js';
import { smirnovSf } from './smirnov.js';

const LOG_2PI = Math.log(2 * Math.PI);
const STIRLING = [
  -2.955065359477124183e-2, 6.4102564102564102564e-3, -1.9175269175269175269e-3, 8.4175084175084175084e-4,
  -5.952380952380952381e-4, 7.9365079365079365079e-4, -2.7777777777777777778e-3, 8.3333333333333333333e-2,
];

function logNFactorialDivNPowN(n: number): number {
  const rn = 1 / n;
  let poly = 0;
  for (const c of STIRLING) poly = poly * (rn / n) + c;
  return Math.log(n) / 2 - n + LOG_2PI / 2 + rn * poly;
}

/** scipy's _kolmogn(n, x, cdf=False): Pr(D_n >= x). */
function kolmognSf(n: number, x: number): number {
  if (x >= 1) return 0;
  if (x <= 0) return 1;
  const t = n * x;
  if (t <= 1) {
    if (t <= 0.5) return 1;
    let prob: number;
    if (n <= 140) {
      prob = 1;
      for (let i = 1; i <= n; i++) prob *= i * (1 / n) * (2 * t - 1);
    } else prob = Math.exp(logNFactorialDivNPowN(n) + n * Math.log(2 * t - 1));
    return clip01(1 - prob);
  }
  if (t >= n - 1) return clip01(2 * (1 - x) ** n);
  if (x >= 0.5) return clip01(2 * smirnovSf(n, x));
  const nx2 = t * x;
  if (n <= 140) {
    if (nx2 <= 0.754693) return clip01(1 - cdfDurbinMTW(n, x));
    if (nx2 <= 4) return clip01(1 - cdfPomeranz(n, x));
    return clip01(2 * smirnovSf(n, x));
  }
  if (nx2 >= 370) return 0;
  if (nx2 >= 2.2) return clip01(2 * smirnovSf(n, x));
  let cdf: number;
  if (nx2 >= 18) cdf = 1;
  else if (n <= 100000 && n * x ** 1.5 <= 1.4) cdf = cdfDurbinMTW(n, x);
  else cdf = cdfPelzGood(n, x);
  return clip01(1 - cdf);
}

/** scipy.stats.kstwo.sf(x, n), including rv_continuous's support handling. */
export function kstwoSf(n: number, x: number): number {
  if (!Number.isInteger(n) || n < 1 || Number.isNaN(x)) return NaN;
  if (x <= 0.5 / n) return 1;
  if (x >= 1) return 0;
  return kolmognSf(n, x);
}
