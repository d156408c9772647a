import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { PeriodicJob } from '../../src/metrics/periodic-job.js';

/** A pino logger whose lines land in `lines`, parsed. */
function capturingLogger() {
  const lines: { level: number; msg: string }[] = [];
  const logger = pino({ level: 'debug' }, { write: (s: string) => void lines.push(JSON.parse(s)) });
  return { logger, lines };
}

describe('PeriodicJob', () => {
  it('reports a run past its timeout, and starts no second run beside it', async () => {
    const { logger, lines } = capturingLogger();
    let started = 0;
    let finish: () => void = () => undefined;
    const job = new PeriodicJob({ name: 'metrics', intervalMs: 3_600_000, timeoutMs: 20, logger }, () => {
      started++;
      return new Promise<void>((resolve) => (finish = resolve));
    });
    const first = job.trigger();
    await new Promise((r) => setTimeout(r, 60));
    expect(lines.some((l) => l.level === 50 && l.msg.includes('still running after 20 ms'))).toBe(true);
    // past the timeout, a trigger joins the run in progress instead of starting another
    const second = job.trigger();
    expect(started).toBe(1);
    finish();
    await Promise.all([first, second]);
    expect(lines.some((l) => l.level === 40 && l.msg.includes('finished after its timeout'))).toBe(true);
    // once it ended, the next trigger runs again
    const third = job.trigger();
    expect(started).toBe(2);
    finish();
    await third;
    await job.stop();
  });

  it('logs a failed run and keeps going', async () => {
    const { logger, lines } = capturingLogger();
    let runs = 0;
    const job = new PeriodicJob({ name: 'metrics', intervalMs: 3_600_000, timeoutMs: 1_000, logger }, async () => {
      runs++;
      if (runs === 1) throw new Error('store unavailable');
    });
    await expect(job.trigger()).resolves.toBeUndefined();
    expect(lines.some((l) => l.level === 50 && l.msg === 'periodic job failed')).toBe(true);
    await job.trigger();
    expect(runs).toBe(2);
  });
});

describe('PeriodicJob.stop', () => {
  it('aborts the run in progress and waits for it to give up', async () => {
    const { logger, lines } = capturingLogger();
    let aborted = false;
    const job = new PeriodicJob({ name: 'metrics', intervalMs: 3_600_000, timeoutMs: 60_000, logger }, (signal) =>
      new Promise<void>((_, reject) =>
        signal.addEventListener('abort', () => {
          aborted = true;
          reject(signal.reason);
        }),
      ),
    );
    void job.trigger();
    expect(lines.some((l) => l.msg === 'metrics run started')).toBe(true);
    const started = Date.now();
    await job.stop();
    expect(aborted).toBe(true);
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(lines.some((l) => l.level === 30 && l.msg === 'metrics run cancelled')).toBe(true);
    expect(lines.some((l) => l.msg === 'periodic job failed')).toBe(false);
  });
});
