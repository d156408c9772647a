import type { MetricsConfig } from '../../config/metrics.js';
import type { SamplingCause } from '../../events/vocabulary.js';
import { PeriodicJob } from '../../metrics/periodic-job.js';
import { cancellable } from '../../metrics/cancellable-store.js';
import type { Store } from '../../store/store.js';
import { changeEvent, recordChanges } from './record.js';
import type { SamplingService } from './service.js';
import { statusOf, type SamplingStatus } from './status.js';
import { nextStep, type WindowVerdict } from './switching.js';
import { judgeWindow, windowEndingBy } from './windows.js';

const HOUR_MS = 3_600_000;

/** One change the controller recorded (the event it wrote, as fields). */
export interface ControllerChange {
  workflow: string;
  at: string;
  from_state: string;
  to_state: string;
  from_rate: number;
  to_rate: number;
  cause: SamplingCause;
  detail: string;
}

/**
 * The sampling controller (docs/sampling.md): on the periodic-job skeleton, it judges each
 * window that has ended (plus the grace) and applies the switching rules per workflow, writing
 * a sampling.changed for every change. It keeps no state of its own that matters: the state
 * comes from the stored events, and the window verdicts it caches are recomputed after a
 * restart from the same data.
 */
export class SamplingController {
  private readonly job: PeriodicJob;
  /** Window start (ms) → verdicts per workflow; a window is judged once. */
  private readonly verdicts = new Map<number, Map<string, WindowVerdict>>();
  private lastRun: ControllerChange[] = [];

  constructor(
    private readonly service: SamplingService,
    private readonly metrics: MetricsConfig,
  ) {
    const { config, logger } = service.deps;
    this.job = new PeriodicJob(
      { name: 'sampling', intervalMs: config.schedule.intervalSeconds * 1000, timeoutMs: config.schedule.timeoutSeconds * 1000, logger },
      async (signal) => {
        this.lastRun = await this.runOnce(this.service.clock(), signal);
        if (this.lastRun.length > 0) logger.info({ changes: this.lastRun }, 'sampling changed');
      },
    );
  }

  start(): void {
    this.job.start();
  }

  stop(): Promise<void> {
    return this.job.stop();
  }

  /** Runs the scheduled job now (or waits for the one in progress); returns what it changed. */
  async runNow(): Promise<ControllerChange[]> {
    await this.job.trigger();
    return this.lastRun;
  }

  /** Judges the windows ended by `now` and records every change; exposed for tests that drive the clock. */
  async runOnce(now: Date, signal?: AbortSignal): Promise<ControllerChange[]> {
    const { config, store: rawStore } = this.service.deps;
    const store: Store = signal ? cancellable(rawStore, signal) : rawStore;
    await store.refreshDerived();
    this.service.forget();
    const latest = await this.service.latest(now);
    const changes: ControllerChange[] = [];
    const events: Record<string, unknown>[] = [];
    const record = (s: SamplingStatus, at: Date, to: { state: SamplingStatus['state']; rate: number }, cause: ControllerChange['cause'], detail: string, fromRate = s.state_rate) => {
      const event = changeEvent({ workflow: s.workflow, at, from: { state: s.state, rate: fromRate }, to, cause, detail });
      events.push(event);
      changes.push({ workflow: s.workflow, at: at.toISOString(), from_state: s.state, to_state: to.state, from_rate: fromRate, to_rate: to.rate, cause, detail: event.detail as string });
    };

    const windowMs = config.windowHours * HOUR_MS;
    const lastEnd = windowEndingBy(now.getTime() - config.graceMinutes * 60_000, config.windowHours).end.getTime();
    const lookback = Math.max(config.tighten.of, config.relax.cleanWindows, config.reduce.enabled ? config.reduce.cleanWindows : 0);
    const ends: number[] = [];
    for (let i = lookback - 1; i >= 0; i--) ends.push(lastEnd - i * windowMs);
    for (const end of ends) {
      if (!this.verdicts.has(end - windowMs)) this.verdicts.set(end - windowMs, await judgeWindow(store, this.metrics, config, new Date(end - windowMs), new Date(end)));
    }
    for (const start of this.verdicts.keys()) if (start < ends[0] - windowMs) this.verdicts.delete(start);

    const workflows = new Set<string>(latest.keys());
    for (const v of this.verdicts.values()) for (const w of v.keys()) workflows.add(w);
    for (const workflow of [...workflows].sort()) {
      this.service.known.add(workflow);
      let s = statusOf(workflow, latest.get(workflow) ?? null, config, now);
      if (s.override) continue; // pinned until it expires
      if (s.expired_override) {
        const ended = s.expired_override.expires_at ?? now;
        record(s, ended, { state: s.state, rate: s.state_rate }, 'override_expired', `override of ${s.expired_override.to_rate} ended`, s.expired_override.to_rate);
        s = { ...s, since: ended, expired_override: null };
      }
      for (const end of ends) {
        const since = s.since?.getTime() ?? -Infinity;
        if (end <= since) continue;
        const history = ends
          .filter((e) => e <= end && e - windowMs >= since)
          .map((e) => this.verdicts.get(e - windowMs)?.get(workflow))
          .filter((v): v is WindowVerdict => v !== undefined);
        if (history.at(-1)?.end.getTime() !== end) continue;
        const step = nextStep(config, workflow, s.state, s.state_rate, history);
        if (!step) continue;
        const at = new Date(end);
        record(s, at, { state: step.to_state, rate: step.to_rate }, step.cause, step.detail);
        s = { ...s, state: step.to_state, rate: step.to_rate, state_rate: step.to_rate, since: at };
      }
    }
    await recordChanges(this.service.deps, events);
    this.service.forget();
    return changes;
  }
}
