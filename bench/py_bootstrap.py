#!/usr/bin/env python3
"""The same stratified bootstrap as fairaudit, written plainly with NumPy and
scikit-learn, to time against it.

    /usr/bin/python3 bench/py_bootstrap.py FILE.csv REPLICATES [--seed 1]

Attributes sex, race, site and age binned at 40 and 65, plus overall. Per
replicate and attribute: resample with replacement within every group x label
cell, then per group the confusion counts at 0.5, roc_auc_score,
brier_score_loss and a 10-bin ECE. Prints the seconds per replicate (after
loading) on the last line.
"""
import sys
import time

import numpy as np
from sklearn.metrics import brier_score_loss, roc_auc_score


def ece(y, s):
    b = np.minimum((s * 10).astype(int), 9)
    tot = 0.0
    for k in range(10):
        m = b == k
        if m.any():
            tot += m.sum() / len(y) * abs(y[m].mean() - s[m].mean())
    return tot


def metrics(y, s):
    d = s >= 0.5
    tp = np.sum(d & (y == 1)); fp = np.sum(d & (y == 0))
    fn = np.sum(~d & (y == 1)); tn = np.sum(~d & (y == 0))
    return (tp / (tp + fn), fp / (fp + tn), tp / max(tp + fp, 1), (tp + tn) / len(y),
            roc_auc_score(y, s), brier_score_loss(y, s), ece(y, s))


def main():
    path, reps = sys.argv[1], int(sys.argv[2])
    seed = int(sys.argv[4]) if len(sys.argv) > 4 else 1
    import csv
    with open(path) as f:
        r = csv.reader(f)
        next(r)
        rows = list(r)
    y = np.array([int(x[0]) for x in rows])
    s = np.array([float(x[1]) for x in rows])
    age = np.array([float(x[2]) if x[2] else np.nan for x in rows])
    agebin = np.where(np.isnan(age), 3, np.where(age < 40, 0, np.where(age < 65, 1, 2)))
    attrs = {"overall": np.zeros(len(y), dtype=int)}
    for i, name in ((3, "sex"), (4, "race"), (5, "site")):
        _, codes = np.unique([x[i] for x in rows], return_inverse=True)
        attrs[name] = codes
    attrs["age"] = agebin
    # the cells of each attribute, found once
    cells = {a: [np.flatnonzero((c == g) & (y == lab)) for g in np.unique(c) for lab in (0, 1)]
             for a, c in attrs.items()}
    groups = {a: [np.flatnonzero(c == g) for g in np.unique(c)] for a, c in attrs.items()}
    rng = np.random.default_rng(seed)
    t0 = time.perf_counter()
    for _ in range(reps):
        for a in attrs:
            # a stratified replicate: indices drawn within every cell
            idx = np.concatenate([rng.choice(cell, size=len(cell), replace=True)
                                  for cell in cells[a] if len(cell)])
            code = attrs[a][idx]
            yy, ss = y[idx], s[idx]
            for g in np.unique(code):
                m = code == g
                metrics(yy[m], ss[m])
    dt = time.perf_counter() - t0
    print("%.6f" % (dt / reps))


if __name__ == "__main__":
    main()
