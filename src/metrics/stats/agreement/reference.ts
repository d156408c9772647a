import { StatsInputError } from './errors.js';
import { checkRating, maybeInterval, type AgreementResult, type Category, type CoefficientOptions, type Rating, type RatingsMatrix } from './input.js';

/**
 * Each reviewer's agreement with a reference label: the adjudicated label when there is one
 * (SQL joins it in), otherwise the majority of the other reviewers of the same item.
 */

export interface ReferencePairCount {
  reviewer: string;
  label: Category;
  reference: Category;
  /** Items this reviewer labelled `label` whose reference label is `reference`. */
  count: number;
}

export interface ReviewerAgreement extends AgreementResult {
  reviewer: string;
  /** Items where the reviewer's label equals the reference. */
  agreed: number;
}

/**
 * The label given strictly more often than any other; null when the top count is tied (an
 * item with labels a, a, b, b has no majority and is left out) or there is no label at all.
 * This is a plurality: with three labels a, b, c the top is tied, with a, a, b, c it is a.
 */
export function majorityLabel(labels: readonly Rating[]): Category | null {
  const tally = new Map<Category, number>();
  labels.forEach((v, i) => checkRating(`labels[${i}]`, v) && tally.set(v as Category, (tally.get(v as Category) ?? 0) + 1));
  let best: Category | null = null;
  let bestCount = 0;
  let tied = false;
  for (const [label, count] of tally) {
    if (count > bestCount) {
      best = label;
      bestCount = count;
      tied = false;
    } else if (count === bestCount) tied = true;
  }
  return tied ? null : best;
}

/** Agreement share p = agreed / n per reviewer, sorted by reviewer id. */
export function reviewerAgreement(pairs: readonly ReferencePairCount[], options: CoefficientOptions = {}): ReviewerAgreement[] {
  const tally = new Map<string, { reviewer: string; agreed: number; n: number }>();
  pairs.forEach((p, i) => {
    if (typeof p.reviewer !== 'string') throw new StatsInputError(`pairs[${i}].reviewer`, `got ${String(p.reviewer)}`, 'a reviewer id');
    if (!checkRating(`pairs[${i}].label`, p.label) || !checkRating(`pairs[${i}].reference`, p.reference)) {
      throw new StatsInputError(`pairs[${i}]`, 'has a missing label or reference', 'both labels; leave out items without a reference');
    }
    if (!Number.isSafeInteger(p.count) || p.count < 0) throw new StatsInputError(`pairs[${i}].count`, `got ${p.count}`, 'a non-negative integer');
    const t = tally.get(p.reviewer) ?? { reviewer: p.reviewer, agreed: 0, n: 0 };
    t.n += p.count;
    if (p.label === p.reference) t.agreed += p.count;
    tally.set(p.reviewer, t);
  });
  return reviewerAgreementOfTotals([...tally.values()], options);
}

/**
 * The same from each reviewer's totals: items with a reference label (`n`) and those where the
 * reviewer's label is the reference (`agreed`), as an aggregate query counts them.
 */
export function reviewerAgreementOfTotals(totals: readonly { reviewer: string; agreed: number; n: number }[], options: CoefficientOptions = {}): ReviewerAgreement[] {
  totals.forEach((t, i) => {
    if (!Number.isSafeInteger(t.n) || !Number.isSafeInteger(t.agreed) || t.agreed < 0 || t.agreed > t.n) {
      throw new StatsInputError(`totals[${i}]`, `got agreed ${t.agreed} of ${t.n}`, 'whole numbers, 0 <= agreed <= n');
    }
  });
  return [...totals]
    .sort((a, b) => (a.reviewer < b.reviewer ? -1 : a.reviewer > b.reviewer ? 1 : 0))
    .map(({ reviewer, agreed, n }) => ({
      reviewer,
      value: n === 0 ? null : agreed / n,
      n,
      agreed,
      // two units, agreeing and disagreeing items: resampling them is resampling the items
      interval: maybeInterval(options, [agreed, n - agreed], (m) => (m[0] + m[1] === 0 ? null : m[0] / (m[0] + m[1]))),
    }));
}

/**
 * Each reviewer against the majority of the *other* reviewers of the item (leave-one-out:
 * counting the reviewer's own vote would inflate agreement, most for items with few reviews).
 * Items where the others tie, or where nobody else reviewed, are left out of that reviewer's n.
 */
export function reviewerAgreementWithMajority(
  ratings: RatingsMatrix,
  options: CoefficientOptions & { raters?: readonly string[] } = {},
): ReviewerAgreement[] {
  const { raters, ...rest } = options;
  const width = ratings.reduce((w, row) => Math.max(w, row.length), 0);
  if (raters !== undefined && raters.length < width) {
    throw new StatsInputError('raters', `names ${raters.length} raters for ${width} columns`, 'one name per column');
  }
  const counts = new Map<string, ReferencePairCount>();
  const others: Rating[] = [];
  ratings.forEach((row, i) => {
    for (let j = 0; j < row.length; j++) {
      if (!checkRating(`ratings[${i}][${j}]`, row[j])) continue;
      others.length = 0;
      for (let l = 0; l < row.length; l++) if (l !== j) others.push(row[l]);
      const reference = majorityLabel(others);
      if (reference === null) continue;
      const reviewer = raters ? raters[j] : String(j);
      const key = JSON.stringify([reviewer, row[j], reference]);
      const hit = counts.get(key);
      if (hit) hit.count += 1;
      else counts.set(key, { reviewer, label: row[j] as Category, reference, count: 1 });
    }
  });
  return reviewerAgreement([...counts.values()], rest);
}
