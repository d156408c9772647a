import { z } from 'zod';

/**
 * When a reviewer looks like a rubber stamp: enough decisions in a lane to judge, nearly all
 * approvals, and a median decision time far below the lane's. The playbook's warning: SLAs
 * that are too tight turn reviewers into rubber stamps.
 */
export const rubberStampSchema = z
  .object({
    minDecisions: z.number().int().min(1).default(20),
    minApproveRate: z.number().min(0).max(1).default(0.98),
    /** Reviewer median ≤ this fraction of the lane median. */
    maxSpeedRatio: z.number().gt(0).max(1).default(0.25),
  })
  .strict();
export type RubberStampConfig = z.output<typeof rubberStampSchema>;
