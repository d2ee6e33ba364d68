#!/bin/sh
# The JSON Lines report of a --period audit against hand-worked numbers:
# report_jsonl_period.sh FAIRAUDIT SOURCE_DIR
#
# tests/data/period/three_months.csv has 19 records by month as written
# (tests/unit/test_period.c works them out by hand):
#   2026-01: 8 records, 4 positive. F: labels 1 1 0 0, scores .9 .4 .6 .2
#            (TP 1 FN 1 FP 1 TN 1, auc 3/4); M: labels 1 1 0 0, scores
#            .8 .7 .3 .1 (tpr 1, fpr 0, auc 1). Overall tpr 3/4, fpr 1/4,
#            auc 15/16; gaps tpr 1/2, fpr 1/2, auc 1/4.
#   2026-02: no record.   2026-03: 3 records, 2 positive (under
#            --min-period-n 6: insufficient).
#   2026-04: 8 records, 4 positive. F: labels 1 1 0 0, scores .9 .8 .7 .6
#            (tpr 1, fpr 1, auc 1); M: labels 1 1 0 0, scores .3 .6 .2 .4
#            (tpr 1/2, fpr 0, auc 3/4). Overall tpr 3/4, fpr 1/2, auc
#            23/32; gaps tpr 1/2, fpr 1, auc 1/4.
# The script also counts and measures every period again from the CSV in
# Python (month = the first 7 characters of the date as written; the
# rank-sum AUC with ties counted one half), and checks the lines against
# both. It checks the period lines' shape (every key present, null where a
# period has no value), that an insufficient period has its `period` line
# and no other, that a group suppressed in a period holds no number, that
# the lines validate against docs/report-jsonl.schema.json (with
# python3-jsonschema), and that a JSON report read back with `fairaudit
# check` writes the same JSON Lines.
set -u
bin=$1 src=$(cd "$2" && pwd) || exit 2
case $bin in /*) ;; */*) bin=$PWD/$bin ;; esac
py=/usr/bin/python3
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT
fail=0
data=$src/tests/data/period/three_months.csv

run() { # name, then audit arguments
  name=$1; shift
  LC_ALL=C "$bin" audit "$data" -g sex --period date --min-period-n 6 --min-n 1 -q "$@" \
    >"$tmp/$name.out" 2>"$tmp/$name.err"
  case $? in 0|1) ;; *) echo "FAILED: audit $name:"; cat "$tmp/$name.err"; fail=1 ;; esac
}
run plain --bootstrap 0 --permutations 0 --format jsonl
run model --bootstrap 0 --permutations 0 --model m=score --operating-point threshold=0.5 \
  --format jsonl
# 4 records per sex and month: every group of a period is suppressed
run supp --bootstrap 0 --permutations 0 --suppress-below 5 --format jsonl

# a report read back writes the same lines, intervals included
LC_ALL=C "$bin" audit "$data" -g sex --period date --min-period-n 6 --min-n 1 -q \
  --bootstrap 25 --seed 3 --model m=score -o "$tmp/rb.json" -o "$tmp/rb.jsonl" ||
  { echo "FAILED: audit rb"; fail=1; }
LC_ALL=C "$bin" check "$tmp/rb.json" -o "$tmp/rb2.jsonl" ||
  { echo "FAILED: check -o FILE.jsonl"; fail=1; }
cmp -s "$tmp/rb.jsonl" "$tmp/rb2.jsonl" ||
  { echo "FAILED: a report with periods read back writes other JSON Lines"; fail=1; }
cp "$tmp/rb.jsonl" "$tmp/rb.out"

"$py" - "$tmp" "$data" "$src/docs/report-jsonl.schema.json" <<'EOF' || fail=1
import csv, json, sys

tmp, data, schema_path = sys.argv[1:4]
bad = []

def check(cond, what):
    if not cond:
        bad.append(what)

def near(got, want, what, tol=1e-12):
    check(got is not None and abs(got - want) <= tol, "%s: got %r, want %r" % (what, got, want))

def lines(name):
    with open("%s/%s.out" % (tmp, name), encoding="utf-8") as f:
        return [json.loads(t) for t in f]

# ---- the periods, worked out again from the CSV ---------------------------
recs = [(r["date"][:7], r["sex"], int(r["label"]), float(r["score"]))
        for r in csv.DictReader(open(data, encoding="utf-8"))]

def auc(rs):
    pos = [s for _, _, y, s in rs if y == 1]
    neg = [s for _, _, y, s in rs if y == 0]
    return sum(1.0 if p > q else 0.5 if p == q else 0.0 for p in pos for q in neg) / (len(pos) * len(neg))

def rates(rs):
    P = [r for r in rs if r[2] == 1]
    N = [r for r in rs if r[2] == 0]
    return {"tpr": sum(r[3] >= 0.5 for r in P) / len(P), "fpr": sum(r[3] >= 0.5 for r in N) / len(N),
            "auc": auc(rs), "selection_rate": sum(r[3] >= 0.5 for r in rs) / len(rs)}

months = ["2026-01", "2026-02", "2026-03", "2026-04"]
days = {"2026-01": ("2026-01-01", "2026-01-31"), "2026-02": ("2026-02-01", "2026-02-28"),
        "2026-03": ("2026-03-01", "2026-03-31"), "2026-04": ("2026-04-01", "2026-04-30")}
want = {}
for m in months:
    rs = [r for r in recs if r[0] == m]
    w = {"n": len(rs), "pos": sum(r[2] for r in rs)}
    w["neg"] = w["n"] - w["pos"]
    w["ok"] = w["n"] >= 6 and w["pos"] > 0 and w["neg"] > 0
    if w["ok"]:
        w["overall"] = rates(rs)
        w["groups"] = {g: rates([r for r in rs if r[1] == g]) for g in "FM"}
        w["counts"] = {g: [sum(1 for r in rs if r[1] == g and r[2] == y) for y in (1, 0)] for g in "FM"}
    want[m] = w

# the same by hand (tests/unit/test_period.c)
hand = {"2026-01": (8, 4, {"tpr": 3 / 4, "fpr": 1 / 4, "auc": 15 / 16},
                    {"F": {"tpr": 1 / 2, "fpr": 1 / 2, "auc": 3 / 4}, "M": {"tpr": 1, "fpr": 0, "auc": 1}},
                    {"tpr": 1 / 2, "fpr": 1 / 2, "auc": 1 / 4}),
        "2026-04": (8, 4, {"tpr": 3 / 4, "fpr": 1 / 2, "auc": 23 / 32},
                    {"F": {"tpr": 1, "fpr": 1, "auc": 1}, "M": {"tpr": 1 / 2, "fpr": 0, "auc": 3 / 4}},
                    {"tpr": 1 / 2, "fpr": 1, "auc": 1 / 4})}
for m, (n, pos, ov, grp, gaps) in hand.items():
    check(want[m]["n"] == n and want[m]["pos"] == pos, "%s: the CSV has %d records" % (m, n))
    for k, v in ov.items():
        near(want[m]["overall"][k], v, "%s overall %s from the CSV" % (m, k))
    for g in "FM":
        for k, v in grp[g].items():
            near(want[m]["groups"][g][k], v, "%s %s %s from the CSV" % (m, g, k))
check([want[m]["n"] for m in months] == [8, 0, 3, 8], "records per month in the CSV")

MAIN = 1 + 2 + 14 + 4  # overall, F and M, 14 gaps, 4 summaries

def check_periods(name, L, model, suppressed=False):
    run = L[0]
    check(run["kind"] == "run", "%s: the run line first" % name)
    check([run["settings"][k] for k in ("period_column", "period_every", "min_period_n")] ==
          ["date", "month", 6], "%s: run settings %r" % (name, run["settings"]))
    per = [d for d in L if d["kind"] == "period"]
    check([p["label"] for p in per] == months, "%s: one period line per month, in order" % name)
    for p in per:
        m = p["label"]
        w = want.get(m, {})
        check((p["first_day"], p["last_day"]) == days.get(m), "%s %s: first and last day" % (name, m))
        check([p["n"], p["positives"], p["negatives"]] == [w.get("n"), w.get("pos"), w.get("neg")],
              "%s %s: counts %r" % (name, m, p))
        check(p["status"] == ("ok" if w.get("ok") else "insufficient"), "%s %s: status" % (name, m))
        check(list(p) == ["schema_version", "kind", "label", "first_day", "last_day", "n",
                          "positives", "negatives", "status", "reason"], "%s %s: keys" % (name, m))
    rsn = {p["label"]: p["reason"] for p in per}
    check(rsn == {"2026-01": None, "2026-02": "no records in this period",
                  "2026-03": "fewer than 6 records (--min-period-n)", "2026-04": None},
          "%s: reasons %r" % (name, rsn))
    # the period lines come after the whole data's; each period's lines
    # right after its own line, and none for an insufficient one
    first = L.index(per[0])
    check(all(d["period"] is None for d in L[1:first]), "%s: whole-data lines first" % name)
    check(all(d["kind"] in ("period", "gate") or d["period"] is not None for d in L[first:]),
          "%s: every line after the first period line is a period's" % name)
    at = None
    for d in L[first:]:
        if d["kind"] == "period":
            at = d["label"]
        elif d["kind"] != "gate":
            check(d["period"] == at, "%s: a %s line of %s under period %s" % (name, d["kind"], d["period"], at))
    for m in ("2026-02", "2026-03"):
        check(not [d for d in L if d.get("period") == m], "%s: insufficient %s has no metric lines" % (name, m))
    for m in ("2026-01", "2026-04"):
        P = [d for d in L if d.get("period") == m]
        check([d["kind"] for d in P] == ["overall"] + ["group"] * 2 + ["gap"] * 14 + ["summary"] * 4,
              "%s %s: kinds %r" % (name, m, [d["kind"] for d in P]))
        check(all(d["model"] == model and d["operating_point"] is None for d in P),
              "%s %s: model %r, no operating point" % (name, m, model))
        w = want[m]
        ov = P[0]
        check([ov[k] for k in ("n", "positives", "negatives")] == [w["n"], w["pos"], w["neg"]],
              "%s %s overall counts" % (name, m))
        check(all(ov[k] is None for k in ("tp", "fp", "tn", "fn", "n_clusters")),
              "%s %s overall: no confusion counts" % (name, m))
        for k in ("tpr", "fpr", "auc", "selection_rate"):
            near(ov["metrics"][k]["value"], w["overall"][k], "%s %s overall %s" % (name, m, k))
        g = {d["group"]: d for d in P if d["kind"] == "group"}
        check(sorted(g) == ["F", "M"], "%s %s: groups F, M" % (name, m))
        for s in "FM":
            d = g.get(s, {})
            check(d.get("levels") == [s], "%s %s %s: levels" % (name, m, s))
            check(all(d.get(k) is None for k in ("tp", "fp", "tn", "fn", "n_clusters", "reference",
                                                   "underpowered", "under_represented",
                                                   "own_threshold", "diff", "ratio", "leakage")),
                  "%s %s %s: nothing a period does not hold: %r" % (name, m, s, d))
            if suppressed:
                check(d.get("status") == "suppressed" and d.get("suppressed") is True,
                      "%s %s %s: suppressed" % (name, m, s))
                check(d.get("n") is None and d.get("metrics") is None,
                      "%s %s %s: counts and metrics withheld" % (name, m, s))
                continue
            check([d.get("n"), d.get("positives"), d.get("negatives")] ==
                  [sum(w["counts"][s]), w["counts"][s][0], w["counts"][s][1]],
                  "%s %s %s: counts" % (name, m, s))
            check(d.get("status") == "ok" and d.get("insufficient") is False, "%s %s %s: status" % (name, m, s))
            for k in ("tpr", "fpr", "auc", "selection_rate"):
                near(d["metrics"][k]["value"], w["groups"][s][k], "%s %s %s %s" % (name, m, s, k))
        gp = {d["metric"]: d for d in P if d["kind"] == "gap"}
        sm = {d["summary"]: d for d in P if d["kind"] == "summary"}
        if suppressed:
            check(all(d["gap"]["value"] is None and d["best"] is None for d in gp.values()),
                  "%s %s: no gap without an eligible group" % (name, m))
            check(all(d["value"] is None for d in sm.values()), "%s %s: no summary" % (name, m))
            continue
        for k in ("tpr", "fpr", "auc", "selection_rate"):
            vals = [w["groups"][s][k] for s in "FM"]
            near(gp[k]["gap"]["value"], max(vals) - min(vals), "%s %s %s gap" % (name, m, k))
            near(gp[k]["min"]["value"], min(vals), "%s %s %s min" % (name, m, k))
            near(gp[k]["max"]["value"], max(vals), "%s %s %s max" % (name, m, k))
        for k, v in hand[m][4].items():
            near(gp[k]["gap"]["value"], v, "%s %s %s gap by hand" % (name, m, k))
        hi = "F" if w["groups"]["F"]["tpr"] > w["groups"]["M"]["tpr"] else "M"
        check((gp["tpr"]["best"], gp["tpr"]["worst"]) == (hi, "FM".replace(hi, "")),
              "%s %s: tpr best and worst" % (name, m))
        for d in gp.values():
            check(all(d[k] is None for k in ("reference", "gap_corrected", "perm_p", "perm_p_adjusted",
                                              "chisq", "chisq_df", "chisq_p", "chisq_p_adjusted",
                                              "chisq_low_expected", "best_model")),
                  "%s %s %s gap: no tests, reference or best model" % (name, m, d["metric"]))
        near(sm["equalized_odds_diff"]["value"], max(gp["tpr"]["gap"]["value"], gp["fpr"]["gap"]["value"]),
             "%s %s equalized odds" % (name, m))
        sel = [w["groups"][s]["selection_rate"] for s in "FM"]
        near(sm["demographic_parity_diff"]["value"], max(sel) - min(sel), "%s %s demographic parity" % (name, m))
        near(sm["disparate_impact"]["value"], min(sel) / max(sel), "%s %s disparate impact" % (name, m))
        near(sm["worst_group_auc"]["value"], min(w["groups"][s]["auc"] for s in "FM"),
             "%s %s worst-group auc" % (name, m))
        check(all(d["best_model"] is None for d in sm.values()), "%s %s: summaries' best_model" % (name, m))

P = lines("plain")
check_periods("plain", P, None)
check(len(P) == 1 + MAIN + 4 + 2 * MAIN, "plain: %d lines" % len(P))
# the whole data is untouched by the periods: its reference is M (10 records)
g = {d["group"]: d for d in P if d["kind"] == "group" and d["period"] is None}
check(g["M"]["reference"] is True and g["F"]["reference"] is False, "whole data: reference M")
check([g["F"][k] for k in ("tp", "fp", "tn", "fn")] == [4, 3, 1, 1], "whole data: F counts")

M = lines("model")
check_periods("model", M, "m")
check(M[0]["models"] == ["m"] and M[0]["operating_points"] == ["threshold=0.5"], "model: run line")
# the operating point's lines are the whole data's; the periods have none
check(not [d for d in M if d.get("operating_point") and d.get("period")],
      "model: no period line at an operating point")
check(len(M) == 1 + 2 * MAIN + 4 + 2 * MAIN, "model: %d lines" % len(M))

S = lines("supp")
check_periods("supp", S, None, suppressed=True)
def numbers(x):
    if isinstance(x, bool) or x is None or isinstance(x, str):
        return []
    if isinstance(x, (int, float)):
        return [x]
    vals = x.values() if isinstance(x, dict) else x
    return [n for v in vals for n in numbers(v)]

for d in S:
    if d["kind"] == "group" and d["period"] is not None:
        check(numbers(d) == [], "supp: a suppressed group of %s holds %r" % (d["period"], numbers(d)))

R = lines("rb")
check_periods("rb", R, "m")
ci = [d for d in R if d["kind"] == "overall" and d["period"] == "2026-01"][0]["metrics"]["tpr"]
check(ci["ci_low"] is not None and ci["ci_low"] <= ci["value"] <= ci["ci_high"],
      "rb: a period's bootstrap interval %r" % ci)

try:
    import jsonschema
except ImportError:
    jsonschema = None
    print("note: python3-jsonschema is not installed; lines not validated")
if jsonschema:
    v = jsonschema.Draft202012Validator(json.load(open(schema_path, encoding="utf-8")))
    for name, ls in (("plain", P), ("model", M), ("supp", S), ("rb", R)):
        for i, d in enumerate(ls):
            for e in v.iter_errors(d):
                bad.append("%s:%d: schema: %s" % (name, i + 1, e.message[:200]))
                break
    pg = [d for d in P if d["kind"] == "group" and d["period"]][0]
    broken = dict(pg, tp=1)
    check(not v.is_valid(broken), "the schema rejects a period's group line with tp")
    broken = dict([d for d in P if d["kind"] == "period" and d["status"] == "insufficient"][0], reason=None)
    check(not v.is_valid(broken), "the schema rejects an insufficient period without a reason")
    broken = dict([d for d in P if d["kind"] == "period"][0])
    del broken["reason"]
    check(not v.is_valid(broken), "the schema rejects a period line without reason")
    broken = dict([d for d in P if d["kind"] == "overall"][0])
    del broken["period"]
    check(not v.is_valid(broken), "the schema rejects a data line without period")

for b in bad:
    print("FAILED:", b)
sys.exit(1 if bad else 0)
EOF
[ "$fail" = 0 ] && echo "ok" || echo "FAILED"
exit $fail
