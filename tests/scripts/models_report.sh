#!/bin/sh
# models_report.sh: reports of several models (--model) against the JSON
# schema and against each other: models_report.sh FAIRAUDIT SOURCE_DIR
#
# 1. Audits the CXR sample with three models (score, score_v2, and score
#    again under another name), intersections, insufficient and suppressed
#    groups, an operating point and gates on differences, and validates the
#    JSON report against docs/report.schema.json.
# 2. Checks with Python's json and csv modules, independently of the C
#    code: every difference is b - a of the two models' values in the same
#    report; the model that is score again differs from the first by
#    exactly 0, with intervals [0, 0]; every number of the tidy CSV (model
#    rows and difference rows) equals the JSON report's; the best model of
#    each gap is the one with the smallest gap.
# 3. Reads the JSON report back with `fairaudit check` and writes every
#    format again: byte for byte the same. The HTML parses as XML.
# 4. One --model gives the same main result as --score.
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

LC_ALL=C "$bin" audit "$cxr" --model base=score --model cand=score_v2 --model same=score \
  --group sex --group race --group sex+race --min-n 40 --suppress-below 20 \
  --bootstrap 80 --seed 11 --threads 2 -q --operating-point spec=0.9 \
  --gate 'cand-base:race:tpr_gap<=0.05' --gate 'base-cand:overall.auc<=0' \
  --gate 'same-base:sex=F:tpr<=0' --gate-on ci-violation \
  -o "$tmp/m.json" -o "$tmp/m.csv" -o "$tmp/m.md" -o "$tmp/m.html" 2>"$tmp/m.err"
case $? in
  0|1|3) ;;
  *) echo "audit failed:"; cat "$tmp/m.err"; exit 1 ;;
esac

"$py" - "$src/docs/report.schema.json" "$tmp" <<'PY' || fail=1
import csv, json, sys, copy, math
import jsonschema

schema = json.load(open(sys.argv[1]))
tmp = sys.argv[2]
V = jsonschema.Draft202012Validator
validator = V(schema)
rep = json.load(open(f"{tmp}/m.json"))
bad = 0
for e in sorted(validator.iter_errors(rep), key=lambda e: list(e.path))[:5]:
    print(f"m.json: {'/'.join(map(str, e.path))}: {e.message[:200]}"); bad += 1

models = rep["models"]
names = [m["name"] for m in models]
if names != ["base", "cand", "same"]:
    print("models:", names); bad += 1
# the main result is the first model
if models[0]["attributes"] != [
        {k: v for k, v in a.items() if k != "representation"} for a in rep["attributes"]]:
    # the main result may carry power annotations the model does not
    def strip(a):
        a = copy.deepcopy(a)
        for g in a["groups"]:
            g.pop("mdd", None); g.pop("underpowered", None)
        return a
    if models[0]["attributes"] != [strip(a) for a in rep["attributes"]]:
        print("models[0] is not the main result"); bad += 1

def val(e):
    return None if e is None else e.get("value")

def check_diff(where, d, a, b):
    global bad
    va, vb, vd = val(a), val(b), val(d)
    if va is None or vb is None:
        if vd is not None:
            print(f"{where}: {vd} but a model is undefined"); bad += 1
        return
    if vd != vb - va:
        print(f"{where}: {vd} != {vb} - {va}"); bad += 1

pairs = {(d["a"], d["b"]): d for d in rep["model_differences"]}
if sorted(pairs) != [("base", "cand"), ("base", "same"), ("cand", "same")]:
    print("pairs:", sorted(pairs)); bad += 1
for (an, bn), d in pairs.items():
    if d["name"] != f"{bn}-{an}":
        print("name", d["name"]); bad += 1
    A, B = models[names.index(an)], models[names.index(bn)]
    for m, e in d["overall"].items():
        check_diff(f"{bn}-{an} overall {m}", e, A["overall"]["metrics"][m], B["overall"]["metrics"][m])
    for i, ad in enumerate(d["attributes"]):
        Aa, Ba = A["attributes"][i], B["attributes"][i]
        for j, g in enumerate(ad["groups"]):
            ga, gb = Aa["groups"][j], Ba["groups"][j]
            if g["value"] != ga["value"]:
                print("group order"); bad += 1
            for m, e in g["metrics"].items():
                if ga["status"] == "suppressed":
                    if e["value"] is not None:
                        print("suppressed group has a difference"); bad += 1
                    continue
                check_diff(f"{bn}-{an} {ad['name']}={g['value']} {m}", e, ga["metrics"][m], gb["metrics"][m])
        for m, gd in ad["gaps"].items():
            for q in ("gap", "ratio", "min", "max"):
                check_diff(f"{bn}-{an} {ad['name']} {m}_{q}", gd[q], Aa["gaps"][m][q], Ba["gaps"][m][q])
        for s, e in ad["summary"].items():
            check_diff(f"{bn}-{an} {ad['name']} {s}", e, Aa["summary"][s], Ba["summary"][s])

# same - base: exactly 0 with a zero-width interval wherever defined
d = pairs[("base", "same")]
zeros = 0
def zero(e, where):
    global bad, zeros
    if e["value"] is None:
        return
    zeros += 1
    if e["value"] != 0 or ("ci" in e and e["ci"] != [0, 0]):
        print(f"same-base {where}: {e}"); bad += 1
for m, e in d["overall"].items():
    zero(e, m)
for ad in d["attributes"]:
    for g in ad["groups"]:
        for m, e in g["metrics"].items():
            zero(e, f"{ad['name']}={g['value']} {m}")
    for m, gd in ad["gaps"].items():
        for q in gd:
            zero(gd[q], f"{ad['name']} {m}_{q}")
    for s, e in ad["summary"].items():
        zero(e, f"{ad['name']} {s}")
if zeros < 300:
    print("too few defined differences:", zeros); bad += 1

# best: the smallest gap (largest disparate impact and worst-group AUC),
# none when the defined values are all the same
for i, b in enumerate(rep["model_best"]):
    for m, who in b["gaps"].items():
        vals = [(val(M["attributes"][i]["gaps"][m]["gap"]), k) for k, M in enumerate(models)]
        vals = [(v, k) for v, k in vals if v is not None]
        want = None
        if len(vals) >= 2 and max(v for v, _ in vals) - min(v for v, _ in vals) > 1e-12:
            want = names[min(vals, key=lambda x: (x[0], x[1]))[1]]
        if who != want:
            print(f"best {b['attribute']} {m}: {who}, want {want}"); bad += 1

# the tidy CSV against the JSON
rows = list(csv.reader(open(f"{tmp}/m.csv", newline="")))
if rows[0][-1] != "model" or any(len(r) != 14 for r in rows):
    print("csv: the last column is not model, or a row has not 14 fields"); bad += 1
table = {}
for r in rows[1:]:
    key = (r[13], r[12], r[0], r[1], r[2])
    if key in table:
        print("csv: repeated row", key); bad += 1
    table[key] = r
def num(c):
    return None if c == "" else float(c)
def check(key, e, status=None):
    global bad
    r = table.pop(key, None)
    if r is None:
        print("csv: no row", key); bad += 1; return
    e = e or {}
    ci = e.get("ci")
    got = (num(r[3]), num(r[4]), num(r[5]))
    exp = (e.get("value"), ci and ci[0], ci and ci[1])
    if got != exp:
        print(f"csv {key}: {got} != {exp}"); bad += 1
    if status is not None and r[7] != status:
        print(f"csv {key}: status {r[7]!r}, want {status!r}"); bad += 1
for k, M in enumerate(models[1:], 1):
    for m, e in M["overall"]["metrics"].items():
        check((M["name"], "", "overall", "overall", m), e)
    for i, A in enumerate(M["attributes"]):
        best = rep["model_best"][i]
        for g in A["groups"]:
            sup = g["status"] == "suppressed"
            for m in A["gaps"]:
                check((M["name"], "", A["name"], g["value"], m), None if sup else g["metrics"][m])
                for k2 in ("diff", "ratio"):
                    check((M["name"], "", A["name"], g["value"], f"{m}_{k2}"),
                          None if sup else g["vs_reference"][m][k2])
            for side in ("negatives", "positives"):
                check((M["name"], "", A["name"], g["value"], "leakage_" + side),
                      None if sup else g["leakage"][side])
        for m, gp in A["gaps"].items():
            check((M["name"], "", A["name"], "(all)", m + "_gap"), gp["gap"],
                  "best" if best["gaps"][m] == M["name"] else "")
            check((M["name"], "", A["name"], "(all)", m + "_gap_ratio"), gp["ratio"])
            check((M["name"], "", A["name"], "(all)", m + "_min"), gp["min"])
            check((M["name"], "", A["name"], "(all)", m + "_max"), gp["max"])
            check((M["name"], "", A["name"], "(all)", m + "_gap_corrected"), gp["gap_corrected"])
            check((M["name"], "", A["name"], "(all)", m + "_gap_simultaneous"), gp["gap_simultaneous"])
            check((M["name"], "", A["name"], "(all)", m + "_chisq"), {"value": gp["chisq"]})
        for s, e in A["summary"].items():
            check((M["name"], "", A["name"], "(all)", s), e,
                  "best" if best["summary"][s] == M["name"] else "")
for d in rep["model_differences"]:
    for m, e in d["overall"].items():
        check((d["name"], "", "overall", "overall", m), e)
    for A in d["attributes"]:
        for g in A["groups"]:
            for m, e in g["metrics"].items():
                check((d["name"], "", A["name"], g["value"], m), e)
        for m, gd in A["gaps"].items():
            for q, suf in (("gap", "_gap"), ("ratio", "_gap_ratio"), ("min", "_min"), ("max", "_max")):
                check((d["name"], "", A["name"], "(all)", m + suf), gd[q])
        for s, e in A["summary"].items():
            check((d["name"], "", A["name"], "(all)", s), e)
left = [k for k in table if k[0] != "base"]
if left:
    print("csv: rows not checked:", left[:3]); bad += 1
if any(k[0] == "base" and k[1] == "" and k[3] == "(all)" and table[k][7] not in ("", "best") for k in table):
    print("csv: a gap row of base has a status other than best"); bad += 1

# gates: checks named after the pair, judged on the paired interval
g = rep["gates"]
if [c["where"] for c in g[0]["checks"]] != ["cand-base:race:tpr_gap"]:
    print("gate checks:", [c["where"] for c in g[0]["checks"]]); bad += 1
cb = pairs[("base", "cand")]["overall"]["auc"]
chk = g[1]["checks"][0]
if chk["value"]["value"] != -cb["value"] or chk["value"]["ci"] != [-cb["ci"][1], -cb["ci"][0]]:
    print("base-cand:overall.auc is not the mirror of cand-base"); bad += 1
if g[2]["checks"][0]["value"] != {"value": 0, "ci": [0, 0]} or g[2]["outcome"] != "pass":
    print("same-base:sex=F:tpr:", g[2]["checks"][0]); bad += 1
print("models report checked")
sys.exit(1 if bad else 0)
PY

# reading back: every format written again from the JSON is the same
if ! LC_ALL=C "$bin" check "$tmp/m.json" --gate 'cand-base:race:tpr_gap<=0.05' \
     --gate 'base-cand:overall.auc<=0' --gate 'same-base:sex=F:tpr<=0' --gate-on ci-violation \
     -o "$tmp/b.json" -o "$tmp/b.csv" -o "$tmp/b.md" -o "$tmp/b.html" 2>"$tmp/b.err"; then
  case $? in 1|3) ;; *) echo "check failed:"; cat "$tmp/b.err"; fail=1 ;; esac
fi
for ext in json csv md html; do
  if ! cmp -s "$tmp/m.$ext" "$tmp/b.$ext"; then
    echo "m.$ext differs after a trip through check:"
    diff "$tmp/m.$ext" "$tmp/b.$ext" | head -10; fail=1
  fi
done
if command -v xmllint >/dev/null 2>&1; then
  xmllint --noout "$tmp/m.html" || { echo "m.html is not well-formed XML"; fail=1; }
fi
grep -q '<svg [^>]*class="models"' "$tmp/m.html" || { echo "no models chart"; fail=1; }

# one model: the main result is that of --score
LC_ALL=C "$bin" audit "$cxr" --model only=score_v2 --group race --bootstrap 40 --seed 2 -q \
  -o "$tmp/one.json" || fail=1
LC_ALL=C "$bin" audit "$cxr" --score score_v2 --group race --bootstrap 40 --seed 2 -q \
  -o "$tmp/plain.json" || fail=1
"$py" - "$tmp" <<'PY' || fail=1
import json, sys
tmp = sys.argv[1]
one, plain = json.load(open(f"{tmp}/one.json")), json.load(open(f"{tmp}/plain.json"))
if [m["name"] for m in one["models"]] != ["only"] or one["model_differences"] != []:
    print("one model: models", one.get("models")); sys.exit(1)
for k in ("models", "model_best", "model_differences", "command_line"):
    one.pop(k, None); plain.pop(k, None)
if one != plain:
    print("one --model differs from --score"); sys.exit(1)
PY

[ "$fail" = 0 ] && echo ok || echo FAILED
exit $fail
