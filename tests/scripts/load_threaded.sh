#!/bin/sh
# A regular file of 1 MiB or more is read and decompressed by a reader
# thread. Its records, digest and error positions must be exactly those of
# the same bytes read from standard input, which has no reader thread.
#   load_threaded.sh FAIRAUDIT SOURCE_DIR
set -u
fa=$1
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 2
fail=0

python3 - <<'PY'
import random
r = random.Random(5)
with open("big.csv", "w") as f:
    f.write("label,score,grp\n")
    for i in range(120000):
        f.write("%d,%.6f,%s\n" % (r.random() < 0.3, r.random(), "abc"[i % 3]))
PY
gzip -n -k big.csv
size=$(wc -c < big.csv.gz)
head -c $((size / 2)) big.csv.gz > cut.csv.gz
# a corrupt byte in the middle of the compressed data
python3 -c "
d = bytearray(open('big.csv.gz','rb').read()); d[len(d)//2] ^= 0xff
open('bad.csv.gz','wb').write(bytes(d))"

run() { # run NAME ARGS...: stdout to NAME.out, stderr to NAME.err, code to NAME.rc
  name=$1; shift
  "$fa" audit "$@" --group grp --bootstrap 0 --permutations 0 -q -o "$name.json" >"$name.out" 2>"$name.err"
  echo $? > "$name.rc"
}

for f in big.csv big.csv.gz cut.csv.gz bad.csv.gz; do
  run file "$f"
  run pipe - < "$f"
  if ! cmp -s file.rc pipe.rc; then
    echo "$f: exit $(cat file.rc) from the file, $(cat pipe.rc) from a pipe"; fail=1
  fi
  # the same message, but for the name of the input
  sed "s|^fairaudit: $f:|fairaudit: X:|" file.err > a.err
  sed "s|^fairaudit: <stdin>:|fairaudit: X:|" pipe.err > b.err
  if ! cmp -s a.err b.err; then
    echo "$f: messages differ:"; cat file.err pipe.err; fail=1
  fi
  if [ "$(cat file.rc)" = 0 ]; then
    # same digest and numbers: compare the reports without the file names
    python3 - "$f" <<'PY' || fail=1
import json, sys
a = json.load(open("file.json")); b = json.load(open("pipe.json"))
for r in (a, b):
    for x in r["input"]["files"]: x["path"] = "X"
    r["command_line"] = None
if a != b:
    print(sys.argv[1] + ": reports differ between the file and the pipe"); sys.exit(1)
PY
  fi
done
run file cut.csv.gz
if ! grep -q "truncated gzip data" file.err; then echo "cut.csv.gz: $(cat file.err)"; fail=1; fi
# damaged data: an error (which one depends on what the damage decodes to)
run file bad.csv.gz
if [ "$(cat file.rc)" != 2 ]; then echo "bad.csv.gz: exit $(cat file.rc)"; fail=1; fi
[ "$fail" = 0 ] && echo "ok" || echo "FAILED"
exit $fail
