#!/usr/bin/env python3
"""Write the seed inputs of tests/fuzz/corpus/load/ (seed-*).

Each input is one option byte (see fuzz_load.c) followed by a file: small
pieces of data/samples and the files of tests/data/load. Inputs found by
fuzzing (crash-*, regress-*) are kept as they are. Run from the source root:

    python3 tests/fuzz/make_seeds.py
"""
import gzip
import io
import json
import os

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "tests", "fuzz", "corpus", "load")

# option bits, as in fuzz_load.c
CSV, TSV, JSON, SNIFF = 0, 1, 2, 3
GZIP, POSITIVE, SKIP, DERM, EXTRA, SMALL = 4, 8, 16, 32, 64, 128


def gz(data):
    buf = io.BytesIO()
    with gzip.GzipFile(fileobj=buf, mode="wb", mtime=0) as f:
        f.write(data)
    return buf.getvalue()


def lines(path, n, opener=open):
    with opener(os.path.join(ROOT, path), "rb") as f:
        return b"".join(f.readline() for _ in range(n))


def main():
    os.makedirs(OUT, exist_ok=True)
    for name in os.listdir(OUT):
        if name.startswith("seed-"):
            os.remove(os.path.join(OUT, name))
    seeds = {}
    cxr = lines("data/samples/cxr_small.csv", 30)          # CRLF, quoted commas
    cxr_gz = gz(lines("data/samples/cxr_triage.csv.gz", 30, gzip.open))
    derm = lines("data/samples/derm_lesions.jsonl", 20)
    derm_array = ("[\n" + ",\n".join("  " + l.decode() for l in derm.splitlines()) + "\n]\n").encode()
    cxr_tsv = cxr.replace(b'"Carestream DRX-1, rev 2"', b"Carestream DRX-1, rev 2").replace(b",", b"\t")
    # a decision column, for the --pred option
    rows = cxr.split(b"\r\n")
    cxr_pred = b"\r\n".join(r + (b",pred" if i == 0 else b",%d" % (i % 2)) for i, r in enumerate(rows) if r) + b"\r\n"
    derm_pred = b"".join(json.dumps(dict(json.loads(l), pred=i % 2)).encode() + b"\n"
                         for i, l in enumerate(derm.splitlines()))

    seeds["cxr-csv"] = [(CSV, cxr), (SNIFF, cxr), (CSV | GZIP, cxr), (CSV | POSITIVE, cxr),
                        (CSV | SKIP, cxr), (CSV | SMALL, cxr)]
    seeds["cxr-gz"] = [(CSV, cxr_gz), (SNIFF | SKIP, cxr_gz)]
    seeds["cxr-tsv"] = [(TSV, cxr_tsv), (TSV | GZIP | SKIP, cxr_tsv)]
    seeds["cxr-pred"] = [(CSV | EXTRA, cxr_pred), (CSV | EXTRA | SKIP | SMALL, cxr_pred)]
    seeds["derm-jsonl"] = [(SNIFF | DERM, derm), (JSON | DERM | POSITIVE, derm),
                           (SNIFF | DERM | GZIP | SKIP, derm), (SNIFF | DERM | SMALL, derm)]
    seeds["derm-array"] = [(JSON | DERM, derm_array), (SNIFF | DERM | SKIP, derm_array)]
    seeds["derm-pred"] = [(SNIFF | DERM | EXTRA, derm_pred)]
    data = os.path.join(ROOT, "tests", "data", "load")
    for name in sorted(os.listdir(data)):
        with open(os.path.join(data, name), "rb") as f:
            body = f.read()
        if len(body) > 4096:
            continue
        fmt = TSV if ".tsv" in name else JSON if ".json" in name else CSV
        seeds["data-" + name] = [(fmt, body), (SNIFF | SKIP, body)]
    for stem, items in seeds.items():
        for opt, body in items:
            path = os.path.join(OUT, "seed-%s-%02x" % (stem, opt))
            with open(path, "wb") as f:
                f.write(bytes([opt]) + body)
    print("%d seeds in %s" % (sum(len(v) for v in seeds.values()), OUT))


if __name__ == "__main__":
    main()
