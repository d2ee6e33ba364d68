#!/bin/sh
# partial_identity.sh: partial audits merged in any split and any order give
# the report of one `audit --bootstrap-scheme poisson` over all the records:
# partial_identity.sh FAIRAUDIT SOURCE_DIR
#
# 1. Whole-file shards (no --id: the bootstrap key is the file's base name
#    and line). data/samples/cxr_triage.csv.gz (6000 records) is cut into
#    files of 1000 records, one of them gzip-compressed; the reference is
#    one audit of the six files. The same six files are reduced to
#    partial audits one by one, two and two, three and three, and all at
#    once, and merged flat, as a tree, and in reverse: every sum must be
#    the same bytes, and every report (JSON, tidy CSV, JSON Lines) the
#    reference's, byte for byte once the input files and the command line
#    are taken out (Python's json module removes "input" and
#    "command_line"; the CSV has neither; JSON Lines lines are compared
#    with their "input" key removed). The gates' exit code must match too.
# 2. Record ids (--id image_id): the records are dealt out to four files
#    in a shuffled order; their merged partial audits give the report of
#    one audit of the original file.
# 3. Clusters (--cluster patient_id --ci-method bootstrap): the records
#    are dealt out by patient; the same identity holds, with the number of
#    patients of every group (and of the whole population) that of the
#    stratified audit, since no patient is split.
#    With --score-digits 2 the same holds, and the whole population's AUC
#    is the Mann-Whitney AUC of the rounded scores, counted in Python.
# 4. A partial audit built with other settings is refused by merge, and
#    report refuses options that the partial audit fixed.
set -u
bin=$1 src=$(cd "$2" && pwd) || exit 2
case $bin in /*) ;; */*) bin=$PWD/$bin ;; esac
py=/usr/bin/python3
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT
fail=0
cd "$tmp" || exit 2

"$py" - "$src/data/samples/cxr_triage.csv.gz" <<'PY' || exit 1
import csv, gzip, io, random, sys
rows = list(csv.reader(io.TextIOWrapper(gzip.open(sys.argv[1]), newline="")))
head, body = rows[0], rows[1:]
def write(name, part, gz=False):
    f = gzip.open(name, "wt", newline="") if gz else open(name, "w", newline="")
    w = csv.writer(f, lineterminator="\n")
    w.writerow(head)
    w.writerows(part)
    f.close()
for k in range(6):
    write("s%d.csv" % k + (".gz" if k == 3 else ""), body[1000 * k:1000 * (k + 1)], k == 3)
write("all.csv", body)
rng = random.Random(11)
shuffled = body[:]
rng.shuffle(shuffled)
for k in range(4):
    write("id%d.csv" % k, shuffled[k::4])
pid = head.index("patient_id")
for k in range(3):
    write("pt%d.csv" % k, [r for r in body if int(r[pid][1:]) % 3 == k])
PY

same() { # same LABEL REFERENCE CANDIDATE: JSON reports equal but for the input
  "$py" - "$2" "$3" <<'PY' || { echo "FAILED: $1"; fail=1; }
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
for d in (a, b):
    del d["input"], d["command_line"]
if a != b:
    keys = [k for k in a if a[k] != b.get(k)]
    sys.exit("differs in " + ", ".join(keys))
PY
}

same_jsonl() {
  "$py" - "$2" "$3" <<'PY' || { echo "FAILED: $1"; fail=1; }
import json, sys
def lines(p):
    out = []
    for line in open(p):
        d = json.loads(line)
        d.pop("input", None)
        d.pop("command_line", None)
        out.append(d)
    return out
a, b = lines(sys.argv[1]), lines(sys.argv[2])
if a != b:
    sys.exit("%d against %d lines, first difference at %s" % (len(a), len(b),
             next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))))
PY
}

shards="s0.csv s1.csv s2.csv s3.csv.gz s4.csv s5.csv"
set -- --label label --score score --group sex --group race --group site \
  --group age --bin age=40,65 --group sex+race --reference race=White \
  --bootstrap 300 --seed 17 --threads 2 -q
gates="--gate sex:tpr_gap<=0.10 --gate worst_group_auc>=0.75 --gate-on ci-violation"

# shellcheck disable=SC2086
"$bin" audit "$@" --bootstrap-scheme poisson $shards $gates \
  -o ref.json -o ref.csv -o ref.jsonl
ref_rc=$?
[ -s ref.json ] || { echo "FAILED: the reference audit wrote no report"; exit 1; }

# partial audits of every shard, of pairs and triples, and of all at once
i=0
for f in $shards; do
  "$bin" partial "$@" "$f" -o "p$i.fap" || { echo "FAILED: partial $f"; fail=1; }
  i=$((i + 1))
done
"$bin" partial "$@" s0.csv s1.csv -o p01.fap &&
"$bin" partial "$@" s2.csv s3.csv.gz -o p23.fap &&
"$bin" partial "$@" s4.csv s5.csv -o p45.fap &&
"$bin" partial "$@" s0.csv s1.csv s2.csv -o p012.fap &&
"$bin" partial "$@" s3.csv.gz s4.csv s5.csv -o p345.fap &&
"$bin" partial "$@" $shards -o pall.fap || { echo "FAILED: partial of several files"; fail=1; }

"$bin" merge p0.fap p1.fap p2.fap p3.fap p4.fap p5.fap -o flat.fap &&
"$bin" merge p5.fap p4.fap p3.fap p2.fap p1.fap p0.fap -o reverse.fap &&
"$bin" merge p0.fap p1.fap -o t01.fap && "$bin" merge p2.fap p3.fap -o t23.fap &&
"$bin" merge p4.fap t23.fap -o t234.fap && "$bin" merge t234.fap p5.fap -o t2345.fap &&
"$bin" merge t01.fap t2345.fap -o tree.fap &&
"$bin" merge p45.fap p01.fap p23.fap -o pairs.fap &&
"$bin" merge p345.fap p012.fap -o triples.fap || { echo "FAILED: merge"; fail=1; }
for m in reverse tree pairs triples pall; do
  cmp -s flat.fap $m.fap || { echo "FAILED: $m.fap is not the same bytes as flat.fap"; fail=1; }
done

for m in flat tree triples; do
  # shellcheck disable=SC2086
  "$bin" report $m.fap $gates -o $m.json -o $m.csv -o $m.jsonl
  rc=$?
  [ $rc -eq $ref_rc ] || { echo "FAILED: report $m exits $rc, the audit $ref_rc"; fail=1; }
  same "JSON report of $m.fap" ref.json $m.json
  cmp -s ref.csv $m.csv || { echo "FAILED: the CSV report of $m.fap differs"; fail=1; }
  same_jsonl "JSON Lines report of $m.fap" ref.jsonl $m.jsonl
done
# report of several partial audits at once: their sum
# shellcheck disable=SC2086
"$bin" report p3.fap p1.fap p0.fap p5.fap p2.fap p4.fap $gates -o many.json -q
same "report of six partial audits" ref.json many.json
# the partial audit is of the Poisson scheme, and the report says so
grep -q '"scheme":"poisson"' flat.json || grep -q '"scheme": "poisson"' flat.json ||
  { echo "FAILED: the report does not name the poisson scheme"; fail=1; }

# 2. record ids, records dealt out in a shuffled order
set -- --label label --score score --group sex --group race --id image_id \
  --bootstrap 200 --seed 5 -q
"$bin" audit "$@" --bootstrap-scheme poisson all.csv -o idref.json
for k in 0 1 2 3; do "$bin" partial "$@" id$k.csv -o id$k.fap || fail=1; done
"$bin" merge id2.fap id0.fap id3.fap id1.fap -o ids.fap && "$bin" report ids.fap -o ids.json ||
  { echo "FAILED: partial audits keyed by --id"; fail=1; }
same "records keyed by --id, split and shuffled" idref.json ids.json

# 3. clusters, split by patient
set -- --label label --score score --group sex --group site --cluster patient_id \
  --ci-method bootstrap --bootstrap 200 --seed 9 -q
"$bin" audit "$@" --bootstrap-scheme poisson all.csv -o clref.json
for k in 0 1 2; do "$bin" partial "$@" pt$k.csv -o pt$k.fap || fail=1; done
"$bin" merge pt0.fap pt1.fap pt2.fap -o pts.fap && "$bin" report pts.fap -o pts.json ||
  { echo "FAILED: partial audits with --cluster"; fail=1; }
same "clusters split by patient" clref.json pts.json
# the patients of every group, against the stratified audit's count
"$bin" audit --label label --score score --group sex --group site --cluster patient_id \
  --bootstrap 0 -q all.csv -o clstrat.json
"$py" - clref.json clstrat.json <<'PY' || { echo "FAILED: n_clusters"; fail=1; }
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
def counts(r):
    out = [r["overall"]["n_clusters"]]
    for at in r["attributes"]:
        out += [(at["name"], g["value"], g["n_clusters"]) for g in at["groups"]]
    return out
assert counts(a) == counts(b), (counts(a), counts(b))
assert a["overall"]["n_clusters"] > 0
PY

# 3b. scores rounded (--score-digits 2): split shards agree with one audit,
#     and the AUC of the whole population is that of the rounded scores
#     (Mann-Whitney, ties one half, counted here in Python)
set -- --label label --score score --group sex --score-digits 2 --bootstrap 100 --seed 3 -q
"$bin" audit "$@" --bootstrap-scheme poisson $shards -o rdref.json
for k in 0 1 2; do "$bin" partial "$@" pt$k.csv -o rd$k.fap || fail=1; done
"$bin" audit "$@" --bootstrap-scheme poisson pt0.csv pt1.csv pt2.csv -o rdpt.json
"$bin" merge rd2.fap rd1.fap rd0.fap -o rds.fap && "$bin" report rds.fap -o rds.json ||
  { echo "FAILED: partial audits with --score-digits"; fail=1; }
same "rounded scores, split by patient" rdpt.json rds.json
"$py" - rdref.json all.csv <<'PY' || { echo "FAILED: AUC of rounded scores"; fail=1; }
import csv, json, sys
r = json.load(open(sys.argv[1]))
assert r["settings"]["score_digits"] == 2, r["settings"]
rows = list(csv.DictReader(open(sys.argv[2])))
pos = [round(float(x["score"]) * 100) for x in rows if x["label"] == "1"]
neg = [round(float(x["score"]) * 100) for x in rows if x["label"] == "0"]
from collections import Counter
cn = Counter(neg)
below = 0
acc = 0.0
keys = sorted(set(pos) | set(neg))
cp = Counter(pos)
for k in keys:
    acc += cp[k] * (below + 0.5 * cn[k])
    below += cn[k]
want = acc / (len(pos) * len(neg))
got = r["overall"]["metrics"]["auc"]["value"]
assert abs(got - want) < 1e-12, (got, want)
PY

# 4. refusals
"$bin" partial --label label --score score --group sex --group race --group site \
  --group age --bin age=40,65 --group sex+race --reference race=White \
  --bootstrap 300 --seed 18 --threads 2 -q s0.csv -o other.fap || fail=1
"$bin" merge p0.fap other.fap -o bad.fap 2>err.txt
rc=$?
[ $rc -eq 2 ] && grep -q "other.fap.*seed 17 against 18\|other.fap.*seed" err.txt && [ ! -e bad.fap ] ||
  { echo "FAILED: merge of other settings: exit $rc, $(cat err.txt)"; fail=1; }
"$bin" report flat.fap --threshold 0.3 -o x.json 2>err.txt
rc=$?
[ $rc -eq 2 ] && grep -q -- "--threshold was fixed" err.txt && [ ! -e x.json ] ||
  { echo "FAILED: report --threshold: exit $rc, $(cat err.txt)"; fail=1; }

[ $fail -eq 0 ] && echo "partial audits: identical to the single audit in every split"
exit $fail
