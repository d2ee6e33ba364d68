#!/usr/bin/env python3
"""Generate the synthetic sample data sets shipped with fairaudit.

All data are synthetic: no real patient, image or study is represented.

Outputs (written to --out, default: the directory containing this script):

  cxr_triage.csv.gz   chest X-ray triage model, gzip-compressed CSV, LF
  cxr_small.csv       first 400 rows of the same data, plain CSV, CRLF
  derm_lesions.jsonl  dermatology malignancy classifier, JSON Lines

The scores follow a binormal model on the logit scale:

  logit(score) = u_patient + e,   u_patient ~ Normal(0, SD_PATIENT)

  negatives: logit(score) ~ Normal(mu_neg + shift, 1)
  positives: logit(score) ~ Normal(mu_neg + delta + shift, SD_POS)

where the random effect u_patient is shared by all records of one patient
(so records of one patient are correlated) and its variance is part of the
class variance given above.  Subgroup disparities are built in by changing
the class separation `delta` (AUC), lowering the positive-class mean
(sensitivity) or shifting both classes (calibration); see README.md.

Only the Python standard library is used.  For a given seed and row counts
the output files are byte-for-byte reproducible (the gzip header carries
mtime=0 and no file name).
"""

import argparse
import csv
import gzip
import io
import json
import math
import os
import random

DEFAULT_SEED = 20261127
DEFAULT_ROWS_CXR = 6000
DEFAULT_ROWS_DERM = 3000
SMALL_ROWS = 400

CXR_COLUMNS = ["image_id", "patient_id", "label", "score", "score_v2",
               "sex", "age", "race", "site", "scanner", "study_date"]

# ---------------------------------------------------------------- CXR model
# Site: share of patients, prevalence, scanners (name, weight).
CXR_SITES = [
    ("SiteA", 0.50, 0.27, [("Siemens Ysio", 0.55),
                           ("GE Definium 8000", 0.45)]),
    ("SiteB", 0.38, 0.34, [("Philips DigitalDiagnost", 0.60),
                           ("GE Definium 8000", 0.25),
                           ("Siemens Ysio", 0.15)]),
    # SiteC: small site with an older detector -> reduced separation.
    ("SiteC", 0.12, 0.30, [("Carestream DRX-1, rev 2", 1.00)]),
]
CXR_RACES = [("White", 0.60), ("Black", 0.15), ("Asian", 0.12),
             ("Hispanic", 0.09), ("Other", 0.04)]
CXR_SEX = [("F", 0.48), ("M", 0.52)]
CXR_AGE_MISSING = 0.02
CXR_RACE_MISSING = 0.01
CXR_IMAGES_PER_PATIENT = [(1, 0.40), (2, 0.30), (3, 0.18), (4, 0.12)]

CXR_DATE_FIRST = (2024, 1, 1)
CXR_DATE_LAST = (2025, 12, 31)


class ModelSpec(object):
    """Parameters of one binormal scoring model."""

    def __init__(self, mu_neg, delta, sd_pos, sd_patient,
                 delta_factor_site, delta_factor_race,
                 pos_shift_female, shift_age65):
        self.mu_neg = mu_neg
        self.delta = delta
        self.sd_pos = sd_pos
        self.sd_patient = sd_patient
        self.delta_factor_site = delta_factor_site
        self.delta_factor_race = delta_factor_race
        self.pos_shift_female = pos_shift_female
        self.shift_age65 = shift_age65


# Deployed model ("score").
CXR_MODEL_V1 = ModelSpec(
    mu_neg=-1.55, delta=2.35, sd_pos=1.20, sd_patient=0.45,
    delta_factor_site={"SiteC": 0.68},       # (b) lower AUC at SiteC
    delta_factor_race={"Black": 0.70},       # (c) lower AUC for Black pts
    pos_shift_female=-0.40,                  # (a) lower TPR for women
    shift_age65=0.55,                        # (d) over-confident >= 65
)
# Candidate model ("score_v2"): better separation, smaller sex gap.
CXR_MODEL_V2 = ModelSpec(
    mu_neg=-1.55, delta=2.50, sd_pos=1.15, sd_patient=0.45,
    delta_factor_site={"SiteC": 0.72},
    delta_factor_race={"Black": 0.74},
    pos_shift_female=-0.15,
    shift_age65=0.35,
)
# Correlation of the per-image noise of score_v2 with that of score.
CXR_V2_NOISE_CORR = 0.6

# --------------------------------------------------------------- derm model
DERM_FITZPATRICK = [("I", 0.10), ("II", 0.30), ("III", 0.28),
                    ("IV", 0.17), ("V", 0.10), ("VI", 0.05)]
DERM_BODY_SITES = [("trunk", 0.38), ("lower extremity", 0.22),
                   ("upper extremity", 0.18), ("head/neck", 0.17),
                   ("acral", 0.05)]
DERM_SEX = [("F", 0.52), ("M", 0.48)]
DERM_PREVALENCE = 0.20
DERM_AGE_MISSING = 0.03
DERM_LESIONS_PER_PATIENT = [(1, 0.55), (2, 0.30), (3, 0.15)]
DERM_MU_NEG = -1.60
DERM_SD_POS = 1.10
DERM_SD_PATIENT = 0.40
# Class separation by Fitzpatrick type; binormal AUC is
# Phi(delta / sqrt(1 + SD_POS^2)): 1.90 -> ~0.90, 1.25 -> ~0.80,
# 0.87 -> ~0.72.
DERM_DELTA = {"I": 1.90, "II": 1.90, "III": 1.90, "IV": 1.25,
              "V": 0.87, "VI": 0.87}


# ---------------------------------------------------------------- utilities
def choose(rng, weighted):
    """Pick a value from a list of (value, weight) pairs."""
    values = [v for v, _ in weighted]
    weights = [w for _, w in weighted]
    return rng.choices(values, weights=weights, k=1)[0]


def logistic(x):
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    z = math.exp(x)
    return z / (1.0 + z)


def logit(p):
    return math.log(p / (1.0 - p))


def fmt_prob(p):
    """Probability with exactly 6 decimals, strictly inside (0, 1)."""
    p = min(max(p, 0.000001), 0.999999)
    text = "%.6f" % p
    if text == "0.000000":
        text = "0.000001"
    elif text == "1.000000":
        text = "0.999999"
    return text


def days_from_civil(y, m, d):
    """Day number of a proleptic Gregorian date (1970-01-01 = 0)."""
    y -= m <= 2
    era = (y if y >= 0 else y - 399) // 400
    yoe = y - era * 400
    doy = (153 * (m + (-3 if m > 2 else 9)) + 2) // 5 + d - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146097 + doe - 719468


def civil_from_days(z):
    z += 719468
    era = (z if z >= 0 else z - 146096) // 146097
    doe = z - era * 146097
    yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
    y = yoe + era * 400
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    d = doy - (153 * mp + 2) // 5 + 1
    m = mp + (3 if mp < 10 else -9)
    return (y + (m <= 2), m, d)


def iso_date(day_number):
    return "%04d-%02d-%02d" % civil_from_days(day_number)


def draw_age(rng, mean, sd, lo=18, hi=95):
    while True:
        a = int(round(rng.gauss(mean, sd)))
        if lo <= a <= hi:
            return a


def model_logit(spec, label, u, e_std, sex, site, race, age):
    """Logit of a score under `spec` for one image.

    e_std is a standard-normal draw for the per-image noise; it is scaled
    so that the total (patient + image) variance is 1 for negatives and
    sd_pos^2 for positives.
    """
    shift = spec.shift_age65 if age >= 65 else 0.0
    if label == 0:
        sd_img = math.sqrt(1.0 - spec.sd_patient ** 2)
        return spec.mu_neg + shift + u + sd_img * e_std
    delta = spec.delta
    delta *= spec.delta_factor_site.get(site, 1.0)
    delta *= spec.delta_factor_race.get(race, 1.0)
    mu = spec.mu_neg + delta + shift
    if sex == "F":
        mu += spec.pos_shift_female
    sd_img = math.sqrt(spec.sd_pos ** 2 - spec.sd_patient ** 2)
    return mu + u + sd_img * e_std


# ---------------------------------------------------------------------- CXR
def generate_cxr(rng, n_rows):
    """Return a list of CXR rows (lists of strings) in CXR_COLUMNS order."""
    first_day = days_from_civil(*CXR_DATE_FIRST)
    last_day = days_from_civil(*CXR_DATE_LAST)
    site_weights = [(name, share) for name, share, _, _ in CXR_SITES]
    site_info = dict((name, (prev, scanners))
                     for name, _, prev, scanners in CXR_SITES)

    images = []
    patient_no = 0
    while len(images) < n_rows:
        patient_no += 1
        pid = "P%05d" % patient_no
        sex = choose(rng, CXR_SEX)
        age = draw_age(rng, 58.0, 17.0)
        race = choose(rng, CXR_RACES)
        site = choose(rng, site_weights)
        prevalence, scanners = site_info[site]
        age_text = "" if rng.random() < CXR_AGE_MISSING else str(age)
        race_text = "" if rng.random() < CXR_RACE_MISSING else race
        u1 = rng.gauss(0.0, CXR_MODEL_V1.sd_patient)
        # The candidate model sees the same patient; its patient effect is
        # strongly but not perfectly correlated with that of the first.
        u2 = 0.8 * u1 + 0.6 * rng.gauss(0.0, CXR_MODEL_V2.sd_patient)
        v = rng.gauss(0.0, 0.5)         # patient-level propensity
        n_img = choose(rng, CXR_IMAGES_PER_PATIENT)
        n_img = min(n_img, n_rows - len(images))
        span = max(0, last_day - first_day)
        day0 = first_day + rng.randint(0, span)
        for _ in range(n_img):
            day = min(last_day, day0 + rng.randint(0, 120))
            # Prevalence: site base rate, a little higher with age.
            p = logistic(logit(prevalence) + 0.012 * (age - 58) + v)
            label = 1 if rng.random() < p else 0
            e1 = rng.gauss(0.0, 1.0)
            e2 = (CXR_V2_NOISE_CORR * e1
                  + math.sqrt(1.0 - CXR_V2_NOISE_CORR ** 2)
                  * rng.gauss(0.0, 1.0))
            z1 = model_logit(CXR_MODEL_V1, label, u1, e1,
                             sex, site, race, age)
            z2 = model_logit(CXR_MODEL_V2, label, u2, e2,
                             sex, site, race, age)
            scanner = choose(rng, scanners)
            images.append([pid, str(label), fmt_prob(logistic(z1)),
                           fmt_prob(logistic(z2)), sex, age_text,
                           race_text, site, scanner, iso_date(day)])

    # Interleave the patients (acquisition order), then number the images.
    rng.shuffle(images)
    rows = []
    for i, img in enumerate(images):
        rows.append(["I%06d" % (i + 1)] + img)
    return rows


def csv_bytes(rows, line_end):
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, lineterminator=line_end,
                        quoting=csv.QUOTE_MINIMAL)
    writer.writerow(CXR_COLUMNS)
    writer.writerows(rows)
    return buf.getvalue().encode("utf-8")


# --------------------------------------------------------------------- derm
def generate_derm(rng, n_rows):
    """Return a list of JSON Lines strings (without line terminators)."""
    lines = []
    patient_no = 0
    records = []
    while len(records) < n_rows:
        patient_no += 1
        pid = "DP%05d" % patient_no
        fitz = choose(rng, DERM_FITZPATRICK)
        sex = choose(rng, DERM_SEX)
        age = draw_age(rng, 55.0, 16.0)
        age_missing = rng.random() < DERM_AGE_MISSING
        u = rng.gauss(0.0, DERM_SD_PATIENT)
        n_les = choose(rng, DERM_LESIONS_PER_PATIENT)
        n_les = min(n_les, n_rows - len(records))
        for _ in range(n_les):
            p = logistic(logit(DERM_PREVALENCE) + 0.015 * (age - 55))
            malignant = rng.random() < p
            e = rng.gauss(0.0, 1.0)
            if malignant:
                sd_img = math.sqrt(DERM_SD_POS ** 2 - DERM_SD_PATIENT ** 2)
                z = DERM_MU_NEG + DERM_DELTA[fitz] + u + sd_img * e
            else:
                sd_img = math.sqrt(1.0 - DERM_SD_PATIENT ** 2)
                z = DERM_MU_NEG + u + sd_img * e
            body_site = choose(rng, DERM_BODY_SITES)
            records.append((pid, malignant, fmt_prob(logistic(z)), fitz,
                            sex, None if age_missing else age, body_site))
    rng.shuffle(records)
    for i, (pid, malignant, prob, fitz, sex, age, body_site) in \
            enumerate(records):
        fields = [
            ("lesion_id", json.dumps("L%05d" % (i + 1))),
            ("patient_id", json.dumps(pid)),
            ("malignant", "true" if malignant else "false"),
            ("prob", prob),
            ("fitzpatrick", json.dumps(fitz)),
            ("sex", json.dumps(sex)),
            ("age", "null" if age is None else str(age)),
            ("body_site", json.dumps(body_site)),
        ]
        lines.append("{" + ", ".join("%s: %s" % (json.dumps(k), v)
                                     for k, v in fields) + "}")
    return lines


# --------------------------------------------------------------------- main
def write_bytes(path, data):
    with open(path, "wb") as f:
        f.write(data)


def main(argv=None):
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(
        description="Generate the synthetic fairaudit sample data.")
    ap.add_argument("--seed", type=int, default=DEFAULT_SEED,
                    help="random seed (default %(default)s)")
    ap.add_argument("--rows-cxr", type=int, default=DEFAULT_ROWS_CXR,
                    metavar="N", help="CXR rows (default %(default)s)")
    ap.add_argument("--rows-derm", type=int, default=DEFAULT_ROWS_DERM,
                    metavar="N", help="derm rows (default %(default)s)")
    ap.add_argument("--out", default=here, metavar="DIR",
                    help="output directory (default: this script's folder)")
    args = ap.parse_args(argv)
    if args.rows_cxr < 0 or args.rows_derm < 0:
        ap.error("row counts must be non-negative")

    os.makedirs(args.out, exist_ok=True)

    # Independent streams, so changing one row count leaves the other file
    # unchanged.
    rng_cxr = random.Random("fairaudit-cxr-%d" % args.seed)
    rng_derm = random.Random("fairaudit-derm-%d" % args.seed)

    cxr_rows = generate_cxr(rng_cxr, args.rows_cxr)
    raw = csv_bytes(cxr_rows, "\n")
    write_bytes(os.path.join(args.out, "cxr_triage.csv.gz"),
                gzip.compress(raw, compresslevel=9, mtime=0))
    write_bytes(os.path.join(args.out, "cxr_small.csv"),
                csv_bytes(cxr_rows[:SMALL_ROWS], "\r\n"))

    derm_lines = generate_derm(rng_derm, args.rows_derm)
    write_bytes(os.path.join(args.out, "derm_lesions.jsonl"),
                "".join(line + "\n" for line in derm_lines).encode("utf-8"))

    print("wrote %d CXR rows, %d derm rows to %s"
          % (len(cxr_rows), len(derm_lines), args.out))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
