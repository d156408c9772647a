import { Router } from 'express';
import { LoopwatchError } from '../errors.js';
import { HIGH_RISK_SIGNALS } from '../events/vocabulary.js';
import { cutParams, cutsSchema } from '../metrics/cuts.js';
import { Q } from '../store/queries.js';
import { reviewConfigSchema } from '../config/review.js';
import { defaultMetricsConfig } from '../config/metrics.js';
import type { AppDeps } from './deps.js';
import { FAILURES, routeFailure } from './errors.js';

/**
 * GET /v1/reviews?period=2026-11[&workflow=W][&whatif=true][&fresh=true] (or incident=<case|from..to>):
 * the same self-contained HTML page `loopwatch review` writes. GET /v1/whatif/threshold?workflow=W&confidence=0.85
 * (or thresholds=0.8,0.9; from/to): the triage what-if as JSON (docs/whatif.md).
 */
export function reviewsRouter(deps: AppDeps): Router {
  const router = Router();
  const review = deps.reviewSettings?.review ?? reviewConfigSchema.parse({});
  const metricsConfig = deps.reviewSettings?.metrics ?? defaultMetricsConfig();
  const common = (workflow: unknown, fresh: unknown) => ({
    workflow: typeof workflow === 'string' && workflow !== '' ? workflow : undefined,
    ids: { mode: review.reviewerIds, key: review.pseudonymKey },
    fresh: fresh === 'true' || fresh === '1',
    caseLinkBase: review.caseLinkBase,
  });

  router.get('/v1/reviews', async (req, res, next) => {
    try {
      const q = req.query as Record<string, unknown>;
      const { period: periodText, incident, workflow, fresh, whatif } = q;
      if ((typeof periodText === 'string') === (typeof incident === 'string')) throw new LoopwatchError('bad_period', 'give one of period=<2026-11 | 2026-Q4 | from..to> or incident=<case_id | from..to>');
      const { parsePeriod } = await import('../review/period.js');
      const reviewDeps = { store: deps.store, runner: deps.runner, config: metricsConfig };
      let html: string;
      if (typeof periodText === 'string') {
        const { buildReview } = await import('../review/review.js');
        ({ html } = await buildReview(reviewDeps, { ...common(workflow, fresh), period: parsePeriod(periodText), whatif: whatif === 'true' || whatif === '1' }));
      } else {
        const { buildIncidentReview } = await import('../review/incident.js');
        ({ html } = await buildIncidentReview(reviewDeps, { ...common(workflow, fresh), target: String(incident) }));
      }
      res.type('html').send(html);
    } catch (err) {
      next(routeFailure(err, FAILURES.review));
    }
  });

  router.get('/v1/whatif/threshold', async (req, res, next) => {
    try {
      const { workflow, confidence, thresholds, current, from, to } = req.query as Record<string, string | undefined>;
      const { checkThreshold, DEFAULT_GRID, estimateWhatIf } = await import('../review/whatif.js');
      if (!workflow) throw new LoopwatchError('invalid_whatif', 'workflow: required (a what-if is per workflow: its triage rules are)');
      const grid = thresholds ? thresholds.split(',').map((t) => checkThreshold(t, 'thresholds')) : confidence !== undefined ? [checkThreshold(confidence)] : [...DEFAULT_GRID];
      const parsed = cutsSchema.safeParse({ workflow, from, to, group_by: '' });
      if (!parsed.success) throw new LoopwatchError('invalid_whatif', `invalid window: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
      const rows = await deps.store.query(Q.whatIfBins, { ...cutParams(parsed.data), high_risk_signals: [...HIGH_RISK_SIGNALS] });
      res.json(estimateWhatIf(rows, grid, current === undefined ? undefined : checkThreshold(current, 'current')));
    } catch (err) {
      next(routeFailure(err, FAILURES.metrics));
    }
  });
  return router;
}
