import type { MetricGroup } from '../../metrics/family.js';
import type { MetricsSnapshot } from '../../metrics/runner.js';
import { labelValue, type Sample } from './define.js';

/** The snapshots the series read: the scheduled one (group_by=workflow) and the workflow,tier cut of the same run. */
export interface LatestRuns {
  byWorkflow?: MetricsSnapshot;
  byTier?: MetricsSnapshot;
}

export type Value = number | null | undefined;
/** Extra labels of one sample of a group, and its value (null or undefined: no sample). */
export type Cell = [Record<string, string>, Value];

export function groupsOf<M>(snapshot: MetricsSnapshot | undefined, family: string): MetricGroup<M>[] {
  return (snapshot?.families[family]?.groups ?? []) as MetricGroup<M>[];
}

/**
 * Samples of every group: the group key's `dims` as labels, plus each cell's own labels. A null
 * value is no sample: "no data" must not read as 0.
 */
export function samplesOf<M>(groups: MetricGroup<M>[], dims: readonly string[], cells: (m: M, key: Record<string, unknown>) => Cell[]): Sample[] {
  const out: Sample[] = [];
  for (const g of groups) {
    const base = Object.fromEntries(dims.map((d) => [d, labelValue(g.key[d])]));
    for (const [labels, value] of cells(g.metrics, g.key)) {
      if (typeof value === 'number') out.push({ labels: { ...base, ...labels }, value });
    }
  }
  return out;
}

/** A single unlabelled cell. */
export const only = (value: Value): Cell[] => [[{}, value]];
