import { z } from 'zod';
import { agreementConfigSchema } from '../metrics/families/agreement.js';
import { driftConfigSchema } from '../metrics/families/drift.js';
import { rubberStampSchema } from '../metrics/families/reviewers.js';
import { slaPolicySchema } from './sla-policy.js';

/**
 * The metrics section of the config file. Families add their own settings here (SLA policy,
 * rubber-stamp thresholds, drift thresholds), each with the playbook's defaults.
 */
export const metricsConfigSchema = z
  .object({
    schedule: z
      .object({
        intervalSeconds: z.number().min(1).max(86_400).default(60),
        timeoutSeconds: z.number().min(1).max(3_600).default(120),
      })
      .strict()
      .default({ intervalSeconds: 60, timeoutSeconds: 120 }),
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
