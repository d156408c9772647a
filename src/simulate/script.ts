import type { LineSchedule } from './lines.js';
import type { Rng } from './random.js';
import { poolAt, type CaseFacts, type Pools, type Reviewer } from './reviewers.js';
import type { Tier, WorkflowProfile } from './workflows.js';

export type SimEvent = Record<string, unknown>;

/**
 * Decides whether an auto-approved case is picked for QA, at triage: `rate` is the rate in force,
 * recorded as `sampling_rate` on case.triaged and audit.completed (the audit's weight is 1/rate).
 * Loopwatch's own answer is GET /v1/sampling/{workflow}/decide (src/feedback/sampling).
 */
export type Sampler = (c: { caseId: string; workflow: string; at: number }) => { sample: boolean; rate: number };

/**
 * What the simulator knows and the events do not say, for an auto-approved case. With a sampler,
 * every accepted auto-approved case is given an audit verdict, emitted only when it is sampled:
 * `auditVerdict` is what an audit would have said, so the mean over all of them is exactly what
 * a weighted estimate from the sampled ones estimates.
 */
export interface CaseTruth {
  caseId: string;
  workflow: string;
  createdAt: number;
  lane: string;
  /** Accepted as the false-accept metric counts it: executed with no human decision since, or a human approval. */
  accepted: boolean;
  /** The executed label is not the true one. */
  wrong: boolean;
  sampled: boolean;
  rate: number | null;
  auditVerdict: 'correct' | 'incorrect' | null;
}

export const SECOND = 1000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;

/** What every case script shares: the random stream, the people and the line schedules. */
export interface SimEnv {
  seed: number;
  /** case-<seed>- or case-<seed>-<idTag>-, followed by the case number. */
  caseIdPrefix: string;
  rng: Rng;
  /** +Infinity when drift is off. */
  driftAt: number;
  /** When drift ends again (+Infinity: never). */
  driftUntil: number;
  /** QA sampling of auto-approved cases; absent: a 5% coin flip (the simulator's own). */
  sampler?: Sampler;
  /** Told the truth about every case once it is scripted (tests compare estimates with it). */
  onCase?: (truth: CaseTruth) => void;
  pools: ReadonlyMap<string, Pools>;
  lines: ReadonlyMap<string, LineSchedule>;
}

/** Chance that a decision lands inside a stopped window instead of waiting for the resume. */
const DECIDED_WHILE_STOPPED_RATE = 0.01;

/**
 * The events of one case, drawn in full when it arrives. A cursor `t` moves forward as
 * events are added, so the list is already in time order when the main loop merges it.
 */
export class CaseScript implements CaseFacts {
  readonly events: SimEvent[] = [];
  readonly times: number[] = [];
  t: number;
  readonly rng: Rng;
  readonly pools: Pools;
  readonly lines: LineSchedule;
  /** Set on the rare case whose creator will also review it (a control violation). */
  selfApprover: Reviewer | null = null;
  outcome: 'executed' | 'approved' | 'rejected' | 'cancelled' | undefined;
  finalLabel: string | undefined;

  constructor(
    env: SimEnv,
    readonly id: string,
    readonly wf: WorkflowProfile,
    readonly tier: Tier,
    readonly confidence: number,
    readonly trueLabel: string,
    readonly modelLabel: string,
    readonly prohibited: boolean,
    readonly drifted: boolean,
    t0: number,
  ) {
    this.rng = env.rng;
    this.pools = env.pools.get(wf.name)!;
    this.lines = env.lines.get(wf.name)!;
    this.t = t0;
  }

  /** Adds an event at `t` (never before the previous one) and moves the cursor there. */
  add(t: number, event: SimEvent): void {
    t = Math.round(t);
    if (t < this.t) t = this.t;
    this.t = t;
    this.times.push(t);
    this.events.push(event);
  }

  /** Adds an event `delay` ms after the cursor. */
  after(delay: number, event: SimEvent): void {
    this.add(this.t + delay, event);
  }

  /** Moves `t` past any stop of this workflow's line: decisions and executions wait for the resume. */
  defer(t: number): number {
    for (let guard = 0; guard < 4; guard++) {
      const w = this.lines.windowAt(t);
      if (w === undefined) return t;
      if (this.rng.chance(DECIDED_WHILE_STOPPED_RATE)) return t;
      t = w.resume + this.rng.lognormal(3 * MINUTE, 0.8);
    }
    return t;
  }

  pickReviewer(level: number): Reviewer {
    const self = this.selfApprover;
    if (self !== null) {
      this.selfApprover = null;
      return self;
    }
    return this.rng.pick(poolAt(this.pools, level));
  }

  /** The fields every case event starts with, in the order they serialise. */
  head(type: string): SimEvent {
    return { event_id: '', type, ts: '', case_id: this.id, workflow: this.wf.name };
  }
}

const PAD2 = Array.from({ length: 60 }, (_, i) => String(i).padStart(2, '0'));
const PAD3 = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0'));
// Date#toISOString was a third of the generator's time; events come in time order, so the
// 'YYYY-MM-DDTHH:' prefix changes once an hour and only minutes, seconds and ms are formatted.
let cachedHour = Number.NaN;
let cachedPrefix = '';

/** `new Date(ms).toISOString()`, faster for the increasing times the simulator emits. */
export function isoTime(ms: number): string {
  // four-digit years only; anything else takes the slow, general path
  if (!(ms >= 0 && ms < 253402300800000)) return new Date(ms).toISOString();
  const hour = Math.floor(ms / HOUR);
  if (hour !== cachedHour) {
    cachedHour = hour;
    cachedPrefix = new Date(hour * HOUR).toISOString().slice(0, 14);
  }
  const rest = ms - hour * HOUR;
  const minute = Math.floor(rest / MINUTE);
  const second = Math.floor((rest - minute * MINUTE) / SECOND);
  return `${cachedPrefix}${PAD2[minute]}:${PAD2[second]}.${PAD3[rest % SECOND]}Z`;
}
