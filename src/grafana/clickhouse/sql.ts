/**
 * SQL pieces the ClickHouse panels share, written once. They compute what the metric job
 * computes (docs/metrics/quality.md), so a panel and GET /v1/metrics agree over the same cases.
 */

/** z for a two-sided 95% interval (normal quantile 0.975), as src/metrics/stats/proportions.ts. */
const Z = 1.959963984540054;

/**
 * The Wilson score bounds of a share `p` of `n` (both SQL expressions), the same formula as
 * wilsonBounds in src/metrics/stats/proportions.ts; NULL when n is 0. `n` may be an effective
 * sample size (the Kish n_eff of a weighted estimate).
 */
export function wilsonOfShare(p: string, n: string): { lower: string; upper: string } {
  const denom = `(2 * ((${n}) + ${Z ** 2}))`;
  const center = `((2 * (${n}) * (${p}) + ${Z ** 2}) / ${denom})`;
  const delta = `((${Z} / ${denom}) * sqrt(4 * (${n}) * (${p}) * (1 - (${p})) + ${Z ** 2}))`;
  return {
    lower: `if((${n}) > 0, if((${p}) = 0, 0, ${center} - ${delta}), NULL)`,
    upper: `if((${n}) > 0, if((${p}) = 1, 1, ${center} + ${delta}), NULL)`,
  };
}

/** The Wilson score bounds of `k` successes in `n`. */
export const wilsonSql = (k: string, n: string) => wilsonOfShare(`(${k}) / (${n})`, n);

/**
 * The workflow filter: `column IN (the selected workflows)`, or nothing when All is selected.
 * The plugin expands $__conditionalAll before Grafana substitutes ${workflow:singlequote}.
 */
export const workflowFilter = (column = 'workflow'): string =>
  `$__conditionalAll(${column} IN (\${workflow:singlequote}), $workflow)`;

/** A list of strings as a ClickHouse array literal (constants of the vocabulary, never user data). */
export const arraySql = (values: readonly string[]): string => `[${values.map((v) => `'${v}'`).join(', ')}]`;
