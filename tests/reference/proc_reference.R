# proc_reference.R: expected values for tests/unit/test_analytic.c.
#
# Run from the repository root:
#
#   Rscript tests/reference/proc_reference.R
#
# It (re)writes tests/data/analytic_sets.csv and analytic_perm.csv, reads
# them back, and prints C
# initialisers on stdout that are pasted into tests/unit/test_analytic.c.
# DeLong values come from pROC (auc, var, ci.auc, roc.test); the Wilson and
# Newcombe intervals are the closed forms written out below (checked against
# prop.test where prop.test computes the same interval); the chi-square test
# is chisq.test(correct = FALSE); adjusted p-values are p.adjust. Numbers are
# printed with %.17g so they read back as the same doubles.
suppressPackageStartupMessages(library(pROC))

out_csv <- "tests/data/analytic_sets.csv"
cxr_path <- "data/samples/cxr_triage.csv.gz"
g17 <- function(x) ifelse(is.na(x), "NAN", sprintf("%.17g", x))

# ---- data sets -------------------------------------------------------------
# Scores are written with few decimals so R and C parse the same text; ties
# are deliberate in "ties60", "discrete200", "tiny5" and "constant6".
set.seed(20240611)
sets <- list()
add <- function(name, score, label) {
	sets[[name]] <<- data.frame(set = name, score = score, label = label)
}
y <- rbinom(40, 1, 0.4)
add("normal40", round(rnorm(40, mean = y), 4), y)
y <- c(rep(1, 25), rep(0, 35))
add("ties60", round(rnorm(60, mean = 0.8 * y), 1), y)
add("tiny5", c(0.4, 0.8, 0.1, 0.4, 0.9), c(1, 1, 0, 0, 0))
y <- c(1, 0, 0, 1, 0, 1, 0, 0)
add("tiny8", round(rnorm(8, mean = 0.5 * y), 3), y)
y <- rbinom(20, 1, 0.35)
add("small20", round(runif(20) + 0.3 * y, 3), y)
y <- rbinom(200, 1, 0.3)
add("discrete200", pmin(5, pmax(1, round(rnorm(200, mean = 2.5 + 1.2 * y)))), y)
add("perfect10", c(0.9, 0.8, 0.85, 0.7, 0.1, 0.2, 0.3, 0.15, 0.25, 0.05),
    c(1, 1, 1, 1, 0, 0, 0, 0, 0, 0))
y <- c(1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0)
add("inverted12", round(rnorm(12, mean = -1.5 * y), 2), y)
add("constant6", rep(0.5, 6), c(1, 0, 1, 0, 0, 1))
all <- do.call(rbind, sets)
write.csv(all, out_csv, row.names = FALSE, quote = FALSE)

# Permutation data: 22 records, group 1 holds 4 of the 10 positives and 5 of
# the 12 negatives, and its scores are shifted up a little.
lab <- c(rep(1, 10), rep(0, 12))
grp <- c(1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0)
write.csv(data.frame(group = grp, label = lab,
		     score = round(rnorm(22, mean = lab + 0.45 * grp), 3)),
	  "tests/data/analytic_perm.csv", row.names = FALSE, quote = FALSE)

# Everything below works from the file as read back, like the C test.
d <- read.csv(out_csv)
cxr <- read.csv(gzfile(cxr_path))
groups <- list()
for (s in unique(d$set)) groups[[s]] <- d[d$set == s, c("score", "label")]
for (s in sort(unique(cxr$site))) groups[[s]] <- cxr[cxr$site == s, c("score", "label")]

mkroc <- function(g) roc(g$label, g$score, levels = c(0, 1), direction = "<", quiet = TRUE)

# ---- DeLong: one AUC -------------------------------------------------------
cat("/* DeLong: set, level, n_pos, n_neg, auc, var, ci_low, ci_high */\n")
cases <- list(list("normal40", 0.95), list("normal40", 0.90), list("ties60", 0.95),
	      list("tiny5", 0.95), list("tiny8", 0.99), list("small20", 0.95),
	      list("discrete200", 0.95), list("perfect10", 0.95),
	      list("inverted12", 0.95), list("constant6", 0.95),
	      list("SiteA", 0.95), list("SiteB", 0.95), list("SiteC", 0.95))
for (cs in cases) {
	g <- groups[[cs[[1]]]]
	r <- mkroc(g)
	a <- as.numeric(auc(r))
	v <- suppressWarnings(var(r, method = "delong"))
	ci <- suppressWarnings(as.numeric(ci.auc(r, conf.level = cs[[2]], method = "delong")))
	cat(sprintf("\t{\"%s\", %s, %d, %d, %s, %s, %s, %s},\n", cs[[1]], g17(cs[[2]]),
		    sum(g$label == 1), sum(g$label == 0), g17(a), g17(v), g17(ci[1]), g17(ci[3])))
}

# ---- DeLong: two independent AUCs -------------------------------------------
# roc.test(paired = FALSE) gives D = (auc1 - auc2) / sqrt(var1 + var2) and
# a p-value from Student's t with pROC's df. pROC reports no interval for
# the unpaired test; the one here inverts the same t test:
# diff +- qt(1 - (1 - level) / 2, df) * se, clipped to [-1, 1].
cat("/* DeLong unpaired: set1, set2, level, diff, se, statistic, df, p_value, p_normal, ci_low, ci_high */\n")
pairs <- list(list("normal40", "ties60", 0.95), list("tiny8", "small20", 0.95),
	      list("discrete200", "normal40", 0.90), list("tiny5", "tiny8", 0.95),
	      list("perfect10", "small20", 0.95), list("SiteB", "SiteA", 0.95),
	      list("SiteC", "SiteA", 0.95), list("inverted12", "discrete200", 0.99))
for (pp in pairs) {
	r1 <- mkroc(groups[[pp[[1]]]])
	r2 <- mkroc(groups[[pp[[2]]]])
	tt <- suppressWarnings(roc.test(r1, r2, method = "delong", paired = FALSE))
	se <- suppressWarnings(sqrt(var(r1, method = "delong") + var(r2, method = "delong")))
	diff <- as.numeric(auc(r1)) - as.numeric(auc(r2))
	df <- unname(tt$parameter)
	stopifnot(isTRUE(all.equal(unname(tt$statistic), diff / se, tolerance = 1e-12)))
	q <- qt(1 - (1 - pp[[3]]) / 2, df)
	ci <- pmin(1, pmax(-1, diff + c(-q, q) * se))
	pn <- 2 * pnorm(-abs(unname(tt$statistic)))
	cat(sprintf("\t{\"%s\", \"%s\", %s, %s, %s, %s, %s, %s, %s, %s, %s},\n", pp[[1]], pp[[2]],
		    g17(pp[[3]]), g17(diff), g17(se), g17(unname(tt$statistic)), g17(df),
		    g17(tt$p.value), g17(pn), g17(ci[1]), g17(ci[2])))
}

# ---- Wilson -------------------------------------------------------------------
wilson <- function(x, n, level) {
	z <- qnorm(1 - (1 - level) / 2)
	centre <- (x + z^2 / 2) / (n + z^2)
	half <- z * sqrt(x * (n - x) / n + z^2 / 4) / (n + z^2)
	lo <- if (x == 0) 0 else centre - half
	hi <- if (x == n) 1 else centre + half
	c(lo, hi)
}
cat("/* Wilson: x, n, level, low, high */\n")
wcases <- list(c(81, 263, 0.95), c(15, 148, 0.95), c(0, 20, 0.95), c(1, 29, 0.95),
	       c(29, 29, 0.95), c(0, 1, 0.95), c(1, 1, 0.95), c(5, 10, 0.90),
	       c(1819, 6000, 0.99), c(1, 1000000, 0.95), c(7, 12, 0.5))
for (w in wcases) {
	ci <- wilson(w[1], w[2], w[3])
	# prop.test without continuity correction is the same interval in
	# another algebraic form
	pt <- suppressWarnings(prop.test(w[1], w[2], conf.level = w[3], correct = FALSE))$conf.int
	stopifnot(isTRUE(all.equal(as.numeric(pt), ci, tolerance = 1e-12)))
	cat(sprintf("\t{%d, %d, %s, %s, %s},\n", w[1], w[2], g17(w[3]), g17(ci[1]), g17(ci[2])))
}

# ---- Newcombe hybrid score (method 10) ------------------------------------------
cat("/* Newcombe: x1, n1, x2, n2, level, diff, low, high */\n")
ncases <- list(c(56, 70, 48, 80, 0.95), c(9, 10, 3, 10, 0.95), c(6, 7, 2, 7, 0.95),
	       c(5, 56, 0, 29, 0.95), c(0, 10, 0, 20, 0.95), c(0, 10, 0, 10, 0.95),
	       c(10, 10, 0, 20, 0.95), c(10, 10, 0, 10, 0.95), c(803, 2238, 803, 3044, 0.95),
	       c(3, 40, 12, 35, 0.90))
for (nc in ncases) {
	p1 <- nc[1] / nc[2]
	p2 <- nc[3] / nc[4]
	w1 <- wilson(nc[1], nc[2], nc[5])
	w2 <- wilson(nc[3], nc[4], nc[5])
	lo <- p1 - p2 - sqrt((p1 - w1[1])^2 + (w2[2] - p2)^2)
	hi <- p1 - p2 + sqrt((w1[2] - p1)^2 + (p2 - w2[1])^2)
	cat(sprintf("\t{%d, %d, %d, %d, %s, %s, %s, %s},\n", nc[1], nc[2], nc[3], nc[4],
		    g17(nc[5]), g17(p1 - p2), g17(lo), g17(hi)))
}

# ---- chi-square test of homogeneity ------------------------------------------------
# low_expected repeats chisq.test's own warning rule, any(expected < 5).
cat("/* chi-square: k, x[], n[], statistic, df, p_value, min_expected, low_expected */\n")
cxr_x <- as.numeric(tapply(cxr$label, cxr$site, sum))
cxr_n <- as.numeric(table(cxr$site))
ccases <- list(list(cxr_x, cxr_n), list(c(15, 25), c(50, 50)),
	       list(c(12, 30, 22, 5, 40), c(100, 120, 90, 30, 150)),
	       list(c(1, 3, 2), c(8, 10, 6)), list(c(5, 5), c(10, 10)),
	       list(c(0, 4, 9), c(20, 20, 20)))
for (cc in ccases) {
	x <- cc[[1]]
	n <- cc[[2]]
	ct <- suppressWarnings(chisq.test(cbind(x, n - x), correct = FALSE))
	cat(sprintf("\t{%d, {%s}, {%s}, %s, %d, %s, %s, %d},\n", length(x),
		    paste(x, collapse = ", "), paste(n, collapse = ", "),
		    g17(unname(ct$statistic)), unname(ct$parameter), g17(ct$p.value),
		    g17(min(ct$expected)), as.integer(any(ct$expected < 5))))
}

# ---- p.adjust ------------------------------------------------------------------------
cat("/* p.adjust: p, holm, BH */\n")
set.seed(7)
pvecs <- list(c(0.01, 0.04, 0.03, 0.005, 0.5, 0.04, 0.2, NA),
	      round(runif(25)^3, 6),
	      c(0.02, 0.02, 0.02, 1, 0.9, 0.0001),
	      c(0.3))
for (p in pvecs) {
	cat(sprintf("\t{%d, {%s}, {%s}, {%s}},\n", length(p), paste(g17(p), collapse = ", "),
		    paste(g17(p.adjust(p, "holm")), collapse = ", "),
		    paste(g17(p.adjust(p, "BH")), collapse = ", ")))
}

# ---- exact permutation p-value ---------------------------------------------------------
# Statistic |mean score of group 1 - mean score of group 0|; group codes are
# permuted within each label class, so every arrangement keeps 4 of the 10
# positives and 5 of the 12 negatives in group 1. All 210 * 792 of them are
# enumerated.
cat("/* permutation: exact p-value */\n")
pd <- read.csv("tests/data/analytic_perm.csv")
pos <- pd$score[pd$label == 1]
neg <- pd$score[pd$label == 0]
g1pos <- sum(pd$group[pd$label == 1])
g1neg <- sum(pd$group[pd$label == 0])
n1 <- g1pos + g1neg
n0 <- nrow(pd) - n1
tot <- sum(pd$score)
stat <- function(s1) abs(s1 / n1 - (tot - s1) / n0)
obs <- stat(sum(pd$score[pd$group == 1]))
sp <- colSums(combn(pos, g1pos))
sn <- colSums(combn(neg, g1neg))
all_s1 <- outer(sp, sn, "+")
st <- stat(all_s1)
cat(sprintf("\t/* observed */ %s, /* exact p */ %s, /* arrangements */ %d,\n",
	    g17(obs), g17(mean(st >= obs - 1e-12)), length(st)))

cat(sprintf("/* R %s, pROC %s */\n", getRversion(), packageVersion("pROC")))
