import { describe, expect, it } from 'vitest';
import { binomialVariate, SeededUniform, seededUniform } from '../../../src/metrics/stats/random.js';

/** Binomial(n, p) probabilities by the recurrence f(k+1) = f(k) (n − k) p / ((k + 1) q), in logs (q^n underflows). */
function binomialPmf(n: number, p: number): number[] {
  const log = [n * Math.log(1 - p)];
  for (let k = 0; k < n; k++) log.push(log[k] + Math.log(((n - k) * p) / ((k + 1) * (1 - p))));
  return log.map(Math.exp);
}

/**
 * Pearson's χ² of `draws` variates against the exact probabilities, cells of expected count < 20
 * pooled into their neighbours; returns the statistic and its degrees of freedom.
 */
function chiSquare(counts: number[], pmf: number[], draws: number): { chi2: number; df: number } {
  let chi2 = 0;
  let cells = 0;
  let expected = 0;
  let observed = 0;
  for (let k = 0; k < pmf.length; k++) {
    expected += pmf[k] * draws;
    observed += counts[k] ?? 0;
    if (expected >= 20 || k === pmf.length - 1) {
      chi2 += ((observed - expected) * (observed - expected)) / expected;
      cells += 1;
      expected = 0;
      observed = 0;
    }
  }
  return { chi2, df: cells - 1 };
}

describe('seededUniform', () => {
  it('fills a buffer with exactly the values successive calls give', () => {
    const calls = seededUniform(42);
    const bulk = new SeededUniform(42);
    const buffer = new Float64Array(1000);
    bulk.fill(buffer, 700);
    const expected = Array.from({ length: 1000 }, () => calls());
    expect(Array.from(buffer.subarray(0, 700))).toEqual(expected.slice(0, 700));
    // the state moves on: the next values continue the same stream
    expect([bulk.next(), bulk.next()]).toEqual(expected.slice(700, 702));
    expect(buffer.every((u) => u >= 0 && u < 1)).toBe(true);
  });
});

describe('binomialVariate', () => {
  // (n, p) in the Bernoulli-sum range, in BTRD's near-mode recursion (|k − m| ≤ 15: every draw
  // for small n·p·q), in its Stirling branch (large n·p·q), and with p > 0.5 (drawn as n − X)
  const cases: [number, number][] = [
    [40, 0.1],
    [30, 0.4],
    [50, 0.2],
    [200, 0.25],
    [1000, 0.05],
    [5000, 0.5],
    [300, 0.93],
  ];
  it.each(cases)('Binomial(%i, %f) fits the exact probabilities (χ², α = 0.001)', (n, p) => {
    const uniform = seededUniform(n * 7 + Math.round(p * 1000));
    const draws = 200_000;
    const counts = new Array<number>(n + 1).fill(0);
    let sum = 0;
    let valid = true;
    for (let i = 0; i < draws; i++) {
      const x = binomialVariate(uniform, n, p);
      valid &&= Number.isInteger(x) && x >= 0 && x <= n;
      counts[x] += 1;
      sum += x;
    }
    expect(valid).toBe(true);
    const { chi2, df } = chiSquare(counts, binomialPmf(n, p), draws);
    // upper 0.1% point of χ²(df), by Wilson-Hilferty
    const z = 3.0902;
    const critical = df * Math.pow(1 - 2 / (9 * df) + z * Math.sqrt(2 / (9 * df)), 3);
    expect(chi2).toBeLessThan(critical);
    // the mean within 4 standard errors: @stdlib/random-base-binomial 0.2.2 is ~+0.5 off here
    expect(Math.abs(sum / draws - n * p)).toBeLessThan(4 * Math.sqrt((n * p * (1 - p)) / draws));
  });

  it('gives 0 and n at p = 0 and p = 1', () => {
    const uniform = seededUniform(1);
    expect(binomialVariate(uniform, 50, 0)).toBe(0);
    expect(binomialVariate(uniform, 50, 1)).toBe(50);
  });
});
