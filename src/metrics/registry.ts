import type { MetricFamily } from './family.js';
import { agreementFamily } from './families/agreement.js';
import { controlsFamily } from './families/controls.js';
import { driftFamily } from './families/drift.js';
import { qualityFamily } from './families/quality.js';
import { queuesFamily } from './families/queues.js';
import { slaFamily } from './families/sla.js';
import { reviewersFamily } from './families/reviewers.js';
import { samplingFamily } from './families/sampling.js';

/** Every metric family, in report order. A family's name is its route: /v1/metrics/<name>. */
export const FAMILIES: readonly MetricFamily[] = [qualityFamily, queuesFamily, slaFamily, reviewersFamily, agreementFamily, driftFamily, controlsFamily, samplingFamily];

export function findFamily(name: string): MetricFamily | undefined {
  return FAMILIES.find((f) => f.name === name);
}
