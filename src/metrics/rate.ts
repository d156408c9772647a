import { wilsonInterval } from './stats/proportions.js';

/** A proportion as every route reports it: the value, what it was computed from, and its 95% interval. */
export interface Rate {
  /** null when the denominator is 0: "no data" is not "0%". */
  value: number | null;
  numerator: number;
  denominator: number;
  /** Wilson score interval at 95%; null when the denominator is 0. */
  ci95: [number, number] | null;
}

export function rate(numerator: number, denominator: number): Rate {
  if (denominator === 0) return { value: null, numerator, denominator, ci95: null };
  const ci = wilsonInterval(numerator, denominator, 0.95);
  return { value: numerator / denominator, numerator, denominator, ci95: [ci.lower, ci.upper] };
}
