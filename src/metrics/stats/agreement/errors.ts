import { LoopwatchError } from '../../../errors.js';

/**
 * Malformed input to a statistic: names the field, says what was wrong and what was expected.
 * Shared by the bootstrap (its options) and the agreement coefficients (their aggregates).
 */
export class StatsInputError extends LoopwatchError {
  constructor(
    readonly field: string,
    readonly problem: string,
    readonly expected: string,
  ) {
    super('stats_input_invalid', `${field}: ${problem}; expected ${expected}`);
    this.name = 'StatsInputError';
  }
}
