import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  coincidenceMatrix,
  cohenKappa,
  countCategories,
  fleissKappa,
  gwetAC1,
  krippendorffAlpha,
  pairCountsFromRatings,
  pairwiseCohenKappa,
  percentAgreement,
  type AlphaLevel,
  type RatingsMatrix,
} from '../../../src/metrics/stats/agreement/index.js';

// Published worked examples (test/fixtures/reference/agreement.json, see its _about) and the irrCAC
// README's printed values. Every value is checked to the digits its source prints; where a
// source prints fewer than 6, the exact rational value of the same formula is checked too.

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const reference = JSON.parse(readFileSync(path.resolve(projectRoot, 'test/fixtures/reference/agreement.json'), 'utf8'));
const off = { bootstrap: false } as const;

/** |actual − published| within half a unit of the published value's last significant digit. */
function expectDigits(actual: number | null, published: number, digits: number): void {
  expect(actual).not.toBeNull();
  const unit = 10 ** (Math.floor(Math.log10(Math.abs(published))) - digits + 1);
  expect(Math.abs(actual! - published)).toBeLessThanOrEqual(unit / 2 + 1e-15);
}

const fleissRatings: number[][] = reference.fleiss_1971_diagnoses.ratings_by_subject;
const fleissCounts = countCategories(fleissRatings, reference.fleiss_1971_diagnoses.categories).counts;
const coders: Record<string, (number | null)[]> = reference.krippendorff_2011.coders;
const kItems: RatingsMatrix = coders.A.map((_, u) => Object.values(coders).map((c) => c[u]));

describe('Fleiss (1971) diagnoses, 30 patients × 6 psychiatrists', () => {
  const expected = reference.fleiss_1971_diagnoses.expected;

  it('counts the categories as the paper', () => {
    const totals = [0, 1, 2, 3, 4].map((j) => fleissCounts.reduce((s, row) => s + row[j], 0));
    expect(totals).toEqual(expected.category_totals);
  });

  it('gives kappa 0.4302445 and z 17.65183 (irr::kappam.fleiss, statsmodels)', () => {
    const r = fleissKappa(fleissCounts, off);
    expect(r).toMatchObject({ n: 30, raters: 6 });
    expectDigits(r.value, expected.fleiss_kappa, 7);
    expectDigits(r.z, expected.z, 7);
    expect(r.categoryShares.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
  });

  // irrCAC's distrib.6raters is the first 15 patients; its README prints these
  it('first 15 patients: Fleiss 0.4139265, AC1 0.4448007, alpha 0.4204384 (irrCAC README)', () => {
    const counts = fleissCounts.slice(0, 15);
    expectDigits(fleissKappa(counts, off).value, 0.4139265, 7);
    const ac1 = gwetAC1(counts, off);
    expectDigits(ac1.value, 0.4448007, 7);
    expectDigits(ac1.observed, 0.5511111, 7);
    expectDigits(ac1.expected, 0.1914815, 7);
    expectDigits(krippendorffAlpha(counts, off).value, 0.4204384, 7);
  });
});

describe("Krippendorff (2011) p. 8: 4 coders, 12 units, missing values", () => {
  const { categories, counts } = countCategories(kItems);
  const expected = reference.krippendorff_2011.expected;

  it('builds the coincidence matrix of the paper', () => {
    const o = coincidenceMatrix(counts);
    const third = 1 / 3;
    const paper = [
      [7, 4 * third, third, third, 0],
      [4 * third, 10, 4 * third, third, 0],
      [third, 4 * third, 8, third, 0],
      [third, third, third, 4, 0],
      [0, 0, 0, 0, 3],
    ];
    o.forEach((row, c) => row.forEach((v, k) => expect(v).toBeCloseTo(paper[c][k], 12)));
  });

  it.each([
    ['nominal', expected.alpha_nominal],
    ['ordinal', expected.alpha_ordinal],
    ['interval', expected.alpha_interval],
    ['ratio', expected.alpha_ratio],
  ] as [AlphaLevel, number][])('alpha %s = %f', (level, published) => {
    const r = krippendorffAlpha(counts, { level, values: categories as number[], bootstrap: false });
    expect(r).toMatchObject({ n: 11, pairableValues: 40 });
    expectDigits(r.value, published, 7);
  });

  it('gives the same ordinal alpha with string labels in a given order (fast-krippendorff)', () => {
    const names = ['very low', 'low', 'mid', 'high', 'very high'];
    const labelled = kItems.map((row) => row.map((v) => (v === null ? null : names[(v as number) - 1])));
    const c = countCategories(labelled, names).counts;
    expectDigits(krippendorffAlpha(c, { level: 'ordinal', bootstrap: false }).value, expected.alpha_ordinal, 7);
  });

  it('gives Gwet AC1 0.7754441 with p_a 0.8181818 and p_e 0.1903212 (irrCAC cac.raw4raters)', () => {
    const r = gwetAC1(counts, off);
    expect(r).toMatchObject({ n: 12, pairable: 11, categories: 5 });
    expectDigits(r.value, expected.gwet_ac1, 7);
    expectDigits(r.observed, 0.8181818, 7);
    expectDigits(r.expected, 0.1903212, 7);
  });
});

describe('Wikipedia / fast-krippendorff example: 3 coders, 15 units', () => {
  const data = [
    [null, null, null, null, null, 3, 4, 1, 2, 1, 1, 3, 3, null, 3],
    [1, null, 2, 1, 3, 3, 4, 3, null, null, null, null, null, null, null],
    [null, null, 2, 1, 3, 4, 4, null, 2, 1, 1, 3, 3, null, 4],
  ];
  const items = data[0].map((_, u) => data.map((coder) => coder[u]));
  const { categories, counts } = countCategories(items);

  it('nominal 0.691358, interval 0.810845', () => {
    expectDigits(krippendorffAlpha(counts, off).value, 0.691358, 6);
    expectDigits(krippendorffAlpha(counts, { level: 'interval', values: categories as number[], bootstrap: false }).value, 0.810845, 6);
  });
});

describe('Cohen: sklearn, statsmodels and irrCAC tables', () => {
  // exact values: (p_o − p_e)/(1 − p_e) in fractions, e.g. (0.88 − 0.396)/0.604 = 121/151
  const exact: Record<string, number>[] = [
    { kappa: 8 / 23 },
    { kappa: 121 / 151 },
    { kappa: 68 / 73, kappa_linear: 16 / 17, kappa_quadratic: 104 / 109 },
    { kappa: 107 / 221, kappa_linear: 118 / 251 },
    { kappa: 4303 / 5403, kappa_linear: 2951 / 3501, kappa_quadratic: 91 / 102 },
  ];
  const weightsOf = { kappa: 'none', kappa_linear: 'linear', kappa_quadratic: 'quadratic' } as const;

  reference.cohen.forEach((example: { table: number[][]; expected: Record<string, unknown> }, i: number) => {
    it(`table ${i + 1}: ${JSON.stringify(example.table)}`, () => {
      for (const [key, weights] of Object.entries(weightsOf)) {
        const published = example.expected[key] as number | undefined;
        if (published === undefined) continue;
        const r = cohenKappa(example.table, { weights, bootstrap: false });
        const digits = String(published).replace(/^0\.0*/, '').length;
        expectDigits(r.value, published, digits);
        expect(r.value).toBeCloseTo(exact[i][key], 12);
      }
    });
  });

  it('SAS printout: ASE 0.138 and Wald interval 0.2137..0.7547 (statsmodels test)', () => {
    const { table, expected } = reference.cohen[3];
    const r = cohenKappa(table, off);
    expectDigits(r.se, expected.ase, 3);
    expectDigits(r.value! - 1.959964 * r.se!, expected.ci95[0], 4);
    expectDigits(r.value! + 1.959964 * r.se!, expected.ci95[1], 4);
  });

  it('cont3x3abstractors: kappa 0.7964094, SE 0.05891072, AC1 0.8493305, agreement 0.89 (irrCAC README)', () => {
    const { table, expected } = reference.cohen[4];
    const r = cohenKappa(table, off);
    expectDigits(r.value, 0.7964094, 7);
    expectDigits(r.se, 0.05891072, 7);
    expectDigits(percentAgreement(table, off).value, expected.percent_agreement, 6);
    expect(r.observed).toBeCloseTo(expected.percent_agreement, 14);
    // a 2-rater table is the counts matrix with one row per cell, repeated count times
    const counts = table.flatMap((row: number[], a: number) =>
      row.flatMap((c, b) => Array.from({ length: c }, () => [0, 1, 2].map((k) => (k === a ? 1 : 0) + (k === b ? 1 : 0)))),
    );
    expectDigits(gwetAC1(counts, off).value, 0.8493305, 7);
    expectDigits(gwetAC1(counts, off).value, expected.gwet_ac1, 3);
  });
});

describe('pairwise Cohen', () => {
  it('builds one table per pair from the ratings, ignoring items either left blank', () => {
    const pairs = pairCountsFromRatings(kItems, ['A', 'B', 'C', 'D']);
    const result = pairwiseCohenKappa(pairs, off);
    expect(result.map((r) => `${r.raterA}-${r.raterB}`)).toEqual(['A-B', 'A-C', 'A-D', 'B-C', 'B-D', 'C-D']);
    const ab = kItems.filter((row) => row[0] !== null && row[1] !== null);
    const table = [1, 2, 3, 4, 5].map((a) => [1, 2, 3, 4, 5].map((b) => ab.filter((row) => row[0] === a && row[1] === b).length));
    expect(result[0]).toEqual({ raterA: 'A', raterB: 'B', ...cohenKappa(table, off) });
    expect(result[0].n).toBe(9);
  });

  it('swaps pairs given the other way round', () => {
    const forward = pairwiseCohenKappa(
      [
        { raterA: 'x', raterB: 'y', labelA: 'ok', labelB: 'ok', count: 5 },
        { raterA: 'x', raterB: 'y', labelA: 'ok', labelB: 'bad', count: 2 },
        { raterA: 'x', raterB: 'y', labelA: 'bad', labelB: 'bad', count: 4 },
      ],
      off,
    );
    const backward = pairwiseCohenKappa(
      [
        { raterA: 'y', raterB: 'x', labelA: 'ok', labelB: 'ok', count: 5 },
        { raterA: 'y', raterB: 'x', labelA: 'bad', labelB: 'ok', count: 2 },
        { raterA: 'x', raterB: 'y', labelA: 'bad', labelB: 'bad', count: 4 },
      ],
      off,
    );
    expect(backward).toEqual(forward);
    expect(forward).toHaveLength(1);
  });
});
