import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  cohenKappa,
  countCategories,
  fleissKappa,
  gwetAC1,
  krippendorffAlpha,
  StatsInputError,
  type AlphaLevel,
  type KappaWeights,
} from '../../../src/metrics/stats/agreement/index.js';
import { seededUniform } from '../../../src/metrics/stats/random.js';

// Seeded random data checked against independent references: scikit-learn and statsmodels
// for Cohen and Fleiss, and test/oracles/agreement_oracle.py (exact fractions, straight from
// the papers) for Krippendorff's alpha and Gwet's AC1. The references are Debian packages in
// /usr/bin/python3; without them this suite fails, never skips, so CI cannot pass silently.

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const reference = JSON.parse(readFileSync(path.resolve(projectRoot, 'test/fixtures/reference/agreement.json'), 'utf8'));
const PYTHON = '/usr/bin/python3';
const off = { bootstrap: false } as const;
const TOLERANCE = 1e-9;

type Matrix = (number | null)[][];
const uniform = seededUniform(20240611);
const int = (n: number): number => Math.floor(uniform() * n);

/** Raters who see a true class and report it with probability `accuracy`, else a random one. */
function randomRatings(items: number, raters: number, k: number, accuracy: number, missing: number): Matrix {
  return Array.from({ length: items }, () => {
    const truth = int(k);
    return Array.from({ length: raters }, () => (uniform() < missing ? null : uniform() < accuracy ? truth : int(k)));
  });
}

function tableOf(ratings: Matrix, k: number): number[][] {
  const t = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  for (const [a, b] of ratings) if (a !== null && b !== null) t[a][b] += 1;
  return t;
}

const cohenCases: { table: number[][]; weights: KappaWeights }[] = [];
for (const [k, n, accuracy] of [[2, 30, 0.6], [3, 200, 0.7], [4, 1000, 0.5], [5, 150, 0.8], [6, 80, 0.3]]) {
  const table = tableOf(randomRatings(n, 2, k, accuracy, 0), k);
  for (const weights of ['none', 'linear', 'quadratic'] as const) cohenCases.push({ table, weights });
}
for (const { table } of reference.cohen) for (const weights of ['none', 'linear', 'quadratic'] as const) cohenCases.push({ table, weights });

const fleissCases: { counts: number[][] }[] = [
  [40, 2, 2],
  [100, 3, 4],
  [500, 5, 3],
  [60, 8, 5],
].map(([items, raters, k]) => ({ counts: countCategories(randomRatings(items, raters, k, 0.6, 0), [...Array(k).keys()]).counts }));
fleissCases.push({ counts: countCategories(reference.fleiss_1971_diagnoses.ratings_by_subject).counts });

const alphaCases: { ratings: Matrix; level: AlphaLevel }[] = [];
for (const [items, raters, k, missing] of [[50, 2, 3, 0.2], [120, 4, 5, 0.4], [300, 6, 4, 0.5], [80, 3, 7, 0.3]]) {
  const ratings = randomRatings(items, raters, k, 0.6, missing);
  for (const level of ['nominal', 'ordinal', 'interval', 'ratio'] as const) alphaCases.push({ ratings, level });
}

const gwetCases: { ratings: Matrix }[] = [
  [60, 2, 2, 0.1],
  [150, 4, 3, 0.45],
  [400, 5, 5, 0.6],
  [90, 3, 4, 0.7],
].map(([items, raters, k, missing]) => ({ ratings: randomRatings(items, raters, k, 0.7, missing) }));

// what the references do where a coefficient is undefined
const edges = {
  cohen: [
    { table: [[7]], weights: 'none' },
    { table: [[7, 0], [0, 0]], weights: 'linear' },
    { table: [[0, 0], [0, 0]], weights: 'none' },
  ],
  fleiss: [{ counts: [[6, 0], [6, 0]] }, { counts: [[1, 0], [0, 1]] }, { counts: [[3, 0], [2, 1], [0, 2]] }],
  alpha: [
    { ratings: [[1, 1], [1, 1, null]], level: 'nominal' },
    { ratings: [[1, null], [null, 2]], level: 'nominal' },
  ],
  gwet: [{ ratings: [[1, 1], [1, null]] }, { ratings: [[1, null], [null, 2]] }],
};

interface OracleOut {
  cohen: { sklearn: number | null; statsmodels: number | null; se: number | null; statsmodels_error?: string }[];
  fleiss: { statsmodels: number | null; error?: string }[];
  alpha: { value: number | null }[];
  gwet: { value: number | null }[];
}

function runOracle(cases: object): OracleOut {
  const script = path.join(projectRoot, 'test/oracles/agreement_oracle.py');
  const run = spawnSync(PYTHON, [script], { input: JSON.stringify(cases), encoding: 'utf8', maxBuffer: 64 << 20 });
  const install = 'CI must run: apt-get install -y python3 python3-statsmodels python3-sklearn python3-scipy';
  if (run.error) throw new Error(`cannot run ${PYTHON} (${run.error.message}); ${install}`, { cause: run.error });
  if (run.status !== 0) throw new Error(`the agreement oracle failed (exit ${run.status}): ${run.stderr.trim()}; ${install}`);
  return JSON.parse(run.stdout) as OracleOut;
}

// Run once, lazily, and rethrow in every test: a missing reference must fail each test
// (a failing beforeAll would only mark them skipped).
let cached: { main: OracleOut; edges: OracleOut } | Error | undefined;
function oracleResults(): { main: OracleOut; edges: OracleOut } {
  if (cached === undefined) {
    try {
      // one run: importing sklearn and statsmodels takes seconds
      const all = runOracle({
        cohen: [...cohenCases, ...edges.cohen],
        fleiss: [...fleissCases, ...edges.fleiss],
        alpha: [...alphaCases, ...edges.alpha],
        gwet: [...gwetCases, ...edges.gwet],
      });
      const split = <K extends keyof OracleOut>(key: K, at: number): [OracleOut[K], OracleOut[K]] =>
        [all[key].slice(0, at), all[key].slice(at)] as [OracleOut[K], OracleOut[K]];
      const [c, ce] = split('cohen', cohenCases.length);
      const [f, fe] = split('fleiss', fleissCases.length);
      const [a, ae] = split('alpha', alphaCases.length);
      const [g, ge] = split('gwet', gwetCases.length);
      cached = { main: { cohen: c, fleiss: f, alpha: a, gwet: g }, edges: { cohen: ce, fleiss: fe, alpha: ae, gwet: ge } };
    } catch (err) {
      cached = err as Error;
    }
  }
  if (cached instanceof Error) throw cached;
  return cached;
}

describe('against scikit-learn and statsmodels', () => {
  it('Cohen kappa (plain, linear, quadratic) equals cohen_kappa_score and cohens_kappa, SE equals std_kappa', () => {
    const oracle = oracleResults().main;
    expect(oracle.cohen).toHaveLength(cohenCases.length);
    cohenCases.forEach(({ table, weights }, i) => {
      const r = cohenKappa(table, { weights, bootstrap: false });
      const ref = oracle.cohen[i];
      expect(r.value, `case ${i}`).not.toBeNull();
      expect(Math.abs(r.value! - ref.sklearn!), `case ${i} sklearn`).toBeLessThan(TOLERANCE);
      expect(Math.abs(r.value! - ref.statsmodels!), `case ${i} statsmodels`).toBeLessThan(TOLERANCE);
      expect(Math.abs(r.se! - ref.se!), `case ${i} se`).toBeLessThan(TOLERANCE);
    });
  });

  it('Fleiss kappa equals fleiss_kappa', () => {
    const oracle = oracleResults().main;
    fleissCases.forEach(({ counts }, i) => {
      expect(Math.abs(fleissKappa(counts, off).value! - oracle.fleiss[i].statsmodels!), `case ${i}`).toBeLessThan(TOLERANCE);
    });
  });
});

describe('against the oracle written from the papers', () => {
  it('Krippendorff alpha, every level, with missing ratings', () => {
    const oracle = oracleResults().main;
    alphaCases.forEach(({ ratings, level }, i) => {
      const { categories, counts } = countCategories(ratings);
      const r = krippendorffAlpha(counts, { level, values: categories as number[], bootstrap: false });
      expect(Math.abs(r.value! - oracle.alpha[i].value!), `case ${i} ${level}`).toBeLessThan(TOLERANCE);
    });
  });

  it('Gwet AC1 with varying raters per item, single ratings and unrated items', () => {
    const oracle = oracleResults().main;
    gwetCases.forEach(({ ratings }, i) => {
      const r = gwetAC1(countCategories(ratings).counts, off);
      expect(Math.abs(r.value! - oracle.gwet[i].value!), `case ${i}`).toBeLessThan(TOLERANCE);
    });
  });
});

describe('edge cases: undefined where the references give NaN or refuse', () => {
  it('Cohen: one category, or nothing rated → null (sklearn and statsmodels: NaN)', () => {
    const edgeOracle = oracleResults().edges;
    edges.cohen.forEach(({ table, weights }, i) => {
      expect(edgeOracle.cohen[i].sklearn).toBeNull();
      expect(edgeOracle.cohen[i].statsmodels).toBeNull();
      expect(cohenKappa(table, { weights: weights as KappaWeights, bootstrap: false }).value).toBeNull();
    });
  });

  it('Fleiss: one category or one rater → null (NaN); unequal raters → error (statsmodels asserts)', () => {
    const edgeOracle = oracleResults().edges;
    expect(edgeOracle.fleiss.map((f) => f.statsmodels)).toEqual([null, null, null]);
    expect(fleissKappa(edges.fleiss[0].counts, off).value).toBeNull();
    expect(fleissKappa(edges.fleiss[1].counts, off).value).toBeNull();
    expect(edgeOracle.fleiss[2].error).toBe('AssertionError');
    expect(() => fleissKappa(edges.fleiss[2].counts, off)).toThrow(StatsInputError);
  });

  it('alpha and AC1: one value only, or no item with two ratings → null', () => {
    const edgeOracle = oracleResults().edges;
    expect(edgeOracle.alpha.map((a) => a.value)).toEqual([null, null]);
    expect(edgeOracle.gwet.map((g) => g.value)).toEqual([null, null]);
    for (const { ratings } of edges.alpha) expect(krippendorffAlpha(countCategories(ratings).counts, off).value).toBeNull();
    for (const { ratings } of edges.gwet) expect(gwetAC1(countCategories(ratings).counts, off).value).toBeNull();
  });
});
