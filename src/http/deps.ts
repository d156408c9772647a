import type { Logger } from 'pino';
import type { DatasetsConfig } from '../config/datasets.js';
import type { Auth } from '../auth/guard.js';
import type { Validator } from '../events/validate.js';
import type { EventWriter } from '../ingest/event-writer.js';
import type { IngestQueue } from '../ingest/ingest-queue.js';
import type { MetricsRunner } from '../metrics/runner.js';
import type { IngestMetrics } from '../observability/ingest-metrics.js';
import type { Store } from '../store/store.js';

/** What the routes need: built once by startServer, handed to every router. */
export interface AppDeps {
  store: Store;
  writer: EventWriter;
  validate: Validator;
  metrics: IngestMetrics;
  logger: Logger;
  bodyLimit: string;
  /** Request bodies held at once; full, POST /v1/events answers 429. */
  ingestQueue: IngestQueue;
  /** False while starting or shutting down: /readyz answers 503 so load balancers move on. */
  isReady: () => boolean;
  runner: MetricsRunner;
  /** Tokens and scopes; absent in apps built without access control (every route open). */
  auth?: Auth;
  /** Dataset export settings (docs/datasets.md); absent: the defaults, with no pseudonymization key. */
  datasets?: DatasetsConfig;
}
