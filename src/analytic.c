/*
 * analytic.c: DeLong's AUC variance and unpaired test, Wilson and Newcombe
 * intervals, the chi-square test of homogeneity, Holm and
 * Benjamini-Hochberg adjustment, a permutation test, and the variants of
 * the intervals and tests for clustered records (Korn-Graubard Wilson,
 * Rao-Scott chi-square, Obuchowski's AUC variance). docs/analytic.md gives
 * the formulas and the R functions each one reproduces.
 */
#include "fairaudit/analytic.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_sort.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static int check_level(double level, fa_error *err)
{
	if (!(level > 0 && level < 1))
		return fa_error_set(err, FA_EUSAGE, NULL, 0, 0,
				    "confidence level must be between 0 and 1, got %g", level);
	return 0;
}

/* The GSL distribution functions report failure through the error handler
 * (off in fairaudit) and a NaN result, not through a status code, so the
 * result itself is what can be checked. */
static int finite_or_fail(double v, const char *what, fa_error *err)
{
	if (isfinite(v))
		return 0;
	return fa_error_set(err, FA_EMATH, NULL, 0, 0, "%s gave %g instead of a number",
			    what, v);
}

/* The standard normal quantiles of (1 - level) / 2 and 1 - (1 - level) / 2,
 * computed from those two arguments as R's qnorm is called. */
static int normal_bounds(double *lo, double *hi, double level, fa_error *err)
{
	double a = (1 - level) / 2;

	*lo = gsl_cdf_ugaussian_Pinv(a);
	*hi = gsl_cdf_ugaussian_Pinv(1 - a);
	if (finite_or_fail(*lo, "gsl_cdf_ugaussian_Pinv", err) < 0)
		return FA_EMATH;
	return finite_or_fail(*hi, "gsl_cdf_ugaussian_Pinv", err);
}

/* Neumaier's compensated sum: the variance adds up to 10^6 terms. */
typedef struct ksum {
	double s, c;
} ksum;

static void ksum_add(ksum *k, double x)
{
	double t = k->s + x;
	if (fabs(k->s) >= fabs(x))
		k->c += (k->s - t) + x;
	else
		k->c += (x - t) + k->s;
	k->s = t;
}

/* ---- DeLong ------------------------------------------------------------- */

static int is_ascending(const double *x, size_t n)
{
	size_t i;
	for (i = 1; i < n; i++)
		if (!(x[i - 1] <= x[i]))
			return 0;
	return 1;
}

static int has_nan(const double *x, size_t n)
{
	size_t i;
	for (i = 0; i < n; i++)
		if (isnan(x[i]))
			return 1;
	return 0;
}

/*
 * One merge of the two ascending score lists, tie block by tie block. Every
 * positive in a block has the same placement (2 * negatives below + negatives
 * tied) / (2 n_neg), every negative (2 * positives above + positives tied) /
 * (2 n_pos) (Sun & Xu 2014). With theta < 0 the walk returns the AUC
 * numerator, twice the Mann-Whitney count, as an exact integer; otherwise it
 * adds the squared deviations of the placements from theta.
 */
static uint64_t delong_walk(const double *pos, size_t m, const double *neg, size_t n,
			    double theta, ksum *s10, ksum *s01)
{
	size_t i = 0, j = 0;
	uint64_t auc2 = 0;

	while (i < m || j < n) {
		double v = i == m ? neg[j] : j == n ? pos[i] : fmin(pos[i], neg[j]);
		size_t cp = 0, cn = 0;
		uint64_t a, b;

		while (i + cp < m && pos[i + cp] == v)
			cp++;
		while (j + cn < n && neg[j + cn] == v)
			cn++;
		/* placements: a / 2n for these positives, b / 2m for these negatives */
		a = 2 * (uint64_t)j + cn;
		b = 2 * (uint64_t)(m - i - cp) + cp;
		if (theta < 0) {
			auc2 += (uint64_t)cp * a;
		} else {
			double d;
			if (cp) {
				d = (double)a / (2.0 * (double)n) - theta;
				ksum_add(s10, (double)cp * d * d);
			}
			if (cn) {
				d = (double)b / (2.0 * (double)m) - theta;
				ksum_add(s01, (double)cn * d * d);
			}
		}
		i += cp;
		j += cn;
	}
	return auc2;
}

/* pos and neg are ascending and free of NaN. */
static int delong_sorted(fa_delong *out, const double *pos, size_t m, const double *neg,
			 size_t n, double level, fa_error *err)
{
	ksum s10 = {0, 0}, s01 = {0, 0};
	double theta, lo, hi;
	int rc;

	out->n_pos = m;
	out->n_neg = n;
	out->level = level;
	out->auc = out->var = out->se = out->ci_low = out->ci_high = NAN;
	if (m == 0 || n == 0)
		return fa_error_set(err, FA_EINPUT, NULL, 0, 0,
				    "AUC needs positive and negative records, got %zu and %zu",
				    m, n);
	theta = (double)delong_walk(pos, m, neg, n, -1, NULL, NULL) /
		(2.0 * (double)m * (double)n);
	out->auc = theta;
	if (m < 2 || n < 2)
		return fa_error_set(err, FA_EINPUT, NULL, 0, 0,
				    "DeLong variance needs at least 2 positive and 2 negative "
				    "records, got %zu and %zu",
				    m, n);
	delong_walk(pos, m, neg, n, theta, &s10, &s01);
	out->var = (s10.s + s10.c) / (double)(m - 1) / (double)m +
		   (s01.s + s01.c) / (double)(n - 1) / (double)n;
	out->se = sqrt(out->var);
	if ((rc = normal_bounds(&lo, &hi, level, err)) < 0)
		return rc;
	/* pROC: qnorm(p, mean = auc, sd = se), then clipped to [0, 1] */
	out->ci_low = fmin(1, fmax(0, theta + out->se * lo));
	out->ci_high = fmin(1, fmax(0, theta + out->se * hi));
	return 0;
}

/* An ascending copy of x, or x itself when it already is ascending. */
static const double *ascending(double **copy, const double *x, size_t n)
{
	*copy = NULL;
	if (is_ascending(x, n))
		return x;
	*copy = fa_xmalloc(n ? n * sizeof(double) : 1);
	memcpy(*copy, x, n * sizeof(double));
	gsl_sort(*copy, 1, n);
	return *copy;
}

int fa_delong_compute_split(fa_delong *out, const double *pos, size_t n_pos,
			    const double *neg, size_t n_neg, double level, fa_error *err)
{
	double *cp = NULL, *cn = NULL;
	const double *p, *q;
	int rc;

	memset(out, 0, sizeof(*out));
	out->auc = out->var = out->se = out->ci_low = out->ci_high = NAN;
	out->n_pos = n_pos;
	out->n_neg = n_neg;
	out->level = level;
	if ((rc = check_level(level, err)) < 0)
		return rc;
	if (has_nan(pos, n_pos) || has_nan(neg, n_neg))
		return fa_error_set(err, FA_EINPUT, NULL, 0, 0, "a score is NaN");
	p = ascending(&cp, pos, n_pos);
	q = ascending(&cn, neg, n_neg);
	rc = delong_sorted(out, p, n_pos, q, n_neg, level, err);
	free(cp);
	free(cn);
	return rc;
}

int fa_delong_compute(fa_delong *out, const double *scores, const uint8_t *labels,
		      size_t n, double level, fa_error *err)
{
	double *buf = NULL;
	size_t i, m = 0, k = 0;
	int rc;

	for (i = 0; i < n; i++)
		m += labels[i] != 0;
	/* positives fill buf from the front, negatives from the back, both in
	 * input order, so score-sorted input stays sorted */
	buf = fa_xmalloc(n ? n * sizeof(double) : 1);
	for (i = 0; i < n; i++) {
		if (labels[i])
			buf[k++] = scores[i];
		else
			buf[m + (i - k)] = scores[i];
	}
	rc = fa_delong_compute_split(out, buf, m, buf + m, n - m, level, err);
	free(buf);
	return rc;
}

/* The unpaired comparison; na, nb are the units of each group whose count
 * less one gives the Welch-Satterthwaite degrees of freedom. */
static int compare_unpaired(fa_delong_diff *out, const fa_delong *a, size_t na, const fa_delong *b,
			    size_t nb, const char *method, double level, fa_error *err)
{
	double s, q;
	int rc;

	out->level = level;
	out->diff = a->auc - b->auc;
	out->se = out->statistic = out->df = out->p_value = out->p_normal = NAN;
	out->ci_low = out->ci_high = NAN;
	if ((rc = check_level(level, err)) < 0)
		return rc;
	if (isnan(a->var) || isnan(b->var))
		return fa_error_set(err, FA_EINPUT, NULL, 0, 0,
				    "%s variance of %s AUC is undefined", method,
				    isnan(a->var) ? "the first" : "the second");
	s = a->var + b->var;
	if (!(s > 0))
		return fa_error_set(err, FA_EINPUT, NULL, 0, 0,
				    "both AUCs have zero %s variance (each is 0 or 1)", method);
	out->se = sqrt(s);
	out->statistic = out->diff / out->se;
	out->df = s * s / (a->var * a->var / (double)(na - 1) + b->var * b->var / (double)(nb - 1));
	out->p_value = 2 * gsl_cdf_tdist_P(-fabs(out->statistic), out->df);
	if ((rc = finite_or_fail(out->p_value, "gsl_cdf_tdist_P", err)) < 0)
		return rc;
	out->p_normal = 2 * gsl_cdf_ugaussian_P(-fabs(out->statistic));
	if ((rc = finite_or_fail(out->p_normal, "gsl_cdf_ugaussian_P", err)) < 0)
		return rc;
	q = gsl_cdf_tdist_Pinv(1 - (1 - level) / 2, out->df);
	if ((rc = finite_or_fail(q, "gsl_cdf_tdist_Pinv", err)) < 0)
		return rc;
	out->ci_low = fmax(-1, out->diff - q * out->se);
	out->ci_high = fmin(1, out->diff + q * out->se);
	return 0;
}

int fa_delong_compare(fa_delong_diff *out, const fa_delong *a, const fa_delong *b,
		      double level, fa_error *err)
{
	/* pROC's degrees of freedom count all records of each group, n - 1 */
	return compare_unpaired(out, a, a->n_pos + a->n_neg, b, b->n_pos + b->n_neg, "DeLong",
				level, err);
}

/* ---- proportions -------------------------------------------------------- */

static int wilson(fa_interval *out, size_t x, size_t n, double z)
{
	double xd = (double)x, nd = (double)n, z2 = z * z;
	double centre = (xd + z2 / 2) / (nd + z2);
	double half = z * sqrt(xd * (double)(n - x) / nd + z2 / 4) / (nd + z2);

	out->estimate = xd / nd;
	/* the closed form leaves rounding residue where the bound is exact */
	out->low = x == 0 ? 0 : fmax(0, centre - half);
	out->high = x == n ? 1 : fmin(1, centre + half);
	return 0;
}

static int check_count(size_t x, size_t n, fa_error *err)
{
	if (n == 0)
		return fa_error_set(err, FA_EINPUT, NULL, 0, 0,
				    "a proportion needs at least one record");
	if (x > n)
		return fa_error_set(err, FA_EINPUT, NULL, 0, 0,
				    "count %zu exceeds its total %zu", x, n);
	return 0;
}

int fa_wilson_interval(fa_interval *out, size_t x, size_t n, double level,
		       fa_error *err)
{
	double lo, z;
	int rc;

	out->estimate = out->low = out->high = NAN;
	if ((rc = check_level(level, err)) < 0 || (rc = check_count(x, n, err)) < 0)
		return rc;
	if ((rc = normal_bounds(&lo, &z, level, err)) < 0)
		return rc;
	return wilson(out, x, n, z);
}

int fa_newcombe_interval(fa_interval *out, size_t x1, size_t n1, size_t x2, size_t n2,
			 double level, fa_error *err)
{
	fa_interval a, b;
	double lo, z;
	int rc;

	out->estimate = out->low = out->high = NAN;
	if ((rc = check_level(level, err)) < 0 || (rc = check_count(x1, n1, err)) < 0 ||
	    (rc = check_count(x2, n2, err)) < 0)
		return rc;
	if ((rc = normal_bounds(&lo, &z, level, err)) < 0)
		return rc;
	wilson(&a, x1, n1, z);
	wilson(&b, x2, n2, z);
	fa_newcombe_hybrid(out, &a, &b);
	return 0;
}

void fa_newcombe_hybrid(fa_interval *out, const fa_interval *a, const fa_interval *b)
{
	double d = a->estimate - b->estimate;

	out->estimate = d;
	/* fmax and fmin would drop a NaN bound in favour of the clip */
	if (isnan(d) || isnan(a->low) || isnan(a->high) || isnan(b->low) || isnan(b->high)) {
		out->low = out->high = NAN;
		return;
	}
	out->low = fmax(-1, d - sqrt((a->estimate - a->low) * (a->estimate - a->low) +
				     (b->high - b->estimate) * (b->high - b->estimate)));
	out->high = fmin(1, d + sqrt((a->high - a->estimate) * (a->high - a->estimate) +
				     (b->estimate - b->low) * (b->estimate - b->low)));
}

int fa_chisq_homogeneity(fa_chisq *out, const size_t *x, const size_t *n, size_t k,
			 fa_error *err)
{
	double N = 0, X = 0, stat = 0, emin = INFINITY;
	size_t i;
	int col, rc;

	out->statistic = out->p_value = out->min_expected = NAN;
	out->df = k > 0 ? (unsigned)(k - 1) : 0;
	out->low_expected = 0;
	if (k < 2)
		return fa_error_set(err, FA_EINPUT, NULL, 0, 0,
				    "the chi-square test needs at least 2 groups, got %zu", k);
	for (i = 0; i < k; i++) {
		if ((rc = check_count(x[i], n[i], err)) < 0)
			return rc;
		N += (double)n[i];
		X += (double)x[i];
	}
	/* as R's chisq.test: expected = row total x column total / N, and the
	 * sum runs over the success column, then the failure column */
	for (col = 0; col < 2; col++) {
		double c = col == 0 ? X : N - X;
		for (i = 0; i < k; i++) {
			double o = (double)(col == 0 ? x[i] : n[i] - x[i]);
			double e = (double)n[i] * c / N;
			emin = fmin(emin, e);
			stat += (o - e) * (o - e) / e;
		}
	}
	out->min_expected = emin;
	out->low_expected = emin < 5;
	if (X == 0 || X == N)
		return fa_error_set(err, FA_EINPUT, NULL, 0, 0,
				    "every proportion is %d: the chi-square statistic is undefined",
				    X == 0 ? 0 : 1);
	out->statistic = stat;
	out->p_value = gsl_cdf_chisq_Q(stat, (double)out->df);
	return finite_or_fail(out->p_value, "gsl_cdf_chisq_Q", err);
}

/* ---- clustered records -------------------------------------------------- */

/* Wilson's interval for the proportion p at a real effective size m with
 * the quantile q: wilson()'s closed form with x = p m. */
static void wilson_eff(fa_interval *out, double p, double m, double q)
{
	double q2 = q * q;
	double centre = (p + q2 / (2 * m)) / (1 + q2 / m);
	double half = q * sqrt(p * (1 - p) / m + q2 / (4 * m * m)) / (1 + q2 / m);

	out->estimate = p;
	out->low = p == 0 ? 0 : fmax(0, centre - half);
	out->high = p == 1 ? 1 : fmin(1, centre + half);
}

int fa_cluster_wilson(fa_cluster_prop *out, const size_t *x, const size_t *n, size_t nclusters,
		      double level, fa_error *err)
{
	size_t i, X = 0, N = 0, k = 0;
	ksum ss = {0, 0};
	double p, q;
	fa_interval iv;
	int rc;

	out->estimate = out->var = out->deff = out->n_eff = out->df = NAN;
	out->low = out->high = NAN;
	out->n = out->clusters = 0;
	if ((rc = check_level(level, err)) < 0)
		return rc;
	for (i = 0; i < nclusters; i++) {
		if (x[i] > n[i])
			return fa_error_set(err, FA_EINPUT, NULL, 0, 0,
					    "count %zu exceeds its total %zu in cluster %zu", x[i], n[i],
					    i + 1);
		X += x[i];
		N += n[i];
		k += n[i] > 0;
	}
	out->n = N;
	out->clusters = k;
	if ((rc = check_count(X, N, err)) < 0)
		return rc;
	p = (double)X / (double)N;
	out->estimate = p;
	/* the ratio estimator's residuals: cluster i's successes less what
	 * the overall proportion predicts for its size */
	for (i = 0; i < nclusters; i++)
		if (n[i]) {
			double r = (double)x[i] - p * (double)n[i];
			ksum_add(&ss, r * r);
		}
	if (k >= 2)
		out->var = (double)k / (double)(k - 1) * (ss.s + ss.c) / ((double)N * (double)N);
	/* Without spread between clusters to measure (every record a success,
	 * or none, or one cluster) the design effect takes its worst case, as
	 * if a cluster's records were copies of one record. Below 1 it is
	 * taken as 1: clustering is not let to narrow the interval. */
	if (X == 0 || X == N || k < 2)
		out->deff = (double)N / (double)k;
	else
		out->deff = fmax(1, out->var / (p * (1 - p) / (double)N));
	out->n_eff = (double)N / out->deff;
	if (k < 2)
		return fa_error_set(err, FA_EINPUT, NULL, 0, 0,
				    "a proportion over clusters needs records in at least 2 "
				    "clusters, got %zu",
				    k);
	out->df = (double)(k - 1);
	q = gsl_cdf_tdist_Pinv(1 - (1 - level) / 2, out->df);
	if ((rc = finite_or_fail(q, "gsl_cdf_tdist_Pinv", err)) < 0)
		return rc;
	wilson_eff(&iv, p, out->n_eff, q);
	out->low = iv.low;
	out->high = iv.high;
	return 0;
}

int fa_chisq_rao_scott(fa_chisq *out, double *deff_mean, const size_t *x, const size_t *n,
		       const double *deff, size_t k, fa_error *err)
{
	double N = 0, X = 0, dm = 0, emin = INFINITY;
	size_t i;
	int rc;

	if (deff_mean)
		*deff_mean = NAN;
	rc = fa_chisq_homogeneity(out, x, n, k, err);
	if (isnan(out->min_expected))
		return rc; /* fewer than 2 groups or an impossible count */
	for (i = 0; i < k; i++)
		if (!(deff[i] > 0) || !isfinite(deff[i])) {
			out->statistic = out->p_value = out->min_expected = NAN;
			out->low_expected = 0;
			return fa_error_set(err, FA_EINPUT, NULL, 0, 0,
					    "design effect %g of proportion %zu is not a positive "
					    "number",
					    deff[i], i + 1);
		}
	for (i = 0; i < k; i++) {
		N += (double)n[i];
		X += (double)x[i];
	}
	/* E[X^2] = sum_i (1 - n_i / N) deff_i under equal proportions, which
	 * is k - 1 for independent records */
	for (i = 0; i < k; i++) {
		double e1 = (double)n[i] * X / N, e0 = (double)n[i] * (N - X) / N;
		emin = fmin(emin, fmin(e1, e0) / deff[i]);
		dm += (1 - (double)n[i] / N) * deff[i];
	}
	dm /= (double)(k - 1);
	out->min_expected = emin;
	out->low_expected = emin < 5;
	if (deff_mean)
		*deff_mean = dm;
	if (rc < 0)
		return rc;
	out->statistic /= dm;
	out->p_value = gsl_cdf_chisq_Q(out->statistic, (double)out->df);
	return finite_or_fail(out->p_value, "gsl_cdf_chisq_Q", err);
}

typedef struct scored {
	double s;
	size_t i;
} scored;

static int scored_cmp(const void *pa, const void *pb)
{
	const scored *a = pa, *b = pb;
	return a->s < b->s ? -1 : a->s > b->s;
}

int fa_obuchowski_compute(fa_obuchowski *out, const double *scores, const uint8_t *labels,
			  const uint32_t *cluster, size_t n, size_t nclusters, double level,
			  fa_error *err)
{
	scored *ord = NULL;
	double *v10 = NULL, *v01 = NULL, theta, lo, hi;
	size_t *mp = NULL, *mn = NULL, i, j, M = 0, N = 0, pos_below = 0, neg_below = 0;
	ksum q10 = {0, 0}, q01 = {0, 0}, q11 = {0, 0};
	uint64_t auc2 = 0;
	fa_delong *d = &out->auc;
	int rc;

	memset(out, 0, sizeof(*out));
	d->auc = d->var = d->se = d->ci_low = d->ci_high = NAN;
	d->level = level;
	out->s10 = out->s01 = out->s11 = NAN;
	if ((rc = check_level(level, err)) < 0)
		return rc;
	if (has_nan(scores, n))
		return fa_error_set(err, FA_EINPUT, NULL, 0, 0, "a score is NaN");
	for (i = 0; i < n; i++)
		if (cluster[i] >= nclusters)
			return fa_error_set(err, FA_EUSAGE, NULL, 0, 0,
					    "cluster %u of record %zu is not below %zu", cluster[i],
					    i + 1, nclusters);
	mp = fa_xcalloc(nclusters ? nclusters : 1, sizeof(size_t));
	mn = fa_xcalloc(nclusters ? nclusters : 1, sizeof(size_t));
	v10 = fa_xcalloc(nclusters ? nclusters : 1, sizeof(double));
	v01 = fa_xcalloc(nclusters ? nclusters : 1, sizeof(double));
	for (i = 0; i < n; i++) {
		if (labels[i])
			mp[cluster[i]]++;
		else
			mn[cluster[i]]++;
	}
	for (j = 0; j < nclusters; j++) {
		M += mp[j];
		N += mn[j];
		out->clusters += mp[j] + mn[j] > 0;
		out->pos_clusters += mp[j] > 0;
		out->neg_clusters += mn[j] > 0;
	}
	d->n_pos = M;
	d->n_neg = N;
	if (M == 0 || N == 0) {
		rc = fa_error_set(err, FA_EINPUT, NULL, 0, 0,
				  "AUC needs positive and negative records, got %zu and %zu", M, N);
		goto done;
	}
	if (!is_ascending(scores, n)) {
		ord = fa_xmalloc(n * sizeof(*ord));
		for (i = 0; i < n; i++) {
			ord[i].s = scores[i];
			ord[i].i = i;
		}
		qsort(ord, n, sizeof(*ord), scored_cmp);
	}
	/* tie block by tie block as delong_walk: a positive's placement is
	 * a / 2N, a negative's b / 2M, each added to its cluster's sum */
	for (i = 0; i < n;) {
		double s = ord ? ord[i].s : scores[i];
		size_t e = i, cp = 0, cn = 0, t;
		uint64_t a, b;
		while (e < n && (ord ? ord[e].s : scores[e]) == s) {
			if (labels[ord ? ord[e].i : e])
				cp++;
			else
				cn++;
			e++;
		}
		a = 2 * (uint64_t)neg_below + cn;
		b = 2 * (uint64_t)(M - pos_below - cp) + cp;
		auc2 += (uint64_t)cp * a;
		for (t = i; t < e; t++) {
			size_t r = ord ? ord[t].i : t;
			if (labels[r])
				v10[cluster[r]] += (double)a / (2.0 * (double)N);
			else
				v01[cluster[r]] += (double)b / (2.0 * (double)M);
		}
		pos_below += cp;
		neg_below += cn;
		i = e;
	}
	theta = (double)auc2 / (2.0 * (double)M * (double)N);
	d->auc = theta;
	if (out->pos_clusters < 2 || out->neg_clusters < 2) {
		rc = fa_error_set(err, FA_EINPUT, NULL, 0, 0,
				  "Obuchowski variance needs positive records in at least 2 clusters "
				  "and negative records in at least 2, got %zu and %zu",
				  out->pos_clusters, out->neg_clusters);
		goto done;
	}
	for (j = 0; j < nclusters; j++) {
		double d10 = v10[j] - (double)mp[j] * theta, d01 = v01[j] - (double)mn[j] * theta;
		if (mp[j] + mn[j] == 0)
			continue;
		ksum_add(&q10, d10 * d10);
		ksum_add(&q01, d01 * d01);
		ksum_add(&q11, d10 * d01);
	}
	out->s10 = (double)out->pos_clusters / ((double)(out->pos_clusters - 1) * (double)M) *
		   (q10.s + q10.c);
	out->s01 = (double)out->neg_clusters / ((double)(out->neg_clusters - 1) * (double)N) *
		   (q01.s + q01.c);
	out->s11 = (double)out->clusters / (double)(out->clusters - 1) * (q11.s + q11.c);
	/* never below 0 in exact arithmetic (S11's factor is the smallest of
	 * the three); rounding could leave a trace below */
	d->var = fmax(0, out->s10 / (double)M + out->s01 / (double)N +
			     2 * out->s11 / ((double)M * (double)N));
	d->se = sqrt(d->var);
	if ((rc = normal_bounds(&lo, &hi, level, err)) < 0)
		goto done;
	d->ci_low = fmin(1, fmax(0, theta + d->se * lo));
	d->ci_high = fmin(1, fmax(0, theta + d->se * hi));
	rc = 0;
done:
	free(ord);
	free(mp);
	free(mn);
	free(v10);
	free(v01);
	return rc;
}

int fa_obuchowski_compare(fa_delong_diff *out, const fa_obuchowski *a, const fa_obuchowski *b,
			  double level, fa_error *err)
{
	return compare_unpaired(out, &a->auc, a->clusters, &b->auc, b->clusters, "Obuchowski",
				level, err);
}

/* ---- multiple testing --------------------------------------------------- */

typedef struct pv {
	double p;
	size_t i;
} pv;

/* ascending p, ties in input order (as R's order()) */
static int pv_cmp(const void *pa, const void *pb)
{
	const pv *a = pa, *b = pb;
	if (a->p != b->p)
		return a->p < b->p ? -1 : 1;
	return a->i < b->i ? -1 : a->i > b->i;
}

void fa_p_adjust(double *out, const double *p, size_t m, fa_p_adjust_method method)
{
	pv *v = fa_xmalloc(m ? m * sizeof(*v) : 1);
	size_t i, L = 0;
	double run;

	for (i = 0; i < m; i++)
		if (!isnan(p[i])) {
			v[L].p = p[i];
			v[L++].i = i;
		}
	qsort(v, L, sizeof(*v), pv_cmp);
	for (i = 0; i < m; i++)
		if (isnan(p[i]))
			out[i] = NAN;
	if (method == FA_P_ADJUST_HOLM) {
		/* cummax over ascending p of (L + 1 - rank) p, capped at 1 */
		run = 0;
		for (i = 0; i < L; i++) {
			run = fmax(run, (double)(L - i) * v[i].p);
			out[v[i].i] = fmin(1, run);
		}
	} else {
		/* cummin over descending p of (L / rank) p, capped at 1 */
		run = INFINITY;
		for (i = L; i-- > 0;) {
			run = fmin(run, (double)L / (double)(i + 1) * v[i].p);
			out[v[i].i] = fmin(1, run);
		}
	}
	free(v);
}

/* ---- permutation test --------------------------------------------------- */

int fa_perm_test(fa_perm_result *out, const uint32_t *codes, const uint8_t *labels,
		 size_t n, fa_perm_stat stat, void *ctx, size_t permutations,
		 unsigned long seed, fa_error *err)
{
	uint32_t *work = NULL, *pool = NULL;
	size_t *where = NULL;
	gsl_rng *rng = NULL;
	size_t i, b, m = 0, k = 0;
	double t, tol;
	int rc;

	out->observed = out->p_value = NAN;
	out->permutations = permutations;
	out->exceed = 0;
	if (permutations == 0)
		return fa_error_set(err, FA_EUSAGE, NULL, 0, 0,
				    "a permutation test needs at least one permutation");
	if ((rc = stat(&out->observed, codes, labels, n, ctx, err)) < 0)
		return rc;
	if (isnan(out->observed))
		return fa_error_set(err, FA_EINPUT, NULL, 0, 0,
				    "the statistic of the data is undefined");
	tol = 1e-12 * fmax(1, fabs(out->observed));

	/* pool holds the codes of the positives, then of the negatives, and
	 * where[] the record each slot goes back to */
	work = fa_xmalloc(n ? n * sizeof(*work) : 1);
	pool = fa_xmalloc(n ? n * sizeof(*pool) : 1);
	where = fa_xmalloc(n ? n * sizeof(*where) : 1);
	for (i = 0; i < n; i++)
		m += labels[i] != 0;
	for (i = 0; i < n; i++) {
		size_t slot = labels[i] ? k++ : m + (i - k);
		pool[slot] = codes[i];
		where[slot] = i;
	}
	rng = gsl_rng_alloc(gsl_rng_mt19937);
	if (!rng) {
		rc = fa_error_set(err, FA_EMATH, NULL, 0, 0, "gsl_rng_alloc: %s",
				  gsl_strerror(GSL_ENOMEM));
		goto done;
	}
	gsl_rng_set(rng, seed);
	for (b = 0; b < permutations; b++) {
		if (m > 1)
			gsl_ran_shuffle(rng, pool, m, sizeof(*pool));
		if (n - m > 1)
			gsl_ran_shuffle(rng, pool + m, n - m, sizeof(*pool));
		for (i = 0; i < n; i++)
			work[where[i]] = pool[i];
		if ((rc = stat(&t, work, labels, n, ctx, err)) < 0)
			goto done;
		if (t >= out->observed - tol)
			out->exceed++;
	}
	out->p_value = (double)(out->exceed + 1) / (double)(permutations + 1);
	rc = 0;
done:
	gsl_rng_free(rng);
	free(work);
	free(pool);
	free(where);
	return rc;
}
