import { Router, type Request } from 'express';
import { LoopwatchError } from '../errors.js';
import { explainIssue } from '../events/messages.js';
import { cutsSchema, type Cuts } from '../metrics/cuts.js';
import type { MetricFamily } from '../metrics/family.js';
import { FAILURES, routeFailure } from './errors.js';
import { findFamily, FAMILIES } from '../metrics/registry.js';
import type { MetricsRunner } from '../metrics/runner.js';
import type { MetricSeries } from '../observability/metric-series.js';

/**
 * GET /v1/metrics and /v1/metrics/<family>: the default cut comes from the scheduled run's
 * snapshot; any other cut (query parameters) is computed on request. `fresh=true` refreshes the
 * derived tables first instead of using the last scheduled refresh.
 */
export function metricsRouter(runner: MetricsRunner, series?: MetricSeries): Router {
  const router = Router();

  router.get('/v1/metrics', async (req, res, next) => {
    try {
      res.json(await answer(runner, series, req, FAMILIES));
    } catch (err) {
      next(routeFailure(err, FAILURES.metrics));
    }
  });

  router.get('/v1/metrics/:family', async (req, res, next) => {
    try {
      const family = findFamily(req.params.family);
      if (!family) {
        throw new LoopwatchError(
          'unknown_family',
          `no metric family ${JSON.stringify(req.params.family)}; known: ${FAMILIES.map((f) => f.name).join(', ')}`,
        );
      }
      res.json(await answer(runner, series, req, [family]));
    } catch (err) {
      next(routeFailure(err, FAILURES.metrics));
    }
  });

  return router;
}

async function answer(runner: MetricsRunner, series: MetricSeries | undefined, req: Request, families: readonly MetricFamily[]) {
  const { fresh, ...query } = req.query as Record<string, string | string[]>;
  const parsed = cutsSchema.safeParse(query, { error: explainIssue });
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(query)'}: ${i.message}`).join('; ');
    throw new LoopwatchError('invalid_cut', `invalid metric cut: ${problems}`);
  }
  // no cut at all means the scheduled one (grouped by workflow); `group_by=` asks for the total
  const cuts: Cuts = Object.keys(query).length === 0 ? runner.defaultCuts : parsed.data;
  const wantsFresh = fresh === 'true' || fresh === '1';
  const snapshot = runner.latest();
  if (!wantsFresh && snapshot && sameCut(cuts, runner.defaultCuts)) {
    return { ...snapshot, families: pick(snapshot.families, families) };
  }
  // the Prometheus series' workflow,tier cut, from the same run as the series (docs/prometheus.md)
  const tier = series?.tierSnapshot();
  if (!wantsFresh && tier?.snapshot && sameCut(cuts, tier.cuts) && families.every((f) => f.name in tier.snapshot!.families)) {
    return { ...tier.snapshot, families: pick(tier.snapshot.families, families) };
  }
  return runner.compute(cuts, { refresh: wantsFresh, families });
}

function sameCut(a: Cuts, b: Cuts): boolean {
  return JSON.stringify(normalize(a)) === JSON.stringify(normalize(b));
}

function normalize(c: Cuts): Record<string, unknown> {
  return Object.fromEntries(Object.entries(c).filter(([, v]) => v !== undefined).sort(([x], [y]) => (x < y ? -1 : 1)));
}

function pick<T>(all: Record<string, T>, families: readonly MetricFamily[]): Record<string, T> {
  return Object.fromEntries(families.filter((f) => f.name in all).map((f) => [f.name, all[f.name]]));
}
