import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Ingest's own health, on a dedicated registry (no global state shared with other libraries). */
/** `queuedBytes`: the ingest queue's fill, read at each scrape. */
export function createIngestMetrics(queuedBytes: () => number = () => 0) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'hitl_process_' });
  // gauges named _total break the naming rules (promtool check metrics); the per-type
  // nodejs_active_* gauges beside them carry the same numbers
  for (const gauge of ['active_handles_total', 'active_requests_total', 'active_resources_total']) registry.removeSingleMetric(`hitl_process_nodejs_${gauge}`);
  const events = new Counter({
    name: 'hitl_ingest_events_total',
    help: 'Events received by ingest, by result (accepted, duplicate, rejected) and source (http, file).',
    labelNames: ['result', 'source'] as const,
    registers: [registry],
  });
  // export zeros for the series that will exist, so alerts never read "no data" as "fine"
  for (const result of ['accepted', 'duplicate', 'rejected']) events.inc({ result, source: 'http' }, 0);
  const batchSeconds = new Histogram({
    name: 'hitl_ingest_batch_duration_seconds',
    help: 'Time from a batch arriving to its events being durable.',
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const refused = new Counter({
    name: 'hitl_ingest_requests_refused_total',
    help: 'POST /v1/events requests refused with 429 before anything was stored, by reason (queue_full).',
    labelNames: ['reason'] as const,
    registers: [registry],
  });
  refused.inc({ reason: 'queue_full' }, 0);
  new Gauge({
    name: 'hitl_ingest_queue_bytes',
    help: 'Bytes of request bodies held by ingest (read and not yet answered); ingestQueueLimit bounds it.',
    registers: [registry],
    collect() {
      this.set(queuedBytes());
    },
  });
  return { registry, events, batchSeconds, refused };
}

export type IngestMetrics = ReturnType<typeof createIngestMetrics>;
