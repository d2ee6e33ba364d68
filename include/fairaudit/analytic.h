/*
 * analytic.h: closed-form intervals and hypothesis tests.
 *
 * These are the analytic counterparts of the bootstrap: DeLong's variance
 * of an AUC and the test comparing two groups' AUCs, Wilson and Newcombe
 * intervals for proportions and their differences, the chi-square test of
 * homogeneity, Holm and Benjamini-Hochberg adjusted p-values, a
 * permutation test, and the variants of these for clustered records
 * (several images of one patient). Each method's formula, reference and
 * the R function it agrees with are in docs/analytic.md.
 */
#ifndef FAIRAUDIT_ANALYTIC_H
#define FAIRAUDIT_ANALYTIC_H

#include "fairaudit/common.h"

#ifdef __cplusplus
extern "C" {
#endif

/** ## Conventions
 *
 * `level` is a two-sided confidence level strictly between 0 and 1 (0.95);
 * any other value is FA_EUSAGE. Labels are bytes, 0 for a negative and any
 * other value for a positive record. When the data leave a quantity
 * undefined (too few records of a class, an empty group), the function
 * returns FA_EINPUT with a message saying why and sets the undefined
 * fields of `*out` to NaN, filling every field that is defined; callers
 * that audit many groups can record the message as the reason and carry
 * on. FA_EMATH means a GSL routine gave no finite result where it should
 * have. Nothing here keeps state between calls, so every function may be
 * called from several threads at once.
 */

/** ## AUC and DeLong's variance */

/** One AUC with DeLong's variance and interval. */
typedef struct fa_delong {
	size_t n_pos, n_neg; /* records of each class */
	double level;        /* confidence level of the interval */
	double auc;          /* Mann-Whitney: P(pos > neg) + P(pos = neg) / 2 */
	double var;          /* DeLong: S10 / n_pos + S01 / n_neg */
	double se;           /* sqrt(var) */
	double ci_low, ci_high; /* auc -+ z se, clipped to [0, 1] */
} fa_delong;

/** Compute the AUC of `n` records (`scores[i]`, `labels[i]`) and its
 * DeLong variance from the placement values, as pROC's auc(), var() and
 * ci.auc(method = "delong") do; tied scores count one half. The records may
 * come in any order: the scores of each class are copied and sorted unless
 * already ascending (as in a group taken from score-sorted records, which
 * then costs O(n)); otherwise O(n log n). `auc` needs one record of each
 * class and `var`, `se` and the interval need two (FA_EINPUT otherwise). A
 * NaN score is FA_EINPUT. */
int fa_delong_compute(fa_delong *out, const double *scores, const uint8_t *labels,
		      size_t n, double level, fa_error *err);

/** As fa_delong_compute(), from the scores of the positive records and of
 * the negative records given separately, each in any order. */
int fa_delong_compute_split(fa_delong *out, const double *pos, size_t n_pos,
			    const double *neg, size_t n_neg, double level,
			    fa_error *err);

/** The unpaired comparison of two AUCs from independent groups. */
typedef struct fa_delong_diff {
	double level;
	double diff;      /* a.auc - b.auc */
	double se;        /* sqrt(a.var + b.var) */
	double statistic; /* diff / se */
	double df;        /* Welch-Satterthwaite degrees of freedom, as pROC */
	double p_value;   /* two-sided, Student's t with df (pROC's p-value) */
	double p_normal;  /* two-sided, standard normal */
	double ci_low, ci_high; /* diff -+ t(df) se, clipped to [-1, 1] */
} fa_delong_diff;

/** Compare the AUCs of two independent groups, each already computed with
 * fa_delong_compute() (typically a group `a` against the reference group
 * `b`). The statistic and p-value equal pROC's roc.test(a, b, method =
 * "delong", paired = FALSE). FA_EINPUT when either variance is undefined
 * or both are zero (both AUCs 0 or 1); `diff` is still filled. */
int fa_delong_compare(fa_delong_diff *out, const fa_delong *a, const fa_delong *b,
		      double level, fa_error *err);

/** ## Proportions */

/** A point estimate and its interval. */
typedef struct fa_interval {
	double estimate;
	double low, high;
} fa_interval;

/** The Wilson score interval for the proportion `x` / `n` (without
 * continuity correction; it equals R's prop.test(x, n, correct = FALSE)
 * interval). The bounds are exactly 0 when x = 0 and 1 when x = n.
 * FA_EINPUT when n = 0 or x > n. */
int fa_wilson_interval(fa_interval *out, size_t x, size_t n, double level,
		       fa_error *err);

/** Newcombe's hybrid score interval (method 10 of Newcombe 1998) for the
 * difference x1 / n1 - x2 / n2 of two independent proportions, built from
 * the two Wilson intervals. FA_EINPUT when n1 or n2 is 0 or a count exceeds
 * its total. */
int fa_newcombe_interval(fa_interval *out, size_t x1, size_t n1, size_t x2, size_t n2,
			 double level, fa_error *err);

/** The Pearson chi-square test that k proportions are equal. */
typedef struct fa_chisq {
	double statistic;
	unsigned df;         /* k - 1 */
	double p_value;      /* upper tail of chi-square with df */
	double min_expected; /* smallest expected count of the 2 x k table */
	int low_expected;    /* 1 when min_expected < 5: the chi-square
				approximation may be poor and p_value is not
				to be trusted (R's chisq.test warns then) */
} fa_chisq;

/** Test whether the proportions x[i] / n[i] (i < k) are equal: Pearson's
 * statistic on the 2 x k table of successes and failures, without
 * continuity correction, as R's chisq.test(cbind(x, n - x), correct =
 * FALSE). FA_EINPUT when k < 2, an n[i] is 0, an x[i] exceeds n[i], or
 * every proportion is 0 or every one is 1 (the statistic is then 0 / 0). */
int fa_chisq_homogeneity(fa_chisq *out, const size_t *x, const size_t *n, size_t k,
			 fa_error *err);

/** ## Clustered records
 *
 * When records come in clusters (several images of one patient), records
 * of one cluster are not independent and the intervals above, which count
 * records, are too narrow. The functions here count the information per
 * cluster. Clusters are numbered by the caller: `cluster[i]` (or the index
 * into the per-cluster arrays) is below `nclusters`, and a cluster with no
 * record is allowed and plays no part. docs/analytic.md gives the
 * formulas and the rules for design effects below 1, proportions of 0 or
 * 1 and few clusters. */

/** A proportion over clustered records, with its interval. */
typedef struct fa_cluster_prop {
	double estimate; /* sum x / sum n */
	size_t n;        /* records, sum n */
	size_t clusters; /* clusters with at least one record (n_i > 0) */
	double var;      /* the linearisation variance of the estimate; NaN
			    with fewer than 2 clusters */
	double deff;     /* the design effect as used: var / (p(1 - p) / n), at
			    least 1; n / clusters when the estimate is 0 or 1
			    or there is one cluster */
	double n_eff;    /* n / deff */
	double df;       /* clusters - 1: the t quantile's degrees of freedom */
	double low, high; /* Wilson at n_eff with the t quantile */
} fa_cluster_prop;

/** The interval of the proportion sum x / sum n from per-cluster counts
 * x[i] of n[i] (i < nclusters): the Wilson interval at the effective size
 * n / deff, with Student's t quantile on clusters - 1 degrees of freedom
 * in place of the normal one (Korn & Graubard 1998). The bounds are
 * exactly 0 when the estimate is 0 and 1 when it is 1. FA_EINPUT when no
 * record is given, an x[i] exceeds n[i], or fewer than 2 clusters hold
 * records (the interval is then NaN; `deff` and `n_eff` are still set by
 * the rule for an inestimable design effect). */
int fa_cluster_wilson(fa_cluster_prop *out, const size_t *x, const size_t *n, size_t nclusters,
		      double level, fa_error *err);

/** Newcombe's hybrid interval for the difference a - b built from any two
 * intervals of independent proportions (their estimates and bounds), as
 * fa_newcombe_interval() builds it from two Wilson intervals; clipped to
 * [-1, 1]. A NaN in either gives NaN bounds. Infallible. */
void fa_newcombe_hybrid(fa_interval *out, const fa_interval *a, const fa_interval *b);

/** The chi-square test that k proportions x[i] / n[i] are equal, with the
 * first-order correction of Rao & Scott (1981) for clustered records:
 * Pearson's X^2 divided by the mean design effect
 *   deff_mean = sum_i (1 - n_i / N) deff[i] / (k - 1),
 * referred to chi-square with k - 1 df. `deff[i]` is the design effect of
 * proportion i (fa_cluster_prop.deff); with every deff[i] = 1 the result
 * is fa_chisq_homogeneity()'s. `min_expected` and `low_expected` are those
 * of the table at the effective sizes (every expected count of group i
 * divided by deff[i]). `*deff_mean` may be NULL. Errors as
 * fa_chisq_homogeneity(), and FA_EINPUT when a deff[i] is not a positive
 * number. */
int fa_chisq_rao_scott(fa_chisq *out, double *deff_mean, const size_t *x, const size_t *n,
		       const double *deff, size_t k, fa_error *err);

/** One AUC over clustered records with Obuchowski's (1997) variance. */
typedef struct fa_obuchowski {
	fa_delong auc;       /* n_pos, n_neg count records; var, se and the
				interval are Obuchowski's */
	size_t clusters;     /* I: clusters holding a record */
	size_t pos_clusters; /* I10: clusters holding a positive record */
	size_t neg_clusters; /* I01: clusters holding a negative record */
	double s10, s01, s11;
} fa_obuchowski;

/** The AUC of `n` records (`scores[i]`, `labels[i]`, in any order; O(n)
 * when the scores are ascending, O(n log n) otherwise) whose record i
 * belongs to cluster `cluster[i]` < `nclusters`, with Obuchowski's
 * clustered extension of DeLong's variance: the placement values are
 * summed per cluster and the variance comes from the variability between
 * clusters, positives and negatives of one cluster covarying through S11.
 * With one record per cluster it equals fa_delong_compute(). The interval
 * is the normal one clipped to [0, 1]. FA_EINPUT when a class has no
 * record (AUC undefined) or fewer than 2 clusters hold records of a class
 * (variance undefined), or for a NaN score; FA_EUSAGE for a cluster
 * number not below `nclusters`. */
int fa_obuchowski_compute(fa_obuchowski *out, const double *scores, const uint8_t *labels,
			  const uint32_t *cluster, size_t n, size_t nclusters, double level,
			  fa_error *err);

/** fa_delong_compare() for two AUCs of fa_obuchowski_compute() from groups
 * that share no cluster: the variances are Obuchowski's and the
 * Welch-Satterthwaite degrees of freedom count clusters (I - 1 per group)
 * instead of records. */
int fa_obuchowski_compare(fa_delong_diff *out, const fa_obuchowski *a, const fa_obuchowski *b,
			  double level, fa_error *err);

/** ## Multiple testing */

typedef enum fa_p_adjust_method {
	FA_P_ADJUST_HOLM = 0, /* Holm (1979) step-down, family-wise error */
	FA_P_ADJUST_BH        /* Benjamini-Hochberg (1995), false discovery rate */
} fa_p_adjust_method;

/** Write to `out[i]` the adjusted p-value of `p[i]` (i < m), as R's
 * p.adjust(p, "holm") or p.adjust(p, "BH"). NaN marks a missing p-value:
 * it stays NaN and is not counted in the number of tests. `out` may be `p`.
 * O(m log m); infallible. */
void fa_p_adjust(double *out, const double *p, size_t m, fa_p_adjust_method method);

/** ## Permutation test */

/** A statistic of records with group codes `codes` and labels `labels`;
 * larger values are more extreme. Other per-record data (scores) reach it
 * through `ctx`, in the same record order. It writes `*out` and returns 0,
 * or returns a negative fa_status (filling `err`) to stop the test. */
typedef int (*fa_perm_stat)(double *out, const uint32_t *codes, const uint8_t *labels,
			    size_t n, void *ctx, fa_error *err);

typedef struct fa_perm_result {
	double observed;     /* the statistic of the data as given */
	size_t permutations; /* B */
	size_t exceed;       /* permutations whose statistic reached observed */
	double p_value;      /* (exceed + 1) / (B + 1) */
} fa_perm_result;

/** A Monte Carlo permutation test: the statistic of the data, then of
 * `permutations` arrangements in which the group codes are shuffled
 * within each label class (so every group keeps its numbers of positive
 * and negative records). A permuted statistic reaches the observed one when
 * it is at least observed - 1e-12 max(1, |observed|), so arrangements equal
 * to the data up to rounding count. The shuffles come from GSL's mt19937
 * seeded with `seed`: the same seed gives the same p-value. FA_EUSAGE when
 * `permutations` is 0, FA_EINPUT when the observed statistic is NaN; a
 * status from `stat` is returned unchanged. */
int fa_perm_test(fa_perm_result *out, const uint32_t *codes, const uint8_t *labels,
		 size_t n, fa_perm_stat stat, void *ctx, size_t permutations,
		 unsigned long seed, fa_error *err);

#ifdef __cplusplus
}
#endif
#endif
