import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/**
 * A function of a CommonJS package, loaded on its first call. The @stdlib distributions pull in
 * dozens of small modules each (the beta quantile alone ~140 ms of CPU at start), and most runs
 * call few of them or none: a report whose drift has no window to compare never needs the
 * p-value functions, one without an exact interval never the beta quantile. `require`, not a
 * dynamic import, so that callers stay synchronous; it is the same module either way.
 */
export function onFirstCall<F extends (...args: never[]) => unknown>(id: string): F {
  let loaded: F | undefined;
  return ((...args: Parameters<F>) => (loaded ??= require(id) as F)(...args)) as F;
}
