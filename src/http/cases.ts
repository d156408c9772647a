import { Router } from 'express';
import { LoopwatchError } from '../errors.js';
import { parseJsonColumns } from '../store/json-columns.js';
import type { AppDeps } from './deps.js';
import { FAILURES, routeFailure } from './errors.js';
import { Q } from '../store/queries.js';

/** GET /v1/cases/:case_id: a case's current state and its events, in order. */
export function casesRouter(deps: AppDeps): Router {
  const router = Router();
  router.get('/v1/cases/:case_id', async (req, res, next) => {
    try {
      const params = { case_id: req.params.case_id };
      const [state] = await deps.store.query(Q.caseState, params);
      if (!state) throw new LoopwatchError('case_not_found', `no events for case ${JSON.stringify(params.case_id)}`);
      res.json({ case: state, events: parseJsonColumns(await deps.store.query(Q.caseEvents, params)) });
    } catch (err) {
      next(routeFailure(err, FAILURES.case));
    }
  });
  return router;
}
