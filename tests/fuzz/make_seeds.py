#!/usr/bin/env python3
"""Write the seed inputs of the fuzz corpora, tests/fuzz/corpus/*/seed-*.

load:   one option byte (see fuzz_load.c) followed by a file: small pieces
        of data/samples and the files of tests/data/load.
gate:   the gate expressions of tests/cli/cases/gate_*, of the policy files
        there and of docs/gates.md, and a few forms they lack.
policy: the policy files of tests/cli/cases, and policies made of those
        gate expressions.
report: the saved reports of tests/cli/cases, and, when a fairaudit binary
        is given, reports it writes with the options that add optional
        parts (operating points, clusters, population, gates, ...). Their
        ROC curves are thinned to a few points, which keeps the inputs
        small and the fuzzer fast. The same binary writes
        tests/fuzz/data/gate_result.json and gate_models.json, the results
        fuzz_gate.c evaluates gates on.
partial: when a fairaudit binary is given, partial audits it makes of
        data/samples (20 replicates, and often 10 or 20 score bins, to stay
        small), one a merge of two: each as a file, and its body alone
        (decompressed), which fuzz_partial.c wraps in a file itself; and
        pairs of partials for it to merge.

Inputs found by fuzzing (crash-*, regress-*) are kept as they are. Run from
the source root:

    python3 tests/fuzz/make_seeds.py [build/fairaudit]
"""
import glob
import gzip
import io
import json
import os
import re
import subprocess
import sys
import tempfile
import zlib

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CORPUS = os.path.join(ROOT, "tests", "fuzz", "corpus")
OUT = os.path.join(CORPUS, "load")

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


def clear_seeds(folder):
    os.makedirs(folder, exist_ok=True)
    for name in os.listdir(folder):
        if name.startswith("seed-"):
            os.remove(os.path.join(folder, name))


def load_seeds():
    clear_seeds(OUT)
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
        if len(body) > 8192:
            continue
        fmt = TSV if ".tsv" in name else JSON if ".json" in name else CSV
        seeds["data-" + name] = [(fmt, body), (SNIFF | SKIP, body)]
    for stem, items in seeds.items():
        for opt, body in items:
            path = os.path.join(OUT, "seed-%s-%02x" % (stem, opt))
            with open(path, "wb") as f:
                f.write(bytes([opt]) + body)
    print("%d seeds in %s" % (sum(len(v) for v in seeds.values()), OUT))


def case_gates():
    """The --gate values and policy gates of the CLI cases, in order."""
    found = []
    for case in sorted(glob.glob(os.path.join(ROOT, "tests", "cli", "cases", "*"))):
        args = os.path.join(case, "args")
        if os.path.exists(args):
            with open(args, encoding="utf-8") as f:
                words = f.read().split("\n")
            found += [words[i + 1] for i, w in enumerate(words[:-1]) if w == "--gate"]
        policy = os.path.join(case, "policy.json")
        if os.path.exists(policy):
            try:
                with open(policy, encoding="utf-8") as f:
                    found += [g for g in json.load(f).get("gates", []) if isinstance(g, str)]
            except ValueError:
                pass
    return found


def doc_gates():
    """Gate expressions quoted in docs/gates.md."""
    with open(os.path.join(ROOT, "docs", "gates.md"), encoding="utf-8") as f:
        text = f.read()
    return [m for m in re.findall(r"`([^`\n]+)`", text)
            if re.search(r"[<>]", m) and re.search(r"[a-z]{3}", m) and "--" not in m]


# forms the cases and docs do not show
EXTRA_GATES = [
    "threshold=0.3:sex:tpr_gap<=0.1", "sens=0.95:overall.auc>=0.8", "spec = 0.9 : race=Black : fpr <= 0.2",
    "age=<65:tpr>=0.7", "race=White:leakage_negatives<0.7", "overall.leakage_positives<=0.5",
    "race.auc>=0.8", "race=Black:tpr_gap<=0.1", "overall.tpr_gap<=0.1", "tpr_gap=>0.1",
    "tpr_gap<=1e999", "tpr_gap<=nan", "tpr_gap<=0x1p-3", "tpr_gap<=", "<=0.1", ":tpr<=1",
    "=x:tpr<=1", "spec=0.9:leakage_positives<=0.5", "tpr_gapp<=0.1", "r\u00e9gion:tpr_gap<=0.1",
    "demographic_parity_diff<=0.1", "disparate_impact>=0.8", "balanced_accuracy_min>0.6",
    "ece_max<0.1", "sex+race:worst_group_auc>=0.75", "  sex :  tpr_gap  <=  0.1  ", "",
]


def write_seeds(folder, items):
    clear_seeds(folder)
    for i, body in enumerate(items):
        with open(os.path.join(folder, "seed-%03d" % i), "wb") as f:
            f.write(body)
    print("%d seeds in %s" % (len(items), folder))


def unique(items):
    seen, out = set(), []
    for x in items:
        if x not in seen:
            seen.add(x)
            out.append(x)
    return out


def gate_seeds(gates):
    write_seeds(os.path.join(CORPUS, "gate"), [g.encode() for g in gates])


def policy_seeds(gates):
    items = []
    for case in sorted(glob.glob(os.path.join(ROOT, "tests", "cli", "cases", "*", "policy.json"))):
        with open(case, "rb") as f:
            items.append(f.read())
    for i in range(0, len(gates), 4):
        body = {"gates": gates[i:i + 4]}
        if i % 8 == 0:
            body["gate_on"] = ["point", "ci-violation", "ci-compliance"][i // 8 % 3]
        items.append(json.dumps(body, indent=2).encode() + b"\n")
    items += [b"{}", b"{\"gate_on\": \"ci-compliance\"}", b"[]", b"{\"gates\": []}",
              b"{\"gates\": \"sex:tpr_gap<=0.1\"}", b"{\"gates\": [1, null]}",
              b"{\"gates\": [\"sex:tpr_gap<=0.1\"], \"gates\": []}",
              b"{\"gate_on\": \"points\"}", b"{\"gatez\": []}", b"{\"gates\": [\"a\\u0000b<=1\"]}",
              b"\xef\xbb\xbf{\"gates\": []}", b"{\"gates\": [\"sex:tpr_gap<=0.1\"]} x"]
    write_seeds(os.path.join(CORPUS, "policy"), unique(items))


def thin(report):
    """Keep a few points of every ROC curve (the reader takes any) and six
    digits of every number."""
    def walk(x):
        if isinstance(x, dict):
            for k, v in x.items():
                if isinstance(v, float):
                    x[k] = float("%.6g" % v)
                elif isinstance(v, list) and v and isinstance(v[0], float):
                    x[k] = [float("%.6g" % e) if isinstance(e, float) else e for e in v]
            roc = x.get("roc")
            if isinstance(roc, dict) and isinstance(roc.get("fpr"), list) and len(roc["fpr"]) > 6:
                n = len(roc["fpr"])
                keep = sorted({0, n // 4, n // 2, 3 * n // 4, n - 1})
                roc["fpr"] = [roc["fpr"][k] for k in keep]
                roc["tpr"] = [roc["tpr"][k] for k in keep]
            for v in x.values():
                walk(v)
        elif isinstance(x, list):
            for v in x:
                walk(v)
    walk(report)
    return report


# audits whose reports are seeds: each adds optional parts of the schema
AUDITS = [
    ["data/samples/cxr_small.csv", "--group", "sex", "--bootstrap", "0", "--permutations", "0"],
    ["data/samples/cxr_small.csv", "--group", "sex", "--group", "race", "--min-n", "40",
     "--suppress-below", "8", "--operating-point", "spec=0.9", "--bootstrap", "20",
     "--permutations", "0"],
    ["data/samples/cxr_small.csv", "--group", "site", "--cluster", "patient_id", "--bootstrap",
     "20", "--permutations", "20", "--bootstrap-ci", "bca", "--gate", "site:tpr_gap<=0.1",
     "--gate", "overall.auc>=0.8", "--gate-on", "ci-violation"],
    ["data/samples/cxr_small.csv", "--group", "site", "--population",
     "tests/data/population_valid.csv", "--ci-method", "analytic", "--p-adjust", "bh",
     "--operating-point", "threshold=0.3", "--operating-point", "sens=0.8"],
    ["data/samples/derm_lesions.jsonl", "--label", "malignant", "--score", "prob", "--group",
     "fitzpatrick", "--reference", "fitzpatrick=II", "--bootstrap", "20", "--permutations",
     "20", "--bootstrap-scheme", "poisson", "--gate", "fitzpatrick=V:tpr_diff>=-0.2"],
    ["data/samples/cxr_small.csv", "--group", "age", "--bin", "age=40,65", "--group",
     "sex+race", "--score", "score_v2", "--threshold", "0.4", "--bootstrap", "0",
     "--permutations", "0"],
    ["data/samples/cxr_small.csv", "--model", "base=score", "--model", "cand=score_v2",
     "--group", "sex", "--group", "race", "--min-n", "40", "--bootstrap", "20",
     "--permutations", "0"],
]
# the results fuzz_gate.c evaluates gates on, by their place in AUDITS
GATE_RESULTS = {1: "gate_result.json", 6: "gate_models.json"}


def report_seeds(binary):
    items = []
    for case in sorted(glob.glob(os.path.join(ROOT, "tests", "cli", "cases", "*", "*.json"))):
        if os.path.basename(case) == "policy.json":
            continue
        with open(case, "rb") as f:
            body = f.read()
        try:
            body = (json.dumps(thin(json.loads(body)), indent=1) + "\n").encode()
        except ValueError:
            pass  # not JSON: a seed as it is
        items.append(body)
    if binary:
        with tempfile.TemporaryDirectory() as tmp:
            os.symlink(os.path.join(ROOT, "data"), os.path.join(tmp, "data"))
            os.symlink(os.path.join(ROOT, "tests"), os.path.join(tmp, "tests"))
            for i, args in enumerate(AUDITS):
                out = os.path.join(tmp, "r%d.json" % i)
                cmd = [binary, "audit"] + args + ["--seed", "5", "--threads", "1", "-q", "-o", out]
                if subprocess.run(cmd, cwd=tmp).returncode not in (0, 1, 3):
                    sys.exit("make_seeds.py: %s failed" % " ".join(cmd))
                with open(out) as f:
                    report = thin(json.load(f))
                report["command_line"] = "fairaudit audit " + " ".join(args)
                items.append((json.dumps(report, separators=(",", ":")) + "\n").encode())
                if i in GATE_RESULTS:
                    path = os.path.join(ROOT, "tests", "fuzz", "data", GATE_RESULTS[i])
                    os.makedirs(os.path.dirname(path), exist_ok=True)
                    with open(path, "w") as f:
                        json.dump(report, f, separators=(",", ":"))
                        f.write("\n")
        write_seeds(os.path.join(CORPUS, "report"), unique(items))
    else:
        print("no fairaudit binary given: report seeds left as they are")


# partial audits whose files are seeds: each adds optional parts of the
# format (a decision column, clusters, ids, binned and missing levels,
# references, every interval method), run in a scratch folder that holds
# pred.csv and derm.jsonl (relative paths keep the seeds the same each time)
PARTIALS = [
    ["data/samples/cxr_small.csv", "--group", "sex", "--bootstrap", "20", "--score-bins", "10",
     "--permutations", "0"],
    ["data/samples/cxr_small.csv", "--group", "sex", "--group", "race", "--group", "sex+race",
     "--group", "age", "--bin", "age=40,65", "--reference", "sex=F", "--bootstrap", "20",
     "--score-bins", "20", "--permutations", "20", "--min-n", "20", "--suppress-below", "5"],
    ["data/samples/cxr_small.csv", "--group", "site", "--cluster", "patient_id",
     "--ci-method", "bootstrap", "--bootstrap", "20", "--score-bins", "10",
     "--bootstrap-ci", "bca"],
    ["pred.csv", "--group", "sex", "--pred", "pred", "--bootstrap", "20",
     "--score-bins", "10", "--permutations", "0", "--id", "image_id"],
    ["derm.jsonl", "--label", "malignant", "--score", "prob", "--group", "fitzpatrick",
     "--group", "body_site", "--bootstrap", "20", "--p-adjust", "bh", "--threshold", "0.3",
     "--permutations", "10", "--ci-level", "0.9"],
    ["data/samples/cxr_small.csv", "--group", "race", "--bootstrap", "0", "--ci-method",
     "analytic", "--permutations", "0"],
    ["data/samples/cxr_small.csv", "--group", "sex", "--group", "site", "--bootstrap", "20",
     "--permutations", "0"],
]


def partial_seeds(binary):
    folder = os.path.join(CORPUS, "partial")
    if not binary:
        print("no fairaudit binary given: partial seeds left as they are")
        return
    items = []
    with tempfile.TemporaryDirectory() as tmp:
        os.symlink(os.path.join(ROOT, "data"), os.path.join(tmp, "data"))
        rows = lines("data/samples/cxr_small.csv", 121).split(b"\r\n")
        with open(os.path.join(tmp, "pred.csv"), "wb") as f:
            f.write(b"\n".join(r + (b",pred" if i == 0 else b",%d" % (i % 2))
                                for i, r in enumerate(rows) if r) + b"\n")
        with open(os.path.join(tmp, "derm.jsonl"), "wb") as f:
            f.write(lines("data/samples/derm_lesions.jsonl", 300))
        # two halves of the CXR sample, merged
        head = lines("data/samples/cxr_small.csv", 1)
        body = lines("data/samples/cxr_small.csv", 401)[len(head):].split(b"\r\n")
        for name, part in (("h1.csv", body[:150]), ("h2.csv", body[150:])):
            with open(os.path.join(tmp, name), "wb") as f:
                f.write(head + b"".join(r + b"\r\n" for r in part if r))
        runs = [(a, "p%d.fap" % i) for i, a in enumerate(PARTIALS)]
        halves = ["--group", "sex", "--group", "site", "--bootstrap", "20", "--score-bins", "10",
                  "--permutations", "0"]
        runs += [(["h1.csv"] + halves, "h1.fap"), (["h2.csv"] + halves, "h2.fap")]
        for args, out in runs:
            cmd = [binary, "partial"] + args + ["--seed", "5", "--threads", "1", "-q",
                                                "-o", os.path.join(tmp, out)]
            if subprocess.run(cmd, cwd=tmp).returncode != 0:
                sys.exit("make_seeds.py: %s failed" % " ".join(cmd))
        cmd = [binary, "merge", os.path.join(tmp, "h1.fap"), os.path.join(tmp, "h2.fap"),
               "-o", os.path.join(tmp, "sum.fap")]
        if subprocess.run(cmd, cwd=tmp).returncode != 0:
            sys.exit("make_seeds.py: %s failed" % " ".join(cmd))
        files = {}
        for out in [o for _, o in runs] + ["sum.fap"]:
            with open(os.path.join(tmp, out), "rb") as f:
                files[out] = f.read()
    body = {k: zlib.decompress(v[28:]) for k, v in files.items()}
    for out in [o for _, o in runs[:len(PARTIALS)]] + ["sum.fap"]:
        items.append(files[out])
        # the body alone: it does not start with the file's signature
        items.append(body[out])
    # pairs to merge ("FAP+", the first's length, the first, the second):
    # the two halves, as bodies and as files, and two of other settings
    for a, b in ((body["h1.fap"], body["h2.fap"]), (files["h2.fap"], files["h1.fap"]),
                 (body["p0.fap"], body["h1.fap"])):
        items.append(b"FAP+" + len(a).to_bytes(4, "little") + a + b)
    write_seeds(folder, items)


def main():
    load_seeds()
    gates = unique(case_gates() + doc_gates() + EXTRA_GATES)
    gate_seeds(gates)
    policy_seeds([g for g in gates if g])
    report_seeds(os.path.abspath(sys.argv[1]) if len(sys.argv) > 1 else None)
    partial_seeds(os.path.abspath(sys.argv[1]) if len(sys.argv) > 1 else None)


if __name__ == "__main__":
    main()
