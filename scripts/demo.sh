#!/usr/bin/env bash
# scripts/demo.sh: install what is missing, build a Release binary, and audit
# the sample predictions in data/samples/, writing the reports to out/demo/.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/deps.sh

build=${FA_BUILD_DIR:-build-release}
if [ ! -f "$build/CMakeCache.txt" ]; then
  cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF >/dev/null
fi
cmake --build "$build" -j"$(nproc)" | grep -v "^\[.*\] Built target\|Consolidate\|^$" || true
fa=$build/fairaudit
out=out/demo
mkdir -p "$out"

echo
echo "== Chest X-ray triage model: data/samples/cxr_triage.csv.gz =="
set +e
"$fa" audit data/samples/cxr_triage.csv.gz \
  --label label --score score \
  --group sex --group race --group site --group age --bin age=40,65 --group sex+race \
  --cluster patient_id --operating-point spec=0.90 \
  --reference race=White \
  --gate 'sex:tpr_gap<=0.10' --gate 'worst_group_auc>=0.75' --gate-on ci-violation \
  -o "$out/cxr.md" -o "$out/cxr.json" -o "$out/cxr.csv" -o "$out/cxr.html"
cxr=$?
"$fa" audit data/samples/derm_lesions.jsonl \
  --label malignant --score prob --group fitzpatrick --group sex \
  --reference fitzpatrick=II \
  --gate 'fitzpatrick:tpr_gap<=0.15' \
  -o "$out/derm.md" -o "$out/derm.json" -o "$out/derm.csv" -o "$out/derm.html"
derm=$?
# the same model quarter by quarter (docs/drift.md), as a chart and as JSON Lines
"$fa" audit data/samples/cxr_triage.csv.gz \
  --label label --score score --group sex --group race \
  --period study_date --every quarter --cluster patient_id -q \
  -o "$out/cxr-drift.html" -o "$out/cxr-drift.jsonl"
drift=$?
# the same records audited as if held by three sites (docs/distributed.md):
# each site's file reduced to a partial audit, the partials merged, the sum
# reported; the report is that of one audit with --bootstrap-scheme poisson
mkdir -p "$out/sites"
zcat data/samples/cxr_triage.csv.gz | awk -F, -v dir="$out/sites" '
  NR == 1 { head = $0; next }
  { f = dir "/" ($9 == "SiteA" ? "site-a" : $9 == "SiteB" ? "site-b" : "site-c") ".csv"
    if (!(f in seen)) { print head > f; seen[f] = 1 }
    print > f }'
sites=0
for s in a b c; do
  "$fa" partial "$out/sites/site-$s.csv" --label label --score score \
    --group sex --group race --reference race=White --bootstrap 500 -q \
    -o "$out/sites/site-$s.fap" || sites=2
done
"$fa" merge "$out"/sites/site-*.fap -o "$out/sites/all.fap" &&
"$fa" report "$out/sites/all.fap" --gate 'sex:tpr_gap<=0.10' -o "$out/cxr-sites.md" -q
merged=$?
[ $sites -eq 0 ] || merged=2
set -e
[ $cxr -le 3 ] && [ $derm -le 3 ] && [ $drift -eq 0 ] && [ $merged -le 3 ] ||
  { echo "demo: fairaudit failed" >&2; exit 2; }

sed -n '1,/^## Overall/p' "$out/cxr.md" | head -40
echo
echo "Exit codes: chest X-ray $cxr, dermatology $derm (0 pass, 1 a gate failed, 3 inconclusive)"
echo "Reports written:"
ls -1 "$out"/*.* "$out"/sites/*.fap | sed "s/^/  /"
