/**
 * Reviewer agreement: pure functions over aggregates (contingency tables, items × categories
 * counts, pair counts). Formulas, edge cases and sources: docs/stats-agreement.md.
 */
export { StatsInputError } from './errors.js';
export {
  countCategories,
  type AgreementResult,
  type Category,
  type CategoryCounts,
  type CoefficientOptions,
  type CountMatrix,
  type Rating,
  type RatingsMatrix,
} from './input.js';
export { cohenKappa, percentAgreement, type CohenKappaOptions, type CohenKappaResult, type KappaWeights } from './cohen.js';
export {
  pairCountsFromRatings,
  pairwiseCohenKappa,
  type PairwiseKappa,
  type PairwiseKappaOptions,
  type RaterPairCount,
} from './cohen-pairwise.js';
export { fleissKappa, type FleissKappaResult } from './fleiss.js';
export { coincidenceMatrix, krippendorffAlpha, type AlphaLevel, type AlphaOptions, type AlphaResult } from './krippendorff.js';
export { gwetAC1, type GwetAC1Result } from './gwet.js';
export {
  majorityLabel,
  reviewerAgreement,
  reviewerAgreementWithMajority,
  type ReferencePairCount,
  type ReviewerAgreement,
} from './reference.js';
export { bootstrapInterval, type BootstrapInterval, type BootstrapOptions } from '../bootstrap.js';
