import { z } from 'zod';

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
  })
  .strict();

export type MetricsConfig = z.output<typeof metricsConfigSchema>;

export const defaultMetricsConfig = (): MetricsConfig => metricsConfigSchema.parse({});
