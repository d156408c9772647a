import express, { type NextFunction, type Request, type Response } from 'express';
import type { Logger } from 'pino';
import type { Validator } from './events/validate.js';
import { accessLog } from './access-log.js';
import { BodyError, LoopwatchError } from './errors.js';
import type { EventWriter } from './ingest/event-writer.js';
import { parseEventsBody } from './ingest/http-body.js';
import { ingestBatch } from './ingest/ingest-batch.js';
import type { IngestMetrics } from './observability/ingest-metrics.js';
import { parseJsonColumns } from './store/json-columns.js';
import type { Store } from './store/store.js';
import { metricsRouter } from './metrics/routes.js';
import type { MetricsRunner } from './metrics/runner.js';
import { Q } from './store/queries.js';

export interface AppDeps {
  store: Store;
  writer: EventWriter;
  validate: Validator;
  metrics: IngestMetrics;
  logger: Logger;
  bodyLimit: string;
  /** False while starting or shutting down: /readyz answers 503 so load balancers move on. */
  isReady: () => boolean;
  runner: MetricsRunner;
}

export function createApp(deps: AppDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(accessLog(deps.logger));

  // express.raw inflates gzip bodies itself (Content-Encoding: gzip) and applies the limit
  // after decompression, so a small zip bomb cannot get past it
  const rawBody = express.raw({ type: () => true, limit: deps.bodyLimit, inflate: true });

  app.post('/v1/events', rawBody, async (req: Request, res: Response, next: NextFunction) => {
    const started = process.hrtime.bigint();
    try {
      if (!deps.isReady()) throw new BodyError('not_ready', 'Loopwatch is shutting down; retry against another instance', 503);
      const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      const records = parseEventsBody(body, req.get('content-type'));
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
      next(err);
    }
  });

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });

  app.get('/readyz', async (_req, res) => {
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

  app.get('/v1/summary', async (_req, res, next) => {
    try {
      const rows = await deps.store.query(Q.eventCounts);
      res.json({ events: rows.reduce((n, r) => n + Number(r.events), 0), by_workflow_and_type: rows });
    } catch (err) {
      next(err);
    }
  });

  app.get('/v1/cases/:case_id', async (req, res, next) => {
    try {
      const params = { case_id: req.params.case_id };
      const [state] = await deps.store.query(Q.caseState, params);
      if (!state) {
        res.locals.errorCode = 'case_not_found';
        res.status(404).json({ error: { code: 'case_not_found', message: `no events for case ${JSON.stringify(params.case_id)}` } });
        return;
      }
      res.json({ case: state, events: parseJsonColumns(await deps.store.query(Q.caseEvents, params)) });
    } catch (err) {
      next(err);
    }
  });

  app.use(metricsRouter(deps.runner));

  app.get('/metrics', async (_req, res, next) => {
    try {
      res.set('Content-Type', deps.metrics.registry.contentType);
      res.send(await deps.metrics.registry.metrics());
    } catch (err) {
      next(err);
    }
  });

  app.use((_req, res) => {
    res.locals.errorCode = 'not_found';
    res.status(404).json({ error: { code: 'not_found', message: 'no such route' } });
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

/** The body parser reports its own failures as http-errors with a `type`; they get our shape. */
function errorAnswer(err: unknown, bodyLimit: string): { status: number; error: { code: string; message: string } } {
  const e = err as { status?: number; type?: string; message?: string };
  if (err instanceof BodyError) return { status: err.status, error: { code: err.code, message: err.message } };
  if (e.type === 'entity.too.large') {
    return { status: 413, error: { code: 'body_too_large', message: `the request body is larger than the limit of ${bodyLimit}; split the batch` } };
  }
  if (e.type === 'encoding.unsupported' || e.status === 415) {
    return { status: 415, error: { code: 'encoding_unsupported', message: e.message ?? 'unsupported content encoding; use gzip or none' } };
  }
  if (typeof e.status === 'number' && e.status >= 400 && e.status < 500) {
    return { status: e.status, error: { code: e.type ?? 'bad_request', message: e.message ?? 'bad request' } };
  }
  const code = err instanceof LoopwatchError ? err.code : 'internal';
  // a 5xx tells the sender nothing was made durable, so it retries; retries are idempotent
  return { status: 503, error: { code, message: 'the events could not be stored; retry the same batch' } };
}
