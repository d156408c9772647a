import { ConfigError } from '../errors.js';
import { scriptCase } from './case-script.js';
import { MinHeap, type Scheduled } from './heap.js';
import { INCIDENT_AFTER_STOP, LineSchedule, OrgIncidents, type StopWindow } from './lines.js';
import { Rng, Weighted } from './random.js';
import { buildPools, type Pools } from './reviewers.js';
import { HOUR, isoTime, type CaseTruth, type Sampler, type SimEnv, type SimEvent } from './script.js';
import { WORKFLOW_NAMES, WORKFLOWS, type WorkflowName, type WorkflowProfile } from './workflows.js';

export { WORKFLOW_NAMES, type WorkflowName } from './workflows.js';
export type { CaseTruth, Sampler } from './script.js';

export interface SimulationOptions {
  /** Default 42 (the CLI's). */
  seed: number;
  /** Number of cases to generate (measured: about 6 events per case, 5.7 before drift and 6.5 after). */
  cases: number;
  /** Simulated start time (default: 7 days before now, rounded to the hour; the caller passes it). */
  start: Date;
  /** Arrival rate (default 600). */
  casesPerHour: number;
  /** When set, drift starts at this simulated time. */
  driftAt?: Date;
  /** When set with driftAt, drift ends at this simulated time (cases from then on are as before it). */
  driftUntil?: Date;
  /** QA sampling of auto-approved cases (default: the simulator's own 5% coin flip); see Sampler. */
  sampler?: Sampler;
  /** Called with the truth about each auto-approved case (tests). */
  onCase?: (truth: CaseTruth) => void;
  /** Subset of the three workflows (default all three). */
  workflows?: string[];
  /**
   * Namespaces the ids (sim-<seed>-<tag>-N, case-<seed>-<tag>-N) and draws other cases, so a
   * later stretch of the same seed (the demo's second run) neither collides with nor repeats
   * an earlier one. The same people and workflows stay: reviewers depend on the seed alone.
   */
  idTag?: string;
  /**
   * Called with each case's hidden labels as the case is drawn (the events never carry them):
   * tests check estimators against them (the triage what-if, docs/whatif.md).
   */
  onCaseDrawn?: (drawn: DrawnCase) => void;
}

/** What the simulator knows about a drawn case and the events do not say. */
export interface DrawnCase {
  case_id: string;
  workflow: string;
  true_label: string;
  model_label: string;
}

export const DEFAULT_BATCH_SIZE = 1000;

/** Yields plain event objects (exactly the public JSON contract, ts as RFC 3339 string 'Z' with ms) in ts order, in arrays of up to `batchSize`. */
export function simulate(options: SimulationOptions, batchSize = DEFAULT_BATCH_SIZE): Generator<Record<string, unknown>[]> {
  if (!Number.isSafeInteger(batchSize) || batchSize < 1) {
    throw new ConfigError([`batchSize: expected a positive integer, got ${String(batchSize)}`]);
  }
  return batches(simulateEvents(options), batchSize);
}

function* batches(events: Iterator<SimEvent>, size: number): Generator<SimEvent[]> {
  let batch: SimEvent[] = [];
  for (let r = events.next(); !r.done; r = events.next()) {
    batch.push(r.value);
    if (batch.length === size) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

/** The same stream one event at a time. Options are checked now, not at the first `next()`. */
export function simulateEvents(options: SimulationOptions): Generator<Record<string, unknown>> {
  return run(checked(options));
}

interface Checked {
  seed: number;
  cases: number;
  start: number;
  casesPerHour: number;
  driftAt: number;
  driftUntil: number;
  sampler: Sampler | undefined;
  onCase: ((truth: CaseTruth) => void) | undefined;
  workflows: WorkflowProfile[];
  idTag: string | undefined;
  onCaseDrawn: SimulationOptions['onCaseDrawn'];
}

function checked(o: SimulationOptions): Checked {
  const problems: string[] = [];
  const validDate = (d: unknown) => d instanceof Date && Number.isFinite(d.getTime());
  if (!Number.isSafeInteger(o.seed)) problems.push(`seed: expected an integer, got ${String(o.seed)}`);
  if (!Number.isSafeInteger(o.cases) || o.cases < 0) problems.push(`cases: expected a non-negative integer, got ${String(o.cases)}`);
  if (!validDate(o.start)) problems.push('start: expected a valid Date');
  if (!(Number.isFinite(o.casesPerHour) && o.casesPerHour > 0)) problems.push(`casesPerHour: expected a positive number, got ${String(o.casesPerHour)}`);
  if (o.driftAt !== undefined && !validDate(o.driftAt)) problems.push('driftAt: expected a valid Date');
  if (o.driftUntil !== undefined && !(validDate(o.driftUntil) && o.driftAt !== undefined && o.driftUntil > o.driftAt)) problems.push('driftUntil: expected a valid Date after driftAt');
  if (o.idTag !== undefined && !/^[A-Za-z0-9]+$/.test(o.idTag)) problems.push(`idTag: expected letters and digits, got ${JSON.stringify(o.idTag)}`);
  const wanted = o.workflows ?? WORKFLOW_NAMES;
  const unknown = wanted.filter((w) => !(WORKFLOW_NAMES as readonly string[]).includes(w));
  if (unknown.length > 0) problems.push(`workflows: unknown ${unknown.join(', ')}; expected some of ${WORKFLOW_NAMES.join(', ')}`);
  else if (wanted.length === 0) problems.push(`workflows: expected at least one of ${WORKFLOW_NAMES.join(', ')}`);
  if (problems.length > 0) throw new ConfigError(problems);
  return {
    seed: o.seed,
    cases: o.cases,
    start: o.start.getTime(),
    casesPerHour: o.casesPerHour,
    driftAt: o.driftAt ? o.driftAt.getTime() : Number.POSITIVE_INFINITY,
    driftUntil: o.driftUntil ? o.driftUntil.getTime() : Number.POSITIVE_INFINITY,
    sampler: o.sampler,
    onCase: o.onCase,
    // canonical order, so that the order the caller listed them in changes nothing
    workflows: WORKFLOW_NAMES.filter((w) => wanted.includes(w)).map((w) => WORKFLOWS[w]),
    idTag: o.idTag,
    onCaseDrawn: o.onCaseDrawn,
  };
}

// Everything in flight is a track in one heap keyed on its next event time: the arrival
// process, each open case, each workflow's stop-the-line schedule, and org-level incidents.
const ARRIVAL = 0;
const CASE = 1;
const LINE = 2;
const ORG = 3;
interface ArrivalTrack extends Scheduled {
  kind: typeof ARRIVAL;
}
interface CaseTrack extends Scheduled {
  kind: typeof CASE;
  /** Emitted entries are nulled: a case waiting a day for its audit should not pin its past events. */
  events: (SimEvent | null)[];
  times: number[];
  i: number;
}
interface LineTrack extends Scheduled {
  kind: typeof LINE;
  schedule: LineSchedule;
  win: StopWindow;
  /** 0: stop is next, 1: its incident report, 2: the resume. */
  phase: 0 | 1 | 2;
}
interface OrgTrack extends Scheduled {
  kind: typeof ORG;
  source: OrgIncidents;
}
type Track = ArrivalTrack | CaseTrack | LineTrack | OrgTrack;

function lineEvent(type: string, t: LineTrack): SimEvent {
  return { event_id: '', type, ts: '', workflow: t.schedule.wf.name };
}

function* run(o: Checked): Generator<SimEvent> {
  const pools = new Map<WorkflowName, Pools>();
  const lines = new Map<WorkflowName, LineSchedule>();
  for (const wf of o.workflows) {
    const p = buildPools(o.seed, wf);
    pools.set(wf.name, p);
    lines.set(wf.name, new LineSchedule(o.seed, wf, o.start, o.driftAt, p.approvers.map((r) => r.id)));
  }
  const tag = o.idTag === undefined ? '' : `${o.idTag}-`;
  const stream = (name: string) => (o.idTag === undefined ? name : `${name}:${o.idTag}`);
  const env: SimEnv = {
    seed: o.seed,
    caseIdPrefix: `case-${o.seed}-${tag}`,
    rng: new Rng(o.seed, stream('cases')),
    driftAt: o.driftAt,
    driftUntil: o.driftUntil,
    sampler: o.sampler,
    onCase: o.onCase,
    pools,
    lines,
  };
  const arrivals = new Rng(o.seed, stream('arrivals'));
  const chooseWorkflow = new Weighted(o.workflows.map((wf) => [wf, wf.arrivalWeight] as const));
  const meanGap = HOUR / o.casesPerHour;
  const prefix = `sim-${o.seed}-${tag}`;

  const heap = new MinHeap<Track>();
  let seq = 0;
  // cases in flight plus the arrival process; background tracks stop once this reaches 0
  let live = 0;
  if (o.cases > 0) {
    heap.push({ kind: ARRIVAL, ts: o.start, seq: seq++ });
    live++;
  }
  for (const schedule of lines.values()) {
    const win = schedule.first();
    heap.push({ kind: LINE, ts: win.stop, seq: seq++, schedule, win, phase: 0 });
  }
  const org = new OrgIncidents(o.seed, o.start, o.workflows.map((wf) => wf.name));
  heap.push({ kind: ORG, ts: org.ts, seq: seq++, source: org });

  let clock = o.start;
  let created = 0;
  let emitted = 0;
  for (let top = heap.peek(); top !== undefined; top = heap.peek()) {
    const ts = top.ts;
    let event: SimEvent;
    switch (top.kind) {
      case ARRIVAL: {
        const wf = chooseWorkflow.draw(arrivals);
        lines.get(wf.name)!.forget(ts);
        const script = scriptCase(env, ++created, wf, ts);
        o.onCaseDrawn?.({ case_id: script.id, workflow: wf.name, true_label: script.trueLabel, model_label: script.modelLabel });
        if (created < o.cases) {
          clock += arrivals.exponential(meanGap);
          top.ts = Math.round(clock);
          heap.updateTop();
        } else {
          heap.pop();
          live--;
        }
        heap.push({ kind: CASE, ts: script.times[0], seq: seq++, events: script.events, times: script.times, i: 0 });
        live++;
        continue;
      }
      case CASE: {
        event = top.events[top.i]!;
        top.events[top.i++] = null;
        if (top.i < top.times.length) {
          top.ts = top.times[top.i];
          heap.updateTop();
        } else {
          heap.pop();
          live--;
        }
        break;
      }
      case LINE: {
        const w = top.win;
        if (top.phase === 0) {
          if (live === 0) {
            heap.pop();
            continue;
          }
          event = lineEvent('line.stopped', top);
          event.actor_id = w.actorId;
          event.actor_role = w.actorRole;
          event.trigger = w.trigger;
          top.phase = w.incident ? 1 : 2;
          top.ts = w.incident ? w.stop + INCIDENT_AFTER_STOP : w.resume;
        } else if (top.phase === 1) {
          event = lineEvent('incident.reported', top);
          event.actor_id = 'oncall-01';
          event.actor_role = 'specialist';
          event.severity = w.incident;
          top.phase = 2;
          top.ts = w.resume;
        } else {
          event = lineEvent('line.resumed', top);
          event.actor_id = w.resumeActorId;
          event.actor_role = 'approver';
          event.trigger = w.resumeTrigger;
          top.win = top.schedule.next(w);
          top.phase = 0;
          top.ts = top.win.stop;
        }
        heap.updateTop();
        break;
      }
      case ORG: {
        if (live === 0) {
          heap.pop();
          continue;
        }
        event = top.source.take();
        top.ts = top.source.ts;
        heap.updateTop();
        break;
      }
    }
    event.event_id = prefix + ++emitted;
    event.ts = isoTime(ts);
    yield event;
  }
}
