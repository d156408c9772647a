import { agreementConfigSchema, type AgreementConfig } from '../../config/agreement.js';
import { cutParams, groupKey } from '../cuts.js';
import type { FamilyResult, MetricFamily } from '../family.js';
import type { Cuts } from '../cuts.js';
import type { Store } from '../../store/store.js';
import { buildGroups } from '../group-rows.js';
import {
  pairwiseCohenKappa,
  prepareFleissKappa,
  prepareGwetAC1,
  prepareKrippendorffAlpha,
  reviewerAgreementOfTotals,
  withIntervals,
  type AgreementResult,
  type BootstrapInterval,
  type BootstrapOptions,
  type Prepared,
} from '../stats/agreement/index.js';
import { Q } from '../../store/queries.js';
import { cachedResult } from '../result-cache.js';

export { agreementConfigSchema, type AgreementConfig };


// type aliases, not interfaces: a family's metrics must be assignable to Record<string, unknown>
/** A coefficient as the JSON gives it; `note` says why `value` is null. */
export type Coefficient = {
  value: number | null;
  n: number;
  ci95: [number, number] | null;
  note: string | null;
};

export type AgreementMetrics = {
  /** Cases with at least one rating in the group; `items` are those with two or more. */
  rated_cases: number;
  items: number;
  ratings: number;
  raters: number;
  percent_agreement: Coefficient;
  fleiss_kappa: Coefficient;
  krippendorff_alpha_nominal: Coefficient;
  krippendorff_alpha_ordinal: Coefficient;
  gwet_ac1: Coefficient;
  pairwise_cohen: { reviewer_a: string; reviewer_b: string; kappa: number | null; percent_agreement: number | null; n: number; ci95: [number, number] | null }[];
  reviewers: { reviewer: string; agreement: number | null; agreed: number; n: number; adjudicated: number; ci95: [number, number] | null }[];
};

type Row = Record<string, unknown>;
/** Items sharing one label multiset: `counts[label]` ratings each, `items` of them. */
interface Pattern {
  counts: Map<string, number>;
  items: number;
}
interface GroupParts {
  rated: number;
  patterns: Pattern[];
  /** Cases rated once, as one-rating patterns: only AC1's category shares use them. */
  singles: Pattern[];
  pairs: Row[];
  refs: Row[];
}


/**
 * Agreement between independent reviewers of the same case (dual review, audits of reviewed
 * cases): one aggregate query, coefficients from src/metrics/stats/agreement. The result is
 * kept in the database (src/metrics/result-cache.ts): a later run, of this process or another,
 * over derived tables no refresh has changed since, with the same cut and settings, reads it
 * back instead of paying for the query and the bootstrap again.
 */
export const agreementFamily: MetricFamily = {
  name: 'agreement',
  description: "Reviewer agreement: percent agreement, Cohen's, Fleiss', Krippendorff's alpha, Gwet's AC1, agreement with the adjudicated label",
  async compute({ store, cuts, config }) {
    const settings: AgreementConfig = config.agreement ?? agreementConfigSchema.parse({});
    return cachedResult(store, 'agreement', { cuts, settings }, () => computeAgreement(store, cuts, settings));
  },
};

async function computeAgreement(store: Store, cuts: Cuts, settings: AgreementConfig): Promise<FamilyResult> {
  const bootstrap: BootstrapOptions | false =
    settings.bootstrap.replicates === 0 ? false : { replicates: settings.bootstrap.replicates, seed: settings.bootstrap.seed };
  const rows = await store.query(Q.ratingAggregates, cutParams(cuts));
  // group_by=reviewer puts each pair in both reviewers' groups: its kappa is computed once
  const pairsDone = new Map<string, PairwiseRow>();
  // one synthetic row per group carrying every row of it, so buildGroups keys and orders them
  const byGroup = new Map<string, Row & { parts: GroupParts }>();
  // rows come sorted, so most share the previous row's group: comparing keys is cheaper than serialising them
  let last: { key: Row; group: Row & { parts: GroupParts } } | undefined;
  for (const row of rows) {
    const key = groupKey(row, cuts);
    let group = last !== undefined && sameKey(key, last.key) ? last.group : undefined;
    if (!group) {
      const id = JSON.stringify(key);
      group = byGroup.get(id);
      if (!group) byGroup.set(id, (group = { ...row, parts: { rated: 0, patterns: [], singles: [], pairs: [], refs: [] } }));
    }
    last = { key, group };
    const n = row.n;
    if (row.kind === 'rated') group.parts.rated = n;
    else if (row.kind === 'pattern') {
      const labels = row.pattern as { label: string; n: number }[];
      group.parts.patterns.push({ counts: new Map(labels.map((l) => [l.label, l.n])), items: n });
    } else if (row.kind === 'single') group.parts.singles.push({ counts: new Map([[row.label as string, 1]]), items: n });
    else if (row.kind === 'pairs') group.parts.pairs.push(row);
    else group.parts.refs.push(row);
  }
  const groups = buildGroups(cuts, { g: [...byGroup.values()] }, ({ g }) => {
    const workflow = (g!.g_workflow as string | null) ?? cuts.workflow;
    return agreementMetrics(g!.parts as GroupParts, workflow, settings.ordinalLabels, bootstrap, {
      minItems: settings.bootstrap.pairMinItems,
      replicates: settings.bootstrap.pairReplicates,
      done: pairsDone,
    });
  });
  return { family: 'agreement', groups };
}

/** Keys of one cut have the same dimensions; their values are strings, numbers or null. */
function sameKey(a: Row, b: Row): boolean {
  for (const d in a) if (a[d] !== b[d]) return false;
  return true;
}

function agreementMetrics(
  parts: GroupParts,
  workflow: string | undefined,
  ordinalLabels: Record<string, string[]>,
  bootstrap: BootstrapOptions | false,
  pairSettings: { minItems: number; replicates: number; done: Map<string, PairwiseRow> },
): AgreementMetrics {
  const { patterns } = parts;
  const options = { bootstrap };
  const pairBootstrap = bootstrap === false || pairSettings.replicates === 0 ? false : { ...bootstrap, replicates: pairSettings.replicates };
  const raters = new Set(parts.pairs.flatMap((p) => [p.reviewer_a as string, p.reviewer_b as string]));
  const adjudicated = new Map(parts.refs.map((r) => [r.reviewer as string, r.adjudicated as number]));
  return {
    rated_cases: parts.rated,
    items: patterns.reduce((s, p) => s + p.items, 0),
    ratings: patterns.reduce((s, p) => s + p.items * total(p.counts), 0),
    raters: raters.size,
    ...multiRater(patterns, parts.singles, workflow === undefined ? undefined : { workflow, labels: ordinalLabels[workflow] }, bootstrap),
    pairwise_cohen: pairwise(parts.pairs, pairBootstrap, pairSettings.minItems, pairSettings.done),
    reviewers: reviewerAgreementOfTotals(
      parts.refs.map((r) => ({ reviewer: r.reviewer as string, agreed: r.agreed as number, n: r.n as number })),
      options,
    ).map((a) => ({ reviewer: a.reviewer, agreement: a.value, agreed: a.agreed, n: a.n, adjudicated: adjudicated.get(a.reviewer) ?? 0, ci95: ci(a.interval) })),
  };
}

type PairwiseRow = AgreementMetrics['pairwise_cohen'][number];

/**
 * Cohen's kappa per reviewer pair; only pairs with enough shared items pay for a bootstrap.
 * Each pair's table spans its own labels: the labels neither reviewer of the pair chose are
 * empty rows and columns, which change no sum (value, interval and all are the same to the
 * bit), and a table over a group's every label is mostly such (26 labels, 676 cells).
 * `done` holds the pairs computed so far in this run, by reviewers and table.
 */
function pairwise(rows: Row[], bootstrap: BootstrapOptions | false, minItems: number, done: Map<string, PairwiseRow>): PairwiseRow[] {
  const out: PairwiseRow[] = [];
  for (const p of rows) {
    const raterA = p.reviewer_a as string;
    const raterB = p.reviewer_b as string;
    // the pair's table, as the query lists it: by n, label_a, label_b
    const counts = (JSON.parse(p.cells as string) as { a: string; b: string; n: number }[]).map((c) => ({ raterA, raterB, labelA: c.a, labelB: c.b, count: c.n }));
    // the query orders rows alike in every group, so the same table gives the same key
    const key = field(counts[0].raterA) + field(counts[0].raterB) + counts.map((c) => `${field(c.labelA)}${field(c.labelB)}${c.count};`).join('');
    let result = done.get(key);
    if (result === undefined) {
      const shared = counts.reduce((sum, c) => sum + c.count, 0);
      const [k] = pairwiseCohenKappa(counts, { bootstrap: shared >= minItems ? bootstrap : false });
      result = { reviewer_a: k.raterA, reviewer_b: k.raterB, kappa: k.value, percent_agreement: k.observed, n: k.n, ci95: ci(k.interval) };
      done.set(key, result);
    }
    out.push({ ...result, ci95: result.ci95 && [...result.ci95] });
  }
  return out.sort((a, b) => (a.reviewer_a === b.reviewer_a ? (a.reviewer_b < b.reviewer_b ? -1 : 1) : a.reviewer_a < b.reviewer_a ? -1 : 1));
}

/** A string as a part of a key that no other sequence of parts spells (JSON.stringify costs ~5x more here). */
function field(s: string): string {
  return `${s.length}:${s}`;
}

type MultiRater = Pick<AgreementMetrics, 'percent_agreement' | 'fleiss_kappa' | 'krippendorff_alpha_nominal' | 'krippendorff_alpha_ordinal' | 'gwet_ac1'>;

/**
 * The coefficients over the items × labels counts; `order` is the group's workflow and its
 * configured label order. Each gets the cases its own definition uses: percent agreement,
 * Fleiss and Krippendorff the items (two or more ratings; alpha's pairable values), AC1 also
 * the cases rated once (`singles`), which Gwet's chance agreement counts in its category shares.
 * Those over the same cases resample the same units, so they share one bootstrap: each interval
 * is still the one its coefficient would get alone.
 */
function multiRater(patterns: Pattern[], singles: Pattern[], order: { workflow: string; labels: string[] | undefined } | undefined, bootstrap: BootstrapOptions | false): MultiRater {
  const none = (note: string, n = 0): Coefficient => ({ value: null, n, ci95: null, note });
  if (patterns.length === 0) {
    const empty = none('no case in this group has two or more ratings');
    return { percent_agreement: empty, fleiss_kappa: empty, krippendorff_alpha_nominal: empty, krippendorff_alpha_ordinal: empty, gwet_ac1: empty };
  }
  // one row per pattern with its number of items, instead of one per item
  const options = { bootstrap: false as const, rowWeights: patterns.map((p) => p.items) };
  const sizes = [...new Set(patterns.map((p) => total(p.counts)))].sort((x, y) => x - y);
  const observed = [...new Set(patterns.flatMap((p) => [...p.counts.keys()]))].sort();
  // AC1's q: with no declared domain, the labels observed on every rated case, singles included
  const rated = [...patterns, ...singles];
  const observedRated = [...new Set(rated.flatMap((p) => [...p.counts.keys()]))].sort();
  const matrix = countRows(patterns, observed);
  const ordered = order?.labels;
  const unordered = ordered ? observed.filter((l) => !ordered.includes(l)) : [];
  // a declared label domain counts the labels nobody chose in AC1's chance agreement
  const unorderedSingles = ordered ? observedRated.filter((l) => !ordered.includes(l)) : [];
  const domain = ordered && unorderedSingles.length === 0 ? ordered : observedRated;
  const prepared = {
    percent_agreement: preparePairAgreement(patterns),
    fleiss_kappa: sizes.length > 1 ? null : prepareFleissKappa(matrix, options),
    krippendorff_alpha_nominal: prepareKrippendorffAlpha(matrix, { ...options, level: 'nominal' }),
    krippendorff_alpha_ordinal:
      order !== undefined && ordered && unordered.length === 0
        ? prepareKrippendorffAlpha(countRows(patterns, ordered), { ...options, level: 'ordinal' })
        : null,
    gwet_ac1: prepareGwetAC1(
      singles.length === 0 && !ordered ? matrix : countRows(rated, domain),
      { ...options, rowWeights: rated.map((p) => p.items) },
    ),
  };
  const computed = Object.values(prepared).filter((p): p is Prepared<AgreementResult> => p !== null);
  const finished = withIntervals(computed, bootstrap);
  const results = new Map(computed.map((p, i) => [p, finished[i]]));
  return {
    percent_agreement: coefficient(results.get(prepared.percent_agreement)!, 'no pairable item'),
    fleiss_kappa:
      prepared.fleiss_kappa === null
        ? none(`ratings per item vary (${sizes.join(', ')}); Fleiss' kappa needs the same number on every item: read krippendorff_alpha_nominal or gwet_ac1`)
        : coefficient(results.get(prepared.fleiss_kappa)!, 'every rating is the same label: chance agreement is 1'),
    krippendorff_alpha_nominal: coefficient(results.get(prepared.krippendorff_alpha_nominal)!, 'every rating is the same label: expected disagreement is 0'),
    krippendorff_alpha_ordinal:
      order === undefined ? none('ordinal alpha needs one workflow per group: group by workflow or filter one')
      : !ordered ? none(`no label order for workflow ${JSON.stringify(order.workflow)}: set metrics.agreement.ordinalLabels`)
      : unordered.length > 0 ? none(`label ${JSON.stringify(unordered[0])} is not in metrics.agreement.ordinalLabels.${order.workflow}`)
      : coefficient(results.get(prepared.krippendorff_alpha_ordinal!)!, 'one value among the pairable ratings'),
    gwet_ac1: coefficient(results.get(prepared.gwet_ac1)!, 'one label in the domain: list the labels in metrics.agreement.ordinalLabels'),
  };
}

/**
 * Mean share of agreeing rater pairs per item, Σ_k c_k (c_k − 1) / (r (r − 1)): the observed
 * agreement of Fleiss and AC1, defined for any number of ratings per item. Resampled over items.
 */
function preparePairAgreement(patterns: Pattern[]): Prepared<AgreementResult> {
  const share = patterns.map(({ counts }) => {
    const r = total(counts);
    let agreeing = 0;
    for (const c of counts.values()) agreeing += c * (c - 1);
    return agreeing / (r * (r - 1));
  });
  const mean = (m: ArrayLike<number>): number | null => {
    let items = 0;
    let sum = 0;
    for (let u = 0; u < share.length; u++) {
      items += m[u];
      sum += m[u] * share[u];
    }
    return items === 0 ? null : sum / items;
  };
  const weights = patterns.map((p) => p.items);
  return { result: { value: mean(weights), n: weights.reduce((a, b) => a + b, 0) }, resample: { weights, statistic: mean } };
}

/** One row of `columns` counts per pattern; `rowWeights` says how many items each stands for. */
function countRows(patterns: Pattern[], columns: readonly string[]): number[][] {
  return patterns.map((p) => columns.map((label) => p.counts.get(label) ?? 0));
}

function coefficient(r: AgreementResult, nullNote: string): Coefficient {
  return { value: r.value, n: r.n, ci95: ci(r.interval), note: r.value === null ? nullNote : null };
}

function ci(interval: BootstrapInterval | null): [number, number] | null {
  return interval ? [interval.lower, interval.upper] : null;
}

function total(counts: Map<string, number>): number {
  let s = 0;
  for (const c of counts.values()) s += c;
  return s;
}
