import { pino } from 'pino';
import { defaultMetricsConfig, type MetricsConfig } from '../../src/config/metrics.js';
import type { Cuts } from '../../src/metrics/cuts.js';
import type { FamilyResult, MetricFamily } from '../../src/metrics/family.js';
import { MetricsRunner } from '../../src/metrics/runner.js';
import type { Store } from '../../src/store/store.js';

export interface FamilyRun {
  /** The family's result as JSON gives it back, without its duration. */
  result: FamilyResult & { groups: unknown };
  /** How many times each of the family's own queries (metrics/<family>/...) ran. */
  queries: Record<string, number>;
  /** Their sum. */
  total: number;
}

/**
 * One family computed by the runner over the derived tables as they are (no refresh) at `now`,
 * counting the family's own queries: the tests of kept results (src/metrics/result-cache.ts)
 * tell a result read back from one computed by whether its queries ran.
 */
export async function familyRun(family: MetricFamily, store: Store, cuts: Cuts, now: Date, config: MetricsConfig = defaultMetricsConfig()): Promise<FamilyRun> {
  const queries: Record<string, number> = {};
  const counting = new Proxy(store, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (prop === 'query') {
        return (q: { name: string }, ...args: unknown[]) => {
          if (q.name.startsWith(`metrics/${family.name}/`)) queries[q.name] = (queries[q.name] ?? 0) + 1;
          return (value as (...a: unknown[]) => unknown).apply(target, [q, ...args]);
        };
      }
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
  const runner = new MetricsRunner({ store: counting, families: [family], config, logger: pino({ level: 'silent' }), clock: () => now });
  const snap = await runner.compute(cuts, { refresh: false });
  const { duration_ms: _ms, ...result } = snap.families[family.name];
  return { result: JSON.parse(JSON.stringify(result)), queries, total: Object.values(queries).reduce((a, b) => a + b, 0) };
}
