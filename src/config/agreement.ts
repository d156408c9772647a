import { z } from 'zod';

/**
 * `metrics.agreement` in the config file (docs/metrics/agreement.md#configuration). Ordinal
 * alpha needs the order of a workflow's labels, which nothing in the events says.
 */
export const agreementConfigSchema = z
  .object({
    ordinalLabels: z
      .record(
        z.string().min(1),
        z
          .array(z.string().min(1))
          .min(2)
          .refine((labels) => new Set(labels).size === labels.length, 'lists a label twice; expected distinct labels, lowest first'),
      )
      .default({}),
    bootstrap: z
      .object({
        /** 0 turns the intervals off. */
        replicates: z.number().int().min(0).max(100_000).default(200),
        seed: z.number().int().min(0).default(1),
        /**
         * Reviewer pairs are many (every pair that shared a case) and most share few cases: a
         * pair gets its bootstrap interval from this many shared items on, with fewer replicates.
         */
        pairMinItems: z.number().int().min(1).default(30),
        pairReplicates: z.number().int().min(0).max(100_000).default(200),
      })
      .strict()
      .prefault({}),
  })
  .strict();
export type AgreementConfig = z.output<typeof agreementConfigSchema>;
