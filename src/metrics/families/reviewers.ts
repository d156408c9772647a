import { rubberStampSchema, type RubberStampConfig } from '../../config/rubber-stamp.js';
import { cutParams, groupKey, type Cuts } from '../cuts.js';
import type { FamilyResult, MetricFamily } from '../family.js';
import type { Store } from '../../store/store.js';
import { cachedResult } from '../result-cache.js';
import { buildGroups, num } from '../group-rows.js';
import { rate } from '../rate.js';
import { Q } from '../../store/queries.js';


interface LaneSpeed {
  lane: string;
  decisions: number;
  approve_rate: number;
  seconds_p50: number | null;
  lane_seconds_p50: number | null;
}

/** Reviewer load and speed, with the rubber-stamp flag (docs/metrics.md#reviewers). */
export const reviewersFamily: MetricFamily = {
  name: 'reviewers',
  description: 'Decisions per reviewer per active hour, time per decision, likely rubber-stamping',
  async compute({ store, cuts, config }) {
    const thresholds: RubberStampConfig = config.reviewers?.rubberStamp ?? rubberStampSchema.parse({});
    // a function of the derived tables, the cut and the thresholds (no clock): kept in the
    // database as agreement's result is, and read back while no refresh changed the tables
    return cachedResult(store, 'reviewers', { cuts, thresholds }, () => computeReviewers(store, cuts, thresholds));
  },
};


async function computeReviewers(store: Store, cuts: Cuts, thresholds: RubberStampConfig): Promise<FamilyResult> {
  const params = cutParams(cuts);
  const [decisions, reviewerLanes, lanes] = await Promise.all([
    store.query(Q.reviewerWorkload, params),
    store.query(Q.rubberStampLanes, params),
    store.query(Q.laneMedianSpeed, params),
  ]);
  // lanes and their medians within each group of the cut: a reviewer of one workflow is
  // judged on that workflow's lanes, against that workflow's reviewers
  const cell = cellOf(cuts);
  const laneMedian = new Map(lanes.map((l) => [cell(l, l.lane as string), l.seconds_p50 as number | null]));
  const speedByReviewer = new Map<string, LaneSpeed[]>();
  for (const r of reviewerLanes) {
    const id = cell(r, r.reviewer as string);
    const list = speedByReviewer.get(id) ?? [];
    list.push({
      lane: r.lane as string,
      decisions: num(r, 'decisions'),
      approve_rate: num(r, 'approvals') / num(r, 'decisions'),
      seconds_p50: (r.seconds_p50 as number | null) ?? null,
      lane_seconds_p50: laneMedian.get(cell(r, r.lane as string)) ?? null,
    });
    speedByReviewer.set(id, list);
  }
  // the reviewer is always a dimension here: load is per person by definition
  const reviewerCuts = { ...cuts, group_by: ['reviewer' as const, ...(cuts.group_by ?? []).filter((d) => d !== 'reviewer')] };
  const groups = buildGroups(reviewerCuts, { d: decisions }, ({ d }) => {
    const reviewer = d!.g_reviewer as string;
    const lanesOfReviewer = speedByReviewer.get(cell(d!, reviewer)) ?? [];
    const flaggedLanes = lanesOfReviewer.filter(
      (l) =>
        l.decisions >= thresholds.minDecisions &&
        l.approve_rate >= thresholds.minApproveRate &&
        l.seconds_p50 !== null &&
        l.lane_seconds_p50 !== null &&
        l.seconds_p50 <= thresholds.maxSpeedRatio * l.lane_seconds_p50,
    );
    const activeHours = num(d, 'active_hours');
    const timed = num(d, 'timed');
    return {
      decisions: num(d, 'decisions'),
      approve_rate: rate(num(d, 'approvals'), num(d, 'decisions')),
      active_hours: activeHours,
      decisions_per_active_hour: activeHours === 0 ? null : num(d, 'decisions') / activeHours,
      seconds_per_decision: {
        timed,
        mean: timed === 0 ? null : num(d, 'seconds_total') / timed,
        p50: (d!.seconds_p50 as number | null) ?? null,
        p90: (d!.seconds_p90 as number | null) ?? null,
      },
      rubber_stamp: { flagged: flaggedLanes.length > 0, lanes: flaggedLanes.map((l) => l.lane), by_lane: lanesOfReviewer },
    };
  });
  return { family: 'reviewers', groups };
}

/**
 * A key for `name` (a reviewer, a lane) within a row's group of the cut, the reviewer dimension
 * and the bucket aside: the flag is judged over the whole window, where a bucket would rarely
 * hold `minDecisions` decisions.
 */
function cellOf(cuts: Cuts): (row: Record<string, unknown>, name: string) => string {
  const others: Cuts = { ...cuts, bucket: undefined, group_by: (cuts.group_by ?? []).filter((d) => d !== 'reviewer') };
  return (row, name) => JSON.stringify([name, groupKey(row, others)]);
}
