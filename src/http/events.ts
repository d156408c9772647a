import express, { Router, type NextFunction, type Request, type Response } from 'express';
import { INGEST_RETRY_AFTER_SECONDS } from '../config/defaults.js';
import { LoopwatchError } from '../errors.js';
import { parseEventsBody } from '../ingest/http-body.js';
import { httpValidatedHere } from '../ingest/http-validated.js';
import { ingestBatch } from '../ingest/ingest-batch.js';
import type { BatchResult } from '../ingest/batch-result.js';
import { parseSize, type QueueReservation } from '../ingest/ingest-queue.js';
import type { AppDeps } from './deps.js';
import { FAILURES, routeFailure } from './errors.js';

interface Admission {
  reservation: QueueReservation;
  /** Set once the handler runs: from then on the handler, not the socket, gives the bytes back. */
  handled: boolean;
}

/** POST /v1/events: the answer is sent once the batch's valid events are durable. */
export function eventsRouter(deps: AppDeps): Router {
  const router = Router();
  // express.raw inflates gzip bodies itself (Content-Encoding: gzip) and applies the limit
  // after decompression, so a small zip bomb cannot get past it
  const rawBody = express.raw({ type: () => true, limit: deps.bodyLimit, inflate: true });
  const bodyLimitBytes = parseSize(deps.bodyLimit);

  // the workers' path when there are workers and the store takes serialized batches; the same
  // answer either way (test/integration/http-workers.test.ts)
  const ingest = async (body: Buffer, contentType: string | undefined): Promise<BatchResult> => {
    if (!deps.prepare) {
      const records = parseEventsBody(body, contentType, deps.validate.limits);
      httpValidatedHere.add(records.length);
      return ingestBatch(records, deps);
    }
    const { valid, errors, prepared } = await deps.prepare.run(body, contentType, Date.now());
    const duplicates = await deps.writer.writePrepared(prepared);
    deps.prepare.recycle(prepared);
    return { accepted: valid - duplicates, duplicates, rejected: errors.length, errors };
  };

  const queueFull = (res: Response) => {
    deps.metrics.refused.inc({ reason: 'queue_full' });
    res.set('Retry-After', String(INGEST_RETRY_AFTER_SECONDS));
    return new LoopwatchError(
      'ingest_queue_full',
      `the server holds as many batches as it may (ingestQueueLimit ${deps.ingestQueue.limitBytes} bytes); retry the same batch after ${INGEST_RETRY_AFTER_SECONDS} s`,
    );
  };

  // before the body is read: a body of known size that does not fit is refused unread
  const admit = (req: Request, res: Response, next: NextFunction) => {
    const length = Number(req.get('content-length'));
    const known = Number.isFinite(length) && length >= 0;
    // over the body limit: express.raw answers 413 without reading it; a 429 would be retried forever
    if (known && length > bodyLimitBytes) return next();
    // an encoded body may inflate up to the body limit while it is read, so it holds that much until then
    const encoded = (req.get('content-encoding') ?? 'identity').toLowerCase() !== 'identity';
    const reservation = deps.ingestQueue.reserve(encoded || !known ? bodyLimitBytes : length);
    if (!reservation) return next(queueFull(res));
    const admission: Admission = { reservation, handled: false };
    res.locals.admission = admission;
    res.once('close', () => {
      if (!admission.handled) reservation.release();
    });
    next();
  };

  router.post('/v1/events', admit, rawBody, async (req: Request, res: Response, next: NextFunction) => {
    const started = process.hrtime.bigint();
    const admission = res.locals.admission as Admission | undefined;
    if (admission) admission.handled = true;
    try {
      if (!deps.isReady()) throw new LoopwatchError('not_ready', 'Loopwatch is shutting down; retry against another instance');
      const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      // the body's real size, now known: a gzip body may have grown past what fits
      if (admission && !admission.reservation.resize(body.length)) throw queueFull(res);
      const result = await ingest(body, req.get('content-type'));
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
    } finally {
      // the batch is written or failed: its memory is no longer ours to hold, whether or not
      // the client is still there to hear the answer
      admission?.reservation.release();
    }
  });
  return router;
}
