import { Router } from 'express';
import type { AppDeps } from './deps.js';
import { FAILURES, routeFailure } from './errors.js';
import { Q } from '../store/queries.js';

/** GET /v1/summary: stored events by workflow and type, a first look after an ingest. */
export function summaryRouter(deps: AppDeps): Router {
  const router = Router();
  router.get('/v1/summary', async (_req, res, next) => {
    try {
      const rows = await deps.store.query(Q.eventCounts);
      res.json({ events: rows.reduce((n, r) => n + Number(r.events), 0), by_workflow_and_type: rows });
    } catch (err) {
      next(routeFailure(err, FAILURES.summary));
    }
  });
  return router;
}
