import { describe, expect, it } from 'vitest';
import {
  cohenKappa,
  countCategories,
  fleissKappa,
  gwetAC1,
  krippendorffAlpha,
  pairwiseCohenKappa,
  prepareFleissKappa,
  prepareGwetAC1,
  prepareKrippendorffAlpha,
  StatsInputError,
  withIntervals,
  type CountMatrix,
} from '../../../src/metrics/stats/agreement/index.js';
import { bootstrapInterval } from '../../../src/metrics/stats/bootstrap.js';
import { seededUniform } from '../../../src/metrics/stats/random.js';

// Distinct rows with their numbers of items (how the metric family passes its label patterns)
// must give what the rows repeated give, interval included; and coefficients that share one
// bootstrap must get the interval each gets alone.

const uniform = seededUniform(11);
const int = (n: number): number => Math.floor(uniform() * n);

function ratings(items: number, raters: number, k: number, accuracy: number, missing = 0): (number | null)[][] {
  return Array.from({ length: items }, () => {
    const truth = int(k);
    return Array.from({ length: raters }, () => (uniform() < missing ? null : uniform() < accuracy ? truth : int(k)));
  });
}

/** Identical rows merged, in order of first appearance, with how many items each stands for. */
function collapse(counts: CountMatrix): { rows: number[][]; rowWeights: number[] } {
  const index = new Map<string, number>();
  const rows: number[][] = [];
  const rowWeights: number[] = [];
  for (const row of counts) {
    const key = row.join(',');
    const at = index.get(key);
    if (at === undefined) {
      index.set(key, rows.length);
      rows.push([...row]);
      rowWeights.push(1);
    } else rowWeights[at] += 1;
  }
  return { rows, rowWeights };
}

const bootstrap = { replicates: 300, seed: 4 };

describe('rowWeights', () => {
  const full = countCategories(ratings(400, 3, 4, 0.6)).counts;
  const gappy = countCategories(ratings(400, 4, 3, 0.5, 0.3)).counts;
  const { rows, rowWeights } = collapse(full);
  const g = collapse(gappy);

  it('collapses hundreds of items to few distinct rows', () => {
    expect(rows.length).toBeLessThan(30);
    expect(rowWeights.reduce((a, b) => a + b, 0)).toBe(400);
  });

  it('gives Fleiss, alpha (nominal, ordinal, interval) and AC1 exactly as the repeated rows do', () => {
    expect(fleissKappa(rows, { bootstrap, rowWeights })).toEqual(fleissKappa(full, { bootstrap }));
    for (const level of ['nominal', 'ordinal', 'interval'] as const) {
      const values = level === 'interval' ? [0, 1, 2, 3] : undefined;
      expect(krippendorffAlpha(rows, { bootstrap, rowWeights, level, values })).toEqual(krippendorffAlpha(full, { bootstrap, level, values }));
    }
    expect(gwetAC1(rows, { bootstrap, rowWeights })).toEqual(gwetAC1(full, { bootstrap }));
    // with missing ratings: lone and unrated items drop out of alpha and AC1 the same way
    expect(krippendorffAlpha(g.rows, { bootstrap, rowWeights: g.rowWeights })).toEqual(krippendorffAlpha(gappy, { bootstrap }));
    expect(gwetAC1(g.rows, { bootstrap, rowWeights: g.rowWeights })).toEqual(gwetAC1(gappy, { bootstrap }));
  });

  it('leaves rows of weight 0 out, even from Fleiss’ same-number-of-ratings check', () => {
    const withEmpty = [...rows, [5, 0, 0, 0]];
    expect(fleissKappa(withEmpty, { bootstrap, rowWeights: [...rowWeights, 0] })).toEqual(fleissKappa(full, { bootstrap }));
    expect(() => fleissKappa(withEmpty, { rowWeights: [...rowWeights, 1] })).toThrow(StatsInputError);
  });

  it('refuses weights that do not fit the rows, naming the field', () => {
    const field = (fn: () => unknown): string => {
      try {
        fn();
      } catch (err) {
        if (err instanceof StatsInputError) return err.field;
        throw err;
      }
      throw new Error('expected a StatsInputError');
    };
    expect(field(() => fleissKappa(rows, { rowWeights: rowWeights.slice(1) }))).toBe('rowWeights');
    expect(field(() => gwetAC1(rows, { rowWeights: rowWeights.map((w, i) => (i === 2 ? 1.5 : w)) }))).toBe('rowWeights[2]');
    expect(field(() => krippendorffAlpha(rows, { rowWeights: rowWeights.map((w, i) => (i === 0 ? -1 : w)) }))).toBe('rowWeights[0]');
  });
});

describe('withIntervals', () => {
  it('gives coefficients over the same items one bootstrap, and each the interval it gets alone', () => {
    const counts = countCategories(ratings(300, 3, 3, 0.55)).counts;
    const { rows, rowWeights } = collapse(counts);
    const options = { bootstrap: false as const, rowWeights };
    const [fleiss, alpha, ac1] = withIntervals(
      [prepareFleissKappa(rows, options), prepareKrippendorffAlpha(rows, { ...options, level: 'ordinal' }), prepareGwetAC1(rows, options)],
      bootstrap,
    );
    expect(fleiss).toEqual(fleissKappa(counts, { bootstrap }));
    expect(alpha).toEqual(krippendorffAlpha(counts, { bootstrap, level: 'ordinal' }));
    expect(ac1).toEqual(gwetAC1(counts, { bootstrap }));
    expect(fleiss.interval).not.toBeNull();
  });

  it('bootstraps coefficients over different items separately', () => {
    // alpha drops the lone ratings that AC1 keeps: their units differ
    const counts = countCategories(ratings(200, 3, 3, 0.6, 0.4)).counts;
    const [alpha, ac1] = withIntervals([prepareKrippendorffAlpha(counts), prepareGwetAC1(counts)], bootstrap);
    expect(alpha).toEqual(krippendorffAlpha(counts, { bootstrap }));
    expect(ac1).toEqual(gwetAC1(counts, { bootstrap }));
    expect(withIntervals([prepareGwetAC1(counts)], false)[0].interval).toBeNull();
  });
});

describe("Cohen's kappa bootstrap over the used cells", () => {
  /** The kappa of a dense k×k table with agreement weights w, as cohen.ts defines it. */
  function denseKappa(cells: ArrayLike<number>, k: number, w: (i: number, j: number) => number): number | null {
    const rowTotals = new Array<number>(k).fill(0);
    const colTotals = new Array<number>(k).fill(0);
    let n = 0;
    let agreeing = 0;
    for (let i = 0; i < k; i++) {
      for (let j = 0; j < k; j++) {
        rowTotals[i] += cells[i * k + j];
        colTotals[j] += cells[i * k + j];
        agreeing += w(i, j) * cells[i * k + j];
        n += cells[i * k + j];
      }
    }
    if (n === 0) return null;
    let chance = 0;
    for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) chance += w(i, j) * rowTotals[i] * colTotals[j];
    const pe = chance / (n * n);
    return 1 - pe <= 1e-12 ? null : (agreeing / n - pe) / (1 - pe);
  }

  // six labels, two never used by rater A and one never by B, many empty cells
  const table = [
    [40, 3, 0, 1, 0, 0],
    [2, 25, 4, 0, 0, 0],
    [0, 0, 0, 0, 0, 0],
    [1, 0, 6, 12, 0, 0],
    [0, 0, 0, 0, 0, 0],
    [0, 1, 0, 2, 0, 3],
  ];
  const cells = table.flat();

  it('gives the interval of the dense kappa over every cell, to the bit', () => {
    const identity = (i: number, j: number): number => (i === j ? 1 : 0);
    expect(cohenKappa(table, { bootstrap }).interval).toEqual(bootstrapInterval(cells, (m) => denseKappa(m, 6, identity), bootstrap));
    const linear = (i: number, j: number): number => 1 - Math.abs(i - j) / 5;
    expect(cohenKappa(table, { bootstrap, weights: 'linear' }).interval).toEqual(bootstrapInterval(cells, (m) => denseKappa(m, 6, linear), bootstrap));
  });

  it('gives a reviewer pair the same result whatever labels the other pairs of its group add', () => {
    const pair = [
      { raterA: 'ann', raterB: 'bob', labelA: 'b', labelB: 'b', count: 30 },
      { raterA: 'ann', raterB: 'bob', labelA: 'b', labelB: 'd', count: 5 },
      { raterA: 'ann', raterB: 'bob', labelA: 'd', labelB: 'd', count: 12 },
      { raterA: 'ann', raterB: 'bob', labelA: 'd', labelB: 'b', count: 2 },
    ];
    const others = [
      { raterA: 'cat', raterB: 'dan', labelA: 'a', labelB: 'c', count: 9 },
      { raterA: 'cat', raterB: 'dan', labelA: 'e', labelB: 'a', count: 4 },
    ];
    const [alone] = pairwiseCohenKappa(pair, { bootstrap });
    const [inGroup] = pairwiseCohenKappa([...others, ...pair], { bootstrap });
    expect(inGroup).toEqual(alone);
    expect(alone.interval).not.toBeNull();
  });
});
