import { describe, expect, it } from 'vitest';
import {
  cohenKappa,
  countCategories,
  fleissKappa,
  gwetAC1,
  krippendorffAlpha,
  majorityLabel,
  pairwiseCohenKappa,
  percentAgreement,
  reviewerAgreement,
  reviewerAgreementWithMajority,
  StatsInputError,
} from '../../../src/metrics/stats/agreement/index.js';

const off = { bootstrap: false } as const;

function inputError(fn: () => unknown): StatsInputError {
  try {
    fn();
  } catch (err) {
    if (err instanceof StatsInputError) return err;
    throw err;
  }
  throw new Error('expected a StatsInputError');
}

describe('empty windows', () => {
  it('every coefficient is null over n = 0, with no interval', () => {
    for (const r of [cohenKappa([]), cohenKappa([[0, 0], [0, 0]]), percentAgreement([]), fleissKappa([]), gwetAC1([]), krippendorffAlpha([])]) {
      expect(r).toMatchObject({ value: null, n: 0, interval: null });
    }
    expect(gwetAC1([[0, 0], [0, 0]])).toMatchObject({ value: null, n: 0 });
    expect(pairwiseCohenKappa([])).toEqual([]);
    expect(reviewerAgreement([])).toEqual([]);
  });
});

describe('one category only', () => {
  it('kappa, Fleiss and alpha are undefined (expected agreement 1), also when more categories were possible', () => {
    expect(cohenKappa([[9]]).value).toBeNull();
    expect(cohenKappa([[9, 0], [0, 0]], { weights: 'quadratic' }).value).toBeNull();
    expect(fleissKappa([[3, 0], [3, 0]]).value).toBeNull();
    expect(krippendorffAlpha([[3, 0], [2, 0]]).value).toBeNull();
    expect(percentAgreement([[9]], off).value).toBe(1);
  });

  it('AC1 is undefined with q = 1 (irrCAC forces p_e = 1e-15 and returns p_a), and 1 when a second category was possible', () => {
    expect(gwetAC1([[3], [2]]).value).toBeNull();
    expect(gwetAC1([[3, 0], [2, 0]], off)).toMatchObject({ value: 1, observed: 1, expected: 0 });
  });
});

describe('items with a single rating', () => {
  it('alpha leaves them out; with none pairable it is undefined', () => {
    const { counts } = countCategories([[1, 2], [1, null], [null, 2], [2, 2]]);
    expect(krippendorffAlpha(counts, off)).toMatchObject({ n: 2, pairableValues: 4 });
    expect(krippendorffAlpha(countCategories([[1, null], [null, 2]]).counts).value).toBeNull();
  });

  it('AC1 counts them in the category shares only', () => {
    const r = gwetAC1(countCategories([[1, 1], [2, 2], [1, null]]).counts, off);
    expect(r).toMatchObject({ n: 3, pairable: 2, observed: 1 });
    // π = (2/3, 1/3): p_e = 2·(2/3)(1/3) / 1
    expect(r.expected).toBeCloseTo(4 / 9, 14);
  });

  it('Fleiss needs two raters per item', () => {
    expect(fleissKappa([[1, 0], [0, 1]]).value).toBeNull();
  });
});

describe('perfect agreement and ratio zeros', () => {
  it('is 1 for every coefficient', () => {
    const { categories, counts } = countCategories([[0, 0], [1, 1], [2, 2]]);
    expect(cohenKappa([[1, 0, 0], [0, 1, 0], [0, 0, 1]], off).value).toBe(1);
    expect(fleissKappa(counts, off).value).toBe(1);
    expect(gwetAC1(counts, off).value).toBe(1);
    // fast-krippendorff's test: the ratio metric is 0 between two zeros
    expect(krippendorffAlpha(counts, { level: 'ratio', values: categories as number[], bootstrap: false }).value).toBe(1);
  });
});

describe('majority label (ties: no majority, the item is left out)', () => {
  it.each([
    [['a', 'a', 'b'], 'a'],
    [['a', 'b'], null],
    [['a', 'b', 'c'], null],
    [['a', 'a', 'b', 'b'], null],
    [['a', 'a', 'b', 'c'], 'a'],
    [['a', null, undefined], 'a'],
    [[null], null],
    [[], null],
  ] as [(string | null | undefined)[], string | null][])('%j → %j', (labels, expected) => {
    expect(majorityLabel(labels)).toBe(expected);
  });
});

describe('reviewer agreement', () => {
  it('with an adjudicated label: share and n per reviewer, sorted', () => {
    const r = reviewerAgreement(
      [
        { reviewer: 'zoe', label: 'approve', reference: 'approve', count: 8 },
        { reviewer: 'zoe', label: 'reject', reference: 'approve', count: 2 },
        { reviewer: 'ann', label: 'reject', reference: 'reject', count: 3 },
      ],
      off,
    );
    expect(r).toEqual([
      { reviewer: 'ann', value: 1, n: 3, agreed: 3, interval: null },
      { reviewer: 'zoe', value: 0.8, n: 10, agreed: 8, interval: null },
    ]);
  });

  it('with the majority of the other reviewers (leave-one-out)', () => {
    const ratings = [
      ['a', 'a', 'b'], // r0, r1: the others tie; r2: others say a
      ['a', 'a', 'a'],
      ['b', 'a', null], // r0 and r1 each against the other alone
      ['c', 'c'],
    ];
    const r = reviewerAgreementWithMajority(ratings, { raters: ['r0', 'r1', 'r2'], bootstrap: false });
    expect(r.map(({ reviewer, agreed, n }) => [reviewer, agreed, n])).toEqual([
      ['r0', 2, 3],
      ['r1', 2, 3],
      ['r2', 1, 2],
    ]);
  });

  it('a reviewer who always agrees gets the degenerate interval [1, 1]', () => {
    const [r] = reviewerAgreement([{ reviewer: 'x', label: 1, reference: 1, count: 40 }]);
    expect(r.interval).toMatchObject({ lower: 1, upper: 1 });
  });
});

describe('bad input names the field and what was expected', () => {
  it.each([
    ['non-square table', () => cohenKappa([[1, 2, 3], [4, 5, 6]]), 'table'],
    ['negative count', () => cohenKappa([[1, -1], [0, 2]]), 'table[0][1]'],
    ['fractional count', () => fleissKappa([[1.5, 0.5]]), 'counts[0][0]'],
    ['ragged rows', () => gwetAC1([[1, 1], [2]]), 'counts[1]'],
    ['unknown weights', () => cohenKappa([[1]], { weights: 'cubic' as 'linear' }), 'weights'],
    ['unequal raters (Fleiss)', () => fleissKappa([[2, 1], [1, 1]]), 'counts[1]'],
    ['interval alpha without values', () => krippendorffAlpha([[1, 1]], { level: 'interval' }), 'values'],
    ['negative ratio values', () => krippendorffAlpha([[1, 1]], { level: 'ratio', values: [-1, 1] }), 'values'],
    ['a rating outside the categories', () => countCategories([['a', 'b']], ['a']), 'ratings'],
    ['a NaN rating', () => countCategories([[1, NaN]]), 'ratings[0][1]'],
    ['weighted kappa over unordered strings', () => pairwiseCohenKappa([{ raterA: 'x', raterB: 'y', labelA: 'lo', labelB: 'hi', count: 1 }], { weights: 'linear' }), 'pairs.categories'],
    ['a rater paired with itself', () => pairwiseCohenKappa([{ raterA: 'x', raterB: 'x', labelA: 1, labelB: 1, count: 1 }]), 'pairs[0]'],
    ['a missing reference', () => reviewerAgreement([{ reviewer: 'x', label: 1, reference: null as unknown as number, count: 1 }]), 'pairs[0]'],
  ])('%s', (_, fn, field) => {
    const err = inputError(fn);
    expect(err.field).toBe(field);
    expect(err.code).toBe('stats_input_invalid');
    expect(err.message).toContain('expected');
  });

  it('Fleiss points to the coefficients that allow varying raters', () => {
    expect(inputError(() => fleissKappa([[2, 1], [1, 1]])).message).toMatch(/gwetAC1 or krippendorffAlpha/);
  });
});
