#!/bin/sh
# --period with a model from its own file (--model NAME=FILE --id COL):
# period_model_file.sh FAIRAUDIT SOURCE_DIR
#
# The date column is the main input's; the joined table must keep it, so an
# audit of two models, one read from its own file, has the same periods as
# the same data given as two score columns of one file. Python writes 60
# records over three months (ids r00..r59; the second model's scores also
# in a file of their own, rows shuffled), and the script checks:
# 1. two columns and a joined file give the same `periods` in the JSON
#    report, and the same period lines in JSON Lines, with either model
#    first;
# 2. the periods measure the first model: every period's n, positives and
#    AUC equal the ones Python computes from the CSV (the rank-sum AUC,
#    ties one half), for the file's model when it comes first;
# 3. with --on-invalid skip, a model file without 7 of the ids audits the
#    records it has: the periods equal those of the two-column file whose
#    second score is empty on those 7 rows, and their counts equal
#    Python's.
set -u
bin=$1 src=$(cd "$2" && pwd) || exit 2
case $bin in /*) ;; */*) bin=$PWD/$bin ;; esac
py=/usr/bin/python3
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT
fail=0

"$py" - "$tmp" <<'EOF' || exit 2
import random, sys
tmp = sys.argv[1]
rnd = random.Random(7)
rows = []
for i in range(60):
    month = 1 + i % 3
    y = 1 if rnd.random() < 0.5 else 0
    s1 = round(min(1.0, 0.45 * y + rnd.random() * 0.6), 3)
    s2 = round(min(1.0, 0.30 * y + rnd.random() * 0.7), 3)
    rows.append(("r%02d" % i, y, s1, "FM"[rnd.randrange(2)], "2026-%02d-%02d" % (month, 1 + (i * 7) % 28), s2))
missing = set("r%02d" % i for i in (3, 8, 14, 20, 33, 41, 57))
with open(tmp + "/two.csv", "w") as f:
    f.write("id,label,score,sex,date,score2\n")
    for r in rows:
        f.write("%s,%d,%s,%s,%s,%s\n" % r)
with open(tmp + "/two_gaps.csv", "w") as f:
    f.write("id,label,score,sex,date,score2\n")
    for r in rows:
        f.write("%s,%d,%s,%s,%s,%s\n" % (r[:5] + ("" if r[0] in missing else r[5],)))
with open(tmp + "/main.csv", "w") as f:
    f.write("id,label,score,sex,date\n")
    for r in rows:
        f.write("%s,%d,%s,%s,%s\n" % r[:5])
shuffled = rows[:]
rnd.shuffle(shuffled)
with open(tmp + "/b.csv", "w") as f:
    f.write("id,score\n")
    for r in shuffled:
        f.write("%s,%s\n" % (r[0], r[5]))
with open(tmp + "/b_part.csv", "w") as f:
    f.write("id,score\n")
    for r in shuffled:
        if r[0] not in missing:
            f.write("%s,%s\n" % (r[0], r[5]))
EOF

run() { # name, input, then audit arguments
  name=$1 in=$2; shift 2
  if ! LC_ALL=C "$bin" audit "$tmp/$in" --group sex --period date --min-period-n 5 \
       --bootstrap 20 --seed 5 -q -o "$tmp/$name.json" -o "$tmp/$name.jsonl" "$@" \
       2>"$tmp/$name.err"; then
    echo "FAILED: audit $name:"; cat "$tmp/$name.err"; fail=1
  fi
}
run cols two.csv --model a=score --model b=score2
run join main.csv --model a=score --model "b=$tmp/b.csv" --id id
run cols_b two.csv --model b=score2 --model a=score
run join_b main.csv --model "b=$tmp/b.csv" --model a=score --id id
run cols_gaps two_gaps.csv --model a=score --model b=score2 --on-invalid skip
run join_gaps main.csv --model a=score --model "b=$tmp/b_part.csv" --id id --on-invalid skip

"$py" - "$tmp" <<'EOF' || fail=1
import csv, json, sys
tmp = sys.argv[1]
bad = []

def check(cond, what):
    if not cond:
        bad.append(what)

def report(name):
    return json.load(open("%s/%s.json" % (tmp, name)))

def period_lines(name):
    out = []
    for t in open("%s/%s.jsonl" % (tmp, name)):
        d = json.loads(t)
        if d["kind"] == "period" or d.get("period") is not None:
            out.append(d)
    return out

def auc(rs):
    pos = [s for y, s in rs if y == 1]
    neg = [s for y, s in rs if y == 0]
    return sum(1.0 if p > q else 0.5 if p == q else 0.0 for p in pos for q in neg) / (len(pos) * len(neg))

def want(score, skip_empty):
    out = {}
    for r in csv.DictReader(open(tmp + ("/two_gaps.csv" if skip_empty else "/two.csv"))):
        if r["score2"] == "":
            continue
        out.setdefault(r["date"][:7], []).append((int(r["label"]), float(r[score])))
    return out

for a, b, score, skip in (("cols", "join", "score", False), ("cols_b", "join_b", "score2", False),
                          ("cols_gaps", "join_gaps", "score", True)):
    A, B = report(a), report(b)
    check("periods" in A and A.get("periods") == B.get("periods"),
          "%s and %s: the JSON reports' periods differ" % (a, b))
    check(A["settings"].get("period_column") == "date" and B["settings"].get("period_column") == "date",
          "%s, %s: settings.period_column" % (a, b))
    pa, pb = period_lines(a), period_lines(b)
    check(pa and pa == pb, "%s and %s: the JSON Lines' period lines differ" % (a, b))
    w = want(score, skip)
    got = [(p["label"], p["n"], p["n_pos"], p["status"]) for p in B.get("periods", [])]
    exp = [(m, len(w[m]), sum(y for y, _ in w[m]), "ok") for m in sorted(w)]
    check(got == exp, "%s: periods %r, want %r" % (b, got, exp))
    for p in B.get("periods", []):
        v = p.get("metrics", {}).get("auc", {}).get("value")
        check(v is not None and abs(v - auc(w[p["label"]])) < 1e-12,
              "%s %s: auc %r, want %r (%s)" % (b, p["label"], v, auc(w[p["label"]]), score))
    check(len(B.get("models", [])) == 2, "%s: two models" % b)

G = report("join_gaps")
check(G["input"]["rows_used"] == 53, "join_gaps: 53 records used, got %r" % G["input"]["rows_used"])

for x in bad:
    print("FAILED:", x)
sys.exit(1 if bad else 0)
EOF
[ "$fail" = 0 ] && echo "ok" || echo "FAILED"
exit $fail
