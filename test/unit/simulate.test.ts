import { describe, it, expect } from 'vitest';
import { ConfigError } from '../../src/errors.js';
import { createValidator } from '../../src/events/validate.js';
import { CONTRACT_ONLY } from '../helpers/limits.js';
import { EVENT_TYPES, HIGH_RISK_SIGNALS, LANES } from '../../src/events/vocabulary.js';
import { MinHeap } from '../../src/simulate/heap.js';
import { simulate, simulateEvents, type SimulationOptions } from '../../src/simulate/index.js';
import { Rng, weighted } from '../../src/simulate/random.js';
import { isoTime } from '../../src/simulate/script.js';

type Ev = Record<string, unknown>;
const HOUR = 3_600_000;
const start = new Date('2026-11-02T00:00:00.000Z');
const driftAt = new Date(start.getTime() + 10 * HOUR);
// 150 cases an hour spreads 3000 cases over 20 hours: long enough for line stops and incidents
const options: SimulationOptions = { seed: 42, cases: 3000, start, casesPerHour: 150, driftAt };

let memo: Ev[] | undefined;
const stream = (): Ev[] => (memo ??= [...simulateEvents(options)]);
const ofType = (type: string) => stream().filter((e) => e.type === type);
const createdAt = () => new Map(ofType('case.created').map((e) => [e.case_id as string, Date.parse(e.ts as string)]));

describe('simulate: the event contract', () => {
  it('emits only events that createValidator accepts', () => {
    const validate = createValidator(CONTRACT_ONLY);
    const rejected = stream()
      .map((e, i) => validate(e, i, 0))
      .filter((r) => !r.ok);
    expect(rejected).toEqual([]);
    expect(stream().length).toBeGreaterThan(15_000);
  });

  it('emits in non-decreasing ts order, as RFC 3339 UTC with milliseconds', () => {
    let previous = -Infinity;
    for (const e of stream()) {
      expect(e.ts).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      const t = Date.parse(e.ts as string);
      expect(t).toBeGreaterThanOrEqual(previous);
      previous = t;
    }
    expect(stream()[0].ts).toBe(start.toISOString());
  });

  it('gives unique, deterministic event ids and case ids', () => {
    const ids = stream().map((e) => e.event_id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids[0]).toBe('sim-42-1');
    const cases = ofType('case.created').map((e) => e.case_id);
    expect(new Set(cases).size).toBe(3000);
    expect(cases[0]).toBe('case-42-1');
  });

  it('produces every event type but the controller\'s sampling.changed, and all 7 lanes', () => {
    const types = new Set(stream().map((e) => e.type));
    expect([...types].sort()).toEqual(EVENT_TYPES.filter((t) => t !== 'sampling.changed').sort());
    const lanes = new Set(ofType('case.triaged').map((e) => e.lane));
    expect([...lanes].sort()).toEqual([...LANES].sort());
  });

  it('leaves case_id off line events and escalates only upwards', () => {
    for (const e of [...ofType('line.stopped'), ...ofType('line.resumed')]) expect(e.case_id).toBeUndefined();
    for (const e of ofType('case.escalated')) expect(e.to_level as number).toBeGreaterThan(e.from_level as number);
    expect(ofType('case.escalated').some((e) => e.trigger === 'sla_timeout')).toBe(true);
  });

  it('resumes each stopped line 20 to 90 minutes later', () => {
    const stopped = new Map<string, number>();
    for (const e of stream()) {
      if (e.type === 'line.stopped') stopped.set(e.workflow as string, Date.parse(e.ts as string));
      if (e.type === 'line.resumed') {
        const minutes = (Date.parse(e.ts as string) - stopped.get(e.workflow as string)!) / 60_000;
        expect(minutes).toBeGreaterThanOrEqual(20);
        expect(minutes).toBeLessThanOrEqual(90);
      }
    }
    expect(ofType('line.resumed').length).toBe(ofType('line.stopped').length);
  });

  it('exercises attrs with unknown top-level fields and explicit attrs', () => {
    expect(stream().some((e) => typeof e.ticket_url === 'string')).toBe(true);
    expect(stream().some((e) => typeof e.attrs === 'object')).toBe(true);
  });
});

describe('simulate: determinism and streaming', () => {
  const small: SimulationOptions = { ...options, cases: 400 };

  it('gives byte-identical output for the same seed and options', () => {
    expect(JSON.stringify([...simulateEvents(small)])).toBe(JSON.stringify([...simulateEvents(small)]));
  });

  it('gives a different stream for another seed', () => {
    const a = JSON.stringify([...simulateEvents(small)].map(({ event_id: _, ...e }) => ({ ...e, case_id: undefined })));
    const b = JSON.stringify([...simulateEvents({ ...small, seed: 43 })].map(({ event_id: _, ...e }) => ({ ...e, case_id: undefined })));
    expect(a).not.toBe(b);
  });

  it('namespaces ids with idTag and draws other cases, so a later stretch neither collides nor repeats', () => {
    const plain = [...simulateEvents(small)];
    const tagged = [...simulateEvents({ ...small, idTag: '20261109T00' })];
    expect(tagged[0].event_id).toBe('sim-42-20261109T00-1');
    expect(tagged.find((e) => e.case_id)!.case_id).toMatch(/^case-42-20261109T00-\d+$/);
    const ids = new Set(plain.map((e) => e.event_id));
    expect(tagged.some((e) => ids.has(e.event_id))).toBe(false);
    const labels = (es: Ev[]) => es.filter((e) => e.type === 'case.created').map((e) => `${e.workflow}:${e.model_label}:${e.confidence}`);
    expect(labels(tagged)).not.toEqual(labels(plain));
    expect(() => simulateEvents({ ...small, idTag: 'a-b' })).toThrow(/idTag/);
  });

  it('batches the same stream into arrays of at most batchSize', () => {
    const batches = [...simulate(small, 100)];
    expect(batches.slice(0, -1).every((b) => b.length === 100)).toBe(true);
    expect(batches.at(-1)!.length).toBeLessThanOrEqual(100);
    expect(JSON.stringify(batches.flat())).toBe(JSON.stringify([...simulateEvents(small)]));
  });

  it('streams: the first events of ten million cases come at once', () => {
    const t0 = performance.now();
    const it = simulateEvents({ ...options, cases: 10_000_000 });
    for (let i = 0; i < 5000; i++) it.next();
    expect(performance.now() - t0).toBeLessThan(2000);
  });

  it('keeps to the chosen workflows', () => {
    const only = new Set([...simulateEvents({ ...small, workflows: ['finance_adjustments'] })].map((e) => e.workflow));
    only.delete(undefined); // org-level incidents may name no workflow
    expect([...only]).toEqual(['finance_adjustments']);
  });

  it('rejects bad options before generating anything', () => {
    expect(() => simulateEvents({ ...options, cases: -1 })).toThrow(ConfigError);
    expect(() => simulateEvents({ ...options, casesPerHour: 0 })).toThrow(/casesPerHour/);
    expect(() => simulateEvents({ ...options, workflows: ['payroll'] })).toThrow(/payroll/);
    expect(() => simulate(options, 0)).toThrow(/batchSize/);
  });
});

describe('simulate: the deployment it models', () => {
  it('gives dual reviews two decisions by (mostly) distinct reviewers', () => {
    const dual = new Set(ofType('case.triaged').filter((e) => e.lane === 'dual_review').map((e) => e.case_id));
    const firstLevel = new Map<unknown, Ev[]>();
    for (const e of ofType('review.decided')) {
      if (dual.has(e.case_id) && e.level === 1) firstLevel.set(e.case_id, [...(firstLevel.get(e.case_id) ?? []), e]);
    }
    const pairs = [...firstLevel.values()].filter((d) => d.length >= 2);
    expect(pairs.length).toBeGreaterThan(0.8 * dual.size);
    const distinct = pairs.filter(([a, b]) => a.actor_id !== b.actor_id).length;
    expect(distinct / pairs.length).toBeGreaterThan(0.95);
  });

  it('raises the override share and lowers confidence after driftAt', () => {
    const created = createdAt();
    const drifted = (e: Ev) => created.get(e.case_id as string)! >= driftAt.getTime();
    const share = (after: boolean) => {
      const decided = ofType('review.decided').filter((e) => drifted(e) === after);
      return decided.filter((e) => e.decision === 'override').length / decided.length;
    };
    const meanConfidence = (after: boolean) => {
      const c = ofType('case.created').filter((e) => drifted(e) === after).map((e) => e.confidence as number);
      return c.reduce((a, b) => a + b, 0) / c.length;
    };
    expect(share(true)).toBeGreaterThan(1.5 * share(false));
    expect(meanConfidence(true)).toBeLessThan(meanConfidence(false) - 0.1);
    const versions = (after: boolean) => new Set(ofType('case.created').filter((e) => drifted(e) === after).map((e) => e.model_version));
    expect([...versions(false)]).toHaveLength(1);
    expect([...versions(true)]).not.toContain([...versions(false)][0]);
  });

  it('audits with a sampling_rate: the triage rate for auto-approved cases, a higher one for reviewed', () => {
    const triaged = new Map(ofType('case.triaged').map((e) => [e.case_id, e]));
    const audits = ofType('audit.completed');
    expect(audits.length).toBeGreaterThan(100);
    for (const a of audits) {
      const t = triaged.get(a.case_id)!;
      expect(a.sampling_rate).toBeGreaterThan(0);
      expect(a.sampling_rate).toBeLessThanOrEqual(1);
      if (t.lane === 'auto_approve') {
        expect(t.sampled).toBe(true);
        expect(a.sampling_rate).toBe(t.sampling_rate);
      } else {
        expect(a.sampling_rate as number).toBeGreaterThan(t.sampling_rate === undefined ? 0.05 : (t.sampling_rate as number));
      }
    }
    expect(audits.some((a) => a.verdict === 'incorrect' && typeof a.correct_label === 'string')).toBe(true);
  });

  it('breaches SLAs sometimes: late acknowledgements and decisions past four hours', () => {
    const assigned = new Map(ofType('review.assigned').map((e) => [`${e.case_id} ${e.actor_id} ${e.level}`, Date.parse(e.ts as string)]));
    const late = (type: string, ms: number) =>
      ofType(type).filter((e) => Date.parse(e.ts as string) - assigned.get(`${e.case_id} ${e.actor_id} ${e.level}`)! > ms).length;
    expect(late('review.acknowledged', 15 * 60_000)).toBeGreaterThan(0.02 * ofType('review.acknowledged').length);
    expect(late('review.decided', 4 * HOUR)).toBeGreaterThan(0);
  });

  it('hides a few control violations among 30000 cases, well under 1%', () => {
    const highRisk = new Set<string>(HIGH_RISK_SIGNALS);
    const found = { misrouted: 0, overrideWithoutReason: 0, approvedFailedGate: 0, selfApproved: 0 };
    const creators = new Map<unknown, unknown>();
    const risky = new Set<unknown>();
    for (const e of simulateEvents({ ...options, cases: 30_000, casesPerHour: 600 })) {
      if (e.type === 'case.created') {
        creators.set(e.case_id, e.actor_id);
        if ((e.risk_signals as string[]).some((r) => highRisk.has(r))) risky.add(e.case_id);
      } else if (e.type === 'case.triaged' && e.lane === 'auto_approve' && risky.has(e.case_id)) found.misrouted++;
      else if (e.type === 'review.decided') {
        if (e.decision === 'override' && e.reason_code === undefined) found.overrideWithoutReason++;
        const checks = (e.gate as { checks: Record<string, string> } | undefined)?.checks;
        if (e.decision === 'approve' && checks && Object.values(checks).includes('fail')) found.approvedFailedGate++;
        if (e.decision === 'approve' && e.actor_id === creators.get(e.case_id)) found.selfApproved++;
      }
    }
    for (const [kind, n] of Object.entries(found)) {
      expect(n, kind).toBeGreaterThan(0);
      expect(n / 30_000, kind).toBeLessThan(0.003);
    }
  });
});

describe('simulate: building blocks', () => {
  it('Rng is seeded, independent per stream, and has the right moments', () => {
    const a = new Rng(7, 'x');
    const b = new Rng(7, 'x');
    const c = new Rng(7, 'y');
    const xs = Array.from({ length: 20_000 }, () => a.next());
    expect(xs.slice(0, 5)).toEqual(Array.from({ length: 5 }, () => b.next()));
    expect(xs[0]).not.toBe(c.next());
    expect(xs.reduce((s, x) => s + x, 0) / xs.length).toBeCloseTo(0.5, 1);
    const betas = Array.from({ length: 20_000 }, () => a.beta(2, 6));
    expect(betas.reduce((s, x) => s + x, 0) / betas.length).toBeCloseTo(0.25, 1);
    const normals = Array.from({ length: 20_000 }, () => a.normal());
    const mean = normals.reduce((s, x) => s + x, 0) / normals.length;
    expect(mean).toBeCloseTo(0, 1);
    expect(normals.reduce((s, x) => s + (x - mean) ** 2, 0) / normals.length).toBeCloseTo(1, 1);
    const w = weighted({ a: 3, b: 1 });
    const picks = Array.from({ length: 20_000 }, () => w.draw(a));
    expect(picks.filter((p) => p === 'a').length / picks.length).toBeCloseTo(0.75, 1);
  });

  it('MinHeap pops in (ts, seq) order', () => {
    const rng = new Rng(1, 'heap');
    const heap = new MinHeap<{ ts: number; seq: number }>();
    const items = Array.from({ length: 500 }, (_, seq) => ({ ts: rng.int(50), seq }));
    items.forEach((i) => heap.push(i));
    const out: { ts: number; seq: number }[] = [];
    while (heap.size > 0) out.push(heap.pop()!);
    expect(out).toEqual([...items].sort((x, y) => x.ts - y.ts || x.seq - y.seq));
  });

  it('isoTime matches Date#toISOString', () => {
    const rng = new Rng(3, 'iso');
    let t = Date.parse('2026-12-31T22:59:58.990Z');
    for (let i = 0; i < 5000; i++) {
      t += rng.int(5000);
      expect(isoTime(t)).toBe(new Date(t).toISOString());
    }
    for (const odd of [-1, 0, 253402300800000]) expect(isoTime(odd)).toBe(new Date(odd).toISOString());
  });
});
