import { driftConfigSchema, type DriftConfig } from '../../config/drift.js';
import { cutParams, groupKey, type Cuts, type Dimension } from '../cuts.js';
import type { MetricFamily } from '../family.js';
import { buildGroups, num } from '../group-rows.js';
import type { RateCounts } from '../stats/drift/index.js';
import { DEFAULT_CAP_FEATURE_KEYS, OVERFLOW_VALUE } from '../../config/defaults.js';
import { driftChecks, type DriftChecks, type WindowCounts } from './drift-checks.js';
import { Q } from '../../store/queries.js';

export { driftConfigSchema, type DriftConfig };


export interface DriftWindows {
  reference: { from: Date; to: Date; source: 'baseline' | 'trailing' };
  current: { from: Date; to: Date };
}

const DAY_MS = 86_400_000;

/** The cut's [from, to) is the current window when given; a missing end is now, a missing start `currentDays` before the end. */
export function driftWindows(settings: DriftConfig, cuts: Cuts, now: Date): DriftWindows {
  const to = cuts.to ?? now;
  const from = cuts.from ?? new Date(to.getTime() - settings.currentDays * DAY_MS);
  const reference = settings.baseline
    ? { ...settings.baseline, source: 'baseline' as const }
    : { from: new Date(from.getTime() - settings.referenceDays * DAY_MS), to: from, source: 'trailing' as const };
  return { reference, current: { from, to } };
}

export type DriftMetrics = {
  status: 'ok' | 'insufficient data';
  window: {
    reference: {
      from: string;
      to: string;
      cases: number;
      source: 'baseline' | 'trailing';
      compared_with: 'same_model_version' | 'predecessor_model_version' | 'all_model_versions';
      /** The model version whose reference cases are compared with; null for all versions. */
      model_version: string | null;
      /** When the group's own model version was first seen (its first case); null if never. */
      model_version_since: string | null;
      note: string | null;
    };
    current: { from: string; to: string; cases: number };
  };
  drifted: boolean;
  drifted_checks: string[];
} & DriftChecks;

type Row = Record<string, unknown>;
/** Drift is judged per workflow and model version; the cut's group_by adds dimensions to those. */
const ALWAYS: readonly string[] = ['workflow', 'model_version'] satisfies Dimension[];

export const driftFamily: MetricFamily = {
  name: 'drift',
  description: 'Drift between a reference and the current window: confidence (KS, PSI, Wasserstein), label and lane mix, features, override and escalation rates (z-test, CUSUM)',
  async compute({ store, cuts, config, now }) {
    const settings: DriftConfig = config.drift ?? driftConfigSchema.parse({});
    const windows = driftWindows(settings, cuts, now);
    // no cut bucket: drift compares two windows; the CUSUM has its own hourly series
    const driftCuts: Cuts = { ...cuts, bucket: undefined, group_by: [...ALWAYS, ...(cuts.group_by ?? []).filter((d) => !ALWAYS.includes(d))] };
    const cur = cutParams({ ...driftCuts, ...windows.current });
    // the reference ignores a model_version filter: after an upgrade it is the fallback
    const ref = cutParams({ ...driftCuts, model_version: undefined, from: windows.reference.from, to: windows.reference.to });
    const windowRows = (params: Row) =>
      Promise.all([
        store.query(Q.driftConfidence, params),
        store.query(Q.driftCategories, params),
        store.query(Q.driftRates, params === cur ? { ...params, bucket: 'hour' } : params),
        store.query(Q.driftFeatures, params),
      ]);
    // first sightings up to the current window's end: a version's age decides its reference
    const [versionRows, curRows, refRows] = await Promise.all([store.query(Q.modelVersions, { ...cur, from: null }), windowRows(cur), windowRows(ref)]);
    const firstSeen = new Map<string, Date>();
    const kept = new Set(cuts.keep?.workflow ?? []);
    for (const r of versionRows) {
      firstSeen.set(versionId(r.workflow, r.model_version), r.first_seen);
      // the overflow group's versions were first seen in the first of the workflows it absorbed
      if (kept.size > 0 && r.workflow !== null && !kept.has(r.workflow)) {
        const id = versionId(OVERFLOW_VALUE, r.model_version);
        const seen = firstSeen.get(id);
        if (!seen || r.first_seen < seen) firstSeen.set(id, r.first_seen);
      }
    }
    const current = collect(driftCuts, curRows);
    const reference = collect(driftCuts, refRows);
    const anyVersion = new Map<string, Gathered>();
    for (const g of reference.values()) merge(anyVersion, withoutVersion(g.key), g);

    // groups: every current one, and reference-only ones (a retired model version) within the filter
    const retired = [...reference].filter(([id, g]) => !current.has(id) && (cuts.model_version === undefined || g.key.model_version === cuts.model_version));
    const rows = [...current, ...retired].map(([id, g]) => ({ ...g.row, drift_id: id }));
    const groups = buildGroups(driftCuts, { g: rows }, ({ g }) => {
      const id = g!.drift_id as string;
      const cur = current.get(id);
      const key = (cur ?? reference.get(id)!).key;
      const since = firstSeen.get(versionId(key.workflow, key.model_version)) ?? null;
      const choice = cur ? chooseReference(key, since, windows, reference, anyVersion, firstSeen) : { counts: reference.get(id)!.counts, compared_with: 'same_model_version' as const, model_version: key.model_version as string | null, note: null };
      return driftMetrics(settings, windows, cur?.counts ?? emptyCounts(), choice, since, config.cardinality?.featureKeys ?? DEFAULT_CAP_FEATURE_KEYS);
    });
    return { family: 'drift', groups };
  },
};

/** The reference a group is compared with, and why (see `chooseReference`). */
interface ReferenceChoice {
  counts: WindowCounts;
  compared_with: DriftMetrics['window']['reference']['compared_with'];
  model_version: string | null;
  note: string | null;
}

/**
 * A model version is compared with its own reference only once it has a full reference window
 * of its own (first seen at or before the reference's start). Until then its own reference is
 * a part of its own life, typically its first day, which hides the very drift the upgrade
 * brought: it is compared with its predecessor, the latest version of the workflow first seen
 * before it that has cases in the reference window. A version with no predecessor keeps its
 * own (partial) reference; with no reference case of its own either, the workflow's reference
 * over all versions stands in.
 */
function chooseReference(key: Row, since: Date | null, w: DriftWindows, reference: Map<string, Gathered>, anyVersion: Map<string, Gathered>, firstSeen: Map<string, Date>): ReferenceChoice {
  const version = key.model_version as string | null;
  const own = reference.get(JSON.stringify(key))?.counts;
  const label = JSON.stringify(version);
  if (version === null || (since !== null && since <= w.reference.from)) {
    if (own) return { counts: own, compared_with: 'same_model_version', model_version: version, note: null };
  } else {
    const predecessors = [...firstSeen]
      .map(([id, at]) => ({ ...(JSON.parse(id) as { workflow: unknown; model_version: string }), at }))
      .filter((v) => v.workflow === key.workflow && since !== null && v.at < since)
      .sort((a, b) => b.at.getTime() - a.at.getTime());
    for (const p of predecessors) {
      const counts = reference.get(JSON.stringify({ ...key, model_version: p.model_version }))?.counts;
      if (!counts || counts.cases === 0) continue;
      return {
        counts,
        compared_with: 'predecessor_model_version',
        model_version: p.model_version,
        note: `model_version ${label} was first seen ${noteTime(since!)}, after the reference window began: compared with its predecessor ${JSON.stringify(p.model_version)} until it has a full reference window of its own`,
      };
    }
    if (own) return { counts: own, compared_with: 'same_model_version', model_version: version, note: `model_version ${label} has no predecessor with reference cases: its own reference covers only its time since ${since ? noteTime(since) : 'an unknown time'}` };
  }
  const all = anyVersion.get(withoutVersion(key))?.counts;
  if (!all) return { counts: emptyCounts(), compared_with: 'same_model_version', model_version: version, note: null };
  return {
    counts: all,
    compared_with: 'all_model_versions',
    model_version: null,
    note: `model_version ${label} has no reference cases: compared with the workflow's reference over all model versions`,
  };
}

function driftMetrics(settings: DriftConfig, w: DriftWindows, cur: WindowCounts, choice: ReferenceChoice, since: Date | null, featureCap: number): DriftMetrics {
  const ref = choice.counts;
  const checks = driftChecks(settings, ref, cur, featureCap);
  const drifted_checks = flagged(checks);
  const overlap = w.reference.from < w.current.to && w.current.from < w.reference.to;
  return {
    status: ref.cases === 0 || cur.cases === 0 ? 'insufficient data' : 'ok',
    window: {
      reference: {
        from: w.reference.from.toISOString(),
        to: w.reference.to.toISOString(),
        cases: ref.cases,
        source: w.reference.source,
        compared_with: choice.compared_with,
        model_version: choice.model_version,
        model_version_since: since?.toISOString() ?? null,
        note: [choice.note, overlap ? 'the reference window overlaps the current window' : null].filter((n) => n !== null).join('; ') || null,
      },
      current: { from: w.current.from.toISOString(), to: w.current.to.toISOString(), cases: cur.cases },
    },
    drifted: drifted_checks.length > 0,
    drifted_checks,
    ...checks,
  };
}

/** Dotted paths of every check that flagged, e.g. `confidence.ks`, `features.language.chi_square`. */
function flagged(node: unknown, path = ''): string[] {
  if (typeof node !== 'object' || node === null) return [];
  const o = node as Row;
  if (typeof o.drifted === 'boolean' && 'threshold' in o) return o.drifted ? [path] : [];
  return Object.entries(o).flatMap(([k, v]) => flagged(v, path ? `${path}.${k}` : k));
}

interface Gathered {
  key: Row;
  row: Row;
  counts: WindowCounts;
}

function emptyCounts(): WindowCounts {
  return { cases: 0, confidence: new Map(), labels: new Map(), lanes: new Map(), numeric: new Map(), categorical: new Map(), override: { successes: 0, n: 0 }, escalation: { successes: 0, n: 0 }, hours: [] };
}

/** One window's query rows, per group: the aggregates the checks take. */
function collect(cuts: Cuts, [confidence, categories, rates, features]: Row[][]): Map<string, Gathered> {
  const groups = new Map<string, Gathered>();
  const at = (row: Row): WindowCounts => {
    const key = groupKey(row, cuts);
    const id = JSON.stringify(key);
    let g = groups.get(id);
    if (!g) groups.set(id, (g = { key, row, counts: emptyCounts() }));
    return g.counts;
  };
  for (const r of confidence) add(at(r).confidence, r.value as number, num(r, 'n'));
  for (const r of categories) add(at(r)[r.kind === 'label' ? 'labels' : 'lanes'], r.category as string, num(r, 'n'));
  for (const r of features) {
    const c = at(r);
    const feature = r.feature as string;
    if (r.kind === 'numeric') add(sub(c.numeric, feature), r.num_value as number, num(r, 'n'));
    else add(sub(c.categorical, feature), r.cat_value as string, num(r, 'n'));
  }
  for (const r of rates) {
    const c = at(r);
    const override = { successes: num(r, 'overridden'), n: num(r, 'human_decided') };
    const escalation = { successes: num(r, 'escalated'), n: num(r, 'cases') };
    c.cases += escalation.n;
    addRate(c.override, override);
    addRate(c.escalation, escalation);
    if (r.g_bucket instanceof Date) c.hours.push({ at: r.g_bucket, override, escalation });
  }
  for (const g of groups.values()) g.counts.hours.sort((a, b) => a.at.getTime() - b.at.getTime());
  return groups;
}

/** Adds a reference group into the any-model-version reference of its other dimensions. */
function merge(into: Map<string, Gathered>, id: string, g: Gathered): void {
  const target = into.get(id) ?? { key: g.key, row: g.row, counts: emptyCounts() };
  into.set(id, target);
  const t = target.counts;
  const s = g.counts;
  t.cases += s.cases;
  for (const [v, n] of s.confidence) add(t.confidence, v, n);
  for (const [v, n] of s.labels) add(t.labels, v, n);
  for (const [v, n] of s.lanes) add(t.lanes, v, n);
  for (const [f, m] of s.numeric) for (const [v, n] of m) add(sub(t.numeric, f), v, n);
  for (const [f, m] of s.categorical) for (const [v, n] of m) add(sub(t.categorical, f), v, n);
  addRate(t.override, s.override);
  addRate(t.escalation, s.escalation);
  // the reference's hourly series is never read: its rate is the CUSUM's p0
}

function versionId(workflow: unknown, version: unknown): string {
  return JSON.stringify({ workflow, model_version: version });
}

/** Both stores give timestamps as Dates; anything else is read as an ISO string. */
function withoutVersion(key: Row): string {
  const { model_version: _, ...rest } = key;
  return JSON.stringify(rest);
}

function add<K>(m: Map<K, number>, k: K, n: number): void {
  m.set(k, (m.get(k) ?? 0) + n);
}

function sub<K>(m: Map<string, Map<K, number>>, feature: string): Map<K, number> {
  let inner = m.get(feature);
  if (!inner) m.set(feature, (inner = new Map()));
  return inner;
}

function addRate(t: { successes: number; n: number }, s: RateCounts): void {
  t.successes += s.successes;
  t.n += s.n;
}

/** A time inside a sentence (notes are read on terminals): minutes, UTC, no milliseconds. */
function noteTime(t: Date): string {
  return `${t.toISOString().slice(0, 16).replace('T', ' ')}Z`;
}
