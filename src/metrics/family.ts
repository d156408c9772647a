import type { Store } from '../store/store.js';
import type { Cuts } from './cuts.js';
import type { MetricsConfig } from '../config/metrics.js';
import type { Capped } from './caps.js';

export interface MetricContext {
  store: Store;
  cuts: Cuts;
  config: MetricsConfig;
  /** The instant "now" for ages and open-item breaches; fixed per run so every family agrees. */
  now: Date;
}

/** One group of a cut: its key (the dimensions asked for, and the bucket) and its metrics. */
export interface MetricGroup<M = Record<string, unknown>> {
  key: Record<string, unknown>;
  metrics: M;
}

export interface FamilyResult<M = Record<string, unknown>> {
  family: string;
  groups: MetricGroup<M>[];
  /** Lists that are not per group (e.g. control violations with their case ids). */
  details?: Record<string, unknown>;
  /** Present when a dimension the groups are keyed by was capped (docs/metrics.md#label-cardinality). */
  capped?: Capped;
}

/**
 * A family of metrics computed together from a few aggregate queries. `compute` runs its
 * sql/<engine>/<query>.sql files with the cut parameters and finishes the numbers in TypeScript.
 */
export interface MetricFamily {
  name: string;
  description: string;
  compute(ctx: MetricContext): Promise<FamilyResult>;
}
