#!/bin/sh
# The JSON report against docs/report.schema.json, and the three report
# formats against each other: json_schema.sh FAIRAUDIT SOURCE_DIR
#
# 1. Audits the sample data (with intersections, insufficient and
#    suppressed groups; with and without intervals; with operating points;
#    with gates) and validates every JSON report against the schema.
# 2. Parses the tidy CSV with Python's csv module and checks its row count
#    (docs/report-schema.md) and that every number in it equals the JSON
#    report's, as read by Python's json module, operating points included.
# 3. Reads each JSON report back with `fairaudit check` and writes it again:
#    the Markdown, JSON and CSV must come out byte for byte the same.
# 4. Checks that the schema rejects broken reports, so the test can fail.
# 5. Runs the audit of tests/cli/cases/report_three_formats and compares
#    its three reports with expected.{md,json,csv} there, byte for byte
#    (UPDATE_GOLDEN=1 writes them again).
#
# Needs python3-jsonschema (Debian); without it the test prints SKIP.
set -u
bin=$1 src=$(cd "$2" && pwd) || exit 2
case $bin in /*) ;; */*) bin=$PWD/$bin ;; esac
py=/usr/bin/python3
if ! "$py" -c 'import jsonschema' 2>/dev/null; then
  echo "SKIP: the Python module jsonschema is not installed (apt-get install python3-jsonschema)"
  exit 0
fi
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT
fail=0
cxr=$src/data/samples/cxr_small.csv

run() { # name, then audit arguments
  name=$1; shift
  if ! LC_ALL=C "$bin" audit "$@" -q -o "$tmp/$name.json" -o "$tmp/$name.csv" \
       -o "$tmp/$name.md" 2>"$tmp/$name.err"; then
    return 1
  fi
  echo "$name" >> "$tmp/reports"
}
run plain "$cxr" --group sex --group site --bootstrap 100 --seed 1 --threads 1 ||
  { echo "audit failed:"; cat "$tmp/plain.err"; fail=1; }
run small "$cxr" --group site --group sex+race --bootstrap 60 --seed 7 --threads 1 \
  --min-n 40 --suppress-below 20 --bootstrap-scheme poisson ||
  { echo "audit failed:"; cat "$tmp/small.err"; fail=1; }
run noci "$src/data/samples/derm_lesions.jsonl" --label malignant --score prob \
  --group fitzpatrick --group sex+body_site --bootstrap 0 ||
  { echo "audit failed:"; cat "$tmp/noci.err"; fail=1; }
run views "$cxr" --group site --group sex+race --bootstrap 40 --seed 5 --threads 1 \
  --min-n 40 --suppress-below 20 --operating-point spec=0.9 --operating-point sens=0.8 \
  --operating-point threshold=0.4 ||
  { echo "audit failed:"; cat "$tmp/views.err"; fail=1; }
# gates exit 1 when one fails; exit 2 means they are not available here
LC_ALL=C "$bin" audit "$cxr" --group site --bootstrap 50 --seed 3 --threads 1 -q \
  --gate 'site:tpr_gap<=0.05' --gate 'auc>=0.5' --operating-point spec=0.9 \
  --gate 'spec=0.9:site:tpr_gap<=0.2' --gate 'site:leakage_positives<=0.7' \
  -o "$tmp/gated.json" -o "$tmp/gated.csv" -o "$tmp/gated.md" 2>"$tmp/gated.err"
case $? in
  0|1|3) echo gated >> "$tmp/reports" ;;
  *) echo "note: no report with gates (gates not available: $(head -1 "$tmp/gated.err"))" ;;
esac

"$py" - "$src/docs/report.schema.json" "$tmp" <<'PY' || fail=1
import csv, json, sys, copy
import jsonschema

schema = json.load(open(sys.argv[1]))
tmp = sys.argv[2]
V = jsonschema.Draft202012Validator
V.check_schema(schema)
validator = V(schema)
bad = 0
names = open(tmp + "/reports").read().split()
for name in names:
    rep = json.load(open(f"{tmp}/{name}.json"))
    errors = sorted(validator.iter_errors(rep), key=lambda e: list(e.path))
    for e in errors[:5]:
        print(f"{name}.json: {'/'.join(map(str, e.path))}: {e.message[:200]}")
    bad += bool(errors)

    # the CSV against the JSON
    rows = list(csv.reader(open(f"{tmp}/{name}.csv", newline="")))
    st = rep["settings"]
    per_group = 42 + 2 + (14 if st["power"] else 0) + (3 if st["population"] else 0)
    # per attribute: 14 metrics x 7 gap rows (gap, ratio, min, max,
    # corrected, simultaneous, chisq) + 4 summaries
    want = 1 + 14 + sum(len(a["groups"]) * per_group + 102 for a in rep["attributes"])
    ops = rep.get("operating_points", [])
    want += sum(1 + 14 + sum(len(a["groups"]) * 43 + 102 for a in v["attributes"]) for v in ops)
    if len(rows) != want or any(len(r) != 13 for r in rows):
        print(f"{name}.csv: {len(rows)} rows, want {want} of 13 fields")
        bad += 1
        continue
    if rows[0][-1] != "operating_point":
        print(f"{name}.csv: the last column is {rows[0][-1]}"); bad += 1
    table = {(r[12], r[0], r[1], r[2]): r for r in rows[1:]}
    if len(table) != len(rows) - 1:
        print(f"{name}.csv: repeated (attribute, group, metric) rows")
        bad += 1

    view = ""
    def check(key, est, n=None, status=None, p=None):
        global bad
        key = (view,) + key
        r = table.pop(key, None)
        if r is None:
            print(f"{name}.csv: no row {key}"); bad += 1; return
        def num(cell):
            return None if cell == "" else float(cell)
        est = est or {}
        ci, aci = est.get("ci"), est.get("aci")
        if p is None:
            p = (est.get("p_value"), est.get("p_adjusted"))
        got = tuple(num(c) for c in r[3:6] + r[8:12])
        exp = (est.get("value"), ci and ci[0], ci and ci[1], aci and aci[0], aci and aci[1]) + tuple(p)
        if got != exp:
            print(f"{name}.csv: {key}: {got} != {exp}"); bad += 1
        if (r[6] or None) != (None if n is None else str(n)) or (r[7] or None) != status:
            print(f"{name}.csv: {key}: n/status {r[6:8]} != {n}, {status}"); bad += 1

    def check_result(res, in_view):
      o = res["overall"]
      for m, est in o["metrics"].items():
        check(("overall", "overall", m), est, o["n"], "ok")
      for a in res["attributes"]:
        for g in a["groups"]:
            sup = g["status"] == "suppressed"
            key = lambda m: (a["name"], g["value"], m)
            for m in a["gaps"]:
                check(key(m), None if sup else g["metrics"][m], g["n"], g["status"])
                for k in ("diff", "ratio"):
                    check(key(f"{m}_{k}"), None if sup else g["vs_reference"][m][k], g["n"], g["status"])
                if st["power"] and not in_view:
                    check(key(f"{m}_mdd"), None if sup else g["mdd"][m], g["n"], g["status"])
            if in_view:
                check(key("own_threshold"), None if sup else {"value": g["own_threshold"]},
                      g["n"], g["status"])
                continue
            for side in ("negatives", "positives"):
                check(key("leakage_" + side), None if sup else g["leakage"][side], g["n"], g["status"])
            if st["population"]:
                rp = g["representation"]
                check(key("audit_share"), None if sup else rp["audit_share"], g["n"], g["status"])
                check(key("population_share"), {"value": rp["population_share"]}, g["n"], g["status"])
                check(key("representation_ratio"), None if sup else rp["ratio"], g["n"], g["status"])
        for m, gp in a["gaps"].items():
            key = lambda s: (a["name"], "(all)", m + s)
            check(key("_gap"), gp["gap"], p=(gp["perm_p"], gp["perm_p_adjusted"]))
            check(key("_gap_ratio"), gp["ratio"])
            check(key("_min"), gp["min"])
            check(key("_max"), gp["max"])
            check(key("_gap_corrected"), gp["gap_corrected"])
            check(key("_gap_simultaneous"), gp["gap_simultaneous"])
            check(key("_chisq"), {"value": gp["chisq"]}, p=(gp["chisq_p"], gp["chisq_p_adjusted"]))
        for s, est in a["summary"].items():
            check((a["name"], "(all)", s), est)

    check_result(rep, False)
    for v in ops:
        view = v["name"]
        check(("overall", "overall", "threshold"), v["threshold"], v["overall"]["n"], "ok")
        check_result(v, True)
    if table:
        print(f"{name}.csv: rows not in the JSON report: {list(table)[:3]}"); bad += 1

# the schema must reject broken reports
rep = json.load(open(f"{tmp}/{names[-1]}.json"))
breakages = [
    lambda r: r.pop("verdict"),
    lambda r: r.__setitem__("schema_version", "2.0"),
    lambda r: r["overall"]["metrics"]["auc"].__setitem__("value", "0.8"),
    lambda r: r["overall"]["metrics"]["auc"].__setitem__("value", None),   # null without reason
    lambda r: r["attributes"][0]["groups"][0].pop("metrics"),
    lambda r: r["settings"].__setitem__("extra", 1),
]
if rep.get("operating_points"):
    breakages += [
        lambda r: r["operating_points"][0].pop("threshold"),
        lambda r: r["operating_points"][0].__setitem__("kind", "specificity"),
        lambda r: r["operating_points"][0]["attributes"][0]["groups"][0].__setitem__("own_threshold", "0.5"),
    ]
curved = [g for a in rep["attributes"] for g in a["groups"] if "curves" in g]
if curved:
    breakages += [
        lambda r: [g for a in r["attributes"] for g in a["groups"] if "curves" in g][0]["curves"]["calibration"]["count"].pop(),
        lambda r: [g for a in r["attributes"] for g in a["groups"] if "curves" in g][0]["curves"].pop("roc"),
    ]
else:
    print("note: no report with curves to break"); bad += 1
for i, brk in enumerate(breakages):
    r = copy.deepcopy(rep)
    brk(r)
    if validator.is_valid(r):
        print(f"schema accepts broken report #{i}"); bad += 1
print(f"{len(names)} reports checked")
sys.exit(1 if bad else 0)
PY

# reading back: `check` writes the same three reports again
for name in $(cat "$tmp/reports"); do
  [ "$name" = gated ] && continue
  if ! LC_ALL=C "$bin" check "$tmp/$name.json" -o "$tmp/$name.back.json" \
       -o "$tmp/$name.back.csv" -o "$tmp/$name.back.md" 2>"$tmp/$name.check.err"; then
    echo "check $name.json failed:"; cat "$tmp/$name.check.err"; fail=1; continue
  fi
  for ext in json csv md; do
    if ! cmp -s "$tmp/$name.$ext" "$tmp/$name.back.$ext"; then
      echo "$name.$ext differs after a trip through check:"
      diff "$tmp/$name.$ext" "$tmp/$name.back.$ext" | head -10; fail=1
    fi
  done
done
# the golden reports
case_dir=$src/tests/cli/cases/report_three_formats
mkdir "$tmp/golden" && ln -s "$src/data" "$tmp/golden/data"
set --
while IFS= read -r a || [ -n "$a" ]; do set -- "$@" "$a"; done < "$case_dir/args"
if ! (cd "$tmp/golden" && LC_ALL=C "$bin" "$@" 2>"$tmp/golden.err"); then
  echo "golden audit failed:"; cat "$tmp/golden.err"; fail=1
fi
for ext in md json csv; do
  if [ "${UPDATE_GOLDEN:-}" = 1 ]; then
    cp "$tmp/golden/out.$ext" "$case_dir/expected.$ext"
  elif ! cmp -s "$case_dir/expected.$ext" "$tmp/golden/out.$ext"; then
    echo "out.$ext differs from $case_dir/expected.$ext:"
    diff "$case_dir/expected.$ext" "$tmp/golden/out.$ext" | head -20; fail=1
  fi
done

[ "$fail" = 0 ] && echo ok || echo FAILED
exit $fail
