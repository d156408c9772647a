import { z } from 'zod';
import { LANES } from '../events/vocabulary.js';
import type { CutParams } from '../store/query-rows.js';

/** Dimensions a metric can be grouped by or filtered on; the names are the JSON keys too. */
export const DIMENSIONS = ['workflow', 'tier', 'lane', 'model_version', 'policy_version', 'reviewer'] as const;
export type Dimension = (typeof DIMENSIONS)[number];

export const BUCKETS = ['hour', 'day', 'week'] as const;
export type Bucket = (typeof BUCKETS)[number];

const commaList = (allowed: readonly string[]) =>
  z
    .union([z.string(), z.array(z.string())])
    .transform((v) => (Array.isArray(v) ? v : v.split(',')).map((s) => s.trim()).filter(Boolean))
    .pipe(z.array(z.enum(allowed as [string, ...string[]])));

const instant = z.iso.datetime({ offset: true }).transform((s) => new Date(s));

/**
 * How a metric is cut: filters (one value each), a time window [from, to) on the metric's own
 * time column (documented per metric), grouping dimensions and an optional time bucket.
 * Query-string friendly: `?workflow=support_drafting&group_by=tier,lane&bucket=day`.
 */
export const cutsSchema = z
  .object({
    workflow: z.string().min(1).optional(),
    tier: z.coerce.number().int().min(1).max(3).optional(),
    lane: z.enum(LANES).optional(),
    model_version: z.string().min(1).optional(),
    policy_version: z.string().min(1).optional(),
    reviewer: z.string().min(1).optional(),
    from: instant.optional(),
    to: instant.optional(),
    bucket: z.enum(BUCKETS).optional(),
    group_by: commaList(DIMENSIONS).optional(),
  })
  .strict()
  .refine((c) => !c.from || !c.to || c.from < c.to, { path: ['to'], message: 'to must be after from' });

export type Cuts = z.output<typeof cutsSchema> & {
  /** Set by the runner, never by a request: the values capped dimensions keep (src/metrics/caps.ts). */
  keep?: { workflow: readonly string[]; reviewer: readonly string[] };
};

/**
 * The named parameters every metric query takes. Absent filters are NULL ("all"); grouping is
 * a list the SQL tests with list_contains/has, so one query file serves every cut.
 */
export function cutParams(cuts: Cuts): CutParams {
  return {
    workflow: cuts.workflow ?? null,
    tier: cuts.tier ?? null,
    lane: cuts.lane ?? null,
    model_version: cuts.model_version ?? null,
    policy_version: cuts.policy_version ?? null,
    reviewer: cuts.reviewer ?? null,
    from: cuts.from ?? null,
    to: cuts.to ?? null,
    bucket: cuts.bucket ?? null,
    group_by: cuts.group_by ?? [],
    keep_workflow: cuts.keep?.workflow ?? [],
    keep_reviewer: cuts.keep?.reviewer ?? [],
  };
}

/** The group key of a result row: the `g_*` columns the queries return, for the dimensions asked for. */
export function groupKey(row: Record<string, unknown>, cuts: Cuts): Record<string, unknown> {
  const key: Record<string, unknown> = {};
  for (const d of cuts.group_by ?? []) key[d] = row[`g_${d}`] ?? null;
  if (cuts.bucket) key.bucket = row.g_bucket instanceof Date ? row.g_bucket.toISOString() : row.g_bucket;
  return key;
}
