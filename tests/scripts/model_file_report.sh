#!/bin/sh
# model_file_report.sh: a model whose scores come from a file of its own
# (--model NAME=FILE --id COLUMN) gives the report of the same scores given
# as a column: model_file_report.sh FAIRAUDIT SOURCE_DIR
#
# 1. Splits data/samples/cxr_small.csv with Python's csv module: score_v2
#    goes to a file of its own (image_id, label, score_v2) with the rows in
#    a shuffled order, and again as gzip-compressed JSON Lines; a copy of
#    the main file keeps neither score.
# 2. Audits two models (bootstrap, an operating point, gates on the
#    difference) three ways: both as columns; the candidate from the CSV
#    file; both from files (the JSON Lines one for the base), on the main
#    file without scores. The JSON and tidy CSV reports must be the same
#    byte for byte, except the input files (the model files follow the main
#    one, with their own SHA-256, checked against Python's hashlib) and the
#    command line.
# 3. --on-invalid skip: with 5 records taken out of the model file, the
#    report equals the column audit of the main file without those 5
#    records (written by Python), apart from the provenance: 400 rows read,
#    395 used, 5 dropped as missing_in_model_file.
set -u
bin=$1 src=$(cd "$2" && pwd) || exit 2
case $bin in /*) ;; */*) bin=$PWD/$bin ;; esac
py=/usr/bin/python3
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT
fail=0
cxr=$src/data/samples/cxr_small.csv

"$py" - "$cxr" "$tmp" <<'PY' || exit 1
import csv, gzip, json, random, sys
src, tmp = sys.argv[1], sys.argv[2]
rows = list(csv.DictReader(open(src, newline="")))
cols = list(rows[0].keys())
order = list(range(len(rows)))
random.Random(7).shuffle(order)
with open(f"{tmp}/cand.csv", "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["image_id", "label", "score_v2"])
    for i in order:
        w.writerow([rows[i]["image_id"], rows[i]["label"], rows[i]["score_v2"]])
random.Random(8).shuffle(order)
with gzip.open(f"{tmp}/base.jsonl.gz", "wt") as f:
    for i in order:
        f.write(json.dumps({"image_id": rows[i]["image_id"], "score": float(rows[i]["score"])}) + "\n")
keep = [c for c in cols if c not in ("score", "score_v2")]
with open(f"{tmp}/main.csv", "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(keep)
    for r in rows:
        w.writerow([r[c] for c in keep])
# five records left out of the model file, and out of a copy of the main file
gone = {rows[i]["image_id"] for i in (0, 57, 123, 250, 399)}
with open(f"{tmp}/cand_less.csv", "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["image_id", "score_v2"])
    for i in order:
        if rows[i]["image_id"] not in gone:
            w.writerow([rows[i]["image_id"], rows[i]["score_v2"]])
with open(f"{tmp}/cxr_less.csv", "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(cols)
    for r in rows:
        if r["image_id"] not in gone:
            w.writerow([r[c] for c in cols])
PY

common="--group sex --group race --bootstrap 200 --seed 5 --threads 2 -q
  --operating-point spec=0.9 --gate cand-base:sex:tpr_gap<=0 --gate-on ci-violation"
run() { # NAME ARGS...: audit into $tmp/NAME.json and $tmp/NAME.csv
  name=$1; shift
  LC_ALL=C "$bin" audit "$@" $common -o "$tmp/$name.json" -o "$tmp/$name.csv" 2>"$tmp/$name.err"
  case $? in
    0|1|3) ;;
    *) echo "$name: audit failed:"; cat "$tmp/$name.err"; fail=1 ;;
  esac
}
run cols "$cxr" --model base=score --model cand=score_v2
run file "$cxr" --model base=score --model "cand=$tmp/cand.csv:score_v2" --id image_id
run files "$tmp/main.csv" --model "base=$tmp/base.jsonl.gz:score" --model "cand=$tmp/cand.csv" \
  --score score_v2 --id image_id
run less_cols "$tmp/cxr_less.csv" --model base=score --model cand=score_v2
run less_file "$cxr" --model base=score --model "cand=$tmp/cand_less.csv:score_v2" \
  --id image_id --on-invalid skip

"$py" - "$tmp" "$cxr" <<'PY' || fail=1
import hashlib, json, sys
tmp, cxr = sys.argv[1], sys.argv[2]
bad = 0
def load(name):
    return json.load(open(f"{tmp}/{name}.json"))
def sha(path):
    return hashlib.sha256(open(path, "rb").read()).hexdigest()
def strip(rep):
    rep = dict(rep)
    rep.pop("command_line", None)
    inp = dict(rep.pop("input"))
    return rep, inp
cols, cols_in = strip(load("cols"))
for name, main, models in (("file", cxr, ["cand.csv"]),
                           ("files", f"{tmp}/main.csv", ["base.jsonl.gz", "cand.csv"])):
    rep, inp = strip(load(name))
    if rep != cols:
        diff = [k for k in set(rep) | set(cols) if rep.get(k) != cols.get(k)]
        print(f"{name}: the report differs from the column audit in {sorted(diff)}"); bad += 1
    files = inp.pop("files")
    cols_files = dict(cols_in)["files"]
    want = [sha(main)] + [sha(f"{tmp}/{m}") for m in models]
    if [f["sha256"] for f in files] != want:
        print(f"{name}: input digests {[f['sha256'] for f in files]}, want {want}"); bad += 1
    if [f["rows"] for f in files] != [400] * len(want):
        print(f"{name}: rows per file {[f['rows'] for f in files]}"); bad += 1
    if files[-1]["path"] != f"{tmp}/cand.csv" or files[-1]["format"] != "csv":
        print(f"{name}: last file {files[-1]}"); bad += 1
    if name == "files" and (files[1]["format"], files[1]["gzip"]) != ("jsonl", True):
        print(f"{name}: base file {files[1]}"); bad += 1
    ci = dict(cols_in); ci.pop("files")
    if inp != ci:
        print(f"{name}: input counts {inp}, want {ci}"); bad += 1
    # the tidy CSV has no provenance: the same bytes
    if open(f"{tmp}/{name}.csv", "rb").read() != open(f"{tmp}/cols.csv", "rb").read():
        print(f"{name}: the tidy CSV differs"); bad += 1
if cols["models"][1]["overall"]["metrics"]["auc"]["value"] <= cols["models"][0]["overall"]["metrics"]["auc"]["value"]:
    print("the candidate's AUC is not above the base's, as in data/samples/README.md"); bad += 1

less, less_in = strip(load("less_file"))
ref, ref_in = strip(load("less_cols"))
if less != ref:
    diff = [k for k in set(less) | set(ref) if less.get(k) != ref.get(k)]
    print(f"skip: the report differs from the audit without the 5 records in {sorted(diff)}"); bad += 1
want = {"rows_read": 400, "rows_used": 395, "rows_dropped": 5,
        "drop_reasons": {"missing_in_model_file": 5}}
got = {k: less_in[k] for k in want}
if got != want:
    print(f"skip: input {got}, want {want}"); bad += 1
if ref_in["rows_used"] != 395:
    print("skip: the reference audit does not have 395 records"); bad += 1
print("model files checked")
sys.exit(1 if bad else 0)
PY

[ "$fail" = 0 ] && echo ok || echo FAILED
exit $fail
