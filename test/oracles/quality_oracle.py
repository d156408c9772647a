#!/usr/bin/env python3
"""Independent oracle for the quality family (docs/metrics/quality.md), from raw events.

Plain Python, stdlib only, written from the written definitions rather than from the SQL, so
that a mistake in a query shows up as a disagreement. Reads NDJSON events; prints one JSON
object {"groups": [{"key": ..., "metrics": ...}]} with the same group keys as the family.

usage: quality_oracle.py EVENTS.ndjson CUTS_JSON NOW_ISO
  CUTS_JSON: {"group_by": [...], "bucket": "day"|null, "workflow": ..., "from": iso, "to": iso, ...}
"""
import json
import math
import sys
from collections import defaultdict
from datetime import datetime, timedelta, timezone

DIMS = ["workflow", "tier", "lane", "model_version", "policy_version", "reviewer"]
LEVELS = ["1", "2", "3"]
TRIGGERS = ["low_confidence", "policy", "missing_context", "conflicting_signals", "high_impact", "sla_timeout", "manual"]
SEVERITIES = ["sev1", "sev2", "sev3", "sev4"]
Z95 = 1.959963984540054


def parse_ts(s):
    return datetime.fromisoformat(s.replace("Z", "+00:00")).astimezone(timezone.utc)


def order(e):
    return (e["ts"], e["event_id"])


def latest(events, field=None):
    """The latest event (by ts, then event_id); with `field`, the latest non-null value of it."""
    pool = [e for e in events if field is None or e.get(field) is not None]
    return max(pool, key=order) if pool else None


def val(e, field):
    return None if e is None else e.get(field)


def truncate(ts, bucket):
    if bucket == "hour":
        t = ts.replace(minute=0, second=0, microsecond=0)
    elif bucket == "day":
        t = ts.replace(hour=0, minute=0, second=0, microsecond=0)
    elif bucket == "week":
        t = ts.replace(hour=0, minute=0, second=0, microsecond=0) - timedelta(days=ts.weekday())
    else:
        return None
    return t.strftime("%Y-%m-%dT%H:%M:%S.000Z")


def build_cases(by_case):
    cases = {}
    for cid, evs in by_case.items():
        t = defaultdict(list)
        for e in evs:
            t[e["type"]].append(e)
        if not t["case.created"]:
            continue
        first = min(t["case.created"], key=order)
        settling = [e for e in t["review.decided"] if e["decision"] != "escalate"]
        final = latest(settling)
        closes = t["case.closed"]
        audits = t["audit.completed"]
        cases[cid] = {
            "workflow": first.get("workflow"), "tier": first.get("tier"), "model_version": first.get("model_version"),
            "policy_version": first.get("policy_version"), "model_label": first.get("model_label"),
            "created_at": first["ts"],
            "lane": val(latest(t["case.triaged"], "lane"), "lane"),
            "sampled": val(latest(t["case.triaged"], "sampled"), "sampled"),
            "triage_rate": val(latest(t["case.triaged"], "sampling_rate"), "sampling_rate"),
            "final_decision": val(final, "decision"), "final_reviewer": val(final, "actor_id"),
            "final_decided_at": max((e["ts"] for e in settling), default=None),
            "final_label": val(latest(closes, "final_label"), "final_label") or val(latest(settling, "final_label"), "final_label"),
            "first_closed_at": min((e["ts"] for e in closes), default=None),
            "outcome": val(latest(closes), "outcome"),
            "last_reopened_at": max((e["ts"] for e in t["case.reopened"]), default=None),
            "verdict": val(latest(audits), "verdict"),
            "audit_rate": val(latest(audits, "sampling_rate"), "sampling_rate"),
            "last_audited_at": max((e["ts"] for e in audits), default=None),
        }
    return cases


def case_dims(c, reviewer):
    return {"workflow": c["workflow"], "tier": c["tier"], "lane": c["lane"], "model_version": c["model_version"],
            "policy_version": c["policy_version"], "reviewer": reviewer}


def items(events, now):
    """Yields (metric, dims, time, payload): one item per thing a metric counts."""
    by_case = defaultdict(list)
    for e in events:
        if e.get("case_id") is not None:
            by_case[e["case_id"]].append(e)
    cases = build_cases(by_case)
    for c in cases.values():
        dims = case_dims(c, c["final_reviewer"])
        decided = c["final_decision"] is not None
        overridden = decided and (c["final_decision"] == "override" or (
            c["final_label"] is not None and c["model_label"] is not None and c["final_label"] != c["model_label"]))
        closed = c["first_closed_at"] is not None
        reworked = closed and c["last_reopened_at"] is not None and c["last_reopened_at"] > c["first_closed_at"]
        yield "case", dims, c["created_at"], (decided, overridden, closed, reworked)
        accepted = (c["final_decision"] == "approve") if decided else (
            c["lane"] == "auto_approve" and c["outcome"] in ("executed", "approved"))
        if accepted:
            audited = c["verdict"] is not None and (c["final_decided_at"] is None or c["last_audited_at"] >= c["final_decided_at"])
            rate = c["audit_rate"]
            if rate is None and c["sampled"] is True and (c["triage_rate"] or 0) > 0:
                rate = c["triage_rate"]
            w = 1.0 / (rate if rate is not None else 1.0)
            yield "accept", dims, c["created_at"], (audited, audited and c["verdict"] == "incorrect", w)
    for cid, evs in by_case.items():
        escs = [e for e in evs if e["type"] == "case.escalated"]
        if not escs:
            continue
        c = cases.get(cid)
        for e in escs:
            dims = case_dims(c, e.get("actor_id")) if c else {"reviewer": e.get("actor_id")}
            dims["workflow"] = (c or {}).get("workflow") or e.get("workflow")
            yield "escalation", dims, e["ts"], (str(e["to_level"]), e["trigger"])
        first = min(escs, key=order)
        dims = case_dims(c, first.get("actor_id")) if c else {"reviewer": first.get("actor_id")}
        with_workflow = [e for e in escs if e.get("workflow") is not None]
        dims["workflow"] = (c or {}).get("workflow") or (min(with_workflow, key=order)["workflow"] if with_workflow else None)
        yield "escalated_case", dims, first["ts"], precision_of(evs, escs, c)
    for metric, dims, t, payload in lines_and_incidents(events, cases, now):
        yield metric, dims, t, payload


def precision_of(evs, escs, c):
    """None while unresolved, else whether the top level changed what the levels below proposed."""
    top_level = max(e["to_level"] for e in escs)
    decided = [dict(e, level=e.get("level") or 1) for e in evs if e["type"] == "review.decided"]
    top = latest([d for d in decided if d["decision"] != "escalate" and d["level"] >= top_level])
    if top is None:
        return None
    below = [d for d in decided if d["level"] < top_level and d["ts"] <= top["ts"]]
    lower_decision = val(latest(below), "decision")
    proposed = val(latest(below, "final_label"), "final_label") or (c or {}).get("model_label")
    if top["decision"] == "reject":
        return lower_decision != "reject"
    if lower_decision == "reject":
        return True
    if top.get("final_label") is not None and proposed is not None:
        return top["final_label"] != proposed
    return top["decision"] == "override"


def lines_and_incidents(events, cases, now):
    resumes = defaultdict(list)
    for e in events:
        if e["type"] == "line.resumed":
            resumes[e["workflow"]].append(e["ts"])
    for e in events:
        if e["type"] == "line.stopped":
            after = [r for r in resumes[e["workflow"]] if r > e["ts"]]
            end = min(after) if after else None
            seconds = max(((end or now) - e["ts"]).total_seconds(), 0.0)
            yield "stop", {"workflow": e["workflow"]}, e["ts"], (end is not None, seconds)
        elif e["type"] == "incident.reported":
            c = cases.get(e.get("case_id"))
            dims = case_dims(c, c["final_reviewer"]) if c else {}
            dims["workflow"] = (c or {}).get("workflow") or e.get("workflow")
            yield "incident", dims, e["ts"], e["severity"]


def quantile(xs, q):
    xs = sorted(xs)
    if not xs:
        return None
    pos = (len(xs) - 1) * q
    lo = math.floor(pos)
    hi = min(lo + 1, len(xs) - 1)
    return xs[lo] + (pos - lo) * (xs[hi] - xs[lo])


def wilson(p, n):
    den = 1 + Z95 * Z95 / n
    centre = (p + Z95 * Z95 / (2 * n)) / den
    half = Z95 / den * math.sqrt(p * (1 - p) / n + Z95 * Z95 / (4 * n * n))
    return max(0.0, centre - half), min(1.0, centre + half)


def new_group():
    return {"cases": 0, "decided": 0, "overridden": 0, "closed": 0, "reworked": 0,
            "accepted": 0, "audits": 0, "incorrect": 0, "sum_w": 0.0, "sum_wy": 0.0, "sum_w2": 0.0,
            "escalations": 0, "by_level": {k: 0 for k in LEVELS}, "by_trigger": {k: 0 for k in TRIGGERS},
            "escalated_cases": 0, "resolved": 0, "changed": 0,
            "stops": 0, "resumed": 0, "durations": [], "incidents": 0, "by_severity": {k: 0 for k in SEVERITIES}}


def add(g, metric, p):
    if metric == "case":
        g["cases"] += 1
        g["decided"] += p[0]; g["overridden"] += p[1]; g["closed"] += p[2]; g["reworked"] += p[3]
    elif metric == "accept":
        audited, incorrect, w = p
        g["accepted"] += 1
        if audited:
            g["audits"] += 1; g["incorrect"] += incorrect
            g["sum_w"] += w; g["sum_wy"] += w * incorrect; g["sum_w2"] += w * w
    elif metric == "escalation":
        g["escalations"] += 1; g["by_level"][p[0]] += 1; g["by_trigger"][p[1]] += 1
    elif metric == "escalated_case":
        g["escalated_cases"] += 1
        if p is not None:
            g["resolved"] += 1; g["changed"] += p
    elif metric == "stop":
        g["stops"] += 1; g["resumed"] += p[0]; g["durations"].append(p[1])
    elif metric == "incident":
        g["incidents"] += 1; g["by_severity"][p] += 1


def finish(g):
    fa = {"accepted": g["accepted"], "audits": g["audits"], "incorrect": g["incorrect"],
          "weighted_n": g["sum_w"], "weighted_incorrect": g["sum_wy"], "value": None, "lower": None, "upper": None, "n_eff": 0}
    if g["audits"] > 0:
        fa["value"] = g["sum_wy"] / g["sum_w"]
        fa["n_eff"] = g["sum_w"] ** 2 / g["sum_w2"]
        fa["lower"], fa["upper"] = wilson(fa["value"], fa["n_eff"])
    d = g["durations"]
    return {
        "cases": g["cases"], "override": [g["overridden"], g["decided"]], "rework": [g["reworked"], g["closed"]],
        "false_accept": fa,
        "escalations": {"total": g["escalations"], "by_level": g["by_level"], "by_trigger": g["by_trigger"],
                        "escalated_cases": g["escalated_cases"], "resolved": g["resolved"], "changed": g["changed"]},
        "stop_the_line": {"stops": g["stops"], "resumed": g["resumed"], "open": g["stops"] - g["resumed"],
                          "p50": quantile(d, 0.5), "p90": quantile(d, 0.9), "max": max(d) if d else None},
        "incidents": {"total": g["incidents"], "by_severity": g["by_severity"]},
    }


def main():
    path, cuts, now = sys.argv[1], json.loads(sys.argv[2]), parse_ts(sys.argv[3])
    events = []
    with open(path) as f:
        for line in f:
            if line.strip():
                e = json.loads(line)
                e["ts"] = parse_ts(e["ts"])
                events.append(e)
    start = parse_ts(cuts["from"]) if cuts.get("from") else None
    end = parse_ts(cuts["to"]) if cuts.get("to") else None
    groups = defaultdict(new_group)
    for metric, dims, t, payload in items(events, now):
        if any(cuts.get(d) is not None and dims.get(d) != cuts[d] for d in DIMS):
            continue
        if (start and t < start) or (end and t >= end):
            continue
        key = {d: dims.get(d) for d in cuts.get("group_by", [])}
        if cuts.get("bucket"):
            key["bucket"] = truncate(t, cuts["bucket"])
        add(groups[json.dumps(key, sort_keys=True)], metric, payload)
    out = [{"key": json.loads(k), "metrics": finish(g)} for k, g in groups.items()]
    json.dump({"groups": out}, sys.stdout)


if __name__ == "__main__":
    main()
