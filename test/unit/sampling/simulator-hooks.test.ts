import { describe, expect, it } from 'vitest';
import { simulationOptionsFrom } from '../../../src/cli/simulate.js';
import { simulateEvents, type CaseTruth } from '../../../src/simulate/index.js';
import { DRIFT_MODEL_VERSION, MODEL_VERSION } from '../../../src/simulate/workflows.js';

const H = 3_600_000;
const START = Date.UTC(2026, 9, 1);

describe('simulator: drift end, pluggable sampler, truth', () => {
  it('switches drift off again at driftUntil (--drift-until)', () => {
    const o = simulationOptionsFrom({ seed: '3', cases: '3000', casesPerHour: '600', batchSize: '100', progress: false, start: new Date(START).toISOString(), driftAt: new Date(START + 2 * H).toISOString(), driftUntil: new Date(START + 3 * H).toISOString() });
    expect(o.driftUntil).toEqual(new Date(START + 3 * H));
    const versions = new Map<string, Set<unknown>>();
    for (const e of simulateEvents(o)) {
      if (e.type !== 'case.created') continue;
      const t = Date.parse(e.ts as string);
      const phase = t < START + 2 * H ? 'before' : t < START + 3 * H ? 'during' : 'after';
      if (!versions.has(phase)) versions.set(phase, new Set());
      versions.get(phase)!.add(e.model_version);
    }
    expect(versions.get('before')).toEqual(new Set([MODEL_VERSION]));
    expect(versions.get('during')).toEqual(new Set([DRIFT_MODEL_VERSION]));
    expect(versions.get('after')).toEqual(new Set([MODEL_VERSION]));
    expect(() => simulateEvents({ ...o, driftUntil: new Date(START) })).toThrow(/driftUntil/);
  });

  it('asks the sampler for every auto-approved case and records its answer and rate', () => {
    const asked: string[] = [];
    const truths: CaseTruth[] = [];
    const events = [
      ...simulateEvents({
        seed: 4,
        cases: 2000,
        start: new Date(START),
        casesPerHour: 600,
        sampler: ({ caseId }) => (asked.push(caseId), { sample: asked.length % 3 === 0, rate: 0.3 }),
        onCase: (t) => truths.push(t),
      }),
    ];
    const auto = events.filter((e) => e.type === 'case.triaged' && e.lane === 'auto_approve');
    // events come in ts order, the sampler is asked in arrival order
    expect(auto.map((e) => e.case_id).sort()).toEqual([...asked].sort());
    expect(auto.every((e) => e.sampling_rate === 0.3 && typeof e.sampled === 'boolean')).toBe(true);
    const sampled = new Set(auto.filter((e) => e.sampled).map((e) => e.case_id));
    const audits = events.filter((e) => e.type === 'audit.completed' && sampled.has(e.case_id as string));
    expect(audits.length).toBeGreaterThan(0);
    expect(audits.every((e) => e.sampling_rate === 0.3)).toBe(true);
    // no audit of an auto-approved case that was not sampled
    const autoIds = new Set(auto.map((e) => e.case_id));
    expect(events.filter((e) => e.type === 'audit.completed' && autoIds.has(e.case_id as string) && !sampled.has(e.case_id as string))).toEqual([]);
    // every accepted auto-approved case has the verdict an audit would give; sampled ones match the emitted audit
    expect(truths.map((t) => t.caseId)).toEqual(asked);
    const verdicts = new Map(audits.map((e) => [e.case_id, e.verdict]));
    for (const t of truths.filter((x) => x.sampled && verdicts.has(x.caseId))) expect(t.auditVerdict).toBe(verdicts.get(t.caseId));
    expect(truths.filter((t) => t.accepted).every((t) => t.auditVerdict !== null)).toBe(true);
  });
});
