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
  type Prepared,
  type Rating,
  type RatingsMatrix,
  type Resample,
  withIntervals,
} from './input.js';
export { cohenKappa, percentAgreement, type CohenKappaOptions, type CohenKappaResult, type KappaWeights } from './cohen.js';
export {
  pairCountsFromRatings,
  pairwiseCohenKappa,
  type PairwiseKappa,
  type PairwiseKappaOptions,
  type RaterPairCount,
} from './cohen-pairwise.js';
export { fleissKappa, prepareFleissKappa, type FleissKappaResult } from './fleiss.js';
export { coincidenceMatrix, krippendorffAlpha, prepareKrippendorffAlpha, type AlphaLevel, type AlphaOptions, type AlphaResult } from './krippendorff.js';
export { gwetAC1, prepareGwetAC1, type GwetAC1Result } from './gwet.js';
export {
  majorityLabel,
  reviewerAgreement,
  reviewerAgreementOfTotals,
  reviewerAgreementWithMajority,
  type ReferencePairCount,
  type ReviewerAgreement,
} from './reference.js';
export { bootstrapInterval, bootstrapIntervals, type BootstrapInterval, type BootstrapOptions } from '../bootstrap.js';
