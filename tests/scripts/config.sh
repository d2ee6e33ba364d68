#!/bin/sh
# `fairaudit audit --config FILE` reads the same options as the command
# line: config.sh FAIRAUDIT SOURCE_DIR
#
# 1. tests/data/config/full.json (models, intersections, a reference, two
#    operating points, gates, BCa intervals...) and the same options given
#    on the command line write the same JSON report, apart from its
#    command_line (which records the options as read), and the same CSV
#    and JSON Lines lines apart from the run line, byte for byte.
# 2. The config is found, and its relative paths resolved, from any
#    working folder: the same report run from the source tree and from /.
# 3. The golden cases config_same_as_command_line and config_command_line
#    expect the same standard output.
set -u
bin=$1 src=$(cd "$2" && pwd) || exit 2
case $bin in /*) ;; */*) bin=$PWD/$bin ;; esac
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT
fail=0

audit() { # name, then arguments; a gate may fail (1) or be inconclusive (3)
  name=$1; shift
  LC_ALL=C "$bin" audit "$@" -o "$tmp/$name.json" -o "$tmp/$name.csv" \
    -o "$tmp/$name.jsonl" 2>"$tmp/$name.err"
  case $? in 0|1|3) ;; *) echo "FAILED: $name:"; cat "$tmp/$name.err"; fail=1 ;; esac
}

(cd "$src" && audit config --config tests/data/config/full.json)
(cd "$src" && audit cmdline tests/data/jsonl_hand.csv --group grp --group sex --group grp+sex \
  --reference grp=B --model a=score --model b=score2 --bootstrap 40 --seed 7 --min-n 2 \
  --suppress-below 3 --ci-level 0.9 --bootstrap-ci bca --operating-point spec=0.5 \
  --operating-point threshold=0.4 --gate 'grp:tpr_gap<=0.5' --gate 'b-a:grp:tpr_gap<=0.5' \
  --gate-on ci-violation --permutations 50 --p-adjust bh --threads 1 --quiet)
(cd / && audit elsewhere --config "$src/tests/data/config/full.json")

for f in config elsewhere; do
  cmp -s "$tmp/cmdline.csv" "$tmp/$f.csv" ||
    { echo "FAILED: $f.csv differs from the command line's"; fail=1; }
  tail -n +2 "$tmp/cmdline.jsonl" > "$tmp/a" && tail -n +2 "$tmp/$f.jsonl" > "$tmp/b"
  cmp -s "$tmp/a" "$tmp/b" || { echo "FAILED: $f.jsonl differs from the command line's"; fail=1; }
done
/usr/bin/python3 - "$tmp" <<'PY' || fail=1
import json, sys
tmp = sys.argv[1]
def load(n):
    with open("%s/%s.json" % (tmp, n), encoding="utf-8") as f:
        return json.load(f)
want = load("cmdline")
bad = 0
for n in ("config", "elsewhere"):
    got = load(n)
    cl = got.pop("command_line")
    want_cl = dict(want).pop("command_line")
    w = dict(want)
    del w["command_line"]
    # the input's path differs (it is resolved from the config's folder)
    for r in (got, w):
        for f in r["input"]["files"]:
            f["path"] = f["path"].rsplit("/", 1)[-1]
    if got != w:
        print("FAILED: %s.json differs from the command line's" % n); bad = 1
    if "--config" in cl or "--group=grp+sex" not in cl:
        print("FAILED: %s: command_line %r" % (n, cl)); bad = 1
    if len(got["models"]) != 2 or len(got["operating_points"]) != 2 or len(got["gates"]) != 2:
        print("FAILED: %s: the config's lists were not all read" % n); bad = 1
sys.exit(bad)
PY

cases=$src/tests/cli/cases
cmp -s "$cases/config_same_as_command_line/stdout" "$cases/config_command_line/stdout" ||
  { echo "FAILED: the golden outputs of config_same_as_command_line and config_command_line differ"; fail=1; }
[ "$fail" = 0 ] && echo "ok" || echo "FAILED"
exit $fail
