#!/usr/bin/env python3
"""Make the benchmark input: a synthetic chest X-ray export.

    python3 bench/gen_bench.py ROWS OUT.csv [--seed 7] [--gzip]

Columns: label,score,age,sex,race,site. Scores are probabilities printed
with 6 decimals from a binormal model on the logit scale (with group
effects, so gaps exist); about 2% of ages are missing. Standard library
only, deterministic for a given seed and row count.
"""
import argparse
import gzip
import math
import random


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("rows", type=int)
    ap.add_argument("out")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--gzip", action="store_true")
    a = ap.parse_args()
    rng = random.Random(a.seed)
    races = ["White", "Black", "Asian", "Hispanic", "Other"]
    race_w = [0.60, 0.15, 0.12, 0.09, 0.04]
    race_mu = [2.2, 1.5, 1.9, 2.1, 2.0]
    sites = ["SiteA", "SiteB", "SiteC"]
    site_w = [0.5, 0.38, 0.12]
    site_mu = [0.0, 0.0, -0.7]
    opener = (lambda p: gzip.open(p, "wt", compresslevel=6, newline="")) if a.gzip \
        else (lambda p: open(p, "w", newline=""))
    rand, gauss, choices = rng.random, rng.gauss, rng.choices
    with opener(a.out) as f:
        f.write("label,score,age,sex,race,site\n")
        buf = []
        for i in range(a.rows):
            sex = "F" if rand() < 0.48 else "M"
            r = choices(range(5), race_w)[0]
            s = choices(range(3), site_w)[0]
            age = int(18 + 77 * rand())
            y = 1 if rand() < 0.3 else 0
            mu = race_mu[r] + site_mu[s] - (0.4 if sex == "F" else 0.0)
            z = gauss(mu if y else 0.0, 1.0) - 1.0
            score = 1.0 / (1.0 + math.exp(-z))
            buf.append("%d,%.6f,%s,%s,%s,%s\n" % (
                y, score, "" if rand() < 0.02 else age, sex, races[r], sites[s]))
            if len(buf) >= 10000:
                f.write("".join(buf))
                buf = []
        f.write("".join(buf))


if __name__ == "__main__":
    main()
