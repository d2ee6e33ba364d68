#!/usr/bin/python3
"""Reference per-subgroup metrics, computed independently of fairaudit.

Usage:
    /usr/bin/python3 tests/reference/sklearn_metrics.py FILE \\
        --label COL --score COL [--positive VALUE] [--threshold 0.5] \\
        [--group COL ...]

FILE is read according to its name: *.csv, *.csv.gz (gzip-compressed CSV)
or *.jsonl / *.jsonl.gz (one JSON object per line).  CSV follows RFC 4180
(header row, double-quote quoting, LF or CRLF line endings).  CSV is read
with pandas when it is importable (dtype=str, no NA conversion) and with
the csv module otherwise; JSON Lines are always read with the json module.
All fields are taken as text, so the result does not depend on which
reader was used.

Input conventions
-----------------
label   Positive (1) if the field is, case-insensitively and ignoring
        surrounding blanks, one of "1", "1.0", "true", "yes"; negative (0)
        for "0", "0.0", "false", "no".  JSON booleans true/false and the
        numbers 1/0 are accepted as well.  With --positive VALUE the label
        is 1 iff the field text equals VALUE exactly and 0 otherwise.
score   A decimal number (parsed with float()).
A row whose label or score is empty / null / unparseable is skipped; the
number of such rows is reported as "rows_skipped" (the sample data have
none).  Any other unrecognised label is an error.

group   For every --group column each distinct value forms one subgroup.
        An empty field, or JSON null, is the group "(missing)".  Text
        values are used verbatim (no trimming); JSON true/false/numbers
        are used as their JSON text.  Groups are listed sorted by
        their text (code-point order).

decision  yhat = 1 if score >= threshold else 0 (default threshold 0.5).

Metrics (per group and "overall"; n = rows in the group)
-------------------------------------------------------
tn, fp, fn, tp  sklearn.metrics.confusion_matrix(y, yhat, labels=[0, 1])
n_pos = tp + fn, n_neg = tn + fp
prevalence        n_pos / n
accuracy          (tp + tn) / n                 sklearn accuracy_score
tpr  (recall)     tp / n_pos                    recall_score(pos_label=1)
fnr               fn / n_pos
tnr (specificity) tn / n_neg                    recall_score(pos_label=0)
fpr               fp / n_neg
balanced_accuracy (tpr + tnr) / 2               balanced_accuracy_score;
                  null unless both classes are present
ppv (precision)   tp / (tp + fp)                precision_score(pos_label=1)
npv               tn / (tn + fn)                precision_score(pos_label=0)
f1                2 tp / (2 tp + fp + fn)       f1_score  (0 when tp = 0 and
                                                 fp + fn > 0)
selection_rate    (tp + fp) / n
auc               area under the ROC curve      roc_auc_score; ties count
                  1/2 (equivalently the Mann-Whitney U / (n_pos * n_neg))
brier             mean((score - y)^2)           brier_score_loss
ece               sum over 10 equal-width bins b of
                  (n_b / n) * |mean(y in b) - mean(score in b)|,
                  bin i (i = 0..8) holds i/10 <= score < (i+1)/10, bin 9
                  holds 0.9 <= score <= 1.0; the edges are the doubles
                  i/10.0; empty bins contribute 0.

A metric whose denominator is zero (e.g. tpr, fnr, auc without positives,
ppv with no predicted positives) is null.  brier and ece are null when
any score of the group lies outside [0, 1].

Every metric that scikit-learn provides is computed with scikit-learn and
cross-checked against the closed-form count formula above (the script stops
if the two disagree by more than 1e-12).

Output: one JSON document on stdout; floats are written with Python's
repr, the shortest decimal text that reads back as the same IEEE double
(at most 17 significant digits).
"""

import argparse
import csv
import gzip
import io
import json
import math
import sys
from collections import OrderedDict

import numpy as np
import sklearn
from sklearn.metrics import (accuracy_score, balanced_accuracy_score,
                             brier_score_loss, confusion_matrix, f1_score,
                             precision_score, recall_score, roc_auc_score)

try:
    import pandas as pd
except ImportError:  # pragma: no cover - depends on the machine
    pd = None

MISSING = "(missing)"
METRIC_KEYS = ["n", "n_pos", "n_neg", "tp", "fp", "tn", "fn", "prevalence",
               "accuracy", "balanced_accuracy", "tpr", "fnr", "tnr", "fpr",
               "ppv", "npv", "f1", "selection_rate", "auc", "brier", "ece"]
POS_TOKENS = {"1", "1.0", "true", "yes"}
NEG_TOKENS = {"0", "0.0", "false", "no"}


# ------------------------------------------------------------------ reading
def open_text(path):
    if path.endswith(".gz"):
        return io.TextIOWrapper(gzip.open(path, "rb"), encoding="utf-8",
                                newline="")
    return open(path, "r", encoding="utf-8", newline="")


def is_jsonl(path):
    p = path[:-3] if path.endswith(".gz") else path
    return p.endswith(".jsonl") or p.endswith(".ndjson")


def json_value_text(v):
    """Text of a JSON value; None for null."""
    if v is None:
        return None
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, str):
        return v
    return json.dumps(v)


def read_records(path, columns):
    """Return {column: list of text-or-None} for the requested columns."""
    if is_jsonl(path):
        out = dict((c, []) for c in columns)
        with open_text(path) as f:
            for lineno, line in enumerate(f, 1):
                if not line.strip():
                    continue
                obj = json.loads(line)
                if not isinstance(obj, dict):
                    raise SystemExit("%s:%d: not a JSON object"
                                     % (path, lineno))
                for c in columns:
                    out[c].append(json_value_text(obj.get(c)))
        return out

    if pd is not None:
        df = pd.read_csv(path, dtype=str, keep_default_na=False,
                         na_filter=False, compression="infer",
                         encoding="utf-8")
        for c in columns:
            if c not in df.columns:
                raise SystemExit("column %r not in %s" % (c, path))
        return dict((c, list(df[c])) for c in columns)

    with open_text(path) as f:
        reader = csv.reader(f)
        header = next(reader)
        idx = {}
        for c in columns:
            if c not in header:
                raise SystemExit("column %r not in %s" % (c, path))
            idx[c] = header.index(c)
        out = dict((c, []) for c in columns)
        for row in reader:
            if not row:
                continue
            for c in columns:
                out[c].append(row[idx[c]] if idx[c] < len(row) else "")
        return out


def parse_label(text, positive):
    if text is None or text.strip() == "":
        return None
    if positive is not None:
        return 1 if text == positive else 0
    t = text.strip().lower()
    if t in POS_TOKENS:
        return 1
    if t in NEG_TOKENS:
        return 0
    raise SystemExit("unrecognised label value %r (use --positive)" % text)


def parse_score(text):
    if text is None or text.strip() == "":
        return None
    try:
        s = float(text)
    except ValueError:
        return None
    if math.isnan(s):
        return None
    return s


# ------------------------------------------------------------------ metrics
def ratio(num, den):
    return None if den == 0 else num / den


def check(name, sk_value, formula_value):
    if sk_value is None or formula_value is None:
        if sk_value is not None or formula_value is not None:
            raise SystemExit("%s: sklearn %r vs formula %r"
                             % (name, sk_value, formula_value))
        return
    if abs(sk_value - formula_value) > 1e-12:
        raise SystemExit("%s: sklearn %r vs formula %r"
                         % (name, sk_value, formula_value))


def ece_score(y, s):
    n = len(y)
    edges = [i / 10.0 for i in range(11)]
    total = 0.0
    for i in range(10):
        lo, hi = edges[i], edges[i + 1]
        if i < 9:
            mask = (s >= lo) & (s < hi)
        else:
            mask = (s >= lo) & (s <= hi)
        nb = int(mask.sum())
        if nb == 0:
            continue
        total += (nb / n) * abs(float(y[mask].mean()) - float(s[mask].mean()))
    return total


def metrics(y, s, threshold):
    y = np.asarray(y, dtype=int)
    s = np.asarray(s, dtype=float)
    yhat = (s >= threshold).astype(int)
    n = int(len(y))
    cm = confusion_matrix(y, yhat, labels=[0, 1])
    tn, fp, fn, tp = (int(v) for v in cm.ravel())
    n_pos, n_neg = tp + fn, tn + fp
    both = n_pos > 0 and n_neg > 0

    m = OrderedDict()
    m["n"] = n
    m["n_pos"] = n_pos
    m["n_neg"] = n_neg
    m["tp"], m["fp"], m["tn"], m["fn"] = tp, fp, tn, fn
    m["prevalence"] = ratio(n_pos, n)

    m["accuracy"] = float(accuracy_score(y, yhat)) if n else None
    check("accuracy", m["accuracy"], ratio(tp + tn, n))

    tpr = (float(recall_score(y, yhat, pos_label=1, zero_division=0))
           if n_pos else None)
    tnr = (float(recall_score(y, yhat, pos_label=0, zero_division=0))
           if n_neg else None)
    check("tpr", tpr, ratio(tp, n_pos))
    check("tnr", tnr, ratio(tn, n_neg))

    if both:
        bal = float(balanced_accuracy_score(y, yhat))
        check("balanced_accuracy", bal, (tp / n_pos + tn / n_neg) / 2.0)
    else:
        bal = None
    m["balanced_accuracy"] = bal
    m["tpr"] = tpr
    m["fnr"] = ratio(fn, n_pos)
    m["tnr"] = tnr
    m["fpr"] = ratio(fp, n_neg)

    ppv = (float(precision_score(y, yhat, pos_label=1, zero_division=0))
           if tp + fp else None)
    npv = (float(precision_score(y, yhat, pos_label=0, zero_division=0))
           if tn + fn else None)
    check("ppv", ppv, ratio(tp, tp + fp))
    check("npv", npv, ratio(tn, tn + fn))
    m["ppv"] = ppv
    m["npv"] = npv

    f1 = (float(f1_score(y, yhat, pos_label=1, zero_division=0))
          if 2 * tp + fp + fn else None)
    check("f1", f1, ratio(2 * tp, 2 * tp + fp + fn))
    m["f1"] = f1

    m["selection_rate"] = ratio(tp + fp, n)

    if both:
        auc = float(roc_auc_score(y, s))
        pos, neg = s[y == 1], s[y == 0]
        # Mann-Whitney cross-check (pairwise, ties count one half).
        order = np.sort(neg)
        lt = np.searchsorted(order, pos, side="left")
        le = np.searchsorted(order, pos, side="right")
        u = float(lt.sum()) + 0.5 * float((le - lt).sum())
        if abs(auc - u / (n_pos * n_neg)) > 1e-12:
            raise SystemExit("auc: sklearn %r vs Mann-Whitney %r"
                             % (auc, u / (n_pos * n_neg)))
    else:
        auc = None
    m["auc"] = auc

    in_unit = bool(n) and bool(np.all((s >= 0.0) & (s <= 1.0)))
    if in_unit:
        brier = float(brier_score_loss(y, s, pos_label=1))
        check("brier", brier, float(np.mean((s - y) ** 2)))
        m["brier"] = brier
        m["ece"] = ece_score(y, s)
    else:
        m["brier"] = None
        m["ece"] = None
    return m


# --------------------------------------------------------------------- main
def main(argv=None):
    ap = argparse.ArgumentParser(
        description="Reference subgroup metrics (scikit-learn).")
    ap.add_argument("file")
    ap.add_argument("--label", required=True)
    ap.add_argument("--score", required=True)
    ap.add_argument("--positive", default=None)
    ap.add_argument("--threshold", type=float, default=0.5)
    ap.add_argument("--group", action="append", default=[])
    args = ap.parse_args(argv)

    columns = [args.label, args.score]
    for g in args.group:
        if g not in columns:
            columns.append(g)
    data = read_records(args.file, columns)
    n_rows = len(data[args.label])

    ys, ss, keep = [], [], []
    for i in range(n_rows):
        yl = parse_label(data[args.label][i], args.positive)
        sc = parse_score(data[args.score][i])
        if yl is None or sc is None:
            continue
        ys.append(yl)
        ss.append(sc)
        keep.append(i)
    y = np.array(ys, dtype=int)
    s = np.array(ss, dtype=float)

    doc = OrderedDict()
    doc["file"] = args.file
    doc["label"] = args.label
    doc["score"] = args.score
    doc["positive"] = args.positive
    doc["threshold"] = args.threshold
    doc["rows_read"] = n_rows
    doc["rows_used"] = len(keep)
    doc["rows_skipped"] = n_rows - len(keep)
    doc["overall"] = metrics(y, s, args.threshold)
    groups = OrderedDict()
    for g in args.group:
        values = []
        for i in keep:
            v = data[g][i]
            values.append(MISSING if v is None or v == "" else v)
        values = np.array(values, dtype=object)
        per = OrderedDict()
        for level in sorted(set(values)):
            mask = values == level
            per[level] = metrics(y[mask], s[mask], args.threshold)
        groups[g] = per
    doc["groups"] = groups
    doc["versions"] = OrderedDict([
        ("python", "%d.%d.%d" % sys.version_info[:3]),
        ("numpy", np.__version__),
        ("scikit-learn", sklearn.__version__),
        ("pandas", pd.__version__ if pd is not None else None),
    ])

    json.dump(doc, sys.stdout, indent=2, allow_nan=False)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
