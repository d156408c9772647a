import { OVERFLOW_VALUE } from '../config/defaults.js';
import type { MetricsConfig } from '../config/metrics.js';
import { Q } from '../store/queries.js';
import type { Store } from '../store/store.js';
import type { Cuts } from './cuts.js';

/** What a capped output says about the capping (docs/metrics.md#label-cardinality). */
export interface CapNote {
  /** Values with a group of their own. */
  limit: number;
  /** Distinct values the dimension has in the store. */
  distinct_values: number;
  /** How many of them were folded into the overflow group. */
  overflow_values: number;
  /** The overflow group's value. */
  overflow: string;
}
export type Capped = Partial<Record<'workflow' | 'reviewer', CapNote>>;

/**
 * The cut with the values capped dimensions keep: one cheap query before the families run
 * (top values by cases and by decisions), so every family folds the same values into '(other)'
 * and each metric of the overflow group is computed exactly over what it absorbed.
 */
export async function capCuts(store: Store, cuts: Cuts, config: MetricsConfig): Promise<{ cuts: Cuts; capped: Capped }> {
  const caps = { workflow: config.cardinality.workflows, reviewer: config.cardinality.reviewers };
  const rows = await store.query(Q.topValues, { cap_workflow: caps.workflow, cap_reviewer: caps.reviewer });
  const keep: { workflow: string[]; reviewer: string[] } = { workflow: [], reviewer: [] };
  const capped: Capped = {};
  for (const dimension of ['workflow', 'reviewer'] as const) {
    const mine = rows.filter((r) => r.dimension === dimension);
    const distinct = Number(mine[0]?.distinct_values ?? 0);
    if (distinct <= caps[dimension]) continue; // below the cap: every value keeps its group
    if (cuts[dimension] !== undefined) continue; // filtered on one value: it keeps its own name
    keep[dimension] = mine.map((r) => r.value);
    capped[dimension] = {
      limit: caps[dimension],
      distinct_values: distinct,
      overflow_values: distinct - keep[dimension].length,
      overflow: OVERFLOW_VALUE,
    };
  }
  return { cuts: { ...cuts, keep }, capped };
}

/** Dimensions a family groups by whatever the cut asks: reviewers are per reviewer, drift per workflow. */
const ALWAYS_BY: Readonly<Record<string, readonly string[]>> = { reviewers: ['reviewer'], drift: ['workflow'] };

/** The notes that concern a family's groups: the capped dimensions it grouped by. */
export function capsFor(capped: Capped, cuts: Cuts, family: string): Capped | undefined {
  const out: Capped = {};
  for (const d of ['workflow', 'reviewer'] as const) {
    const grouped = (cuts.group_by ?? []).includes(d) || (ALWAYS_BY[family] ?? []).includes(d);
    if (grouped && capped[d]) out[d] = capped[d];
  }
  return Object.keys(out).length > 0 ? out : undefined;
}
