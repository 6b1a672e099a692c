"""The scipy / numpy / sklearn side of bench/monitoring.ts, on the same data in the same run.

Reads the float64 matrices bench/monitoring.ts wrote (row-major, shapes passed as arguments), times
each baseline with time.perf_counter (median of `reps`), and prints one JSON object.
"""
import json
import sys
import time

import numpy as np
from scipy.stats import chi2_contingency, ks_2samp
from sklearn.ensemble import IsolationForest


def median_time(fn, reps):
    times = []
    result = None
    for _ in range(reps):
        start = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - start) * 1000)
    return float(np.median(times)), result


def drift(ref, cur, n_numeric):
    p = []
    for j in range(ref.shape[1]):
        if j < n_numeric:
            p.append(float(ks_2samp(ref[:, j], cur[:, j]).pvalue))
        else:
            cats = np.union1d(ref[:, j], cur[:, j])
            table = np.array([[np.sum(ref[:, j] == c) for c in cats], [np.sum(cur[:, j] == c) for c in cats]])
            p.append(float(chi2_contingency(table)[1]))
    return p


def mmd_permutation(x, y, n_perm, sigma):
    z = np.vstack([x, y])
    sq = np.sum(z * z, axis=1)
    k = np.exp(-np.maximum(sq[:, None] + sq[None, :] - 2 * z @ z.T, 0) / (2 * sigma * sigma))
    n, m = len(x), len(y)
    rng = np.random.default_rng(0)

    def stat(idx):
        a, b = idx[:n], idx[n:]
        return (k[np.ix_(a, a)].sum() - n) / (n * (n - 1)) + (k[np.ix_(b, b)].sum() - m) / (m * (m - 1)) - 2 * k[np.ix_(a, b)].mean()

    observed = stat(np.arange(n + m))
    perms = [stat(rng.permutation(n + m)) for _ in range(n_perm)]
    return float(np.mean(np.array(perms) >= observed))


def main():
    args = json.loads(sys.argv[1])
    read = lambda name, rows, cols: np.fromfile(f"{args['dir']}/{name}.f64", dtype=np.float64).reshape(rows, cols)
    ref = read("drift-ref", args["refRows"], args["cols"])
    cur = read("drift-cur", args["curRows"], args["cols"])
    out = {}
    out["driftMs"], out["driftP"] = median_time(lambda: drift(ref, cur, args["numeric"]), args["reps"])
    mx = read("mmd-x", args["mmdRows"], args["mmdCols"])
    my = read("mmd-y", args["mmdRows"], args["mmdCols"])
    out["mmdMs"], out["mmdP"] = median_time(lambda: mmd_permutation(mx, my, args["permutations"], args["sigma"]), max(1, args["reps"] // 2))
    train = read("if-train", args["ifRows"], args["ifCols"])
    score = read("if-score", args["ifScoreRows"], args["ifCols"])
    forest = IsolationForest(n_estimators=100, max_samples=256, random_state=0)
    out["ifFitMs"], _ = median_time(lambda: forest.fit(train), args["reps"])
    out["ifScoreMs"], _ = median_time(lambda: forest.score_samples(score), args["reps"])
    print(json.dumps(out))


main()
