import { describe, expect, it } from 'vitest';
import { samplingConfigSchema } from '../../../src/config/sampling.js';
import { statusOf, type SamplingChange } from '../../../src/feedback/sampling/status.js';
import { nextStep, verdict, type WindowVerdict } from '../../../src/feedback/sampling/switching.js';

const config = samplingConfigSchema.parse({});
const H = 3_600_000;
const T0 = Date.UTC(2026, 10, 1);

/** Windows from a pattern: F failed (drift), D failed (defects), c clean, . nothing to judge. */
function windows(pattern: string): WindowVerdict[] {
  return [...pattern].map((ch, i) => {
    const start = new Date(T0 + i * 24 * H);
    const end = new Date(T0 + (i + 1) * 24 * H);
    if (ch === '.') return verdict(config, start, end, { judged: false, checks: [] }, 0, 0);
    if (ch === 'F') return verdict(config, start, end, { judged: true, checks: ['confidence.psi'] }, 0, 0);
    if (ch === 'D') return verdict(config, start, end, { judged: false, checks: [] }, 40, 10);
    return verdict(config, start, end, { judged: true, checks: [] }, 40, 1);
  });
}

/** Replays the rules window by window, as the controller does: a change restarts the history. */
function replay(pattern: string, state: 'normal' | 'tightened' | 'reduced' = 'normal', rate = 0.05) {
  const all = windows(pattern);
  let from = 0;
  const steps: string[] = [];
  all.forEach((_, i) => {
    const step = nextStep(config, 'wf', state, rate, all.slice(from, i + 1));
    if (!step) return;
    steps.push(`${i + 1}:${step.to_state}@${step.to_rate}:${step.cause}`);
    [state, rate, from] = [step.to_state, step.to_rate, i + 1];
  });
  return steps;
}

describe('switching rules (ANSI/ASQ Z1.4 / ISO 2859-1 style, defaults 2 of 5, 5 clean, 10 clean)', () => {
  it('tightens when 2 of the last 5 windows fail, and steps up the ladder to its ceiling', () => {
    expect(replay('cFcF')).toEqual(['4:tightened@0.2:drift']);
    expect(replay('FFFFFFFF')).toEqual(['2:tightened@0.2:drift', '4:tightened@0.5:drift']);
    expect(replay('cDccD')).toEqual(['5:tightened@0.2:audit_defects']);
    // 2 failures 5 windows apart are not 2 of the last 5
    expect(replay('FccccF')).toEqual([]);
  });

  it('steps down one rung per clean run, then may reduce after a long one', () => {
    expect(replay('ccccc', 'tightened', 0.5)).toEqual(['5:tightened@0.2:clean_run']);
    expect(replay('cccccccccc', 'tightened', 0.5)).toEqual(['5:tightened@0.2:clean_run', '10:normal@0.05:clean_run']);
    expect(replay('cccccccccc')).toEqual(['10:reduced@0.02:long_clean_run']);
    // a window with nothing to judge neither breaks nor lengthens a clean run
    expect(replay('cc..ccc', 'tightened', 0.2)).toEqual(['7:normal@0.05:clean_run']);
  });

  it('goes back from reduced to normal on the first failed window', () => {
    expect(replay('ccD', 'reduced', 0.02)).toEqual(['3:normal@0.05:audit_defects']);
  });

  it('judges defects only from minAudits audits on, above maxRate', () => {
    const w = (audits: number, incorrect: number) => verdict(config, new Date(T0), new Date(T0 + H), { judged: false, checks: [] }, audits, incorrect);
    expect(w(29, 29)).toMatchObject({ judged: false, failed: false });
    expect(w(30, 4)).toMatchObject({ judged: true, failed: false });
    expect(w(30, 5)).toMatchObject({ judged: true, failed: true, cause: 'audit_defects' });
  });
});

describe('status from the latest sampling.changed', () => {
  const change = (over: Partial<SamplingChange>): SamplingChange => ({
    event_id: 'e',
    workflow: 'wf',
    ts: new Date(T0),
    actor_id: null,
    actor_role: 'system',
    from_state: 'normal',
    to_state: 'tightened',
    from_rate: 0.05,
    to_rate: 0.2,
    cause: 'drift',
    detail: null,
    expires_at: null,
    ...over,
  });

  it('is the configured normal before any change, per workflow', () => {
    const c = samplingConfigSchema.parse({ workflows: { fin: { rate: 0.1 } } });
    expect(statusOf('fin', null, c, new Date())).toMatchObject({ state: 'normal', rate: 0.1, since: null });
    expect(statusOf('other', null, c, new Date())).toMatchObject({ state: 'normal', rate: 0.05 });
  });

  it('applies an override until it expires, then the state rate it replaced', () => {
    const o = change({ cause: 'manual_override', from_state: 'tightened', to_state: 'tightened', from_rate: 0.2, to_rate: 0.9, expires_at: new Date(T0 + H) });
    expect(statusOf('wf', o, config, new Date(T0 + H - 1))).toMatchObject({ state: 'tightened', rate: 0.9, state_rate: 0.2, override: { rate: 0.9 } });
    const after = statusOf('wf', o, config, new Date(T0 + H));
    expect(after).toMatchObject({ rate: 0.2, override: null, expired_override: o });
  });
});

describe('sampling config', () => {
  it('refuses ladders that do not climb and rates out of order, naming the field', () => {
    expect(samplingConfigSchema.safeParse({ tightenedRates: [0.5, 0.2] }).error?.issues[0].path).toEqual(['tightenedRates', 1]);
    expect(samplingConfigSchema.safeParse({ rate: 0.3 }).error?.issues[0].path).toEqual(['tightenedRates', 0]);
    expect(samplingConfigSchema.safeParse({ reducedRate: 0.05 }).error?.issues[0].path).toEqual(['reducedRate']);
    expect(samplingConfigSchema.safeParse({ tighten: { failed: 6, of: 5 } }).success).toBe(false);
  });
});
