#!/bin/sh
# Reports with periods (--period): period_reports.sh FAIRAUDIT SOURCE_DIR
#
# 1. Audits the sample data by month, week and quarter (with intersections,
#    insufficient and suppressed groups, several models, no intervals) and
#    validates every JSON report against docs/report.schema.json, which
#    must also reject broken periods.
# 2. Checks that every number of the tidy CSV's period rows equals the
#    JSON report's, read by Python's json module, and that the period
#    column is empty on the whole data's rows.
# 3. Reads each JSON report back with `fairaudit check` and writes it
#    again: JSON, CSV, Markdown and HTML come out byte for byte the same.
# 4. Checks the HTML parses as XML (xmllint, when installed).
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
       -o "$tmp/$name.md" -o "$tmp/$name.html" 2>"$tmp/$name.err"; then
    echo "audit $name failed:"; cat "$tmp/$name.err"; fail=1; return
  fi
  echo "$name" >> "$tmp/reports"
}
run month "$cxr" --group site --group sex+race --bootstrap 60 --seed 7 --threads 1 \
  --min-n 5 --suppress-below 3 --period study_date --min-period-n 12
run week "$cxr" --group sex --bootstrap 30 --seed 2 --threads 1 --min-n 3 \
  --period study_date --every week --min-period-n 4
run quarter "$cxr" --model base=score --model cand=score_v2 --group site --bootstrap 40 \
  --seed 1 --threads 1 --period study_date --every quarter --min-period-n 40 --min-n 10
run noci "$src/data/samples/cxr_triage.csv.gz" --group sex --bootstrap 0 \
  --period study_date --every quarter --min-period-n 740 --operating-point spec=0.9

"$py" - "$src/docs/report.schema.json" "$tmp" <<'PY' || fail=1
import copy, csv, json, sys
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
    for e in sorted(validator.iter_errors(rep), key=lambda e: list(e.path))[:5]:
        print(f"{name}.json: {'/'.join(map(str, e.path))}: {e.message[:200]}")
        bad += 1
    periods = rep.get("periods")
    if not periods or rep["settings"].get("period_column") != "study_date":
        print(f"{name}.json: no periods"); bad += 1; continue
    # every period between the first and the last, in order, none twice
    labels = [p["label"] for p in periods]
    if labels != sorted(labels) or len(set(labels)) != len(labels):
        print(f"{name}.json: periods out of order: {labels[:5]}"); bad += 1
    if sum(p["n"] for p in periods) != rep["input"]["rows_used"]:
        print(f"{name}.json: the periods do not hold every record"); bad += 1
    if not any(p["status"] == "insufficient" for p in periods):
        print(f"{name}.json: no insufficient period to test"); bad += 1

    rows = list(csv.reader(open(f"{tmp}/{name}.csv", newline="")))
    head = rows[0]
    if head[-1] != "period":
        print(f"{name}.csv: the last column is {head[-1]}"); bad += 1; continue
    P = len(head) - 1
    main = [r for r in rows[1:] if r[P] == ""]
    per = {}
    for r in rows[1:]:
        if r[P]:
            per.setdefault(r[P], []).append(r)
    if set(per) != set(labels):
        print(f"{name}.csv: periods {sorted(per)[:3]} != {labels[:3]}"); bad += 1
    if not main or any(len(r) != len(head) for r in rows):
        print(f"{name}.csv: ragged or no whole-data rows"); bad += 1

    def num(cell):
        return None if cell == "" else float(cell)

    def same(r, est, n, status):
        global bad
        est = est or {}
        ci, aci = est.get("ci"), est.get("aci")
        got = tuple(num(c) for c in r[3:6] + r[8:10])
        exp = (est.get("value"), ci and ci[0], ci and ci[1], aci and aci[0], aci and aci[1])
        if got != exp:
            print(f"{name}.csv: {r[:3]} {r[P]}: {got} != {exp}"); bad += 1
        if (r[6] or None) != (None if n is None else str(n)) or (r[7] or None) != status:
            print(f"{name}.csv: {r[:3]} {r[P]}: n/status {r[6:8]} != {n}, {status}"); bad += 1

    for p in periods:
        got = {(r[0], r[1], r[2]): r for r in per.get(p["label"], [])}
        want = 14
        for m in got and schema["$defs"]["metrics"]["required"]:
            r = got.pop(("overall", "overall", m), None)
            if r is None:
                print(f"{name}.csv: {p['label']}: no overall {m}"); bad += 1; continue
            same(r, None if p["status"] != "ok" else p["metrics"][m], p["n"],
                 "ok" if p["status"] == "ok" else "insufficient")
        for a in p["attributes"]:
            for g in a["groups"]:
                sup = g["status"] == "suppressed"
                for m in schema["$defs"]["metrics"]["required"]:
                    r = got.pop((a["name"], g["value"], m), None)
                    if r is None:
                        print(f"{name}.csv: no row {a['name']} {g['value']} {m}"); bad += 1; continue
                    same(r, None if sup else g["metrics"][m], g["n"], g["status"])
            for m, gp in a["gaps"].items():
                for key, suffix in (("gap", "_gap"), ("ratio", "_gap_ratio"), ("min", "_min"),
                                    ("max", "_max"), ("gap_simultaneous", "_gap_simultaneous")):
                    r = got.pop((a["name"], "(all)", m + suffix), None)
                    if r is None:
                        print(f"{name}.csv: no row {m}{suffix}"); bad += 1; continue
                    same(r, gp[key], None, None)
            for s, est in a["summary"].items():
                r = got.pop((a["name"], "(all)", s), None)
                if r is None:
                    print(f"{name}.csv: no row {s}"); bad += 1; continue
                same(r, est, None, None)
        if got:
            print(f"{name}.csv: {p['label']}: rows not in the JSON: {list(got)[:3]}"); bad += 1
        if p["status"] != "ok" and len(per.get(p["label"], [])) != 14:
            print(f"{name}.csv: {p['label']}: an insufficient period has more than its 14 rows"); bad += 1

# the schema must reject broken periods
rep = json.load(open(f"{tmp}/{names[0]}.json"))
ok = next(i for i, p in enumerate(rep["periods"]) if p["status"] == "ok")
ins = next(i for i, p in enumerate(rep["periods"]) if p["status"] != "ok")
breakages = [
    lambda r: r["periods"][ok].pop("metrics"),
    lambda r: r["periods"][ok].__setitem__("reason", "x"),
    lambda r: r["periods"][ins].pop("reason"),
    lambda r: r["periods"][ins].__setitem__("metrics", r["periods"][ok]["metrics"]),
    lambda r: r["periods"][ins]["attributes"].append(r["periods"][ok]["attributes"][0]),
    lambda r: r["periods"][ok].__setitem__("label", "2024/01"),
    lambda r: r["periods"][ok].__setitem__("status", "late"),
    lambda r: r["periods"][ok]["attributes"][0]["gaps"]["tpr"].pop("gap"),
    lambda r: r["periods"][ok]["attributes"][0]["groups"][0].pop("metrics"),
    lambda r: r["settings"].pop("period_every"),
    lambda r: r["settings"].__setitem__("period_every", "day"),
]
for i, brk in enumerate(breakages):
    r = copy.deepcopy(rep)
    brk(r)
    if validator.is_valid(r):
        print(f"schema accepts broken report #{i}"); bad += 1
print(f"{len(names)} reports checked")
sys.exit(1 if bad else 0)
PY

for name in $(cat "$tmp/reports"); do
  if ! LC_ALL=C "$bin" check "$tmp/$name.json" -o "$tmp/$name.back.json" -o "$tmp/$name.back.csv" \
       -o "$tmp/$name.back.md" -o "$tmp/$name.back.html" 2>"$tmp/$name.check.err"; then
    echo "check $name.json failed:"; cat "$tmp/$name.check.err"; fail=1; continue
  fi
  for ext in json csv md html; do
    if ! cmp -s "$tmp/$name.$ext" "$tmp/$name.back.$ext"; then
      echo "$name.$ext differs after a trip through check:"
      diff "$tmp/$name.$ext" "$tmp/$name.back.$ext" | head -10; fail=1
    fi
  done
  grep -q '<svg [^>]*class="drift"' "$tmp/$name.html" || { echo "$name.html: no drift chart"; fail=1; }
  if command -v xmllint >/dev/null 2>&1; then
    xmllint --noout "$tmp/$name.html" || { echo "$name.html is not well-formed XML"; fail=1; }
  fi
done
command -v xmllint >/dev/null 2>&1 || echo "note: xmllint not installed; XML check left out"

[ "$fail" = 0 ] && echo ok || echo FAILED
exit $fail
