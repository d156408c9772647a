#!/usr/bin/env python3
"""Reference values for Loopwatch's drift and proportion statistics.

Reads {"cases": [{"kind": ..., ...}, ...]} on stdin and writes {"results": [...]} (one
object per case, NaN as null) on stdout. Everything is computed by scipy and statsmodels,
or, where no library has the statistic (PSI, CUSUM, the weighted proportion), by the
textbook formula written out here independently of the TypeScript code.

Run with Debian's interpreter: /usr/bin/python3 (apt-get install python3-scipy
python3-statsmodels).
"""
import json
import math
import sys

try:
    import numpy as np
    import scipy
    from scipy import special, stats
    from scipy.spatial import distance
    import statsmodels
    from statsmodels.stats.proportion import proportion_confint, proportions_ztest
except ImportError as err:  # the test turns this into a failure with the install hint
    sys.stderr.write(f"drift oracle: {err}; install with: apt-get install -y python3-scipy python3-statsmodels\n")
    sys.exit(3)


def num(x):
    x = float(x)
    return None if math.isnan(x) else x


def expand(values, counts):
    return np.repeat(np.asarray(values, dtype=float), np.asarray(counts, dtype=np.int64))


def ks(c):
    x = expand(c["ref_values"], c["ref_counts"])
    y = expand(c["cur_values"], c["cur_counts"])
    try:
        r = stats.ks_2samp(x, y, alternative=c.get("alternative", "two-sided"), method=c.get("method", "auto"))
    except ValueError as err:
        return {"error": str(err)}
    return {"statistic": num(r.statistic), "pvalue": num(r.pvalue),
            "location": num(r.statistic_location), "sign": int(r.statistic_sign)}


def psi_numeric(c):
    # Edges: the inverted-CDF quantile at j/bins on the raw reference, x[ceil(j*N/bins) - 1],
    # duplicates merged; bins are (-inf, e1], (e1, e2], ..., (e_last, inf).
    ref = np.sort(expand(c["ref_values"], c["ref_counts"]))
    cur = expand(c["cur_values"], c["cur_counts"])
    bins, eps, n = c["bins"], c["epsilon"], len(ref)
    edges = sorted({float(ref[-(-j * n // bins) - 1]) for j in range(1, bins)})
    ref_counts = np.bincount(np.searchsorted(edges, ref, side="left"), minlength=len(edges) + 1)
    cur_counts = np.bincount(np.searchsorted(edges, cur, side="left"), minlength=len(edges) + 1)
    return {"statistic": psi_from_counts(ref_counts, cur_counts, eps), "edges": edges,
            "ref_counts": ref_counts.tolist(), "cur_counts": cur_counts.tolist()}


def psi_from_counts(ref_counts, cur_counts, eps):
    e = np.asarray(ref_counts, float) / np.sum(ref_counts)
    a = np.asarray(cur_counts, float) / np.sum(cur_counts)
    e[e == 0] = eps
    a[a == 0] = eps
    return float(np.sum((a - e) * np.log(a / e)))


def wasserstein(c):
    u, v = c["ref_values"], c["cur_values"]
    w = stats.wasserstein_distance(u, v, c["ref_counts"], c["cur_counts"])
    # np.std of the expanded reference when the weights are counts; weighted otherwise
    x, wu = np.asarray(u, float), np.asarray(c["ref_counts"], float)
    std = float(np.sqrt(np.average((x - np.average(x, weights=wu)) ** 2, weights=wu)))
    return {"statistic": num(w), "ref_std": std, "normed": num(w / max(std, 0.001))}


def chi2(c):
    table = np.asarray(c["table"], dtype=float)
    try:
        r = stats.chi2_contingency(table, correction=c.get("correction", True))
    except ValueError as err:
        return {"error": str(err)}
    return {"statistic": num(r[0]), "pvalue": num(r[1]), "dof": int(r[2])}


def jensenshannon(c):
    with np.errstate(invalid="ignore", divide="ignore"):
        return {"statistic": num(distance.jensenshannon(c["p"], c["q"], base=c.get("base")))}


def ztest(c):
    with np.errstate(invalid="ignore", divide="ignore"):
        z, p = proportions_ztest(c["count"], c["nobs"], alternative=c["alternative"])
    return {"statistic": num(z), "pvalue": num(p)}


def cusum(c):
    # Montgomery, Introduction to Statistical Quality Control, sec. 9.1: standardized
    # upper CUSUM  C_i = max(0, C_{i-1} + z_i - k),  signal when C_i > h.
    p0, k, h = c["p0"], c["k"], c["h"]
    s, path, signal = 0.0, [], None
    for i, (n, x) in enumerate(zip(c["n"], c["x"])):
        if n > 0:
            z = (x - n * p0) / math.sqrt(n * p0 * (1 - p0))
            s = max(0.0, s + z - k)
        path.append(s)
        if signal is None and s > h:
            signal = i
    return {"path": path, "signal": signal}


def intervals(c):
    k, n, conf = c["successes"], c["n"], c.get("confidence", 0.95)
    b = stats.binomtest(k, n)
    w, e = b.proportion_ci(conf, "wilson"), b.proportion_ci(conf, "exact")
    sw = proportion_confint(k, n, alpha=1 - conf, method="wilson")
    sb = proportion_confint(k, n, alpha=1 - conf, method="beta")
    return {"scipy_wilson": [w.low, w.high], "scipy_exact": [e.low, e.high],
            "sm_wilson": [num(sw[0]), num(sw[1])], "sm_beta": [num(sb[0]), num(sb[1])]}


def weighted(c):
    # Hajek ratio with a Wilson interval at Kish's effective sample size, computed from the
    # per-case weights and fed to statsmodels' Wilson interval as a (fractional) count.
    w, y, conf = np.asarray(c["weights"], float), np.asarray(c["y"], float), c.get("confidence", 0.95)
    est = float(np.sum(w * y) / np.sum(w))
    n_eff = float(np.sum(w) ** 2 / np.sum(w ** 2))
    lo, hi = proportion_confint(est * n_eff, n_eff, alpha=1 - conf, method="wilson")
    if est == 0:
        lo = 0.0
    if est == 1:
        hi = 1.0
    return {"estimate": est, "n_eff": n_eff, "lower": float(lo), "upper": float(hi), "ht_total": float(np.sum(w * y))}


def special_fns(c):
    if c["fn"] == "kstwo_sf":
        return {"value": num(stats.kstwo.sf(c["x"], c["n"]))}
    return {"value": num(special.smirnov(c["n"], c["x"]))}


KINDS = {"ks": ks, "psi_numeric": psi_numeric, "wasserstein": wasserstein, "chi2": chi2,
         "jensenshannon": jensenshannon, "ztest": ztest, "cusum": cusum, "intervals": intervals,
         "weighted": weighted, "special": special_fns,
         "psi_counts": lambda c: {"statistic": psi_from_counts(c["ref"], c["cur"], c["epsilon"])}}


def main():
    request = json.load(sys.stdin)
    results = [KINDS[c["kind"]](c) for c in request["cases"]]
    json.dump({"versions": {"scipy": scipy.__version__, "statsmodels": statsmodels.__version__},
               "results": results}, sys.stdout)


if __name__ == "__main__":
    main()
