import { Gauge, type Registry } from 'prom-client';
import { SAMPLING_STATES } from '../events/vocabulary.js';
import type { SamplingService } from '../feedback/sampling/service.js';

/**
 * hitl_sampling_rate{workflow} and hitl_sampling_state{workflow,state}, on the
 * shared registry of src/observability/ingest-metrics.ts. Read at scrape time from the stored
 * state (the service caches it for a moment), so every server behind a load balancer agrees.
 */
export function registerSamplingMetrics(registry: Registry, sampling: SamplingService): void {
  new Gauge({
    name: 'hitl_sampling_rate',
    help: 'QA sampling rate of auto-approved work in force per workflow (0..1), override included.',
    labelNames: ['workflow'] as const,
    registers: [registry],
    async collect() {
      const statuses = await sampling.statuses();
      // reset: a workflow that disappeared does not linger with its last value
      this.reset();
      for (const s of statuses) this.set({ workflow: s.workflow }, s.rate);
    },
  });
  new Gauge({
    name: 'hitl_sampling_state',
    help: 'QA sampling state per workflow: 1 for the state in force (normal, tightened, reduced), 0 for the others.',
    labelNames: ['workflow', 'state'] as const,
    registers: [registry],
    async collect() {
      const statuses = await sampling.statuses();
      this.reset();
      for (const s of statuses) for (const state of SAMPLING_STATES) this.set({ workflow: s.workflow, state }, s.state === state ? 1 : 0);
    },
  });
}
