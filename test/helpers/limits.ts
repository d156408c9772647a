import type { ValidatorOptions } from '../../src/events/validate.js';

/**
 * Validator options for tests of the event contract itself (field rules, calendar edge cases,
 * agreement with the published JSON Schema): they pin received_at and use timestamps years
 * apart, so the time window, which JSON Schema cannot state and which has its own tests
 * (hostile-events, validator-fuzz), is opened wide. Every other limit stays at its default.
 */
export const CONTRACT_ONLY: ValidatorOptions = { limits: { tsNotBefore: -8.64e15, tsMaxAheadMs: 8.64e15 } };
