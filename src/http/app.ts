import express, { type NextFunction, type Request, type Response } from 'express';
import { accessLog } from './access-log.js';
import { refusePreflight, requireEventTypes, requireToken } from './auth.js';
import { LoopwatchError } from '../errors.js';
import { casesRouter } from './cases.js';
import { datasetsRouter } from './datasets.js';
import type { AppDeps } from './deps.js';
import { errorAnswer } from './errors.js';
import { eventsRouter } from './events.js';
import { healthRouter } from './health.js';
import { metricsRouter } from './metrics.js';
import { reviewsRouter } from './reviews.js';
import { summaryRouter } from './summary.js';
import { samplingRouter } from './sampling.js';

export type { AppDeps };

export function createApp(deps: AppDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(accessLog(deps.logger));
  // before any router: a refused request is never read, let alone stored
  app.use(refusePreflight);
  if (deps.auth) app.use(requireToken(deps.auth));
  app.use(requireEventTypes);
  app.use(eventsRouter(deps));
  app.use(healthRouter(deps));
  app.use(summaryRouter(deps));
  app.use(casesRouter(deps));
  app.use(metricsRouter(deps.runner, deps.series));
  app.use(samplingRouter(deps));
  app.use(reviewsRouter(deps));
  app.use(datasetsRouter(deps));

  app.use((_req, _res, next) => {
    next(new LoopwatchError('not_found', 'no such route'));
  });

  app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const { status, error } = errorAnswer(err, deps.bodyLimit);
    if (status >= 500) deps.logger.error({ err }, 'request failed');
    // the access line names what went wrong: a 4xx is otherwise invisible in the log
    res.locals.errorCode = error.code;
    if (status < 500) res.locals.errorMessage = error.message;
    res.status(status).json({ error });
  });
  return app;
}
