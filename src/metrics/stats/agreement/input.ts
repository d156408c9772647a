import { bootstrapIntervals, type BootstrapInterval, type BootstrapOptions, type ResampleStatistic } from '../bootstrap.js';
import { StatsInputError } from './errors.js';

/**
 * Shapes shared by the agreement coefficients, and the checks on them. Everything here is
 * an aggregate that SQL can produce (a contingency table, items × categories counts), so the
 * cost of a coefficient grows with items and categories, never with events.
 */

export type Category = string | number;
/** A missing rating is null or undefined. */
export type Rating = Category | null | undefined;
/** Rows are items, columns are raters; rows may be shorter than others (the rest is missing). */
export type RatingsMatrix = ReadonlyArray<ReadonlyArray<Rating>>;
/** Non-negative integer counts, row-major. */
export type CountMatrix = ReadonlyArray<ReadonlyArray<number>>;

export interface AgreementResult {
  /** null when the coefficient is undefined for this input (see docs/stats-agreement.md). */
  value: number | null;
  /** Number of items the value is computed over. */
  n: number;
  /** Percentile bootstrap interval over items; null when not requested or undefined. */
  interval: BootstrapInterval | null;
}

export interface CoefficientOptions {
  /** Bootstrap settings (defaults: 1000 replicates, seed 1, level 0.95), or false for none. */
  bootstrap?: BootstrapOptions | false;
  /**
   * Items × categories coefficients: how many items each row of the counts stands for (default
   * one each). Distinct rows with their numbers of items give the same result, interval
   * included, as the rows repeated, without building or checking the repetitions.
   */
  rowWeights?: readonly number[];
}

export interface CountTable {
  rows: number;
  cols: number;
  /** Row-major copy of the counts. */
  cells: Float64Array;
}

/** Checks a count matrix is rectangular with non-negative integer cells and copies it flat. */
export function readCountMatrix(field: string, matrix: CountMatrix, shape: 'any' | 'square' = 'any'): CountTable {
  if (!Array.isArray(matrix)) throw new StatsInputError(field, 'is not an array', 'an array of rows of counts');
  const rows = matrix.length;
  const cols = rows === 0 ? 0 : matrix[0].length;
  const cells = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    const row = matrix[i];
    if (!Array.isArray(row) || row.length !== cols) {
      throw new StatsInputError(`${field}[${i}]`, `has ${Array.isArray(row) ? row.length : 'no'} cells`, `${cols} cells like ${field}[0]`);
    }
    for (let j = 0; j < cols; j++) {
      const v = row[j];
      if (!Number.isSafeInteger(v) || v < 0) throw new StatsInputError(`${field}[${i}][${j}]`, `got ${v}`, 'a non-negative integer count');
      cells[i * cols + j] = v;
    }
  }
  if (shape === 'square' && rows !== cols) {
    throw new StatsInputError(field, `is ${rows}×${cols}`, 'a square table (the same categories for both raters)');
  }
  return { rows, cols, cells };
}

export interface RowProfiles {
  cols: number;
  /** Distinct rows, row-major. */
  rows: Float64Array;
  /** How many items have each distinct row. */
  weights: number[];
}

/**
 * Collapses identical rows of a count matrix. Items with the same counts are exchangeable in
 * every coefficient here, and with few raters there are few distinct rows (at most 35 for
 * 3 raters and 5 categories), so statistics and their bootstrap replicates cost O(distinct
 * rows × categories) instead of O(items × categories). `keep` drops rows (e.g. unrated ones).
 */
export function rowProfiles(
  { rows, cols, cells }: CountTable,
  keep: (total: number) => boolean,
  rowWeights: readonly number[] | undefined,
): RowProfiles {
  const index = new Map<string, number>();
  const distinct: number[] = [];
  const weights: number[] = [];
  for (let i = 0; i < rows; i++) {
    const items = rowWeights === undefined ? 1 : rowWeights[i];
    if (items === 0) continue;
    const row = cells.subarray(i * cols, (i + 1) * cols);
    let total = 0;
    for (const c of row) total += c;
    if (!keep(total)) continue;
    const key = row.join(',');
    const at = index.get(key);
    if (at !== undefined) weights[at] += items;
    else {
      index.set(key, weights.length);
      weights.push(items);
      distinct.push(...row);
    }
  }
  return { cols, rows: Float64Array.from(distinct), weights };
}

/** Checks `rowWeights` against the counts it weights; undefined stands for one item per row. */
export function readRowWeights(rowWeights: readonly number[] | undefined, rows: number): readonly number[] | undefined {
  if (rowWeights === undefined) return undefined;
  if (!Array.isArray(rowWeights) || rowWeights.length !== rows) {
    throw new StatsInputError('rowWeights', `has ${Array.isArray(rowWeights) ? rowWeights.length : 'no'} entries`, `one per row of counts (${rows})`);
  }
  rowWeights.forEach((w, i) => {
    if (!Number.isSafeInteger(w) || w < 0) throw new StatsInputError(`rowWeights[${i}]`, `got ${w}`, 'a non-negative integer number of items');
  });
  return rowWeights;
}

/** A profile's non-zero cells, so that a replicate's sums skip the (many) empty categories. */
export interface SparseRows {
  /** Start of each distinct row's entries, plus one past the end. */
  start: Uint32Array;
  column: Uint32Array;
  count: Float64Array;
}

export function sparseRows({ cols, rows, weights }: RowProfiles): SparseRows {
  const start: number[] = [0];
  const column: number[] = [];
  const count: number[] = [];
  for (let u = 0; u < weights.length; u++) {
    for (let j = 0; j < cols; j++) {
      const c = rows[u * cols + j];
      if (c !== 0) {
        column.push(j);
        count.push(c);
      }
    }
    start.push(column.length);
  }
  return { start: Uint32Array.from(start), column: Uint32Array.from(column), count: Float64Array.from(count) };
}

/**
 * Orders categories for the ordered levels (weighted kappa, ordinal/interval alpha). Given
 * categories are used as they are, after a check that they hold every observed one; numbers
 * are otherwise sorted ascending, as scipy, sklearn and irrCAC do. Strings have no natural
 * order, so ordered levels need them given (fast-krippendorff refuses likewise).
 */
export function resolveCategories(
  field: string,
  observed: Iterable<Category>,
  given: readonly Category[] | undefined,
  ordered: boolean,
): Category[] {
  const seen = new Set(observed);
  if (given !== undefined) {
    const known = new Set(given);
    if (known.size !== given.length) throw new StatsInputError(`${field}.categories`, 'lists a category twice', 'distinct categories');
    for (const c of seen) {
      if (!known.has(c)) throw new StatsInputError(field, `holds ${JSON.stringify(c)}, which is not in categories`, 'only listed categories');
    }
    return [...given];
  }
  const all = [...seen];
  const numbers = all.filter((c): c is number => typeof c === 'number').sort((a, b) => a - b);
  const strings = all.filter((c): c is string => typeof c === 'string').sort();
  if (ordered && strings.length > 0) {
    throw new StatsInputError(`${field}.categories`, 'is missing while the labels are strings', 'the ordered list of categories');
  }
  return [...numbers, ...strings];
}

export function checkRating(field: string, v: unknown): v is Category {
  if (v === null || v === undefined) return false;
  if ((typeof v === 'number' && Number.isFinite(v)) || typeof v === 'string') return true;
  throw new StatsInputError(field, `got ${String(v)}`, 'a string, a finite number, or null for missing');
}

export interface CategoryCounts {
  categories: Category[];
  /** items × categories: how many raters put item i in category j. */
  counts: number[][];
}

/**
 * Turns an items × raters matrix into the items × categories counts the multi-rater
 * coefficients take (irrCAC's "distribution of raters by subject and category").
 * Numeric categories come out sorted, so the columns suit ordinal and interval levels.
 */
export function countCategories(ratings: RatingsMatrix, categories?: readonly Category[]): CategoryCounts {
  if (!Array.isArray(ratings)) throw new StatsInputError('ratings', 'is not an array', 'items × raters');
  const observed = new Set<Category>();
  for (let i = 0; i < ratings.length; i++) {
    const row: ReadonlyArray<Rating> = ratings[i];
    for (let j = 0; j < row.length; j++) if (checkRating(`ratings[${i}][${j}]`, row[j])) observed.add(row[j] as Category);
  }
  const cats = resolveCategories('ratings', observed, categories, false);
  const index = new Map(cats.map((c, j) => [c, j]));
  const counts = ratings.map((row: ReadonlyArray<Rating>) => {
    const out = new Array<number>(cats.length).fill(0);
    for (const v of row) if (v !== null && v !== undefined) out[index.get(v)!] += 1;
    return out;
  });
  return { categories: cats, counts };
}

/** What the bootstrap of a coefficient resamples: units with their items, and the coefficient over a replicate. */
export interface Resample {
  weights: ArrayLike<number>;
  statistic: ResampleStatistic;
}

/** A coefficient computed but for its interval, so that several can share one bootstrap (`withIntervals`). */
export interface Prepared<R extends AgreementResult> {
  result: Omit<R, 'interval'>;
  resample: Resample;
}

/** The interval asked for in `options`, or null for `bootstrap: false`. */
export function maybeInterval(
  options: CoefficientOptions,
  items: number | ArrayLike<number>,
  statistic: ResampleStatistic,
): BootstrapInterval | null {
  if (options.bootstrap === false) return null;
  return bootstrapIntervals(items, [statistic], options.bootstrap ?? {})[0];
}

/**
 * Finishes prepared coefficients with their intervals. Those whose resampled units carry the
 * same weights get their intervals from one set of replicates: with the same seed, separate
 * bootstraps would draw exactly those replicates for each of them, so every interval is the one
 * it would get alone, for the price of one set of draws (the multi-rater coefficients of a group
 * all resample the group's items).
 */
export function withIntervals<const P extends readonly Prepared<AgreementResult>[]>(
  prepared: P,
  bootstrap: BootstrapOptions | false | undefined,
): { [K in keyof P]: P[K] extends Prepared<infer R> ? R : never } {
  const intervals = new Array<BootstrapInterval | null>(prepared.length).fill(null);
  if (bootstrap !== false) {
    const done = new Set<number>();
    for (let i = 0; i < prepared.length; i++) {
      if (done.has(i)) continue;
      const alike = [i];
      for (let j = i + 1; j < prepared.length; j++) {
        if (!done.has(j) && sameWeights(prepared[i].resample.weights, prepared[j].resample.weights)) alike.push(j);
      }
      const out = bootstrapIntervals(
        prepared[i].resample.weights,
        alike.map((j) => prepared[j].resample.statistic),
        bootstrap ?? {},
      );
      alike.forEach((j, a) => {
        intervals[j] = out[a];
        done.add(j);
      });
    }
  }
  return prepared.map((p, i) => ({ ...p.result, interval: intervals[i] })) as { [K in keyof P]: P[K] extends Prepared<infer R> ? R : never };
}

function sameWeights(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
