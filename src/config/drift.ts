import { z } from 'zod';
import { CUSUM_DEFAULT_H, CUSUM_DEFAULT_K, DEFAULT_DRIFT_THRESHOLDS, PSI_DEFAULT_BINS, PSI_EPSILON } from './defaults.js';

const instant = z.iso.datetime({ offset: true }).transform((s) => new Date(s));

/** `metrics.drift` in the config file (docs/metrics/drift.md#configuration). */
export const driftConfigSchema = z
  .object({
    /** The current window: the last `currentDays` before now, unless the cut gives from/to. */
    currentDays: z.number().gt(0).max(366).default(1),
    /** The trailing reference: the `referenceDays` just before the current window. */
    referenceDays: z.number().gt(0).max(366).default(7),
    /** A pinned reference window, used instead of the trailing one. */
    baseline: z
      .object({ from: instant, to: instant })
      .strict()
      .refine((b) => b.from < b.to, { path: ['to'], message: 'to must be after from' })
      .optional(),
    /** Below this many observations in either window a check shows its statistic but does not flag. */
    minSamples: z.number().int().min(1).default(30),
    thresholds: z
      .object({
        alpha: z.number().gt(0).lt(1).default(DEFAULT_DRIFT_THRESHOLDS.alpha),
        psi: z.number().gt(0).default(DEFAULT_DRIFT_THRESHOLDS.psi),
        jensenShannon: z.number().gt(0).max(1).default(DEFAULT_DRIFT_THRESHOLDS.jensenShannon),
        wassersteinNormed: z.number().gt(0).default(DEFAULT_DRIFT_THRESHOLDS.wassersteinNormed),
      })
      .strict()
      .prefault({}),
    psi: z
      .object({
        bins: z.number().int().min(2).max(100).default(PSI_DEFAULT_BINS),
        epsilon: z.number().gt(0).lt(1).default(PSI_EPSILON),
      })
      .strict()
      .prefault({}),
    cusum: z
      .object({ k: z.number().min(0).default(CUSUM_DEFAULT_K), h: z.number().gt(0).default(CUSUM_DEFAULT_H) })
      .strict()
      .prefault({}),
    /** Which change of a rate the two-proportion test flags. */
    rateAlternative: z.enum(['two-sided', 'increase', 'decrease']).default('two-sided'),
  })
  .strict();
export type DriftConfig = z.output<typeof driftConfigSchema>;
