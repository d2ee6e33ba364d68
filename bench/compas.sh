#!/usr/bin/env bash
# bench/compas.sh [FAIRAUDIT]: check fairaudit against the published
# ProPublica COMPAS figures (FPR and FNR by race at decile_score >= 5, and
# the Mann-Whitney AUC), using the copy of compas-scores-two-years.csv.gz
# kept beside the repository in ../shared/data/external/. Not a test: the
# file is not part of the repository.
set -euo pipefail
cd "$(dirname "$0")/.."
fa=${1:-build/fairaudit}
data=${COMPAS:-../shared/data/external/compas-scores-two-years.csv.gz}
[ -f "$data" ] || { echo "SKIP: $data not found"; exit 0; }
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
# the file has two decile_score columns: the first is the one analysed
"$fa" audit "$data" --label two_year_recid --score 'decile_score#1' --threshold 5 \
  --group race --bootstrap 0 --permutations 0 -q -o "$out/compas.json"
python3 - "$out/compas.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
groups = {g["value"]: g for g in r["attributes"][0]["groups"]}
published = {  # ProPublica, "Machine Bias" (2016), recomputed at decile_score >= 5
    "African-American": (3696, 0.448468, 0.279853, 0.6918343813),
    "Caucasian": (2454, 0.234543, 0.477226, 0.6931462744),
}
ok = True
print("| race | n | FPR | FNR | AUC | published FPR | FNR | AUC |")
print("|---|---|---|---|---|---|---|---|")
for race, (n, fpr, fnr, auc) in published.items():
    g = groups[race]; m = g["metrics"]
    got = (g["n"], m["fpr"]["value"], m["fnr"]["value"], m["auc"]["value"])
    print("| %s | %d | %.6f | %.6f | %.10f | %.6f | %.6f | %.10f |" % ((race,) + got + (fpr, fnr, auc)))
    ok &= got[0] == n and round(got[1], 6) == fpr and round(got[2], 6) == fnr and round(got[3], 10) == auc
overall = r["overall"]["metrics"]["auc"]["value"]
print("\noverall AUC %.10f (published 0.7021662544)" % overall)
ok &= round(overall, 10) == 0.7021662544
print("MATCH" if ok else "MISMATCH")
sys.exit(0 if ok else 1)
PY
