#!/usr/bin/python3
"""The pandas peer of Loopwatch (issue 14): what an analyst's notebook does with a file of events.

Loads an NDJSON file of the event contract with pandas and computes a handful of core governance
metrics per workflow, with the definitions of docs/metrics/*.md (as the SQL in sql/duckdb/
computes them): override rate, dual-review (pairwise Cohen's) kappa, KS and chi-square drift,
acknowledge breaches and three controls. Prints one JSON document with the load and compute
times. Debian's python3-pandas, python3-scipy and python3-sklearn (run with /usr/bin/python3).

    /usr/bin/python3 bench/pandas/notebook.py EVENTS.ndjson [--to RFC3339] [--now RFC3339]

--to: the end of the report's window (its --to): cases created before it, and the drift's current
window the day before it; default the newest ts + 1 ms (every case).
--now: the instant open SLA clocks are judged at; default the wall clock (the report's "now").
"""
import argparse
import json
import math
import sys
import time
import warnings

import numpy as np
import pandas as pd
from scipy.stats import chi2_contingency, ks_2samp
from sklearn.metrics import cohen_kappa_score

HIGH_RISK = {"pii", "phi", "access_change", "financial", "legal"}
# the default policy (src/config/sla-policy.ts): only human_review has an acknowledge clock, 15 wall minutes
ACK_TARGET = {"human_review": pd.Timedelta(minutes=15)}
CURRENT_DAYS, REFERENCE_DAYS = 1, 7


def load(path):
    events = pd.read_json(path, lines=True, dtype=False, convert_dates=False)
    events["ts"] = pd.to_datetime(events["ts"], utc=True)
    # the store keeps the first copy of an id
    return events.drop_duplicates("event_id", keep="first")


def ordered(frame):
    """Event time order, ties by event_id: every "latest" and "first" of the definitions."""
    return frame.sort_values(["ts", "event_id"], kind="mergesort")


def case_facts(events):
    by_type = {t: ordered(g) for t, g in events.groupby("type", sort=False)}
    empty = events.iloc[0:0]
    get = lambda t: by_type.get(t, empty)
    # case.created: earliest non-null of each attribute (SQL arg_min skips nulls)
    created = get("case.created").groupby("case_id").agg(
        workflow=("workflow", "first"),
        model_version=("model_version", "first"),
        model_label=("model_label", "first"),
        confidence=("confidence", "first"),
        creator_id=("actor_id", "first"),
        created_at=("ts", "min"),
    )
    signals = get("case.created").dropna(subset=["risk_signals"]).groupby("case_id")["risk_signals"].first()
    created["risk_signals"] = signals.reindex(created.index)
    created["lane"] = get("case.triaged").dropna(subset=["lane"]).groupby("case_id")["lane"].last().reindex(created.index)
    decided = get("review.decided")
    settling = decided[decided["decision"] != "escalate"]
    created["final_decision"] = settling.groupby("case_id")["decision"].last().reindex(created.index)
    decided_label = settling.dropna(subset=["final_label"]).groupby("case_id")["final_label"].last()
    closed = get("case.closed")
    closed_label = closed.dropna(subset=["final_label"]).groupby("case_id")["final_label"].last()
    created["final_label"] = closed_label.reindex(created.index).combine_first(decided_label.reindex(created.index))
    created["first_closed_at"] = closed.groupby("case_id")["ts"].min().reindex(created.index)
    created["first_assigned_at"] = get("review.assigned").groupby("case_id")["ts"].min().reindex(created.index)
    acks = pd.concat([get("review.acknowledged"), decided])
    created["first_ack_at"] = acks.groupby("case_id")["ts"].min().reindex(created.index)
    for col in ("created_at", "first_closed_at", "first_assigned_at", "first_ack_at"):
        created[col] = pd.to_datetime(created[col], utc=True)
    return created.reset_index(), by_type, empty


def override_rate(cases):
    decided = cases[cases["final_decision"].notna()]
    differs = decided["final_label"].notna() & decided["model_label"].notna() & (decided["final_label"] != decided["model_label"])
    decided = decided.assign(overridden=(decided["final_decision"] == "override") | differs)
    out = {}
    for wf, g in decided.groupby("workflow"):
        out[wf] = {"numerator": int(g["overridden"].sum()), "denominator": int(len(g))}
    return out


def ack_breaches(cases, now, to):
    clocks = cases[cases["first_assigned_at"].notna() & cases["lane"].isin(ACK_TARGET.keys())].copy()
    # started by now, and in the window by its start
    clocks = clocks[(clocks["first_assigned_at"] <= now) & (clocks["first_assigned_at"] < to)]
    # SQL least(): the earlier of the two that exist
    stopped = clocks["first_ack_at"].where(clocks["first_closed_at"].isna() | (clocks["first_ack_at"] <= clocks["first_closed_at"]), clocks["first_closed_at"])
    deadline = clocks["first_assigned_at"] + clocks["lane"].map(ACK_TARGET)
    # a stop after now has not happened yet
    stopped = stopped.where(stopped <= now)
    clocks["met"] = stopped.notna() & (stopped <= deadline)
    clocks["breached"] = (stopped.notna() & (stopped > deadline)) | (stopped.isna() & (now > deadline))
    return {wf: {"met": int(g["met"].sum()), "breached": int(g["breached"].sum())} for wf, g in clocks.groupby("workflow")}


def controls(cases, by_type, empty):
    decided = by_type.get("review.decided", empty)
    decided = decided[decided["case_id"].isin(cases["case_id"])]
    creators = cases.set_index("case_id")["creator_id"]
    approve = decided[(decided["decision"] == "approve") & decided["actor_id"].notna()]
    by_creator = set(approve.loc[approve["actor_id"].values == creators.reindex(approve["case_id"]).values, "case_id"])
    no_reason = set(decided.loc[(decided["decision"] == "override") & decided["reason_code"].isna(), "case_id"])
    risky = cases["risk_signals"].map(lambda s: isinstance(s, list) and bool(HIGH_RISK.intersection(s)))
    high_risk_auto = set(cases.loc[(cases["lane"] == "auto_approve") & risky, "case_id"])
    out = {}
    for wf, g in cases.groupby("workflow"):
        ids = set(g["case_id"])
        out[wf] = {
            "high_risk_auto_approved": len(ids & high_risk_auto),
            "approved_by_creator": len(ids & by_creator),
            "override_without_reason": len(ids & no_reason),
        }
    return out


def ratings(cases, by_type, empty):
    """One label per (case, rater), docs/metrics/agreement.md (sql/duckdb/derived/0006_case_ratings.sql)."""
    facts = cases.set_index("case_id")
    decided = by_type.get("review.decided", empty)
    decided = decided[decided["decision"].isin(["approve", "override", "reject"]) & decided["actor_id"].notna() & decided["case_id"].isin(facts.index)]
    decided = decided.assign(label=decided["final_label"].where(
        decided["final_label"].notna() | (decided["decision"] != "approve"), facts["model_label"].reindex(decided["case_id"]).values))
    # the label the case ended with: its latest close's (even a null one), else its latest labelling decision's
    closed = by_type.get("case.closed", empty)
    final = closed.groupby("case_id").tail(1).set_index("case_id")["final_label"]
    final = final.combine_first(decided.groupby("case_id").tail(1).set_index("case_id")["label"])
    audits = by_type.get("audit.completed", empty)
    audits = audits[audits["actor_id"].notna() & audits["case_id"].isin(facts.index)]
    audits = audits.assign(label=audits["correct_label"].where(audits["verdict"] == "incorrect", final.reindex(audits["case_id"]).values))
    rated = ordered(pd.concat([decided[["case_id", "actor_id", "ts", "event_id", "label"]], audits[["case_id", "actor_id", "ts", "event_id", "label"]]]))
    rated = rated.groupby(["case_id", "actor_id"], sort=False).tail(1)
    rated = rated[rated["label"].notna()]
    return rated.assign(workflow=facts["workflow"].reindex(rated["case_id"]).values)


def pairwise_kappa(rated):
    out = {}
    for wf, g in rated.groupby("workflow"):
        table = g.pivot(index="case_id", columns="actor_id", values="label")
        raters = sorted(table.columns)
        pairs = []
        for i, a in enumerate(raters):
            col_a = table[a]
            for b in raters[i + 1:]:
                both = col_a.notna() & table[b].notna()
                n = int(both.sum())
                if n == 0:
                    continue
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    kappa = cohen_kappa_score(col_a[both], table[b][both])
                pairs.append({"reviewer_a": a, "reviewer_b": b, "n": n, "kappa": None if math.isnan(kappa) else float(kappa)})
        out[wf] = pairs
    return out


def drift(cases, to):
    """KS on the model's confidence and chi-square on its labels, per workflow and model version:
    current = the day before `to`, reference = the 7 days before that, of the same version once it
    has a full reference of its own, else of its predecessor (docs/metrics/drift.md#windows)."""
    cur_from = to - pd.Timedelta(days=CURRENT_DAYS)
    ref_from = cur_from - pd.Timedelta(days=REFERENCE_DAYS)
    since = cases.groupby(["workflow", "model_version"])["created_at"].min()
    current = cases[(cases["created_at"] >= cur_from) & (cases["created_at"] < to)]
    reference = cases[(cases["created_at"] >= ref_from) & (cases["created_at"] < cur_from)]
    ref_versions = set(map(tuple, reference[["workflow", "model_version"]].drop_duplicates().values))
    out = []
    for (wf, version), cur in current.groupby(["workflow", "model_version"]):
        first = since[(wf, version)]
        compared_with, ref_version = "same_model_version", version
        if first > ref_from:
            older = since.loc[wf]
            older = older[(older < first) & [(wf, v) in ref_versions for v in older.index]]
            if len(older) > 0:
                compared_with, ref_version = "predecessor_model_version", older.idxmax()
            elif (wf, version) not in ref_versions:
                compared_with, ref_version = "all_model_versions", None
        ref = reference[reference["workflow"] == wf]
        if ref_version is not None:
            ref = ref[ref["model_version"] == ref_version]
        row = {"workflow": wf, "model_version": version, "compared_with": compared_with, "n_ref": int(len(ref)), "n_cur": int(len(cur))}
        a, b = ref["confidence"].dropna().astype(float), cur["confidence"].dropna().astype(float)
        if len(a) and len(b):
            ks = ks_2samp(a.values, b.values, method="auto")
            row["ks"] = {"statistic": float(ks.statistic), "pvalue": float(ks.pvalue)}
        la, lb = ref["model_label"].dropna().value_counts(), cur["model_label"].dropna().value_counts()
        labels = sorted(set(la.index) | set(lb.index))
        if len(labels) >= 2 and la.sum() and lb.sum():
            table = np.array([[la.get(l, 0) for l in labels], [lb.get(l, 0) for l in labels]])
            stat, p, dof, _ = chi2_contingency(table)
            row["chi_square"] = {"statistic": float(stat), "pvalue": float(p), "dof": int(dof)}
        out.append(row)
    return out


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("file")
    parser.add_argument("--to")
    parser.add_argument("--now")
    args = parser.parse_args()
    started = time.perf_counter()
    events = load(args.file)
    loaded = time.perf_counter()
    to = pd.Timestamp(args.to) if args.to else events["ts"].max() + pd.Timedelta(milliseconds=1)
    now = pd.Timestamp(args.now) if args.now else pd.Timestamp.now(tz="UTC")
    cases, by_type, empty = case_facts(events)
    # the report's window [, to): cases by their created_at (the SLA clocks by their start)
    window = cases[cases["created_at"] < to]
    result = {
        "events": int(len(events)),
        "cases": int(len(cases)),
        "to": to.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z",
        "override_rate": override_rate(window),
        "ack_breaches": ack_breaches(cases, now, to),
        "controls": controls(window, by_type, empty),
        "pairwise_kappa": pairwise_kappa(ratings(window, by_type, empty)),
        "drift": drift(cases, to),
    }
    done = time.perf_counter()
    result["load_seconds"] = loaded - started
    result["compute_seconds"] = done - loaded
    json.dump(result, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
