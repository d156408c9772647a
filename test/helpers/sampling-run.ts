import { metricsConfigSchema, type MetricsConfig } from '../../src/config/metrics.js';
import { samplingConfigSchema, type SamplingConfig } from '../../src/config/sampling.js';
import { createValidator } from '../../src/events/validate.js';
import { SamplingController } from '../../src/feedback/sampling/controller.js';
import { decide } from '../../src/feedback/sampling/decide.js';
import { SamplingService } from '../../src/feedback/sampling/service.js';
import { EventWriter } from '../../src/ingest/event-writer.js';
import { ingestBatch } from '../../src/ingest/ingest-batch.js';
import { createLogger } from '../../src/observability/logger.js';
import { simulateEvents, type CaseTruth, type WorkflowName } from '../../src/simulate/index.js';
import type { Store } from '../../src/store/store.js';

export const HOUR = 3_600_000;

export interface SamplingRunOptions {
  store: Store;
  seed: number;
  start: Date;
  windows: number;
  casesPerHour: number;
  driftAt: Date;
  driftUntil: Date;
  workflows?: WorkflowName[];
  sampling?: Record<string, unknown>;
  metrics?: Record<string, unknown>;
  /** Called after each window with the service, e.g. to ask the HTTP routes the same questions. */
  afterWindow?: (w: WindowRecord, service: SamplingService) => Promise<void>;
}

export interface WindowRecord {
  index: number;
  end: Date;
  /** Rate in force per workflow after the controller judged this window. */
  rates: Record<string, number>;
  states: Record<string, string>;
  changes: { workflow: string; cause: string; to_rate: number; detail: string }[];
}

export interface SamplingRun {
  windows: WindowRecord[];
  truths: CaseTruth[];
  config: SamplingConfig;
  service: SamplingService;
  events: number;
}

/**
 * Drives the simulator and the sampling controller window by window on a simulated clock: the
 * events of each window are ingested through the ingest path, the controller judges the window
 * at its end plus the grace, and the simulator's sampler uses the rate in force from then on
 * (Loopwatch's own decide function, the one the HTTP route answers with).
 */
export async function runSampling(o: SamplingRunOptions): Promise<SamplingRun> {
  const config = samplingConfigSchema.parse(o.sampling ?? {});
  const metrics: MetricsConfig = metricsConfigSchema.parse(o.metrics ?? {});
  const windowMs = config.windowHours * HOUR;
  if (o.start.getTime() % windowMs !== 0) throw new Error('start must be on a window boundary');
  let simNow = o.start;
  const validate = createValidator({ limits: { tsMaxAheadMs: 400 * 24 * HOUR } });
  const writer = new EventWriter(o.store);
  const service = new SamplingService({ store: o.store, writer, validate, config, logger: createLogger('silent'), clock: () => simNow, cacheMs: 0 });
  const controller = new SamplingController(service, metrics);
  const rates = new Map<string, number>();
  const truths: CaseTruth[] = [];
  const totalHours = o.windows * config.windowHours;
  const events = simulateEvents({
    seed: o.seed,
    cases: Math.round(o.casesPerHour * totalHours),
    start: o.start,
    casesPerHour: o.casesPerHour,
    driftAt: o.driftAt,
    driftUntil: o.driftUntil,
    workflows: o.workflows,
    sampler: ({ caseId, workflow }) => {
      const rate = rates.get(workflow) ?? config.rate;
      return { sample: decide(caseId, rate), rate };
    },
    onCase: (t) => truths.push(t),
  });
  const ctx = { validate, writer };
  let next = events.next();
  let stored = 0;
  const ingestUntil = async (end: number) => {
    const batch: Record<string, unknown>[] = [];
    while (!next.done && Date.parse(next.value.ts as string) < end) {
      batch.push(next.value);
      next = events.next();
    }
    const r = await ingestBatch(batch, ctx);
    if (r.rejected > 0) throw new Error(`simulated events rejected: ${r.errors[0].reason}`);
    stored += batch.length;
  };
  const windows: WindowRecord[] = [];
  for (let i = 1; i <= o.windows; i++) {
    const end = o.start.getTime() + i * windowMs;
    await ingestUntil(end);
    simNow = new Date(end + config.graceMinutes * 60_000);
    const changes = await controller.runOnce(simNow);
    const record: WindowRecord = { index: i, end: new Date(end), rates: {}, states: {}, changes: changes.map((c) => ({ workflow: c.workflow, cause: c.cause, to_rate: c.to_rate, detail: c.detail })) };
    for (const s of await service.statuses()) {
      rates.set(s.workflow, s.rate);
      record.rates[s.workflow] = s.rate;
      record.states[s.workflow] = s.state;
    }
    windows.push(record);
    await o.afterWindow?.(record, service);
  }
  // the rest: follow-ups (audits up to a day later) of the last cases
  await ingestUntil(Number.POSITIVE_INFINITY);
  await writer.close();
  return { windows, truths, config, service, events: stored };
}
