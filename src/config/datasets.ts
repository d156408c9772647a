import { z } from 'zod';
import { DEFAULT_DATASET_PAGE_SIZE, DEFAULT_DATASET_SPLIT_KEY, MAX_DATASET_PAGE_SIZE, MIN_PSEUDONYM_KEY_LENGTH } from './defaults.js';

/**
 * The datasets section of the config file (docs/datasets.md): what each workflow's examples
 * say to the model, and the keys of the split and of reviewer pseudonyms.
 */
export const datasetsConfigSchema = z
  .object({
    /** Per workflow: the system turn of its chat examples, and whether its answer is the label or the output text. */
    workflows: z
      .record(
        z.string().min(1),
        z
          .object({
            systemPrompt: z.string().min(1).optional(),
            /** label: the answer is final_label (a labeling workflow); output: the answer is final_output text. */
            target: z.enum(['label', 'output']).default('label'),
          })
          .strict(),
      )
      .default({}),
    /** Key of the keyed hash that pseudonymizes reviewer ids; without it, reviewer ids are never exported. */
    pseudonymKey: z.string().min(MIN_PSEUDONYM_KEY_LENGTH, `expected at least ${MIN_PSEUDONYM_KEY_LENGTH} characters`).optional(),
    /** Key of the split hash: changing it reshuffles every split. */
    splitKey: z.string().min(1).default(DEFAULT_DATASET_SPLIT_KEY),
    pageSize: z.number().int().min(1).max(MAX_DATASET_PAGE_SIZE).default(DEFAULT_DATASET_PAGE_SIZE),
  })
  .strict();

export type DatasetsConfig = z.output<typeof datasetsConfigSchema>;
