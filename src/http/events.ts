import express, { Router, type NextFunction, type Request, type Response } from 'express';
import { LoopwatchError } from '../errors.js';
import { parseEventsBody } from '../ingest/http-body.js';
import { ingestBatch } from '../ingest/ingest-batch.js';
import type { AppDeps } from './deps.js';
import { FAILURES, routeFailure } from './errors.js';

/** POST /v1/events: the answer is sent once the batch's valid events are durable. */
export function eventsRouter(deps: AppDeps): Router {
  const router = Router();
  // express.raw inflates gzip bodies itself (Content-Encoding: gzip) and applies the limit
  // after decompression, so a small zip bomb cannot get past it
  const rawBody = express.raw({ type: () => true, limit: deps.bodyLimit, inflate: true });

  router.post('/v1/events', rawBody, async (req: Request, res: Response, next: NextFunction) => {
    const started = process.hrtime.bigint();
    try {
      if (!deps.isReady()) throw new LoopwatchError('not_ready', 'Loopwatch is shutting down; retry against another instance');
      const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      const records = parseEventsBody(body, req.get('content-type'), deps.validate.limits);
      const result = await ingestBatch(records, deps);
      deps.metrics.events.inc({ result: 'accepted', source: 'http' }, result.accepted);
      deps.metrics.events.inc({ result: 'duplicate', source: 'http' }, result.duplicates);
      deps.metrics.events.inc({ result: 'rejected', source: 'http' }, result.rejected);
      deps.metrics.batchSeconds.observe(Number(process.hrtime.bigint() - started) / 1e9);
      // 200 when everything was taken, 207-like partial success is still 200 with the errors
      // listed; 422 only when not a single event of the batch was usable
      const status = result.rejected > 0 && result.accepted + result.duplicates === 0 ? 422 : 200;
      res.locals.events = { accepted: result.accepted, duplicates: result.duplicates, rejected: result.rejected };
      res.status(status).json(result);
    } catch (err) {
      // a 5xx tells the sender nothing was made durable, so it retries; retries are idempotent
      next(routeFailure(err, FAILURES.events));
    }
  });
  return router;
}
