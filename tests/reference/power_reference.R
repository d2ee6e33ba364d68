# power_reference.R: expected values for tests/unit/test_power.c and
# tests/unit/test_representation.c.
#
# Run from the repository root:
#
#   Rscript tests/reference/power_reference.R
#
# It prints every reference value with %.17g, named as the C tests name
# them, and the R expression that produced it. Sources:
#
# - two proportions, equal group sizes: stats::power.prop.test (its default
#   strict = FALSE, i.e. the far rejection tail is ignored), solved with a
#   tight tolerance (tol = 1e-12) so the root is exact to far below 1e-6;
# - two proportions, unequal sizes: Hmisc::bsamsize (sample sizes, Fleiss,
#   Tytun and Ury 1980 without continuity correction) and Hmisc::bpower
#   (power; it adds the far tail, which is printed separately);
# - AUC: pROC::power.roc.test with a list of binormal parameters (B = 1,
#   correlations rn = ra = 0, i.e. two independent groups of the same size);
#   pROC solves for the number of cases, and the detectable AUC difference
#   is found here by uniroot on power.roc.test's power;
# - goodness of fit: stats::chisq.test(x, p = ..., rescale.p = TRUE).
#
# R 4.2.2, pROC 1.18.0, Hmisc 4.8.0, jsonlite 1.8.4 gave the values pasted into the tests.
suppressPackageStartupMessages({
	library(pROC)
	library(Hmisc)
	library(jsonlite)
})

g17 <- function(x) sprintf("%.17g", x)
say <- function(name, value, expr) cat(sprintf("%-28s %s   # %s\n", name, g17(value), expr))

# ---- two proportions, equal n: power.prop.test -----------------------------
# The harmful direction of tpr is down: power.prop.test solves p1 in [0, p2]
# when p1 is NULL, with p2 the reference. For fpr it is up: p2 in [p1, 1].
r <- power.prop.test(n = 100, p2 = 0.8, power = 0.8, tol = 1e-12)
say("mdd_eq_100_080_down", 0.8 - r$p1, "0.8 - power.prop.test(n=100, p2=0.8, power=0.8, tol=1e-12)$p1")
r <- power.prop.test(n = 50, p2 = 0.6, power = 0.9, sig.level = 0.01, tol = 1e-12)
say("mdd_eq_50_060_down_a01_p90", 0.6 - r$p1, "0.6 - power.prop.test(n=50, p2=0.6, power=0.9, sig.level=0.01, tol=1e-12)$p1")
r <- power.prop.test(n = 200, p1 = 0.1, power = 0.8, tol = 1e-12)
say("mdd_eq_200_010_up", r$p2 - 0.1, "power.prop.test(n=200, p1=0.1, power=0.8, tol=1e-12)$p2 - 0.1")
r <- power.prop.test(n = 35, p2 = 0.8, power = 0.8, tol = 1e-12)
say("mdd_eq_35_080_down", 0.8 - r$p1, "0.8 - power.prop.test(n=35, p2=0.8, power=0.8, tol=1e-12)$p1")

r <- power.prop.test(p1 = 0.7, p2 = 0.8, power = 0.8, tol = 1e-12)
say("n_tpr_080_gap010", r$n, "power.prop.test(p1=0.7, p2=0.8, power=0.8, tol=1e-12)$n")
r <- power.prop.test(p1 = 0.1, p2 = 0.15, power = 0.8, tol = 1e-12)
say("n_fpr_010_gap005", r$n, "power.prop.test(p1=0.1, p2=0.15, power=0.8, tol=1e-12)$n")
r <- power.prop.test(p1 = 0.75, p2 = 0.9, power = 0.9, sig.level = 0.01, tol = 1e-12)
say("n_tpr_090_gap015_a01_p90", r$n, "power.prop.test(p1=0.75, p2=0.9, power=0.9, sig.level=0.01, tol=1e-12)$n")

say("power_eq_100_050_030", power.prop.test(n = 100, p1 = 0.5, p2 = 0.3)$power,
    "power.prop.test(n=100, p1=0.5, p2=0.3)$power")

# ---- two proportions, unequal n: Hmisc -------------------------------------
# Group 1 is the reference (p1 = p0, n1 = ratio * n2), group 2 the compared
# group; bsamsize's `fraction` is n1 / (n1 + n2).
r <- bsamsize(p1 = 0.8, p2 = 0.7, fraction = 4 / 5, power = 0.8)
say("n_ratio4_reference", r[["n1"]], "bsamsize(p1=0.8, p2=0.7, fraction=4/5, power=0.8)['n1']")
say("n_ratio4_group", r[["n2"]], "bsamsize(p1=0.8, p2=0.7, fraction=4/5, power=0.8)['n2']")
r <- bsamsize(p1 = 0.1, p2 = 0.15, fraction = 1 / 3, power = 0.8)
say("n_fpr_ratio05_reference", r[["n1"]], "bsamsize(p1=0.1, p2=0.15, fraction=1/3, power=0.8)['n1']")
say("n_fpr_ratio05_group", r[["n2"]], "bsamsize(p1=0.1, p2=0.15, fraction=1/3, power=0.8)['n2']")

far_tail <- function(p1, p2, n1, n2, alpha = 0.05) {
	z <- qnorm(1 - alpha / 2)
	pm <- (n1 * p1 + n2 * p2) / (n1 + n2)
	ds <- z * sqrt((1 / n1 + 1 / n2) * pm * (1 - pm))
	pnorm((-ds - abs(p1 - p2)) / sqrt(p1 * (1 - p1) / n1 + p2 * (1 - p2) / n2))
}
say("bpower_120_35_080_070", bpower(p1 = 0.8, p2 = 0.7, n1 = 120, n2 = 35),
    "bpower(p1=0.8, p2=0.7, n1=120, n2=35)")
say("bpower_120_35_far_tail", far_tail(0.8, 0.7, 120, 35), "its far tail (subtracted in the test)")

# The detectable difference for unequal sizes: the root of the power
# (without the far tail) written out here, then checked by inverting it
# with bsamsize, which must give back n1 = 120 and n2 = 35.
pow2 <- function(p1, p2, n1, n2, alpha = 0.05) bpower(p1 = p1, p2 = p2, n1 = n1, n2 = n2, alpha = alpha) - far_tail(p1, p2, n1, n2, alpha)
mdd2 <- function(p0, n1, n2, dir, power = 0.8, alpha = 0.05) {
	hi <- if (dir < 0) p0 else 1 - p0
	uniroot(function(d) pow2(p0, p0 + dir * d, n1, n2, alpha) - power, c(1e-9, hi), tol = 1e-14)$root
}
d <- mdd2(0.8, 120, 35, -1)
say("mdd_120_35_080_down", d, "uniroot of bpower - far tail")
b <- bsamsize(p1 = 0.8, p2 = 0.8 - d, fraction = 120 / 155, power = 0.8)
cat(sprintf("  check: bsamsize at that gap gives n1 = %s, n2 = %s\n", g17(b[["n1"]]), g17(b[["n2"]])))
d <- mdd2(0.05, 400, 90, +1)
say("mdd_400_90_005_up", d, "uniroot of bpower - far tail")
b <- bsamsize(p1 = 0.05, p2 = 0.05 + d, fraction = 400 / 490, power = 0.8)
cat(sprintf("  check: bsamsize at that gap gives n1 = %s, n2 = %s\n", g17(b[["n1"]]), g17(b[["n2"]])))

# ---- AUC: pROC power.roc.test (Obuchowski, binormal, B = 1) ------------------
A <- function(auc) sqrt(2) * qnorm(auc)
pars <- function(auc1, auc2) list(A1 = A(auc1), B1 = 1, A2 = A(auc2), B2 = 1, rn = 0, ra = 0, delta = auc1 - auc2)
V <- function(auc, kappa) pROC:::var.params.obuchowski(A(auc), 1, kappa, NULL, NULL)
say("V_050_k1", V(0.5, 1), "pROC:::var.params.obuchowski(0, 1, 1)")
say("V_085_k1", V(0.85, 1), "pROC:::var.params.obuchowski(sqrt(2)*qnorm(0.85), 1, 1)")
say("V_075_k4", V(0.75, 4), "pROC:::var.params.obuchowski(sqrt(2)*qnorm(0.75), 1, 4)")
say("V_095_k025", V(0.95, 0.25), "pROC:::var.params.obuchowski(sqrt(2)*qnorm(0.95), 1, 0.25)")

r <- power.roc.test(pars(0.85, 0.75), power = 0.8, kappa = 1)
say("n_auc_085_gap010_k1", r$ncases, "power.roc.test(pars(0.85, 0.75), power=0.8, kappa=1)$ncases")
r <- power.roc.test(pars(0.85, 0.75), power = 0.8, kappa = 4)
say("n_auc_085_gap010_k4", r$ncases, "power.roc.test(pars(0.85, 0.75), power=0.8, kappa=4)$ncases")
r <- power.roc.test(pars(0.9, 0.85), power = 0.9, sig.level = 0.01, kappa = 2)
say("n_auc_090_gap005_k2_a01_p90", r$ncases, "power.roc.test(pars(0.9, 0.85), power=0.9, sig.level=0.01, kappa=2)$ncases")
r <- power.roc.test(pars(0.85, 0.75), ncases = 60, kappa = 3)
say("power_auc_085_075_60_k3", r$power, "power.roc.test(pars(0.85, 0.75), ncases=60, kappa=3)$power")

mdd_auc <- function(auc0, ncases, kappa, power = 0.8, alpha = 0.05)
	uniroot(function(d) power.roc.test(pars(auc0, auc0 - d), ncases = ncases, kappa = kappa,
					   sig.level = alpha)$power - power,
		c(1e-6, auc0 - 0.5), tol = 1e-14)$root
say("mdd_auc_085_100_k4", mdd_auc(0.85, 100, 4), "uniroot of power.roc.test(pars(0.85, 0.85-d), ncases=100, kappa=4)$power - 0.8")
say("mdd_auc_090_40_k1", mdd_auc(0.9, 40, 1), "uniroot of power.roc.test(pars(0.9, 0.9-d), ncases=40, kappa=1)$power - 0.8")

# Unequal groups: the same variances, each over its own number of cases
# (reference r with n_r cases, kappa_r; group g with n_g, kappa_g).
pow_auc2 <- function(t0, d, nr, kr, ng, kg, alpha = 0.05) {
	se0 <- sqrt(V(t0, kr) / nr + V(t0, kg) / ng)
	sea <- sqrt(V(t0, kr) / nr + V(t0 - d, kg) / ng)
	pnorm((d - qnorm(1 - alpha / 2) * se0) / sea)
}
d <- uniroot(function(d) pow_auc2(0.88, d, 180, 3.5, 30, 4.4) - 0.8, c(1e-6, 0.38), tol = 1e-14)$root
say("mdd_auc_088_180_630_30_132", d, "uniroot of the unequal-size power (ref 180 pos/630 neg, group 30/132)")
say("power_auc2_eq_check", pow_auc2(0.85, 0.1, 60, 3, 60, 3), "equals power_auc_085_075_60_k3")

# Sample sizes for unequal groups (reference has `ratio` times the cases),
# checked against pROC's ncases at ratio 1 above.
n_auc2 <- function(t0, d, ratio, kappa, power = 0.8, alpha = 0.05) {
	v0 <- V(t0, kappa); v1 <- V(t0 - d, kappa)
	(qnorm(1 - alpha / 2) * sqrt(v0 / ratio + v0) + qnorm(power) * sqrt(v0 / ratio + v1))^2 / d^2
}
say("n_auc_085_gap010_k4_ratio3", n_auc2(0.85, 0.1, 3, 4), "closed form, reference 3x the group")

# ---- chi-square goodness of fit ----------------------------------------------
derm <- stream_in(file("data/samples/derm_lesions.jsonl"), verbose = FALSE)
types <- c("I", "II", "III", "IV", "V", "VI")
counts <- as.vector(table(factor(derm$fitzpatrick, levels = types)))
cat("derm counts:", counts, "\n")
pop <- read.csv("tests/data/population_derm.csv")
share <- pop$share[match(types, pop$value)]
r <- chisq.test(counts, p = share, rescale.p = TRUE)
say("gof_derm_statistic", r$statistic, "chisq.test(counts, p=population_derm.csv shares, rescale.p=TRUE)")
say("gof_derm_df", r$parameter, "")
say("gof_derm_p", r$p.value, "")
say("gof_derm_min_expected", min(r$expected), "")

# population_absent.csv names a value the data lack (observed 0) and the
# data have a group the file does not name (left out of the test).
r <- chisq.test(c(40, 25, 0), p = c(0.5, 0.3, 0.2), rescale.p = TRUE)
say("gof_absent_statistic", r$statistic, "chisq.test(c(40, 25, 0), p=c(0.5, 0.3, 0.2))")
say("gof_absent_p", r$p.value, "")
r <- suppressWarnings(chisq.test(c(6, 3, 1), p = c(0.5, 0.3, 0.2)))
say("gof_small_statistic", r$statistic, "chisq.test(c(6, 3, 1), p=c(0.5, 0.3, 0.2))")
say("gof_small_p", r$p.value, "")
say("gof_small_min_expected", min(r$expected), "")

# ---- the worked example of docs/clinical.md ---------------------------------
# Threshold 0.5 (decision prob >= 0.5); reference = the largest group (II).
pos <- derm$malignant
dec <- derm$prob >= 0.5
tab <- data.frame(type = types, n = counts,
		  n_pos = sapply(types, function(t) sum(pos[derm$fitzpatrick == t])),
		  tp = sapply(types, function(t) sum(pos[derm$fitzpatrick == t] & dec[derm$fitzpatrick == t])))
tab$n_neg <- tab$n - tab$n_pos
tab$tpr <- tab$tp / tab$n_pos
tab$auc <- sapply(types, function(t) as.numeric(auc(roc(pos[derm$fitzpatrick == t], derm$prob[derm$fitzpatrick == t], levels = c(FALSE, TRUE), direction = "<", quiet = TRUE))))
ref <- tab[tab$type == "II", ]
tab$mdd_tpr <- sapply(seq_len(nrow(tab)), function(i)
	if (tab$type[i] == "II") NA else mdd2(ref$tpr, ref$n_pos, tab$n_pos[i], -1))
tab$mdd_auc <- sapply(seq_len(nrow(tab)), function(i)
	if (tab$type[i] == "II") NA else
		uniroot(function(d) pow_auc2(ref$auc, d, ref$n_pos, ref$n_neg / ref$n_pos,
					     tab$n_pos[i], tab$n_neg[i] / tab$n_pos[i]) - 0.8,
			c(1e-6, ref$auc - 1e-6), tol = 1e-14)$root)
tab$audit_share <- tab$n / sum(tab$n)
tab$population_share <- share
tab$ratio <- tab$audit_share / tab$population_share
for (i in seq_len(nrow(tab)))
	cat(sprintf("derm %-3s n %4d pos %3d tpr %s auc %s mdd_tpr %s mdd_auc %s share %s ratio %s\n",
		    tab$type[i], tab$n[i], tab$n_pos[i], g17(tab$tpr[i]), g17(tab$auc[i]),
		    g17(tab$mdd_tpr[i]), g17(tab$mdd_auc[i]), g17(tab$audit_share[i]), g17(tab$ratio[i])))
