import type { Logger } from 'pino';
import type { DatasetsConfig } from '../config/datasets.js';
import type { Auth } from '../auth/guard.js';
import type { Validator } from '../events/validate.js';
import type { EventWriter } from '../ingest/event-writer.js';
import type { IngestQueue } from '../ingest/ingest-queue.js';
import type { HttpPreparePool } from '../ingest/http-prepare-pool.js';
import type { MetricsRunner } from '../metrics/runner.js';
import type { MetricSeries } from '../observability/metric-series.js';
import type { MetricsConfig } from '../config/metrics.js';
import type { ReviewConfig } from '../config/review.js';
import type { IngestMetrics } from '../observability/ingest-metrics.js';
import type { Store } from '../store/store.js';
import type { SamplingService } from '../feedback/sampling/service.js';

/** What the routes need: built once by startServer, handed to every router. */
export interface AppDeps {
  store: Store;
  writer: EventWriter;
  validate: Validator;
  /** Worker threads that parse, validate and serialize POST /v1/events bodies; absent: this thread does. */
  prepare?: HttpPreparePool;
  metrics: IngestMetrics;
  logger: Logger;
  bodyLimit: string;
  /** Request bodies held at once; full, POST /v1/events answers 429. */
  ingestQueue: IngestQueue;
  /** False while starting or shutting down: /readyz answers 503 so load balancers move on. */
  isReady: () => boolean;
  runner: MetricsRunner;
  /** The Prometheus series of the metric runs; absent in apps built without them. */
  series?: MetricSeries;
  /** The QA sampling state and overrides (docs/sampling.md); absent: no /v1/sampling routes. */
  sampling?: SamplingService;
  /** Tokens and scopes; absent in apps built without access control (every route open). */
  auth?: Auth;
  /** The governance review's settings (GET /v1/reviews); absent: the defaults. */
  reviewSettings?: { metrics: MetricsConfig; review: ReviewConfig };
  /** Dataset export settings (docs/datasets.md); absent: the defaults, with no pseudonymization key. */
  datasets?: DatasetsConfig;
}
