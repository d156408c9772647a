import { Router } from 'express';
import type { AppDeps } from './deps.js';
import { OPENMETRICS_CONTENT_TYPE, prefersOpenMetrics, toOpenMetrics } from '../observability/openmetrics.js';

/** Probes for orchestrators and the Prometheus scrape (classic text, or OpenMetrics when asked for). */
export function healthRouter(deps: AppDeps): Router {
  const router = Router();

  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });

  router.get('/readyz', async (_req, res) => {
    if (!deps.isReady()) {
      res.status(503).json({ status: 'shutting_down' });
      return;
    }
    try {
      await deps.store.ping();
      res.json({ status: 'ready', store: deps.store.engine });
    } catch (err) {
      deps.logger.warn({ err }, 'store ping failed');
      res.status(503).json({ status: 'store_unavailable' });
    }
  });

  router.get('/metrics', async (req, res, next) => {
    try {
      const text = await deps.metrics.registry.metrics();
      res.vary('Accept');
      if (prefersOpenMetrics(req.get('accept'))) {
        res.set('Content-Type', OPENMETRICS_CONTENT_TYPE);
        res.send(toOpenMetrics(text));
        return;
      }
      res.set('Content-Type', deps.metrics.registry.contentType);
      res.send(text);
    } catch (err) {
      next(err);
    }
  });
  return router;
}
