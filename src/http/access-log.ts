import type { NextFunction, Request, Response } from 'express';
import type { Logger } from 'pino';

/** Probes and scrapes arrive every few seconds; at info they would bury the requests that matter. */
const QUIET_PATHS = new Set(['/healthz', '/readyz', '/metrics']);

/**
 * One line per request once the answer is sent: method, path, status, duration. The path is
 * logged without its query string, which may carry tokens. 4xx lines are warnings (a sender
 * doing something wrong), 5xx errors; the error code the answer carried is on the line.
 */
export function accessLog(logger: Logger) {
  return (req: Request, res: Response, next: NextFunction) => {
    const started = process.hrtime.bigint();
    res.once('finish', () => {
      const status = res.statusCode;
      const duration_ms = Math.round(Number(process.hrtime.bigint() - started) / 1e4) / 100;
      const level = status >= 500 ? 'error' : status >= 400 ? 'warn' : QUIET_PATHS.has(req.path) ? 'debug' : 'info';
      const path = req.originalUrl.split('?')[0];
      const fields: Record<string, unknown> = { method: req.method, path, status, duration_ms };
      // the token's name says who; the token itself is never on a line
      if (res.locals.tokenName) fields.token = res.locals.tokenName;
      if (res.locals.errorCode) fields.error_code = res.locals.errorCode;
      if (res.locals.errorMessage) fields.error_message = res.locals.errorMessage;
      // an ingest answer says how much of the batch was taken: the first thing asked of a 422
      if (res.locals.events) fields.events = res.locals.events;
      logger[level](fields, `${req.method} ${path} ${status} ${duration_ms} ms`);
    });
    next();
  };
}
