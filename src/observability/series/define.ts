import { Counter, Gauge, type Registry } from 'prom-client';

/** One sample of a series: its labels and its value. */
export interface Sample {
  labels: Record<string, string>;
  value: number;
}

export interface SeriesSpec {
  name: string;
  help: string;
  type: 'gauge' | 'counter';
  labelNames: readonly string[];
  /** Read at each scrape from the metric job's cached results: a scrape never recomputes anything. */
  samples: () => Sample[];
}

/**
 * A series whose samples are the metric job's latest numbers. collect() resets first, so a label
 * set that disappeared from the results (a workflow gone, a value now null) disappears here too.
 * Counters are set by inc() from zero: the job computes cumulative counts, not increments.
 */
export function registerSeries(registry: Registry, spec: SeriesSpec): void {
  const { name, help, labelNames, samples } = spec;
  if (spec.type === 'counter') {
    new Counter({
      name,
      help,
      labelNames,
      registers: [registry],
      collect() {
        this.reset();
        for (const s of samples()) this.inc(s.labels, s.value);
      },
    });
  } else {
    new Gauge({
      name,
      help,
      labelNames,
      registers: [registry],
      collect() {
        this.reset();
        for (const s of samples()) this.set(s.labels, s.value);
      },
    });
  }
}

/** A group key's value as a label: null (a case whose creation has not arrived) is `unknown`. */
export function labelValue(v: unknown): string {
  return v === null || v === undefined ? 'unknown' : String(v);
}

/** 1 or 0 for a flag. */
export const flag = (b: unknown): number => (b ? 1 : 0);
