#!/bin/sh
# The JSON Lines report against hand-worked numbers:
# report_jsonl.sh FAIRAUDIT SOURCE_DIR
#
# tests/data/jsonl_hand.csv has 12 records in three groups of `grp`:
#   A: labels 1 1 1 0 0 0, scores .9 .8 .3 .6 .2 .1 -> TP 2 FN 1 FP 1 TN 2
#   B: labels 1 1 0 0,     scores .7 .4 .55 .3      -> TP 1 FN 1 FP 1 TN 1
#   C: labels 1 0,         scores .9 .2             -> TP 1 TN 1
# and a second score column, score2, that puts every positive of A and B
# above 0.5 and every negative below (TPR 1, FPR 0). With --suppress-below
# 3, C is suppressed. Every line is parsed with Python's json module and
# its numbers are compared with values worked out by hand here (Wilson
# intervals and the chi-square test from their formulas), not with the
# program's earlier output; every line is validated against
# docs/report-jsonl.schema.json when python3-jsonschema is installed.
# --format jsonl, -o FILE.jsonl and `check REPORT.json -o FILE.jsonl` (a
# report read back) must give the same bytes.
set -u
bin=$1 src=$(cd "$2" && pwd) || exit 2
case $bin in /*) ;; */*) bin=$PWD/$bin ;; esac
py=/usr/bin/python3
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT
fail=0
data=$src/tests/data/jsonl_hand.csv

run() { # name, then audit arguments
  name=$1; shift
  LC_ALL=C "$bin" audit "$data" --bootstrap 0 --suppress-below 3 --min-n 1 -q "$@" \
    >"$tmp/$name.out" 2>"$tmp/$name.err"
  case $? in 0|1) ;; *) echo "FAILED: audit $name:"; cat "$tmp/$name.err"; fail=1 ;; esac
}
run one --group grp --format jsonl -o "$tmp/one.jsonl"
run models --group grp --model a=score --model b=score2 --format jsonl
run view --group grp --operating-point threshold=0.5 --gate 'grp:tpr_gap<=0.1' --format jsonl

# --format jsonl on standard output and -o FILE.jsonl give the same bytes,
# and so does a JSON report read back by `fairaudit check -o FILE.jsonl`
if ! cmp -s "$tmp/one.out" "$tmp/one.jsonl"; then
  echo "FAILED: --format jsonl and -o FILE.jsonl differ"; fail=1
fi
LC_ALL=C "$bin" audit "$data" --group grp --model a=score --model b=score2 --bootstrap 30 \
  --suppress-below 3 --min-n 1 -q --operating-point spec=0.5 -o "$tmp/rb.json" -o "$tmp/rb.jsonl"
LC_ALL=C "$bin" check "$tmp/rb.json" -o "$tmp/rb2.jsonl" ||
  { echo "FAILED: check -o FILE.jsonl"; fail=1; }
cmp -s "$tmp/rb.jsonl" "$tmp/rb2.jsonl" ||
  { echo "FAILED: a report read back writes other JSON Lines"; fail=1; }

"$py" - "$tmp" "$src/docs/report-jsonl.schema.json" <<'EOF' || fail=1
import json, math, sys

tmp, schema_path = sys.argv[1], sys.argv[2]
bad = []

def check(cond, what):
    if not cond:
        bad.append(what)

def near(got, want, what, tol=1e-12):
    check(got is not None and abs(got - want) <= tol, "%s: got %r, want %r" % (what, got, want))

def lines(name):
    out = []
    with open("%s/%s.out" % (tmp, name), encoding="utf-8") as f:
        for i, text in enumerate(f):
            check(text.endswith("\n") and "\n" not in text[:-1], "%s:%d: not one line" % (name, i + 1))
            d = json.loads(text)  # every line parses on its own
            check(d.get("schema_version") == "1.0", "%s:%d: schema_version" % (name, i + 1))
            out.append(d)
    return out

def wilson(k, n, z=1.959963984540054):
    p = k / n
    c = (p + z * z / (2 * n)) / (1 + z * z / n)
    h = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return c - h, c + h

def numbers(x):
    if isinstance(x, bool) or x is None or isinstance(x, str):
        return []
    if isinstance(x, (int, float)):
        return [x]
    vals = x.values() if isinstance(x, dict) else x
    return [n for v in vals for n in numbers(v)]

# ---- one model ------------------------------------------------------------
L = lines("one")
kinds = [d["kind"] for d in L]
# run, overall, 3 groups, 14 gaps, 4 summaries
check(kinds == ["run", "overall"] + ["group"] * 3 + ["gap"] * 14 + ["summary"] * 4,
      "kinds in order: %r" % kinds)
run = L[0]
check(run["settings"]["suppress_below"] == 3 and run["settings"]["bootstrap"] == 0, "run settings")
check(run["attributes"] == ["grp"] and run["models"] == [], "run attributes, models")
check(run["rows_used"] == 12, "rows_used")
check([run["settings"][k] for k in ("period_column", "period_every", "min_period_n")] == [None] * 3,
      "run: no period settings without --period")
check(all(d["period"] is None for d in L if d["kind"] != "run"), "period null on every data line")

ov = L[1]
check(ov["model"] is None and ov["operating_point"] is None, "overall: model, operating_point null")
check([ov[k] for k in ("n", "positives", "negatives", "tp", "fp", "tn", "fn")] == [12, 6, 6, 4, 2, 4, 2],
      "overall counts")
near(ov["metrics"]["tpr"]["value"], 4 / 6, "overall tpr")
near(ov["metrics"]["fpr"]["value"], 2 / 6, "overall fpr")
near(ov["threshold"]["value"], 0.5, "overall threshold")

g = {d["group"]: d for d in L if d["kind"] == "group"}
A, B, C = g["A"], g["B"], g["C"]
check([A[k] for k in ("n", "positives", "negatives", "tp", "fp", "tn", "fn")] == [6, 3, 3, 2, 1, 2, 1], "A counts")
check([B[k] for k in ("n", "positives", "negatives", "tp", "fp", "tn", "fn")] == [4, 2, 2, 1, 1, 1, 1], "B counts")
check(A["reference"] and not B["reference"] and not C["reference"], "reference flag: A (largest)")
check(A["status"] == "ok" and not A["insufficient"] and not A["suppressed"], "A flags")
near(A["metrics"]["tpr"]["value"], 2 / 3, "A tpr")
near(A["metrics"]["fpr"]["value"], 1 / 3, "A fpr")
near(A["metrics"]["ppv"]["value"], 2 / 3, "A ppv")
near(A["metrics"]["accuracy"]["value"], 4 / 6, "A accuracy")
near(A["metrics"]["auc"]["value"], 8 / 9, "A auc")   # 8 of 9 pairs ordered
near(B["metrics"]["tpr"]["value"], 0.5, "B tpr")
near(B["metrics"]["auc"]["value"], 3 / 4, "B auc")   # 3 of 4 pairs ordered
lo, hi = wilson(2, 3)
near(A["metrics"]["tpr"]["aci_low"], lo, "A tpr Wilson low")
near(A["metrics"]["tpr"]["aci_high"], hi, "A tpr Wilson high")
lo, hi = wilson(1, 2)
near(B["metrics"]["tpr"]["aci_low"], lo, "B tpr Wilson low")
check(A["metrics"]["tpr"]["ci_low"] is None, "no bootstrap interval with --bootstrap 0")
check(A["diff"]["tpr"]["value"] is None and A["diff"]["tpr"]["reason"], "the reference has no difference")
near(B["diff"]["tpr"]["value"], 0.5 - 2 / 3, "B tpr diff")
near(B["ratio"]["tpr"]["value"], 0.75, "B tpr ratio")
near(B["diff"]["fpr"]["value"], 0.5 - 1 / 3, "B fpr diff")
near(B["ratio"]["fpr"]["value"], 1.5, "B fpr ratio")
# a suppressed group: flags, and not one number from its records
check(C["status"] == "suppressed" and C["suppressed"], "C suppressed")
check(all(C[k] is None for k in ("n", "positives", "negatives", "tp", "fp", "tn", "fn", "n_clusters")),
      "C counts withheld")
check(C["metrics"] is None and C["diff"] is None and C["ratio"] is None and C["leakage"] is None,
      "C metrics withheld")
check(numbers(C) == [], "C has no number at all: %r" % numbers(C))

gap = {d["metric"]: d for d in L if d["kind"] == "gap"}
t = gap["tpr"]
near(t["gap"]["value"], 2 / 3 - 0.5, "tpr gap (C left out)")
near(t["ratio"]["value"], 0.75, "tpr gap ratio")
near(t["min"]["value"], 0.5, "tpr min")
near(t["max"]["value"], 2 / 3, "tpr max")
check(t["best"] == "A" and t["worst"] == "B" and t["reference"] == "A", "tpr best, worst, reference")
# Pearson's chi-square of [[2, 1], [1, 1]] (TP, FN of A and B), df 1
obs = [[2, 1], [1, 1]]
rows, cols, tot = [sum(r) for r in obs], [sum(c) for c in zip(*obs)], 5
x2 = sum((obs[i][j] - rows[i] * cols[j] / tot) ** 2 / (rows[i] * cols[j] / tot)
         for i in range(2) for j in range(2))
near(t["chisq"], x2, "tpr chisq")
near(t["chisq_df"], 1, "tpr chisq df")
near(t["chisq_p"], math.erfc(math.sqrt(x2 / 2)), "tpr chisq p")
check(t["best_model"] is None, "best_model null without --model")

s = {d["summary"]: d for d in L if d["kind"] == "summary"}
near(s["equalized_odds_diff"]["value"], 1 / 6, "equalized odds (tpr and fpr gaps 1/6)")
near(s["demographic_parity_diff"]["value"], 0, "demographic parity (selection 1/2 and 1/2)")
near(s["disparate_impact"]["value"], 1, "disparate impact")

# ---- two models -----------------------------------------------------------
M = lines("models")
check(M[0]["models"] == ["a", "b"], "run: models")
check(all(d["period"] is None for d in M if d["kind"] not in ("run", "gate")),
      "period null on every line of the models and their differences")
for k in ("overall", "group", "gap", "summary"):
    ms = sorted({d["model"] for d in M if d["kind"] == k})
    check(ms == ["a", "b"], "%s lines of both models: %r" % (k, ms))
gm = {(d["model"], d["group"]): d for d in M if d["kind"] == "group"}
for grp in "ABC":
    check(gm[("a", grp)]["n"] == g[grp]["n"], "model a group %s as without --model" % grp)
near(gm[("a", "A")]["metrics"]["tpr"]["value"], 2 / 3, "model a: A tpr")
near(gm[("b", "A")]["metrics"]["tpr"]["value"], 1, "model b: A tpr")
near(gm[("b", "A")]["metrics"]["fpr"]["value"], 0, "model b: A fpr")
near(gm[("b", "B")]["metrics"]["tpr"]["value"], 1, "model b: B tpr")
check(gm[("b", "C")]["n"] is None and gm[("b", "C")]["metrics"] is None, "model b: C withheld")
gpm = {(d["model"], d["metric"]): d for d in M if d["kind"] == "gap"}
near(gpm[("b", "tpr")]["gap"]["value"], 0, "model b: tpr gap")
check(gpm[("b", "tpr")]["best_model"] is True and gpm[("a", "tpr")]["best_model"] is False,
      "best model of the tpr gap: b")
od = [d for d in M if d["kind"] == "overall_diff"]
check(len(od) == 1 and od[0]["model"] == "b-a" and od[0]["a"] == "a" and od[0]["b"] == "b",
      "one difference, b-a")
near(od[0]["metrics"]["tpr"]["value"], 1 - 4 / 6, "b-a overall tpr")
gd = {d["group"]: d for d in M if d["kind"] == "group_diff"}
near(gd["A"]["metrics"]["tpr"]["value"], 1 - 2 / 3, "b-a: A tpr")
check(gd["C"]["suppressed"] and gd["C"]["metrics"] is None, "b-a: C withheld")
pd = {d["metric"]: d for d in M if d["kind"] == "gap_diff"}
near(pd["tpr"]["gap"]["value"], 0 - 1 / 6, "b-a: tpr gap")
check(len([d for d in M if d["kind"] == "summary_diff"]) == 4, "four summary differences")

# ---- an operating point and a gate ---------------------------------------
V = lines("view")
check(V[0]["operating_points"] == ["threshold=0.5"], "run: operating points")
vg = {(d["operating_point"], d["group"]): d for d in V if d["kind"] == "group"}
# a fixed threshold of 0.5 is the main threshold: the same confusion counts
for grp in "AB":
    check([vg[("threshold=0.5", grp)][k] for k in ("tp", "fp", "tn", "fn")] ==
          [g[grp][k] for k in ("tp", "fp", "tn", "fn")], "operating point: %s counts" % grp)
check(vg[("threshold=0.5", "C")]["n"] is None, "operating point: C withheld")
gates = [d for d in V if d["kind"] == "gate"]
check(len(gates) == 1 and gates[0]["expr"] == "grp:tpr_gap<=0.1" and gates[0]["outcome"] == "fail",
      "gate line: 1/6 > 0.1 fails")
near(gates[0]["checks"][0]["value"]["value"], 1 / 6, "gate check value")
check(V[0]["verdict"] == "fail", "run: verdict")

# ---- the schema ---------------------------------------------------------------
try:
    import jsonschema
except ImportError:
    jsonschema = None
    print("note: python3-jsonschema is not installed; lines not validated")
if jsonschema:
    v = jsonschema.Draft202012Validator(json.load(open(schema_path, encoding="utf-8")))
    for name, ls in (("one", L), ("models", M), ("view", V)):
        for i, d in enumerate(ls):
            for e in v.iter_errors(d):
                bad.append("%s:%d: schema: %s" % (name, i + 1, e.message[:200]))
                break
    broken = dict(A)
    del broken["n"]
    check(not v.is_valid(broken), "the schema rejects a group line without n")
    broken = dict(C)
    broken["kind"] = "groups"
    check(not v.is_valid(broken), "the schema rejects an unknown kind")

for b in bad:
    print("FAILED:", b)
sys.exit(1 if bad else 0)
EOF
[ "$fail" = 0 ] && echo "ok" || echo "FAILED"
exit $fail
