import { Router } from 'express';
import type { AppDeps } from './deps.js';

/** Probes for orchestrators and the Prometheus scrape of the server's own counters. */
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

  router.get('/metrics', async (_req, res, next) => {
    try {
      res.set('Content-Type', deps.metrics.registry.contentType);
      res.send(await deps.metrics.registry.metrics());
    } catch (err) {
      next(err);
    }
  });
  return router;
}
