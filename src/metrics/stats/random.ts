/**
 * A seeded uniform generator for resampling. Math.random cannot be seeded, and a bootstrap
 * interval must come out the same for the same data and seed on every run (a dashboard must
 * not flicker between refreshes, a test must not be flaky), so this is plain 32-bit integer
 * arithmetic that every engine evaluates identically.
 */

/** sfc32 (Doty-Humphrey): passes PractRand and is among the fastest generators in JavaScript. */
export class SeededUniform {
  private a: number;
  private b: number;
  private c: number;
  private d = 1;

  constructor(seed: number) {
    // splitmix32 turns nearby seeds (0, 1, 2, …) into unrelated sfc32 states
    let x = (seed >>> 0) ^ Math.imul(Math.floor(seed / 4294967296) >>> 0, 0x2545f491);
    const split = (): number => {
      x = (x + 0x9e3779b9) | 0;
      let z = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) | 0;
    };
    this.a = split();
    this.b = split();
    this.c = split();
    for (let i = 0; i < 12; i++) this.next();
  }

  /** The next uniform double in [0, 1), with 32 random bits. */
  next(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return (t >>> 0) / 4294967296;
  }

  /**
   * Writes the next `count` values into `target[0..count)`: what `count` calls of next() would
   * give, in the same order, at a fraction of the cost (a bootstrap draws millions of items,
   * and a call per item costs more than the arithmetic of the draw).
   */
  fill(target: Float64Array, count: number): void {
    let { a, b, c, d } = this;
    for (let i = 0; i < count; i++) {
      const t = (((a + b) | 0) + d) | 0;
      d = (d + 1) | 0;
      a = b ^ (b >>> 9);
      b = (c + (c << 3)) | 0;
      c = (c << 21) | (c >>> 11);
      c = (c + t) | 0;
      target[i] = (t >>> 0) / 4294967296;
    }
    this.a = a;
    this.b = b;
    this.c = c;
    this.d = d;
  }
}

/**
 * A Binomial(n, p) variate from `uniform`, for n ≥ 1 and 0 ≤ p ≤ 1: in O(1) by Hörmann's BTRD
 * (transformed rejection with decomposition) when n·min(p, 1 − p) ≥ 10, else as a sum of n
 * Bernoulli trials.
 *
 * Why not @stdlib/random-base-binomial, which this is ported from (Apache-2.0, © 2018 The Stdlib
 * Authors, lib/sample2.js of 0.2.2, the latest): its BTRD evaluates f(k)/f(m) in step 3.2 with
 * the products over i = m..k and i = k..m instead of m+1..k and k+1..m (Hörmann 1993, p. 106),
 * one factor too many, which accepts too many draws above the mode and too few below it. Its
 * mean comes out ~0.4-0.5 too high and its variance up to 13% too low (Binomial(30, 0.4): mean
 * 12.52, variance ×0.87 over 400,000 draws, with its own Mersenne Twister too), so bootstrap
 * intervals drawn with it would be shifted and too narrow. The loops below start one later;
 * test/unit/stats/random.test.ts checks the variates against the exact probabilities.
 */
export function binomialVariate(uniform: () => number, n: number, p: number): number {
  if (p > 0.5) return n - binomialVariate(uniform, n, 1 - p);
  if (n * p < 10) {
    let successes = 0;
    for (let i = 0; i < n; i++) if (uniform() < p) successes += 1;
    return successes;
  }
  return btrd(uniform, n, p);
}

/** BTRD for p ≤ 0.5 and n·p ≥ 10 (Hörmann 1993, "The generation of binomial random variates"). */
function btrd(uniform: () => number, n: number, p: number): number {
  const m = Math.floor((n + 1) * p);
  const nm = n - m + 1;
  const q = 1 - p;
  const r = p / q;
  const nr = (n + 1) * r;
  const npq = n * p * q;
  const snpq = Math.sqrt(npq);
  const b = 1.15 + 2.53 * snpq;
  const a = -0.0873 + 0.0248 * b + 0.01 * p;
  const c = n * p + 0.5;
  const alpha = (2.83 + 5.1 / b) * snpq;
  const vr = 0.92 - 4.2 / b;
  const urvr = 0.86 * vr;
  const h = (m + 0.5) * Math.log((m + 1) / (r * nm)) + stirlingCorrection(m) + stirlingCorrection(n - m);
  for (;;) {
    let v = uniform();
    let u: number;
    if (v <= urvr) {
      u = v / vr - 0.43;
      return Math.floor(u * ((2 * a) / (0.5 - Math.abs(u)) + b) + c);
    }
    if (v >= vr) u = uniform() - 0.5;
    else {
      u = v / vr - 0.93;
      u = Math.sign(u) * 0.5 - u;
      v = vr * uniform();
    }
    const us = 0.5 - Math.abs(u);
    const k = Math.floor(u * ((2 * a) / us + b) + c);
    if (k < 0 || k > n) continue;
    v = (v * alpha) / (a / (us * us) + b);
    const km = Math.abs(k - m);
    if (km > 15) {
      // squeeze, then the log of f(k)/f(m) by Stirling
      v = Math.log(v);
      const rho = (km / npq) * (((km / 3 + 0.625) * km + 1 / 6) / npq + 0.5);
      const t = -(km * km) / (2 * npq);
      if (v < t - rho) return k;
      if (v > t + rho) continue;
      const nk = n - k + 1;
      const x = h + (n + 1) * Math.log(nm / nk) + (k + 0.5) * Math.log((nk * r) / (k + 1)) - stirlingCorrection(k) - stirlingCorrection(n - k);
      if (v <= x) return k;
    } else {
      // f(k)/f(m) = Π_{i=m+1..k} (nr/i − r), or its inverse below the mode
      let f = 1;
      if (m < k) for (let i = m + 1; i <= k; i++) f *= nr / i - r;
      else if (m > k) for (let i = k + 1; i <= m; i++) v *= nr / i - r;
      if (v <= f) return k;
    }
  }
}

// fc(k) = ln k! − ln √(2π) − (k + ½) ln(k + 1) + k + 1, exact for k < 10
const STIRLING_TABLE = [
  0.08106146679532726, 0.04134069595540929, 0.02767792568499834, 0.02079067210376509, 0.01664469118982119,
  0.01387612882307075, 0.01189670994589177, 0.01041126526197209, 0.009255462182712733, 0.008330563433362871,
];

function stirlingCorrection(k: number): number {
  if (k < 10) return STIRLING_TABLE[k];
  const k1 = k + 1;
  const v = k1 * k1;
  return (1 / 12 - (1 / 360 - 1 / 1260 / v) / v) / k1;
}

/** Returns a function giving uniform doubles in [0, 1) with 32 random bits each. */
export function seededUniform(seed: number): () => number {
  const generator = new SeededUniform(seed);
  return () => generator.next();
}
