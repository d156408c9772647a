"""Reference values for the agreement statistics, computed independently of the TypeScript.

Reads one JSON object on stdin and prints one JSON object on stdout:

  in:  {"cohen":  [{"table": [[...]], "weights": "none" | "linear" | "quadratic"}],
        "fleiss": [{"counts": [[...]]}],
        "alpha":  [{"ratings": [[...]], "level": "nominal" | "ordinal" | "interval" | "ratio"}],
        "gwet":   [{"ratings": [[...]]}]}
  out: {"cohen":  [{"sklearn": x, "statsmodels": x, "se": x}],
        "fleiss": [{"statsmodels": x}],
        "alpha":  [{"value": x}],
        "gwet":   [{"value": x}]}

ratings are items x raters with null for missing. NaN becomes null; a reference that raises
gives null and its exception's class name under "error".

Cohen's kappa comes from scikit-learn and statsmodels, Fleiss' kappa from statsmodels.
Neither has Krippendorff's alpha or Gwet's AC1, so those are written here straight from
Krippendorff (2011) "Computing Krippendorff's Alpha-Reliability" (coincidences, p. 4-8) and
Gwet (2008) / irrCAC's gwet.ac1.raw, in exact rational arithmetic (fractions.Fraction).

Needs Debian's python3-sklearn, python3-statsmodels and python3-scipy: run with /usr/bin/python3.
"""

import json
import math
import sys
import warnings
from fractions import Fraction

try:
    import numpy as np
    from sklearn.metrics import cohen_kappa_score
    from statsmodels.stats.inter_rater import cohens_kappa, fleiss_kappa
except ImportError as err:  # the test turns this exit code into a failure naming the packages
    sys.stderr.write(
        f"agreement_oracle: {err}. Install the Debian packages: "
        "apt-get install -y python3-statsmodels python3-sklearn python3-scipy\n"
    )
    sys.exit(3)


def num(x):
    x = float(x)
    return None if math.isnan(x) or math.isinf(x) else x


def guarded(fn):
    try:
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            return {"value": num(fn())}
    except Exception as err:  # noqa: BLE001 - the test compares what each reference does
        return {"value": None, "error": type(err).__name__}


def cohen(case):
    table = np.asarray(case["table"], dtype=int)
    k = table.shape[0]
    y1 = [i for i in range(k) for j in range(k) for _ in range(table[i, j])]
    y2 = [j for i in range(k) for j in range(k) for _ in range(table[i, j])]
    weights = None if case["weights"] == "none" else case["weights"]
    sk = guarded(lambda: cohen_kappa_score(y1, y2, labels=list(range(k)), weights=weights))
    sm = guarded(lambda: cohens_kappa(table, wt=weights).kappa if weights else cohens_kappa(table).kappa)
    se = guarded(lambda: cohens_kappa(table, wt=weights).std_kappa if weights else cohens_kappa(table).std_kappa)
    out = {"sklearn": sk["value"], "statsmodels": sm["value"], "se": se["value"]}
    for name, r in (("sklearn_error", sk), ("statsmodels_error", sm)):
        if "error" in r:
            out[name] = r["error"]
    return out


def fleiss(case):
    r = guarded(lambda: fleiss_kappa(np.asarray(case["counts"], dtype=float), method="fleiss"))
    return {"statsmodels": r["value"], **({"error": r["error"]} if "error" in r else {})}


def alpha(case):
    """Krippendorff (2011): alpha = 1 - (n - 1) sum_ck o_ck d2_ck / sum_ck n_c n_k d2_ck."""
    level = case["level"]
    units = [[v for v in row if v is not None] for row in case["ratings"]]
    units = [u for u in units if len(u) >= 2]
    values = sorted({v for u in units for v in u})
    o = {(c, k): Fraction(0) for c in values for k in values}
    for u in units:
        m = len(u)
        for i in range(m):
            for j in range(m):
                if i != j:
                    o[(u[i], u[j])] += Fraction(1, m - 1)
    n_c = {c: sum(o[(c, k)] for k in values) for c in values}
    n = sum(n_c.values())
    if n < 2:
        return {"value": None}

    def d2(c, k):
        if level == "nominal":
            return Fraction(0 if c == k else 1)
        if level == "interval":
            return Fraction(c - k) ** 2
        if level == "ratio":
            return Fraction(c - k, c + k) ** 2 if c + k != 0 else Fraction(0)
        lo, hi = sorted((values.index(c), values.index(k)))
        return (sum(n_c[values[g]] for g in range(lo, hi + 1)) - (n_c[c] + n_c[k]) / 2) ** 2

    d_o = sum(o[(c, k)] * d2(c, k) for c in values for k in values)
    d_e = sum(n_c[c] * n_c[k] * d2(c, k) for c in values for k in values)
    if d_e == 0:
        return {"value": None}
    return {"value": float(1 - (n - 1) * d_o / d_e)}


def gwet(case):
    """Gwet's AC1 as irrCAC's gwet.ac1.raw: p_a over items with 2+ ratings, pi_k over rated items."""
    rows = [[v for v in row if v is not None] for row in case["ratings"]]
    rows = [r for r in rows if r]
    categories = sorted({v for r in rows for v in r})
    q = len(categories)
    pairable = [r for r in rows if len(r) >= 2]
    if q < 2 or not pairable:
        return {"value": None}
    p_a = sum(
        Fraction(sum(r.count(c) * (r.count(c) - 1) for c in categories), len(r) * (len(r) - 1)) for r in pairable
    ) / len(pairable)
    pi = [sum(Fraction(r.count(c), len(r)) for r in rows) / len(rows) for c in categories]
    p_e = sum(p * (1 - p) for p in pi) / (q - 1)
    return {"value": float((p_a - p_e) / (1 - p_e))}


def main():
    cases = json.load(sys.stdin)
    out = {
        "cohen": [cohen(c) for c in cases.get("cohen", [])],
        "fleiss": [fleiss(c) for c in cases.get("fleiss", [])],
        "alpha": [alpha(c) for c in cases.get("alpha", [])],
        "gwet": [gwet(c) for c in cases.get("gwet", [])],
    }
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
