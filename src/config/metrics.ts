import { z } from 'zod';
import { agreementConfigSchema } from './agreement.js';
import {
  DEFAULT_CAP_FEATURE_KEYS,
  DEFAULT_CAP_REVIEWERS,
  DEFAULT_CAP_WORKFLOWS,
  DEFAULT_SCHEDULE_INTERVAL_SECONDS,
  DEFAULT_SCHEDULE_TIMEOUT_SECONDS,
  MAX_SCHEDULE_INTERVAL_SECONDS,
  MAX_SCHEDULE_TIMEOUT_SECONDS,
} from './defaults.js';
import { driftConfigSchema } from './drift.js';
import { rubberStampSchema } from './rubber-stamp.js';
import { slaPolicySchema } from './sla-policy.js';

/**
 * The metrics section of the config file. Families add their own settings here (SLA policy,
 * rubber-stamp thresholds, drift thresholds), each with the playbook's defaults.
 */
export const metricsConfigSchema = z
  .object({
    schedule: z
      .object({
        intervalSeconds: z.number().min(1).max(MAX_SCHEDULE_INTERVAL_SECONDS).default(DEFAULT_SCHEDULE_INTERVAL_SECONDS),
        timeoutSeconds: z.number().min(1).max(MAX_SCHEDULE_TIMEOUT_SECONDS).default(DEFAULT_SCHEDULE_TIMEOUT_SECONDS),
      })
      .strict()
      .default({ intervalSeconds: DEFAULT_SCHEDULE_INTERVAL_SECONDS, timeoutSeconds: DEFAULT_SCHEDULE_TIMEOUT_SECONDS }),
    /** How many workflows, reviewers and drift feature keys get a group of their own (docs/metrics.md#label-cardinality). */
    cardinality: z
      .object({
        workflows: z.number().int().min(1).default(DEFAULT_CAP_WORKFLOWS),
        reviewers: z.number().int().min(1).default(DEFAULT_CAP_REVIEWERS),
        featureKeys: z.number().int().min(1).default(DEFAULT_CAP_FEATURE_KEYS),
      })
      .strict()
      .prefault({}),
    /** SLA targets per lane and workflow, and the business calendar (docs/metrics/queues-sla.md#configuration). */
    sla: slaPolicySchema.prefault({}),
    /** Rubber-stamp thresholds (docs/metrics/reviewers.md). */
    reviewers: z.object({ rubberStamp: rubberStampSchema.prefault({}) }).strict().prefault({}),
    /** Ordered label lists for ordinal alpha, bootstrap size (docs/metrics/agreement.md). */
    agreement: agreementConfigSchema.prefault({}),
    /** Windows, thresholds, PSI bins and epsilon, CUSUM k and h (docs/metrics/drift.md). */
    drift: driftConfigSchema.prefault({}),
  })
  .strict();

export type MetricsConfig = z.output<typeof metricsConfigSchema>;

export const defaultMetricsConfig = (): MetricsConfig => metricsConfigSchema.parse({});
