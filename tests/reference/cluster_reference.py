"""cluster_reference.py: expected values for tests/unit/test_cluster_inference.c.

Run from the repository root:

    /usr/bin/python3 tests/reference/cluster_reference.py [--write]

With --write it (re)writes tests/data/cluster_audit.csv (a small clustered
audit: label, score, grp, pid) from a fixed seed; either way it reads that
file back and prints C initialisers (%.17g) of every analytic interval and
test that fairaudit computes for it with --group grp --cluster pid,
threshold 0.5, level 0.95 and group b as the reference. (Its columns rec,
a new id on every record, and site, which changes within patient a00,
serve other cases of the test.)

Everything here is written out from the published formulas, independently
of the C code, and the AUC parts the slow way, over every pair of records:

* Obuchowski NA (1997). Nonparametric analysis of clustered ROC curve data.
  Biometrics 53:567-578. With psi(x, y) = 1, 1/2, 0 as x >, =, < y,
  V10(X) = mean over all negatives of psi(X, Y), V01(Y) = mean over all
  positives of psi(X, Y), V10_i, V01_i their sums over cluster i's records,
  S10 = I10 / ((I10 - 1) M) sum_i (V10_i - m_i AUC)^2,
  S01 = I01 / ((I01 - 1) N) sum_i (V01_i - n_i AUC)^2,
  S11 = I / (I - 1) sum_i (V10_i - m_i AUC)(V01_i - n_i AUC),
  var = S10 / M + S01 / N + 2 S11 / (M N).
* The clustered proportion: v = k / (k - 1) sum_i (y_i - p n_i)^2 / n^2 over
  the k clusters with records in the denominator, deff = max(1, v / (p(1 -
  p) / n)) (n / k when p is 0 or 1), the Wilson interval at n / deff with
  Student's t quantile on k - 1 df (Korn & Graubard 1998).
* Newcombe's hybrid interval from two such intervals.
* Rao & Scott (1981) first-order corrected chi-square: X^2 / mean deff with
  mean deff = sum_i (1 - n_i / N) deff_i / (k - 1); X^2 from
  scipy.stats.chi2_contingency(correction=False).
* The unpaired comparison of two AUCs: (a - b) / sqrt(va + vb) against
  Student's t with Welch-Satterthwaite df, each group's count being its
  number of clusters less one.

numpy and scipy from Debian's /usr/bin/python3 (numpy 1.24.2, scipy 1.10.1).
"""
import csv
import sys

import numpy as np
from scipy import stats

PATH = "tests/data/cluster_audit.csv"
LEVEL = 0.95
THRESHOLD = 0.5


def write_data():
    rng = np.random.default_rng(20250301)
    rows = []
    # group a: 14 patients, b: 18, c: 9; 1 to 5 images each; a patient's
    # images share a patient effect, and some patients have images of both
    # labels (lesions of one patient), so S11 is not 0
    # "rec" is a new id on every record; "site" is X for the first half of
    # each group's patients and Y for the rest, except that patient a00's
    # first image is at Y: an attribute that changes within one patient
    for grp, npat, shift in (("a", 14, 0.0), ("b", 18, 0.4), ("c", 9, 0.2)):
        for i in range(npat):
            pid = "%s%02d" % (grp, i)
            u = rng.normal(0, 1.5)
            m = int(rng.integers(1, 6))
            base = rng.random() < 0.4
            for k in range(m):
                y = int(base if rng.random() < 0.8 else not base)
                x = (1.2 + shift) * y + u + rng.normal(0, 1)
                s = round(1 / (1 + np.exp(-(x - 0.6))), 2)
                site = "X" if 2 * i < npat else "Y"
                if pid == "a00" and k == 0:
                    site = "Y"
                rows.append((y, s, grp, pid, "r%03d" % len(rows), site))
    with open(PATH, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(("label", "score", "grp", "pid", "rec", "site"))
        for r in rows:
            w.writerow((r[0], "%.2f" % r[1]) + r[2:])


def read_data():
    with open(PATH) as f:
        rd = csv.DictReader(f)
        return [(int(r["label"]), float(r["score"]), r["grp"], r["pid"]) for r in rd]


def psi(x, y):
    return 1.0 if x > y else 0.5 if x == y else 0.0


def obuchowski(scores, labels, clusters):
    """AUC, variance, S10, S01, S11 over every pair (O(n^2))."""
    pos = [i for i in range(len(scores)) if labels[i]]
    neg = [i for i in range(len(scores)) if not labels[i]]
    M, N = len(pos), len(neg)
    auc = sum(psi(scores[i], scores[j]) for i in pos for j in neg) / (M * N)
    ids = sorted(set(clusters))
    v10 = {c: 0.0 for c in ids}
    v01 = {c: 0.0 for c in ids}
    m = {c: 0 for c in ids}
    n = {c: 0 for c in ids}
    for i in pos:
        v10[clusters[i]] += sum(psi(scores[i], scores[j]) for j in neg) / N
        m[clusters[i]] += 1
    for j in neg:
        v01[clusters[j]] += sum(psi(scores[i], scores[j]) for i in pos) / M
        n[clusters[j]] += 1
    I = len(ids)
    I10 = sum(1 for c in ids if m[c] > 0)
    I01 = sum(1 for c in ids if n[c] > 0)
    d10 = [v10[c] - m[c] * auc for c in ids]
    d01 = [v01[c] - n[c] * auc for c in ids]
    s10 = I10 / ((I10 - 1) * M) * sum(d * d for d in d10)
    s01 = I01 / ((I01 - 1) * N) * sum(d * d for d in d01)
    s11 = I / (I - 1) * sum(a * b for a, b in zip(d10, d01))
    var = s10 / M + s01 / N + 2 * s11 / (M * N)
    z = stats.norm.ppf(1 - (1 - LEVEL) / 2)
    se = np.sqrt(var)
    return dict(auc=auc, var=var, s10=s10, s01=s01, s11=s11, clusters=I,
                lo=min(1, max(0, auc - z * se)), hi=min(1, max(0, auc + z * se)))


def cluster_prop(x, n):
    """x[i] of n[i] per cluster (clusters with n[i] = 0 are dropped)."""
    x = np.array([a for a, b in zip(x, n) if b > 0], dtype=float)
    n = np.array([b for b in n if b > 0], dtype=float)
    k, X, Nn = len(n), x.sum(), n.sum()
    p = X / Nn
    v = k / (k - 1) * ((x - p * n) ** 2).sum() / Nn ** 2
    if X == 0 or X == Nn:
        deff = Nn / k
    else:
        deff = max(1.0, v / (p * (1 - p) / Nn))
    ne = Nn / deff
    t = stats.t.ppf(1 - (1 - LEVEL) / 2, k - 1)
    centre = (p + t * t / (2 * ne)) / (1 + t * t / ne)
    half = t * np.sqrt(p * (1 - p) / ne + t * t / (4 * ne * ne)) / (1 + t * t / ne)
    lo = 0.0 if X == 0 else max(0.0, centre - half)
    hi = 1.0 if X == Nn else min(1.0, centre + half)
    return dict(p=p, var=v, deff=deff, n=Nn, x=X, lo=lo, hi=hi)


def newcombe(a, b):
    d = a["p"] - b["p"]
    lo = d - np.sqrt((a["p"] - a["lo"]) ** 2 + (b["hi"] - b["p"]) ** 2)
    hi = d + np.sqrt((a["hi"] - a["p"]) ** 2 + (b["p"] - b["lo"]) ** 2)
    return max(-1.0, lo), min(1.0, hi)


def rao_scott(props):
    table = np.array([[q["x"], q["n"] - q["x"]] for q in props])
    x2 = stats.chi2_contingency(table, correction=False)[0]
    Nn = sum(q["n"] for q in props)
    k = len(props)
    dm = sum((1 - q["n"] / Nn) * q["deff"] for q in props) / (k - 1)
    return x2 / dm, stats.chi2.sf(x2 / dm, k - 1), dm


def compare(a, b):
    s = a["var"] + b["var"]
    df = s * s / (a["var"] ** 2 / (a["clusters"] - 1) + b["var"] ** 2 / (b["clusters"] - 1))
    stat = (a["auc"] - b["auc"]) / np.sqrt(s)
    q = stats.t.ppf(1 - (1 - LEVEL) / 2, df)
    d = a["auc"] - b["auc"]
    return 2 * stats.t.sf(abs(stat), df), max(-1, d - q * np.sqrt(s)), min(1, d + q * np.sqrt(s))


def g17(v):
    return "%.17g" % v


def main():
    if "--write" in sys.argv[1:]:
        write_data()
    rows = read_data()
    groups = ("a", "b", "c")
    rates = {}
    aucs = {}
    print("/* printed by tests/reference/cluster_reference.py */")
    print("static const struct {\n\tconst char *group;\n\tdouble tpr[2], fpr[2], ppv[2], "
          "sel[2], auc[2], auc_var;\n} r_groups[] = {")
    for g in groups:
        sub = [r for r in rows if r[2] == g]
        pids = sorted(set(r[3] for r in sub))
        per = {p: dict(tp=0, fp=0, tn=0, fn=0) for p in pids}
        for y, s, _, p in sub:
            dec = s >= THRESHOLD
            per[p]["tp" if y and dec else "fn" if y else "fp" if dec else "tn"] += 1
        c = [per[p] for p in pids]
        tpr = cluster_prop([q["tp"] for q in c], [q["tp"] + q["fn"] for q in c])
        fpr = cluster_prop([q["fp"] for q in c], [q["fp"] + q["tn"] for q in c])
        ppv = cluster_prop([q["tp"] for q in c], [q["tp"] + q["fp"] for q in c])
        sel = cluster_prop([q["tp"] + q["fp"] for q in c],
                           [q["tp"] + q["fp"] + q["tn"] + q["fn"] for q in c])
        ob = obuchowski([r[1] for r in sub], [r[0] for r in sub], [r[3] for r in sub])
        rates[g] = dict(tpr=tpr, fpr=fpr)
        aucs[g] = ob
        print("\t{\"%s\", {%s, %s}, {%s, %s}, {%s, %s}, {%s, %s}, {%s, %s}, %s}," % (
            g, g17(tpr["lo"]), g17(tpr["hi"]), g17(fpr["lo"]), g17(fpr["hi"]),
            g17(ppv["lo"]), g17(ppv["hi"]), g17(sel["lo"]), g17(sel["hi"]),
            g17(ob["lo"]), g17(ob["hi"]), g17(ob["var"])))
    print("};")
    print("/* differences to the reference b: tpr Newcombe, tpr Rao-Scott p, auc p and "
          "interval */")
    print("static const struct {\n\tconst char *group;\n\tdouble tpr[2], tpr_p, auc_p, "
          "auc[2];\n} r_diffs[] = {")
    for g in ("a", "c"):
        lo, hi = newcombe(rates[g]["tpr"], rates["b"]["tpr"])
        _, p, _ = rao_scott([rates[g]["tpr"], rates["b"]["tpr"]])
        ap, alo, ahi = compare(aucs[g], aucs["b"])
        print("\t{\"%s\", {%s, %s}, %s, %s, {%s, %s}}," % (
            g, g17(lo), g17(hi), g17(p), g17(ap), g17(alo), g17(ahi)))
    print("};")
    for name in ("tpr", "fpr"):
        st, p, dm = rao_scott([rates[g][name] for g in groups])
        print("/* %s over a, b, c: Rao-Scott X^2, p, mean deff */" % name)
        print("static const double r_chisq_%s[3] = {%s, %s, %s};" % (name, g17(st), g17(p),
                                                                    g17(dm)))
    # leakage: group a against the rest among positives, clusters by patient
    pos = [r for r in rows if r[0] == 1]
    ob = obuchowski([r[1] for r in pos], [int(r[2] == "a") for r in pos], [r[3] for r in pos])
    print("/* leakage of group a among positives: AUC, interval */")
    print("static const double r_leak_a1[3] = {%s, %s, %s};" % (g17(ob["auc"]), g17(ob["lo"]),
                                                              g17(ob["hi"])))


if __name__ == "__main__":
    main()
