import { cohenKappa, type CohenKappaOptions, type CohenKappaResult } from './cohen.js';
import { StatsInputError } from './errors.js';
import { checkRating, resolveCategories, type Category, type RatingsMatrix } from './input.js';

/**
 * Cohen's kappa for each pair of reviewers, from the pair counts a self-join in SQL gives
 * (one row per reviewer pair and label pair), so the cost follows pairs × categories².
 */

export interface RaterPairCount {
  raterA: string;
  raterB: string;
  labelA: Category;
  labelB: Category;
  /** Items that rater A labelled labelA and rater B labelled labelB. */
  count: number;
}

export interface PairwiseKappa extends CohenKappaResult {
  raterA: string;
  raterB: string;
}

export interface PairwiseKappaOptions extends CohenKappaOptions {
  /** Category order (needed for weighted kappa over string labels); default: every label seen, sorted. */
  categories?: readonly Category[];
}

/**
 * One result per unordered pair of raters, sorted by (raterA, raterB) with raterA < raterB;
 * rows given the other way round are swapped. Every pair's table spans the same categories,
 * so weighted distances mean the same for every pair.
 */
export function pairwiseCohenKappa(pairs: readonly RaterPairCount[], options: PairwiseKappaOptions = {}): PairwiseKappa[] {
  const seen = new Set<Category>();
  pairs.forEach((p, i) => {
    if (typeof p.raterA !== 'string' || typeof p.raterB !== 'string' || p.raterA === p.raterB) {
      throw new StatsInputError(`pairs[${i}]`, `pairs rater ${String(p.raterA)} with ${String(p.raterB)}`, 'two different rater ids');
    }
    for (const label of [p.labelA, p.labelB]) {
      if (!checkRating(`pairs[${i}].label`, label)) throw new StatsInputError(`pairs[${i}]`, 'has a missing label', 'a label for both raters');
      seen.add(label);
    }
    if (!Number.isSafeInteger(p.count) || p.count < 0) throw new StatsInputError(`pairs[${i}].count`, `got ${p.count}`, 'a non-negative integer');
  });
  const weighted = (options.weights ?? 'none') !== 'none';
  const categories = resolveCategories('pairs', seen, options.categories, weighted);
  const index = new Map(categories.map((c, j) => [c, j]));
  const k = categories.length;

  type Entry = { raterA: string; raterB: string; table: number[][] };
  const tables = new Map<string, Map<string, Entry>>();
  const entries: Entry[] = [];
  for (const p of pairs) {
    const swap = p.raterA > p.raterB;
    const [raterA, raterB] = swap ? [p.raterB, p.raterA] : [p.raterA, p.raterB];
    const [a, b] = swap ? [p.labelB, p.labelA] : [p.labelA, p.labelB];
    let withA = tables.get(raterA);
    if (!withA) tables.set(raterA, (withA = new Map()));
    let entry = withA.get(raterB);
    if (!entry) {
      entry = { raterA, raterB, table: Array.from({ length: k }, () => new Array<number>(k).fill(0)) };
      withA.set(raterB, entry);
      entries.push(entry);
    }
    entry.table[index.get(a)!][index.get(b)!] += p.count;
  }
  const { categories: _unused, ...kappaOptions } = options;
  return entries
    .sort((x, y) => (x.raterA === y.raterA ? cmp(x.raterB, y.raterB) : cmp(x.raterA, y.raterA)))
    .map(({ raterA, raterB, table }) => ({ raterA, raterB, ...cohenKappa(table, kappaOptions) }));
}

/**
 * The pair counts of an items × raters matrix: each item counts once for every two raters
 * who both labelled it. Raters are named by `raters` (default: the column number).
 */
export function pairCountsFromRatings(ratings: RatingsMatrix, raters?: readonly string[]): RaterPairCount[] {
  const width = ratings.reduce((w, row) => Math.max(w, row.length), 0);
  if (raters !== undefined && raters.length < width) {
    throw new StatsInputError('raters', `names ${raters.length} raters for ${width} columns`, 'one name per column');
  }
  const name = (j: number): string => (raters ? raters[j] : String(j));
  const counts = new Map<string, RaterPairCount>();
  ratings.forEach((row, i) => {
    for (let a = 0; a < row.length; a++) {
      if (!checkRating(`ratings[${i}][${a}]`, row[a])) continue;
      for (let b = a + 1; b < row.length; b++) {
        if (!checkRating(`ratings[${i}][${b}]`, row[b])) continue;
        const key = JSON.stringify([a, b, row[a], row[b]]);
        const hit = counts.get(key);
        if (hit) hit.count += 1;
        else counts.set(key, { raterA: name(a), raterB: name(b), labelA: row[a] as Category, labelB: row[b] as Category, count: 1 });
      }
    }
  });
  return [...counts.values()];
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
