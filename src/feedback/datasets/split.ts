import { createHmac } from 'node:crypto';
import type { SplitPart, SplitSpec } from './options.js';

/**
 * A case's position in [0, 1): HMAC-SHA256 of its case_id under the split key, first 48 bits.
 * It depends on the case_id and the key alone, so a case never changes split between runs or as
 * other cases arrive; the key keeps the assignment from being steered by choosing case ids.
 */
export function splitPosition(key: string, caseId: string): number {
  const digest = createHmac('sha256', key).update(caseId, 'utf8').digest();
  return digest.readUIntBE(0, 6) / 2 ** 48;
}

/** train below train%, validation below train%+validation%, test above (docs/datasets.md#split). */
export function splitOf(spec: SplitSpec, key: string, caseId: string): SplitPart {
  const u = splitPosition(key, caseId) * 100;
  if (u < spec.train) return 'train';
  if (u < spec.train + spec.validation) return 'validation';
  return 'test';
}
