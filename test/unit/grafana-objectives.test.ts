import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BURN_WINDOWS, OBJECTIVES } from '../../src/grafana/objectives.js';
import { COMPLETION_STAGES } from '../../src/grafana/series.js';

/**
 * The panels' thresholds are the alerts' objectives: read them from prometheus/rules/ (the
 * alerting side owns them) and compare. The rule files are plain YAML written by hand; the
 * numbers are picked out by their rule names, which docs/prometheus.md documents.
 */
const RULES = path.resolve(import.meta.dirname, '../../prometheus/rules');
const present = existsSync(path.join(RULES, 'alerts.yml')) && existsSync(path.join(RULES, 'recording.yml'));
const read = (f: string) => readFileSync(path.join(RULES, f), 'utf8');

const SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400 };
const seconds = (d: string) => Number(d.slice(0, -1)) * SECONDS[d.slice(-1)];

describe.skipIf(!present)('dashboard thresholds equal the alert objectives of prometheus/rules/', () => {
  it('SLO objective', () => {
    const m = /record: hitl:sla_completion_objective:ratio\s+expr: vector\(([\d.]+)\)/.exec(read('recording.yml'));
    expect(Number(m?.[1])).toBe(OBJECTIVES.slaCompletion);
  });

  it('SLO stages', () => {
    const stages = new Set(read('recording.yml').match(/stage=~"[^"]+"/g));
    expect([...stages]).toEqual([COMPLETION_STAGES]);
  });

  it('false-accept objective per tier', () => {
    const found: Record<string, number> = {};
    for (const m of read('recording.yml').matchAll(/record: tier:hitl_false_accept_objective:ratio\s+expr: vector\(([\d.]+)\)\s+labels:\s+tier: "(\d)"/g)) {
      found[m[2]] = Number(m[1]);
    }
    expect(found).toEqual(OBJECTIVES.falseAcceptByTier);
  });

  it('queue oldest age, stale metric job, stop-the-line unresolved', () => {
    const alerts = read('alerts.yml');
    expect(Number(/hitl_queue_oldest_age_seconds > (\d+)/.exec(alerts)?.[1])).toBe(OBJECTIVES.queueOldestAgeSeconds);
    expect(Number(/> (\d+) \* hitl_metric_job_interval_seconds/.exec(alerts)?.[1])).toBe(OBJECTIVES.metricJobStaleIntervals);
    const unresolved = /alert: HitlStopTheLineUnresolved[\s\S]*?\n\s+for: (\w+)/.exec(alerts)?.[1];
    expect(seconds(unresolved ?? '0s')).toBe(OBJECTIVES.lineStoppedSeconds);
  });

  it('burn-rate windows and factors', () => {
    const alerts = read('alerts.yml');
    const pairs = [...alerts.matchAll(/alert: (HitlSloBurnRate\w+)|ratio_rate(\w+) > \(([\d.]+) \* ([\d.]+)\)\s+and workflow:hitl_sla_completion_error:ratio_rate(\w+) > \(([\d.]+) \* ([\d.]+)\)/g)];
    const found: { alert: string; long: string; short: string; rate: number }[] = [];
    let alert = '';
    for (const m of pairs) {
      if (m[1]) {
        alert = m[1];
        continue;
      }
      expect(m[3]).toBe(m[6]);
      expect(Number(m[4])).toBeCloseTo(1 - OBJECTIVES.slaCompletion, 12);
      found.push({ alert, long: m[2], short: m[5], rate: Number(m[3]) });
    }
    expect(found).toEqual(BURN_WINDOWS.map((w) => ({ ...w })));
  });
});
