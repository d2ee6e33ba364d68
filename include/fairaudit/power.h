/*
 * power.h: statistical power, minimum detectable differences and sample
 * sizes for comparing a group with the reference group.
 *
 * Two questions are answered with the same formulas. After an audit, could
 * it have seen a gap? fa_power_annotate() gives every group, per metric,
 * the smallest difference to the reference that its counts would detect
 * (the minimum detectable difference, MDD) and flags groups too small to
 * detect the TPR difference that matters. Before collecting data, how many
 * cases are needed? fa_power_plan_run() answers that for one metric, as
 * the `fairaudit power` command does. docs/clinical.md gives the formulas,
 * their references and the R functions they agree with.
 */
#ifndef FAIRAUDIT_POWER_H
#define FAIRAUDIT_POWER_H

#include "fairaudit/common.h"
#include "fairaudit/result.h"

#include <math.h>

#ifdef __cplusplus
extern "C" {
#endif

/** ## Conventions
 *
 * Every test is two-sided at level `alpha` and, like R's power.prop.test
 * (strict = FALSE) and pROC's power.roc.test, counts only the rejection
 * tail on the side of the difference: power = Φ((d - z se0) / se1) with
 * z = Φ⁻¹(1 - alpha / 2), se0 the standard error of the difference when
 * there is none and se1 when it is d. Group 1 is always the reference.
 * Sizes are doubles so that planning can work with fractional sizes; they
 * count the records of the metric's denominator (positives for tpr and
 * auc, negatives for fpr, positive decisions for ppv, all records for
 * accuracy).
 *
 * "Detectable" is one-directional: the minimum detectable difference is
 * the smallest d > 0 such that a group whose value is worse than the
 * reference's by d (lower for metrics where higher is better, higher for
 * fpr and fnr) would be found different with the requested power. It is
 * found by scanning d over the metric's range for the first point that
 * reaches the power and refining it with GSL's Brent solver, to 1e-12.
 */

/** Defaults of `fairaudit audit` and `fairaudit power`. */
#define FA_POWER_DEFAULT_DETECTABLE 0.10
#define FA_POWER_DEFAULT_POWER 0.80
#define FA_POWER_DEFAULT_ALPHA 0.05

/** ## Two independent proportions
 *
 * Normal approximation with the pooled variance under no difference
 * (Fleiss, Tytun and Ury 1980, without continuity correction):
 * se0² = p̄(1 - p̄)(1/n1 + 1/n2) with p̄ = (n1 p1 + n2 p2) / (n1 + n2), and
 * se1² = p1(1 - p1)/n1 + p2(1 - p2)/n2. With n1 = n2 this is exactly R's
 * power.prop.test; with unequal sizes it equals Hmisc's bpower (less its
 * far tail) and bsamsize.
 */

/** The power to detect p2 against the reference p1. NaN when a size is
 * not positive, a proportion lies outside [0, 1] or p1 = p2 at 0 or 1. */
double fa_power_prop(double p1, double n1, double p2, double n2, double alpha);

/** The size `*out` of the compared group (the reference then needs
 * `ratio` times as many) for the power `power` to detect p2 against p1.
 * Closed form. FA_EUSAGE when p1 = p2, a proportion lies outside [0, 1],
 * `ratio` is not positive, or `power` or `alpha` is not strictly between 0
 * and 1. */
int fa_power_prop_n(double *out, double p1, double p2, double ratio, double power,
		    double alpha, fa_error *err);

/** The minimum detectable difference `*out` from the reference proportion
 * p1 (n1 records) for a group of n2 records, in direction `dir` (-1: the
 * group is lower, +1: higher). FA_EINPUT, with `*out` NaN and a message
 * saying why, when a size is 0, p1 is undefined (NaN) or at the bound the
 * direction cannot pass, or no difference up to that bound reaches the
 * power; FA_EUSAGE for `power` or `alpha` outside (0, 1). */
int fa_power_prop_mdd(double *out, double p1, double n1, double n2, int dir, double power,
		      double alpha, fa_error *err);

/** ## AUC
 *
 * Obuchowski's variance of an AUC under the binormal model with equal
 * variances (B = 1, A = √2 Φ⁻¹(auc)), for n_pos positives and kappa
 * negatives per positive: Var(AUC) = V(auc, kappa) / n_pos with
 * V = f² (1 + 1/kappa + A²/2) + g² (1 + kappa) / (2 kappa),
 * f = exp(-A²/4) / √(4π), g = -A f / 2 (Obuchowski and McClish 1997;
 * pROC's var.params.obuchowski). Two independent groups: se0² =
 * V(auc1, k1)/n1 + V(auc1, k2)/n2 and se1² = V(auc1, k1)/n1 +
 * V(auc2, k2)/n2. With equal sizes and kappas this is pROC's
 * power.roc.test for two curves with binormal parameters and no
 * correlation (rn = ra = 0).
 */

/** V(auc, kappa) above; 0 when auc is 0 or 1, NaN outside [0, 1] or for
 * kappa <= 0. */
double fa_power_auc_var(double auc, double kappa);

/** The power to detect auc2 against the reference auc1, with n1 and n2
 * positives and kappa1 and kappa2 negatives per positive. NaN when an
 * argument is out of range. */
double fa_power_auc(double auc1, double n1, double kappa1, double auc2, double n2,
		    double kappa2, double alpha);

/** The number of positives `*out` of the compared group (the reference
 * then needs `ratio` times as many; both have `kappa` negatives per
 * positive) for the power to detect auc2 < auc1. Closed form. FA_EUSAGE
 * when auc2 >= auc1, an AUC lies outside [0, 1], `ratio` or `kappa` is
 * not positive, or `power` or `alpha` is not strictly between 0 and 1. */
int fa_power_auc_n(double *out, double auc1, double auc2, double ratio, double kappa,
		   double power, double alpha, fa_error *err);

/** The minimum detectable AUC decrease `*out` from the reference auc1 (n1
 * positives, kappa1 negatives per positive) for a group with n2 positives
 * and kappa2. FA_EINPUT, `*out` NaN, as fa_power_prop_mdd(). */
int fa_power_auc_mdd(double *out, double auc1, double n1, double kappa1, double n2,
		     double kappa2, double power, double alpha, fa_error *err);

/** ## Annotating an audit */

/** Fill, for every group of every attribute of `r`, `mdd[m]` (the minimum
 * detectable difference to the reference group for tpr, fnr, tnr, fpr,
 * ppv, npv, accuracy and auc, at the reference's value and from the two
 * groups' counts) and `underpowered`; record the settings in
 * `r->settings`. Metrics without a formula, the reference group, groups
 * left out of comparisons, attributes without a reference and the overall
 * group get NaN with a reason. A group is underpowered when it takes part
 * in comparisons, is not the reference, and its tpr MDD is not a number at
 * most `detectable` (docs/clinical.md says how gates use the flag). May be
 * called again with other settings. FA_EUSAGE when `detectable`, `power`
 * or `alpha` is not strictly between 0 and 1; `r` is then unchanged. */
int fa_power_annotate(fa_result *r, double detectable, double power, double alpha,
		      fa_error *err);

/** ## Planning (`fairaudit power`) */

typedef enum fa_power_mode {
	FA_POWER_SAMPLE_SIZE = 0, /* cases needed for a given gap */
	FA_POWER_DETECTABLE       /* detectable gap for given counts */
} fa_power_mode;

typedef struct fa_power_plan_options {
	/* tpr, fnr, tnr, fpr, ppv, npv, accuracy or auc */
	fa_metric metric;
	/* the reference group's value of the metric; NaN: 0.8 for tpr and
	 * tnr, required otherwise */
	double p0;
	/* FA_POWER_SAMPLE_SIZE: the gap to detect (> 0, in the harmful
	 * direction); ignored otherwise */
	double gap;
	double power, alpha;
	/* FA_POWER_SAMPLE_SIZE: reference cases per case of the group */
	double ratio;
	/* auc: negatives per positive (sample size mode) */
	double kappa;
	/* FA_POWER_DETECTABLE: the counts of the metric's denominator, the
	 * reference first (positives for auc), and for auc the negatives in
	 * `counts_neg`; borrowed */
	const size_t *counts;
	const size_t *counts_neg;
	size_t ncounts;
	fa_power_mode mode;
} fa_power_plan_options;

#define FA_POWER_PLAN_OPTIONS_INIT                                               \
	{FA_M_TPR, NAN, NAN, FA_POWER_DEFAULT_POWER, FA_POWER_DEFAULT_ALPHA, 1.0, 1.0, NULL, NULL, 0, \
	 FA_POWER_SAMPLE_SIZE}

typedef struct fa_power_plan_row {
	size_t n;           /* the denominator count (positives for auc) */
	size_t n_neg;       /* auc: negatives */
	double mdd;         /* NaN for the reference, or with `reason` */
	const char *reason; /* static string, or NULL */
} fa_power_plan_row;

typedef struct fa_power_plan {
	fa_power_mode mode;
	fa_metric metric;
	int dir;         /* -1: worse is lower; +1: worse is higher */
	double p0, gap, value; /* value = p0 + dir * gap (sample size mode) */
	double power, alpha, ratio, kappa;
	/* FA_POWER_SAMPLE_SIZE: exact sizes; negatives only for auc */
	double n_group, n_reference;
	double neg_group, neg_reference;
	/* FA_POWER_DETECTABLE: rows[0] is the reference */
	fa_power_plan_row *rows;
	size_t nrows;
} fa_power_plan;

/** Answer a planning question. The new plan belongs to the caller (free
 * with fa_power_plan_free). FA_EUSAGE, with a one-line message naming the
 * option (--p0, --gap, ...), for a metric without a formula, a value out of
 * range, a gap that leaves the metric's range, or missing counts. */
int fa_power_plan_run(fa_power_plan **out, const fa_power_plan_options *o, fa_error *err);

/** Append the plan as a small table for people. */
void fa_power_plan_write_text(fa_buf *b, const fa_power_plan *p);

/** Append the plan as one JSON object (exact sizes, and sizes rounded
 * up), ending in a newline. */
void fa_power_plan_write_json(fa_buf *b, const fa_power_plan *p);

void fa_power_plan_free(fa_power_plan *p);

#ifdef __cplusplus
}
#endif
#endif
