import { LoopwatchError } from '../errors.js';

/**
 * The one place an error code becomes an HTTP status. Domain code throws LoopwatchError with a
 * code and knows nothing of HTTP; a code missing here is a server fault (500).
 */
export const HTTP_STATUS: Readonly<Record<string, number>> = {
  // the request body, before any event is looked at (src/ingest/http-body.ts)
  body_empty: 400,
  body_not_json: 400,
  body_too_large: 413,
  batch_too_large: 413,
  body_invalid_utf8: 400,
  encoding_unsupported: 415,
  content_type_unsupported: 415,
  // access control (src/http/auth.ts): no or unknown token, a token without the route's scope
  unauthorized: 401,
  forbidden: 403,
  method_not_allowed: 405,
  // the metric routes' query parameters and path
  invalid_cut: 400,
  unknown_family: 404,
  case_not_found: 404,
  // the sampling routes (src/http/sampling.ts)
  invalid_sampling_request: 400,
  invalid_override: 400,
  // the review routes (src/http/reviews.ts)
  bad_period: 400,
  invalid_whatif: 400,
  // dataset export (src/http/datasets.ts): bad options; reviewer ids asked for with no key configured
  invalid_export: 400,
  pseudonym_key_missing: 400,
  not_found: 404,
  // the server cannot take the request now; another instance, or a retry later, can
  ingest_queue_full: 429,
  not_ready: 503,
  store_unavailable: 503,
  store_locked: 503,
  auth_unavailable: 503,
  // a read failed: retrying the same request will not help until the cause is fixed
  query_failed: 500,
  internal: 500,
};

export function statusOf(code: string): number {
  return HTTP_STATUS[code] ?? 500;
}

/**
 * What a route's 5xx says it failed to do: only a failed ingest tells the sender to retry its
 * batch. A read adds the cause when the cause is one of ours (written for users, e.g. an SLA
 * calendar with no working hours); a driver's own text stays in the log.
 */
export const FAILURES = {
  events: { code: 'store_unavailable', message: 'the events could not be stored; retry the same batch', withCause: false },
  metrics: { code: 'query_failed', message: 'the metrics could not be computed', withCause: true },
  summary: { code: 'query_failed', message: 'the event summary could not be read', withCause: true },
  case: { code: 'query_failed', message: 'the case could not be read', withCause: true },
  review: { code: 'query_failed', message: 'the review could not be built', withCause: true },
  datasets: { code: 'query_failed', message: 'the dataset could not be exported', withCause: true },
} as const satisfies Record<string, Failure>;

interface Failure {
  code: string;
  message: string;
  withCause: boolean;
}

/**
 * A route's failure as it should reach the sender: a refusal of the request (a 4xx, or
 * not_ready) passes unchanged; anything else (a driver error, a failed query) becomes the
 * route's failure, keeping the original as `cause` for the log.
 */
export function routeFailure(err: unknown, failure: Failure): unknown {
  if (err instanceof LoopwatchError && (err.code === 'not_ready' || (err.code in HTTP_STATUS && statusOf(err.code) < 500))) return err;
  const status = (err as { status?: unknown })?.status;
  if (typeof status === 'number' && status >= 400 && status < 500) return err;
  const detail = failure.withCause && err instanceof LoopwatchError ? `: ${err.message}` : '; the server log has the cause';
  return new LoopwatchError(failure.code, failure.withCause ? `${failure.message}${detail}` : failure.message, { cause: err });
}

/** The JSON answer for an error: our codes through the table; the body parser's http-errors by their `type`. */
export function errorAnswer(err: unknown, bodyLimit: string): { status: number; error: { code: string; message: string } } {
  const e = err as { status?: number; type?: string; message?: string };
  if (e?.type === 'entity.too.large') {
    return { status: statusOf('body_too_large'), error: { code: 'body_too_large', message: `the request body is larger than the limit of ${bodyLimit}; split the batch` } };
  }
  if (e?.type === 'encoding.unsupported' || e?.status === 415) {
    return { status: statusOf('encoding_unsupported'), error: { code: 'encoding_unsupported', message: e.message ?? 'unsupported content encoding; use gzip or none' } };
  }
  if (err instanceof LoopwatchError && err.code in HTTP_STATUS) {
    return { status: statusOf(err.code), error: { code: err.code, message: err.message } };
  }
  if (typeof e?.status === 'number' && e.status >= 400 && e.status < 500) {
    return { status: e.status, error: { code: e.type ?? 'bad_request', message: e.message ?? 'bad request' } };
  }
  // an error no route named: say so, not what it might have been
  return { status: statusOf('internal'), error: { code: 'internal', message: 'internal error; the server log has the cause' } };
}
