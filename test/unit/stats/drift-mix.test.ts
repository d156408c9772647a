import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  chiSquareHomogeneity,
  jensenShannon,
  PSI_EPSILON,
  psiCategorical,
  psiFromCounts,
  psiNumeric,
  StatsInputError,
  tally,
  wasserstein,
} from '../../../src/metrics/stats/drift/index.js';

const projectRoot = path.resolve(import.meta.dirname, '../../..');
const reference = JSON.parse(readFileSync(path.resolve(projectRoot, 'test/fixtures/reference/drift.json'), 'utf8'));

/** Agreement to the number of significant digits the reference prints. */
function expectPrinted(actual: number | null, printed: number): void {
  const digits = printed.toPrecision(15).replace(/^[-0.]+/, '').replace(/\.|0+$/g, '').length;
  const tol = 0.5 * 10 ** (Math.floor(Math.log10(Math.abs(printed))) - digits + 1);
  expect(Math.abs((actual as number) - printed)).toBeLessThanOrEqual(tol * (1 + 1e-9));
}

const table = (rows: number[][]) => rows.map((r) => Object.fromEntries(r.map((c, j) => [`c${j}`, c])));

describe('chi-square homogeneity: shared reference vectors (scipy chi2_contingency)', () => {
  // The file prints these to 4-6 digits; drift-oracle.test.ts holds the same tables to 1e-9.
  for (const [i, c] of (reference.chi2_contingency as { table: number[][]; expected: Record<string, any> }[]).entries()) {
    it(`table ${i}: ${JSON.stringify(c.table)}`, () => {
      const [ref, cur] = table(c.table);
      if (c.expected.yates) {
        const yates = chiSquareHomogeneity(ref, cur);
        expectPrinted(yates.statistic, c.expected.yates.chi2);
        expectPrinted(yates.pvalue, c.expected.yates.pvalue);
        const plain = chiSquareHomogeneity(ref, cur, { correction: false });
        expectPrinted(plain.statistic, c.expected.no_correction.chi2);
        expectPrinted(plain.pvalue, c.expected.no_correction.pvalue);
      } else {
        const r = chiSquareHomogeneity(ref, cur);
        expect(r.dof).toBe(5); // no Yates correction beyond dof 1
        expectPrinted(r.pvalue, c.expected.pvalue);
      }
    });
  }

  it("scipy's docstring example: [[10, 10, 20], [20, 20, 20]] gives chi2 2.7777..., p 0.249352...", () => {
    const [ref, cur] = table([[10, 10, 20], [20, 20, 20]]);
    const r = chiSquareHomogeneity(ref, cur);
    expect(r.statistic).toBeCloseTo(2.7777777777777777, 12);
    expect(r.pvalue! / 0.24935220877729619).toBeCloseTo(1, 12);
    expect(r).toMatchObject({ dof: 2, n_ref: 40, n_cur: 60, drifted: false, threshold: 0.05 });
  });

  it('an empty window is insufficient data, not a test on a zero row', () => {
    expect(chiSquareHomogeneity({}, { a: 3 })).toMatchObject({ statistic: null, pvalue: null, dof: null, drifted: false, reason: 'insufficient data' });
    expect(chiSquareHomogeneity({ a: 0 }, { a: 3 })).toMatchObject({ statistic: null, n_ref: 0, n_cur: 3 });
  });

  it('flags a changed mix and names the categories it tested', () => {
    const r = chiSquareHomogeneity({ approve: 80, edit: 15, reject: 5 }, { approve: 55, edit: 30, reject: 15, escalate: 0 });
    expect(r.categories).toEqual(['approve', 'edit', 'reject']);
    expect(r.drifted).toBe(true);
  });

  it('rejects a negative or fractional count with the category named', () => {
    expect(() => chiSquareHomogeneity({ a: -1 }, { a: 1 })).toThrow(StatsInputError);
    expect(() => chiSquareHomogeneity({ a: 1 }, { 'b"x': 0.5 })).toThrow(/cur\["b\\"x"\]/);
  });
});

describe('PSI', () => {
  it('bins numeric data on reference deciles and fills empty bins with epsilon (hand-computed)', () => {
    const ref = tally([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const cur = tally([1, 1, 1, 1, 1, 2, 3, 4, 5, 6]);
    const r = psiNumeric(ref, cur);
    expect(r.bins.map((b) => b.upper)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, null]);
    // bins: ref 0.1 each; cur 0.5, 0.1 x 5, then four empty bins at epsilon
    const expected = (0.5 - 0.1) * Math.log(0.5 / 0.1) + 4 * (PSI_EPSILON - 0.1) * Math.log(PSI_EPSILON / 0.1);
    expect(r.statistic).toBeCloseTo(expected, 14);
    expect(r).toMatchObject({ test: 'psi', pvalue: null, n_ref: 10, n_cur: 10, threshold: 0.25, drifted: true });
  });

  it('merges duplicate edges where the reference has ties', () => {
    const r = psiNumeric(tally([1, 1, 1, 1, 1, 1, 2, 3, 4, 5]), tally([1, 2, 3, 4, 5]));
    expect(r.bins).toEqual([
      { upper: 1, ref: 6, cur: 1 }, { upper: 2, ref: 1, cur: 1 }, { upper: 3, ref: 1, cur: 1 },
      { upper: 4, ref: 1, cur: 1 }, { upper: null, ref: 1, cur: 1 },
    ]);
  });

  it('is 0 for identical windows, also when the reference is a single value', () => {
    expect(psiNumeric(tally([3, 1, 2, 2]), tally([1, 2, 2, 3])).statistic).toBe(0);
    expect(psiNumeric(tally([7, 7, 7]), tally([7, 7])).statistic).toBe(0);
    expect(psiCategorical({ a: 2, b: 1 }, new Map([['a', 4], ['b', 2]])).statistic).toBe(0);
  });

  it('scores values beyond the reference range in the open last bin', () => {
    const r = psiNumeric(tally([7, 7, 7]), tally([7, 9]));
    expect(r.bins).toEqual([{ upper: 7, ref: 3, cur: 1 }, { upper: null, ref: 0, cur: 1 }]);
    expect(r.statistic).toBeCloseTo((0.5 - 1) * Math.log(0.5) + (0.5 - PSI_EPSILON) * Math.log(0.5 / PSI_EPSILON), 14);
  });

  it('categorical PSI unions the categories and agrees with psiFromCounts', () => {
    const r = psiCategorical({ approve: 70, edit: 30 }, { approve: 50, edit: 40, reject: 10 });
    expect(r.categories).toEqual([
      { category: 'approve', ref: 70, cur: 50 }, { category: 'edit', ref: 30, cur: 40 }, { category: 'reject', ref: 0, cur: 10 },
    ]);
    expect(r.statistic).toBe(psiFromCounts([70, 30, 0], [50, 40, 10]));
    expect(r.drifted).toBe(true);
    expect(psiCategorical({ approve: 70, edit: 30 }, { approve: 50, edit: 40, reject: 10 }, { thresholds: { psi: 1 } }).drifted).toBe(false);
  });

  it('takes bins and epsilon as options and refuses nonsense ones', () => {
    const ref = tally([1, 2, 3, 4]);
    expect(psiNumeric(ref, tally([1, 2]), { bins: 2 }).bins.map((b) => b.upper)).toEqual([2, null]);
    expect(() => psiNumeric(ref, ref, { bins: 1 })).toThrow(/bins/);
    expect(() => psiNumeric(ref, ref, { epsilon: 0 })).toThrow(/epsilon/);
  });

  it('an empty window is insufficient data', () => {
    expect(psiNumeric(tally([]), tally([1]))).toMatchObject({ statistic: null, drifted: false, reason: 'insufficient data', bins: [] });
    expect(psiCategorical({ a: 1 }, {})).toMatchObject({ statistic: null, drifted: false, reason: 'insufficient data' });
  });
});

describe('Jensen-Shannon distance and Wasserstein: decisions and edges', () => {
  it('uses base 2 by default (bounded by 1) and base e on request, like scipy', () => {
    const a = jensenShannon({ x: 1, y: 3 }, { x: 3, y: 1 });
    const e = jensenShannon({ x: 1, y: 3 }, { x: 3, y: 1 }, { base: Math.E });
    expect(e.statistic! / a.statistic!).toBeCloseTo(Math.sqrt(Math.LN2), 14);
    expect(a).toMatchObject({ test: 'jensen_shannon', base: 2, threshold: 0.1, drifted: true, pvalue: null });
    expect(() => jensenShannon({ x: 1 }, { x: 1 }, { base: 1 })).toThrow(/base/);
  });

  it('Wasserstein decides on the distance in reference standard deviations', () => {
    const r = wasserstein(tally([0, 2]), tally([1, 3])); // W1 = 1, std(ref) = 1
    expect(r).toMatchObject({ statistic: 1, normed: 1, ref_std: 1, drifted: true, pvalue: null });
    // a constant reference: the std is floored at 0.001 (Evidently's rule)
    expect(wasserstein(tally([5, 5]), tally([5, 5.0005])).normed).toBeCloseTo(0.25, 12);
    expect(wasserstein(tally([]), tally([1]))).toMatchObject({ statistic: null, normed: null, reason: 'insufficient data' });
  });
});
